"""``init-db``, ``load-demo``, ``programs``, ``create-program``."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from engagement.cli import Context
from engagement.services.exchange import demo
from engagement.services.registry import programs
from engagement.storage import migrate


def register(sub: Any) -> None:
    p = sub.add_parser("init-db", help="create or upgrade the database schema")
    p.set_defaults(handler=init_db)

    p = sub.add_parser("load-demo", help="load the two illustrative demo programs")
    p.add_argument("--if-empty", action="store_true", help="only when no program exists yet")
    p.set_defaults(handler=load_demo)

    p = sub.add_parser("programs", help="list the programs")
    p.set_defaults(handler=list_programs)

    p = sub.add_parser("create-program", help="create a program with the default lists")
    p.add_argument("name")
    p.add_argument("--municipality", default="")
    p.add_argument("--country", default="")
    p.add_argument("--description", default="")
    p.add_argument("--start", type=dt.date.fromisoformat, help="start date, YYYY-MM-DD")
    p.add_argument("--end", type=dt.date.fromisoformat, help="end date, YYYY-MM-DD")
    p.add_argument("--threshold", type=int, default=3, help="power/interest threshold (1-5)")
    p.set_defaults(handler=create_program)


def init_db(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db()
    ctx.say("cli.db_ready", revision=migrate.current_revision(db.engine))
    return 0


def load_demo(args: argparse.Namespace, ctx: Context) -> int:
    loaded = demo.load_demos(ctx.db(), ctx.user, if_empty=args.if_empty)
    for program in loaded:
        ctx.say("cli.demo_loaded", name=program.name)
    if not loaded:
        ctx.say("cli.demo_nothing")
    return 0


def list_programs(args: argparse.Namespace, ctx: Context) -> int:
    found = [p for p in programs.list_programs(ctx.db()) if ctx.user.role_in(p.id) is not None]
    if not found:
        ctx.say("cli.no_programs")
    for p in found:
        where = ", ".join(x for x in (p.municipality, p.country) if x)
        print(f"{p.id}\t{p.name}\t{where}", file=ctx.out)
    return 0


def create_program(args: argparse.Namespace, ctx: Context) -> int:
    program = programs.create_program(
        ctx.db(),
        ctx.user,
        args.name,
        municipality=args.municipality,
        country=args.country,
        description=args.description,
        start_date=args.start,
        end_date=args.end,
        power_threshold=args.threshold,
    )
    ctx.say("cli.program_created", name=program.name, id=program.id)
    return 0
