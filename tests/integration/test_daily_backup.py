"""Daily SQLite backups while the app runs: one per day, rotated, identical data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from engagement.model import Principal
from engagement.services.exchange.daily_backup import backups, daily_backup
from engagement.services.registry import actors, programs
from engagement.storage.db import Database


def test_one_backup_per_day_rotated_and_identical(sqlite_db: Database, tmp_path: Path) -> None:
    program = programs.create_program(sqlite_db, Principal("ana"), "Respaldo diario")
    actors.add_actor(sqlite_db, Principal("ana"), program.id, {"name": "Comité de vecinos"})
    folder = tmp_path / "backups"
    day = dt.date(2026, 11, 1)
    for n in range(5):
        assert daily_backup(sqlite_db, folder, keep=3, today=day + dt.timedelta(days=n))
    assert daily_backup(sqlite_db, folder, keep=3, today=day + dt.timedelta(days=4)) is None
    kept = backups(folder)
    assert [p.name for p in kept] == [
        "tejido-2026-11-05.db",
        "tejido-2026-11-04.db",
        "tejido-2026-11-03.db",
    ]
    copy = sqlite3.connect(kept[0])
    assert copy.execute("SELECT name FROM actor").fetchall() == [("Comité de vecinos",)]
    copy.close()


def test_backups_off_or_not_sqlite(sqlite_db: Database, tmp_path: Path) -> None:
    assert daily_backup(sqlite_db, tmp_path / "backups", keep=0) is None
    assert not (tmp_path / "backups").exists()
