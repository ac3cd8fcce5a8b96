"""Automatic daily backups of the SQLite database, with rotation.

The app calls :func:`daily_backup` when it opens the database and then at most once per
day: it copies the live database with SQLite's online backup API (safe while people work)
into ``<data dir>/backups/tejido-YYYY-MM-DD.db`` and keeps the newest ``keep`` copies.
PostgreSQL deployments use ``pg_dump`` instead (see the README).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engagement.services.exchange.sqlite_file import backup_sqlite_file
from engagement.storage.db import Database, is_sqlite

PREFIX = "tejido-"


def daily_backup(
    db: Database, folder: Path, keep: int, today: dt.date | None = None
) -> Path | None:
    """Back up today's database once; return the new file, or ``None`` if nothing was done."""
    if keep <= 0 or not is_sqlite(db.engine):
        return None
    today = today or dt.date.today()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{today.isoformat()}.db"
    if target.exists():
        return None
    partial = target.with_suffix(".partial")
    backup_sqlite_file(db, partial)
    partial.replace(target)  # a crash mid-copy never leaves a truncated "backup"
    for old in sorted(folder.glob(f"{PREFIX}????-??-??.db"))[:-keep]:
        old.unlink()
    return target


def backups(folder: Path) -> list[Path]:
    """The automatic backups present, newest first."""
    return sorted(folder.glob(f"{PREFIX}????-??-??.db"), reverse=True)
