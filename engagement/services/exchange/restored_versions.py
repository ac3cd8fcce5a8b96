"""The versions a restore moves past: each program's data version and the accounts
version, read before a whole database is replaced and raised beyond them after, so that
what any server (this one or another on the same database) cached of the database
replaced is never served for the restored data (JSON backups and SQLite files alike).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engagement.storage.models import Program
from engagement.storage.queries.accounts import ACCOUNTS_VERSION, raise_accounts_version


@dataclass(frozen=True)
class DataVersions:
    """What cached reads of the database depend on: each program's data version, and
    the accounts version."""

    programs: dict[int, int]
    accounts: int


def data_versions(session: Session) -> DataVersions:
    programs = session.execute(select(Program.id, Program.data_version))
    accounts = session.scalar(select(ACCOUNTS_VERSION)) or 0
    return DataVersions({int(i): int(v) for i, v in programs}, int(accounts))


def move_past(session: Session, before: DataVersions) -> None:
    """Give every restored program a data version it never had, and the accounts too:
    what any server (this one or another on the same database) cached of the database
    replaced is never served for the restored data."""
    after = data_versions(session)
    moved = [
        {"id": program_id, "version": max(version, before.programs.get(program_id, 0)) + 1}
        for program_id, version in after.programs.items()
    ]
    if moved:  # plain SQL: the restored rows keep their other columns (no onupdate stamps)
        session.execute(text("UPDATE program SET data_version = :version WHERE id = :id"), moved)
    raise_accounts_version(session, past=before.accounts)
