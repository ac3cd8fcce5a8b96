"""A process killed in the middle of an import leaves the database exactly as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from engagement.model import Principal
from engagement.services.registry import actors, programs
from engagement.storage.db import Database

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(db: Database) -> dict[str, object]:
    with db.engine.connect() as conn:
        tables = ["program", "actor", "relationship", "audit_entry", "import_batch", "sector"]
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
        names = conn.execute(text("SELECT name FROM actor ORDER BY id")).scalars().all()
        version = conn.execute(text("SELECT data_version FROM program")).scalar()
        integrity = conn.execute(text("PRAGMA integrity_check")).scalar()
    return {"counts": counts, "names": names, "version": version, "integrity": integrity}


def test_killed_import_changes_nothing(sqlite_db: Database, tmp_path: Path) -> None:
    program = programs.create_program(sqlite_db, Principal("cli"), "Antigua")
    actors.add_actor(sqlite_db, Principal("cli"), program.id, {"name": "Municipalidad"})
    big = tmp_path / "actores.csv"
    rows = [f"Actor {i};Sector {i % 40};Descripción {i}" for i in range(60_000)]
    big.write_text("Label;Type;Description\n" + "\n".join(rows), encoding="utf-8")
    before = _snapshot(sqlite_db)
    wal = Path(str(sqlite_db.engine.url.database) + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0

    env = {
        **os.environ,
        "TEJIDO_DATABASE_URL": str(sqlite_db.engine.url),
        "TEJIDO_UPLOAD_LIMIT_MB": "100",
    }
    command = [sys.executable, "-m", "engagement", "import", str(big), "--program", "Antigua"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    # Kill it once it is writing: the write-ahead log grows past where it was.
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > wal_before + 1_000_000:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    sqlite_db.engine.dispose()
    assert _snapshot(sqlite_db) == before
