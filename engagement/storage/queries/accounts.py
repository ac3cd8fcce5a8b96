"""The accounts version: what kept reads of accounts and roles depend on.

Every write to accounts or roles raises it (:func:`raise_accounts_version`) in its own
transaction; :data:`ACCOUNTS_VERSION` reads it inside another statement (the sign-in
check of every page run), so a run on unchanged accounts needs no read of its own.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, ScalarSelect, case, func, select, update
from sqlalchemy.orm import Session

from engagement.storage.access_models import AccountsVersion
from engagement.storage.db import Database

#: The version as a column of another statement (0 if the row is missing).
ACCOUNTS_VERSION: ScalarSelect[int] = select(
    func.coalesce(func.max(AccountsVersion.version), 0)
).scalar_subquery()


def read_accounts_version(db: Database) -> int:
    """The accounts version, in one statement (for callers without a sign-in check)."""
    with db.one_statement() as session:
        return int(session.scalar(select(ACCOUNTS_VERSION)) or 0)


def raise_accounts_version(session: Session, past: int = 0) -> None:
    """Raise the version, in the caller's write transaction; with ``past``, to more than
    ``past`` too (a restored database must not take a number it had before)."""
    current = AccountsVersion.version
    raised = cast(
        "CursorResult[Any]",
        session.execute(
            update(AccountsVersion)
            .values(version=case((current > past, current), else_=past) + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    if not raised.rowcount:  # a database restored from a backup made without the row
        session.add(AccountsVersion(id=1, version=past + 1))
        session.flush()
