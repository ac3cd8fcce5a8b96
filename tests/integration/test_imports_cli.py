"""The data commands: import (preview, dry run, rejected rows), export, undo, backup, restore."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from engagement.cli import main
from engagement.model import Principal
from engagement.services.registry import programs
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.support.kumu import csv_bytes, kumu_workbook


def run(db_url: str, *args: str, lang: str = "en") -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--database-url", db_url, "--lang", lang, *args], out=out)
    return code, out.getvalue()


def test_import_dry_run_then_apply_then_undo(db_url: str, db: Database, tmp_path: Path) -> None:
    pid = programs.create_program(db, Principal("ana"), "Xela").id
    path = tmp_path / "mapa.xlsx"
    path.write_bytes(kumu_workbook())
    code, out = run(db_url, "import", str(path), "--program", "xela", "--dry-run")
    assert code == 0, out
    assert "Import preview into “Xela”" in out
    assert "Dry run" in out and stored_registry.actors_frame(db, pid).empty
    assert "Will be added to the sector list: Radio local" in out
    actors_line = next(line for line in out.splitlines() if line.startswith("Actors"))
    assert actors_line.split() == ["Actors", "5", "0", "0", "0"]
    code, out = run(db_url, "import", str(path), "--program", "Xela")
    assert code == 0 and "Import applied (no. 1)" in out
    assert len(stored_registry.actors_frame(db, pid)) == 5
    code, out = run(db_url, "imports", "--program", "Xela")
    assert code == 0 and "mapa.xlsx" in out and "+10" in out
    code, out = run(db_url, "undo-import", "1")
    assert code == 0 and stored_registry.actors_frame(db, pid).empty
    code, out = run(db_url, "undo-import", "1")
    assert code == 1 and "already undone" in out


def test_rejected_rows_exit_1_with_row_level_messages(
    db_url: str, db: Database, tmp_path: Path
) -> None:
    pid = programs.create_program(db, Principal("ana"), "Tepic").id
    path = tmp_path / "vinculos.csv"
    rows = [["Origen", "Destino", "Tipo", "Fuerza"], ["Alcaldía", "Nadie", "Financia", "9"]]
    path.write_bytes(csv_bytes(rows, delimiter=";", encoding="cp1252"))
    code, out = run(db_url, "import", str(path), "--program", "Tepic", lang="es")
    assert code == 1
    assert "Hoja «vinculos.csv», fila 2, columna «Fuerza»" in out
    assert "el actor «Nadie» no existe en este programa" in out
    assert "no se escribió nada" in out
    assert stored_registry.actors_frame(db, pid).empty


def test_unreadable_file_exits_1(db_url: str, db: Database, tmp_path: Path) -> None:
    programs.create_program(db, Principal("ana"), "Tepic")
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"%PDF-1.4")
    code, out = run(db_url, "import", str(path), "--program", "Tepic")
    assert code == 1 and "is not a spreadsheet Tejido can read" in out


def test_export_every_format(db_url: str, db: Database, tmp_path: Path) -> None:
    pid = programs.create_program(db, Principal("ana"), "Xela").id
    source = tmp_path / "mapa.xlsx"
    source.write_bytes(kumu_workbook())
    assert run(db_url, "import", str(source), "--program", "Xela")[0] == 0
    for fmt, name in [
        ("xlsx", "x.xlsx"), ("kumu", "k.xlsx"), ("gexf", "g.gexf"),
        ("graphml", "g.graphml"), ("json", "p.json"), ("csv", "c.zip"),
    ]:  # fmt: skip
        code, out = run(
            db_url, "export", "--program", "Xela", "--format", fmt, "--output", str(tmp_path / name)
        )
        assert code == 0 and "exported to" in out
        assert (tmp_path / name).stat().st_size > 200
    assert sorted(zipfile.ZipFile(tmp_path / "c.zip").namelist()) == [
        "README.txt", "actors.csv", "assessments.csv", "relationships.csv",
    ]  # fmt: skip
    code, _out = run(
        db_url, "export", "--program", "Xela", "--format", "csv", "--output", str(tmp_path / "csvs")
    )
    assert code == 0 and (tmp_path / "csvs" / "actors.csv").exists()
    document = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert document["format"] == "tejido-program-backup"
    code, out = run(db_url, "restore", str(tmp_path / "p.json"), "--as", "Xela 2")
    assert code == 0 and "Program restored: Xela 2" in out
    assert len(stored_registry.actors_frame(db, programs.find_program(db, "Xela 2").id)) == 5
    assert pid != programs.find_program(db, "Xela 2").id


def test_backup_and_restore_whole_database(db_url: str, db: Database, tmp_path: Path) -> None:
    programs.create_program(db, Principal("ana"), "Xela")
    code, out = run(db_url, "backup", str(tmp_path / "todo.json"))
    assert code == 0 and "Backup written" in out
    programs.create_program(db, Principal("ana"), "Después")
    code, out = run(db_url, "restore", str(tmp_path / "todo.json"))
    assert code == 1 and "--replace" in out
    code, out = run(db_url, "restore", str(tmp_path / "todo.json"), "--replace")
    assert code == 0 and "Database restored" in out
    assert [p.name for p in programs.list_programs(db)] == ["Xela"]
    bogus = tmp_path / "otra.json"
    bogus.write_text('{"a": 1}')
    code, out = run(db_url, "restore", str(bogus))
    assert code == 1 and "not a Tejido backup" in out


def test_sqlite_backup_file(sqlite_db: Database, tmp_path: Path) -> None:
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    programs.create_program(sqlite_db, Principal("ana"), "Xela")
    code, out = run(url, "backup", str(tmp_path / "copia.db"))
    assert code == 0 and (tmp_path / "copia.db").read_bytes()[:15] == b"SQLite format 3"
    programs.create_program(sqlite_db, Principal("ana"), "Después")
    code, out = run(url, "restore", str(tmp_path / "copia.db"), "--replace")
    assert code == 0, out
    assert [p.name for p in programs.list_programs(sqlite_db)] == ["Xela"]
