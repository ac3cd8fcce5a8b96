"""``python -m engagement``: the command line, built on the same services as the pages.

Each module in :mod:`engagement.cli.commands` adds its subcommands through a
``register(subparsers)`` function, so a new command never edits a shared file. Every
command handler takes the parsed arguments and a :class:`Context` and returns an exit
code. Domain errors are printed translated, with the same row-level messages as the app,
and exit with status 1 (2 for usage errors, as argparse does).

``--user NAME`` acts as that existing, active account: its roles, what it may see and
its refusals apply to every command. Without it the command line is the local operator
(whoever runs it already holds the database) with full access, recorded in the audit
trail under ``TEJIDO_USER``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from engagement.cli import commands
from engagement.config import Settings, load_settings
from engagement.errors import EngagementError, NotFound, UnknownAccount, ValidationFailed
from engagement.i18n import describe_error, describe_problem, t
from engagement.model import Principal
from engagement.services.access import users
from engagement.storage import migrate
from engagement.storage.db import Database

Handler = Callable[[argparse.Namespace, "Context"], int]


@dataclass
class Context:
    """What a command needs: settings, the acting user, the database and the streams."""

    settings: Settings
    user: Principal
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _db: Database | None = None

    @property
    def lang(self) -> str:
        return self.settings.lang

    def db(self) -> Database:
        """The database, migrated to the latest schema on first use."""
        if self._db is None:
            self._db = Database.from_url(self.settings.database_url)
            migrate.upgrade(self._db.engine)
        return self._db

    def say(self, key: str, **params: object) -> None:
        print(t(key, self.lang, **params), file=self.out)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m engagement",
        description="Tejido: stakeholder mapping and engagement tracking.",
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: TEJIDO_DATABASE_URL)")
    parser.add_argument("--lang", choices=["es", "en"], help="language of messages")
    parser.add_argument(
        "--user",
        help="act as this existing, active account, with its roles (default: the local "
        "operator with full access, recorded under TEJIDO_USER)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def account(db: Database, username: str) -> Principal:
    """The principal of an existing, active account: ``--user`` acts with its roles.

    Raises
    ------
    UnknownAccount
        If no active account has that name.
    """
    try:
        info = users.get_user(db, username)
    except NotFound as exc:
        raise UnknownAccount(user=username) from exc
    if not info.active:
        raise UnknownAccount(user=username)
    return users.principal(info)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    overrides = {
        "database_url": args.database_url or settings.database_url,
        "lang": args.lang or settings.lang,
    }
    settings = Settings(**{**settings.__dict__, **overrides})
    ctx = Context(settings, Principal(settings.local_user))
    if out is not None:
        ctx.out = out
        ctx.err = out
    handler: Handler = args.handler
    try:
        if args.user is not None:
            ctx.user = account(ctx.db(), args.user)
        return handler(args, ctx)
    except EngagementError as error:
        print(describe_error(error, ctx.lang), file=ctx.err)
        if isinstance(error, ValidationFailed):
            for problem in error.problems:
                print(f"  - {describe_problem(problem, ctx.lang)}", file=ctx.err)
        return 1
    finally:
        ctx.close()
