"""PostgreSQL backups: pg_dump of a Tejido database restores with pg_restore, identical."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engagement.model import Principal
from engagement.services.exchange import backup, demo
from engagement.storage.db import Database

OPERATOR = Principal("local")  # the command line's full access

pytestmark = pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="pg_dump not installed"
)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_pg_dump_and_pg_restore_give_back_identical_data(pg_base_url: str, tmp_path: Path) -> None:
    source = Database.from_url(pg_base_url)
    with source.engine.begin() as conn:  # start from empty tables
        tables = ", ".join(f'"{t}"' for t in ("program", "user_account", "import_batch"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    demo.load_demos(source, Principal("cli"))
    expected = backup.database_backup(source, OPERATOR)
    dump = tmp_path / "tejido.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), _libpq(pg_base_url)], check=True)

    name = f"tejido_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target_url = make_url(pg_base_url).set(database=name).render_as_string(hide_password=False)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", _libpq(target_url), str(dump)], check=True
        )
        restored = Database.from_url(target_url)
        got = backup.database_backup(restored, OPERATOR)
        restored.dispose()
        for document in (expected, got):
            document.pop("exported_at", None)
            document.pop("created_at", None)
        assert got == expected
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        source.dispose()
