"""A file copy of the database is a SQLite matter: other databases get a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from engagement import errors
from engagement.i18n import describe_error
from engagement.model import Principal
from engagement.services.exchange import sqlite_file
from engagement.storage.db import Database, is_sqlite

OPERATOR = Principal("local")  # the command line's full access


def test_file_copy_needs_sqlite(db: Database, tmp_path: Path) -> None:
    if is_sqlite(db.engine):
        sqlite_file.backup_sqlite_file(db, tmp_path / "copia.db")
        assert (tmp_path / "copia.db").read_bytes().startswith(sqlite_file.SQLITE_MAGIC)
        return
    with pytest.raises(errors.SqliteOnly) as caught:
        sqlite_file.backup_sqlite_file(db, tmp_path / "copia.db")
    assert ".json" in describe_error(caught.value, "en")
    with pytest.raises(errors.SqliteOnly):
        sqlite_file.restore_sqlite_file(db, OPERATOR, tmp_path / "copia.db")
