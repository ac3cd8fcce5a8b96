"""The whole SQLite database as a file: copied with SQLite's online backup API (safe
while the app runs; the daily backup and the administrators' copy), and a copy put back
in place of the live database after its schema is checked (:mod:`backup_schema`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from engagement.errors import BackupTooNew, DatabaseNotEmpty, NotABackup, SqliteOnly
from engagement.model import Principal
from engagement.services import readcache
from engagement.services.access.permissions import require_admin
from engagement.services.exchange.backup import program_count
from engagement.services.exchange.backup_schema import check_schema, known_revisions
from engagement.services.exchange.restored_versions import data_versions, move_past
from engagement.storage import migrate
from engagement.storage.db import Database, is_sqlite

SQLITE_MAGIC = b"SQLite format 3\x00"


def copy_database(db: Database, by: Principal, path: Path) -> None:
    """The whole SQLite database copied to ``path``: every program and every account (with
    its password hash), so for administrators only.

    Raises
    ------
    PermissionDenied
        Unless ``by`` is an administrator (or the local operator).
    SqliteOnly
        If the database is not SQLite.
    """
    require_admin(by)
    backup_sqlite_file(db, path)


def backup_sqlite_file(db: Database, path: Path) -> None:
    """Copy the live SQLite database to ``path`` with the online backup API (the daily
    backup; people go through :func:`copy_database`)."""
    if not is_sqlite(db.engine):
        raise SqliteOnly(path=str(path))
    raw = db.engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()


def _checked_revision(db: Database, source: sqlite3.Connection, path: Path) -> str:
    names = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"program", "alembic_version"} <= names:
        raise NotABackup(name=str(path))
    revision = source.execute("SELECT version_num FROM alembic_version").fetchone()
    if not revision:
        raise NotABackup(name=str(path))
    if revision[0] not in known_revisions(db.engine):
        raise BackupTooNew(revision=revision[0])
    return str(revision[0])


def restore_sqlite_file(db: Database, by: Principal, path: Path, *, replace: bool = False) -> None:
    """Replace the live SQLite database with the copy at ``path`` (then migrate it);
    for administrators only."""
    require_admin(by)
    if not is_sqlite(db.engine):
        raise SqliteOnly(path=str(path))
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            revision = _checked_revision(db, source, path)
        except sqlite3.DatabaseError as exc:  # damaged, or not a database at all
            raise NotABackup(name=str(path)) from exc
        check_schema(source, revision, path.name)
        count = program_count(db)
        if count and not replace:
            raise DatabaseNotEmpty(count=count)
        with db.reading() as session:
            before = data_versions(session)
        db.engine.dispose()
        raw = db.engine.raw_connection()
        try:
            source.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
    finally:
        source.close()
    db.engine.dispose()
    migrate.upgrade(db.engine)
    with db.writing() as session:
        move_past(session, before)
    readcache.clear_cache()
