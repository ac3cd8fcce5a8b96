"""``create-user``, ``users``, ``set-role``, ``deactivate-user``, ``unlock-user``: accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from engagement.cli import Context
from engagement.services.access import credentials, users
from engagement.services.access.permissions import require_admin
from engagement.services.registry import programs
from engagement.values import Role


def register(sub: Any) -> None:
    p = sub.add_parser("create-user", help="create an account (asks for its password)")
    p.add_argument("username", nargs="?", default="admin")
    p.add_argument("--admin", action="store_true", help="administrator of every program")
    p.add_argument("--display-name", default="")
    p.add_argument(
        "--one-time",
        action="store_true",
        help="only when no account exists: create it with a one-time password and print it",
    )
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    p.set_defaults(handler=create_user)

    p = sub.add_parser("users", help="list the accounts and their roles")
    p.set_defaults(handler=list_users)

    p = sub.add_parser("set-role", help="give a user a role in a program (or remove it)")
    p.add_argument("username")
    p.add_argument("--program", required=True)
    p.add_argument("--role", required=True, choices=[*Role.values(), "none"])
    p.set_defaults(handler=set_role)

    p = sub.add_parser("deactivate-user", help="deactivate an account (never deleted)")
    p.add_argument("username")
    p.add_argument("--reactivate", action="store_true")
    p.set_defaults(handler=deactivate_user)

    p = sub.add_parser(
        "unlock-user", help="forget an account's failed sign-ins (lifts every lockout)"
    )
    p.add_argument("username")
    p.set_defaults(handler=unlock_user)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if os.environ.get("TEJIDO_NEW_PASSWORD"):
        return os.environ["TEJIDO_NEW_PASSWORD"]
    return getpass.getpass("Password: ")


def create_user(args: argparse.Namespace, ctx: Context) -> int:
    if args.one_time:
        created = users.bootstrap_admin(ctx.db(), args.username)
        if created is None:
            ctx.say("cli.users_exist")
        else:
            info, password = created
            ctx.say("cli.one_time_password", username=info.username, password=password)
        return 0
    info = users.create_user(
        ctx.db(),
        ctx.user,
        args.username,
        _password(args),
        display_name=args.display_name,
        admin=args.admin,
    )
    ctx.say("cli.user_created", username=info.username)
    return 0


def list_users(args: argparse.Namespace, ctx: Context) -> int:
    require_admin(ctx.user)  # every account and its roles
    names = {p.id: p.name for p in programs.list_programs(ctx.db())}
    for info in users.list_users(ctx.db()):
        roles = ", ".join(f"{names.get(pid, pid)}: {role}" for pid, role in info.roles)
        flags = ("admin " if info.is_admin else "") + ("" if info.active else "inactive")
        print(f"{info.username}\t{flags.strip()}\t{roles}", file=ctx.out)
    return 0


def set_role(args: argparse.Namespace, ctx: Context) -> int:
    program = programs.find_program(ctx.db(), args.program)
    role = None if args.role == "none" else args.role
    users.set_role(ctx.db(), ctx.user, args.username, program.id, role)
    ctx.say("cli.role_set", username=args.username, role=args.role, program=program.name)
    return 0


def deactivate_user(args: argparse.Namespace, ctx: Context) -> int:
    info = users.set_active(ctx.db(), ctx.user, args.username, args.reactivate)
    print(f"{info.username}\t{'active' if info.active else 'inactive'}", file=ctx.out)
    return 0


def unlock_user(args: argparse.Namespace, ctx: Context) -> int:
    held = users.unlock(ctx.db(), ctx.user, args.username)
    ctx.say("cli.user_unlocked", username=credentials.username_key(args.username), clients=held)
    return 0
