"""Opening the database for the app: the one place the interface gets its engine from.

The interface (``engagement/ui``, ``pages``) never imports storage; it holds the
:class:`Database` it gets here and hands it to the services.
"""

from __future__ import annotations

from typing import Any

from engagement.storage import migrate
from engagement.storage.db import Database, is_sqlite

__all__ = ["Database", "holds_sqlite", "open_database"]


def open_database(url: str, **engine_options: Any) -> Database:
    """The database at ``url``, migrated to the latest schema.

    If the migration fails (the server is unreachable), the engine is disposed and the
    error raised, so that nothing half-open is kept and the next call tries again.
    """
    database = Database.from_url(url, **engine_options)
    try:
        migrate.upgrade(database.engine)
    except BaseException:
        database.dispose()
        raise
    return database


def holds_sqlite(db: Database) -> bool:
    """Whether the database is a SQLite file (file copies are only for SQLite)."""
    return is_sqlite(db.engine)
