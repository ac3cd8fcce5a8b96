"""Opening the database for the app: the one place the interface gets its engine from.

The interface (``engagement/ui``, ``pages``) never imports storage; it holds the
:class:`Database` it gets here and hands it to the services.
"""

from __future__ import annotations

from engagement.storage import migrate
from engagement.storage.db import Database, is_sqlite

__all__ = ["Database", "holds_sqlite", "open_database"]


def open_database(url: str) -> Database:
    """The database at ``url``, migrated to the latest schema."""
    database = Database.from_url(url)
    migrate.upgrade(database.engine)
    return database


def holds_sqlite(db: Database) -> bool:
    """Whether the database is a SQLite file (file copies are only for SQLite)."""
    return is_sqlite(db.engine)
