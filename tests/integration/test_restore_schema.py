"""Restoring a SQLite file (issue 15): anything but Tejido's own schema is refused."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from engagement.cli import main
from engagement.errors import UnexpectedSchema
from engagement.i18n import describe_error
from engagement.model import Principal
from engagement.services.exchange import backup, sqlite_file
from engagement.services.registry import programs
from engagement.storage import migrate
from engagement.storage.db import Database

ANA = Principal("ana")
OPERATOR = Principal("local")  # the command line's full access
PLANTS = {
    "trigger": (
        "CREATE TRIGGER promote AFTER UPDATE ON user_account BEGIN "
        "UPDATE user_account SET is_admin = 1; END"
    ),
    "view": "CREATE VIEW everyone AS SELECT * FROM program",
    "table": "CREATE TABLE notes (body TEXT)",
    "index": "CREATE INDEX sneaky ON program (name)",
}


@pytest.fixture
def copy(sqlite_db: Database, tmp_path: Path) -> Path:
    programs.create_program(sqlite_db, ANA, "Xela")
    path = tmp_path / "copia.db"
    sqlite_file.backup_sqlite_file(sqlite_db, path)
    return path


def _empty(path: Path) -> Database:
    target = Database.from_url(f"sqlite:///{path}")
    migrate.upgrade(target.engine)
    return target


def _plant(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", list(PLANTS))
def test_a_planted_object_refuses_the_file(
    sqlite_db: Database, copy: Path, tmp_path: Path, kind: str
) -> None:
    target = _empty(tmp_path / "nueva.db")
    _plant(copy, PLANTS[kind])
    with pytest.raises(UnexpectedSchema) as caught:
        sqlite_file.restore_sqlite_file(target, OPERATOR, copy)
    message = describe_error(caught.value, "en")
    assert kind in message and "copia.db" in message and "Nothing was restored" in message
    assert backup.program_count(target) == 0
    target.dispose()


def test_a_plain_copy_restores(sqlite_db: Database, copy: Path, tmp_path: Path) -> None:
    target = _empty(tmp_path / "nueva.db")
    sqlite_file.restore_sqlite_file(target, OPERATOR, copy)
    assert [p.name for p in programs.list_programs(target)] == ["Xela"]
    target.dispose()


def test_the_cli_refuses_a_planted_trigger_and_a_damaged_file(copy: Path, tmp_path: Path) -> None:
    _plant(copy, PLANTS["trigger"])
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    out = io.StringIO()
    assert main(["--database-url", url, "--lang", "es", "restore", str(copy)], out=out) == 1
    assert "trigger «promote»" in out.getvalue() and "Traceback" not in out.getvalue()
    damaged = tmp_path / "rota.db"
    damaged.write_bytes(sqlite_file.SQLITE_MAGIC + bytes(range(256)) * 8)
    out = io.StringIO()
    assert main(["--database-url", url, "--lang", "en", "restore", str(damaged)], out=out) == 1
    assert "is not a Tejido backup" in out.getvalue()


def test_the_cli_names_a_backup_it_cannot_open(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    out = io.StringIO()
    missing = tmp_path / "no-existe.json"
    assert main(["--database-url", url, "--lang", "es", "restore", str(missing)], out=out) == 1
    assert f"No se pudo abrir «{missing}»" in out.getvalue()
