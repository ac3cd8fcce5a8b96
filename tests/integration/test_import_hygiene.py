"""Import hygiene (issue 15): duplicate IDs refused naming the rows; the CLI prints what
was written, also when another import of the same file got there first."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from engagement.cli import main
from engagement.i18n import describe_problem
from engagement.model import Principal
from engagement.services.exchange import imports
from engagement.services.registry import programs
from engagement.services.view import program_view
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.support.kumu import CONNECTIONS_HEADER, ELEMENTS, kumu_workbook, workbook

ANA = Principal("ana")
LIMIT = 10 * 1024 * 1024


@pytest.fixture
def pid(db: Database) -> int:
    return programs.create_program(db, ANA, "Gobierno Abierto Xela").id


def test_two_ties_with_the_same_id_are_refused_naming_both_rows(db: Database, pid: int) -> None:
    names = [row[0] for row in ELEMENTS]
    data = workbook(
        {
            "Elements": [["Label", "ID"], *[[n, f"e{i}"] for i, n in enumerate(names)]],
            "Connections": [
                [*CONNECTIONS_HEADER, "ID"],
                [names[0], names[1], "Colaboración", "", 2, "", "", "7"],
                [names[2], names[3], "Colaboración", "", 2, "", "", "7"],
            ],
        }
    )
    files = [imports.read_upload("mapa.xlsx", data, LIMIT)]
    preview = imports.preview_import(db, ANA, pid, files)
    assert not preview.can_apply
    [problem] = preview.problems
    assert (problem.sheet, problem.row, problem.code) == ("Connections", 3, "duplicate_in_file")
    message = describe_problem(problem, "en")
    assert "“7”" in message and "row 2" in message and "row 3" in message.lower()
    assert stored_registry.relationships_frame(db, pid).empty


def test_the_cli_prints_what_was_written_not_a_stale_preview(
    db_url: str, db: Database, pid: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mapa.xlsx"
    path.write_bytes(kumu_workbook())
    real_preview = imports.preview_import

    def preview_then_someone_else_imports(*args: object, **kwargs: object) -> object:
        preview = real_preview(*args, **kwargs)  # type: ignore[arg-type]
        files = [imports.read_upload("mapa.xlsx", kumu_workbook(), LIMIT)]
        imports.apply_import(db, Principal("beto"), pid, files)  # the concurrent import
        return preview

    monkeypatch.setattr(imports, "preview_import", preview_then_someone_else_imports)
    out = io.StringIO()
    code = main(
        [
            "--database-url",
            db_url,
            "--lang",
            "en",
            "import",
            str(path),
            "--program",
            "Gobierno Abierto Xela",
        ],
        out=out,
    )
    text = out.getvalue()
    assert code == 0, text
    preview_part, written_part = text.split("Written:")
    assert next(ln for ln in preview_part.splitlines() if ln.startswith("Actors")).split() == [
        "Actors",
        "5",
        "0",
        "0",
        "0",
    ]
    assert next(ln for ln in written_part.splitlines() if ln.startswith("Actors")).split() == [
        "Actors",
        "0",
        "0",
        "5",
        "0",
    ]
    assert "The program changed between the preview and the write" in written_part
    [mine, _theirs] = imports.list_imports(program_view(db, ANA, pid))
    assert sum(mine.counts["new"].values()) == 0


def test_an_import_keeps_its_layout_and_formats_as_fields(db: Database, pid: int) -> None:
    files = [
        imports.read_upload("mapa.xlsx", kumu_workbook(), LIMIT),
        imports.read_upload("mas.csv", b"Label;Type\nOtra;Academia\n", LIMIT),
    ]
    imports.apply_import(db, ANA, pid, files)
    [record] = imports.list_imports(program_view(db, ANA, pid))
    assert record.layout == "kumu" and record.formats == ("csv", "xlsx")


def test_the_migration_splits_old_format_strings_once(tmp_path: Path) -> None:
    from sqlalchemy import text

    from engagement.storage import migrate

    db = Database.from_url(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(db.engine)
    pid = programs.create_program(db, ANA, "X").id
    migrate.downgrade(db.engine, "0004")  # the import_batch table as at 0004
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO import_batch"
                " (program_id, at, username, filename, file_format, summary)"
                " VALUES (:pid, '2026-01-01', 'ana', 'a.csv', 'kumu-csv+xlsx', '{}')"
            ),
            {"pid": pid},
        )
    migrate.upgrade(db.engine)
    [record] = imports.list_imports(program_view(db, ANA, pid))
    assert (record.layout, record.formats) == ("kumu", ("csv", "xlsx"))
    migrate.downgrade(db.engine, "0004")
    with db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT file_format FROM import_batch")).scalar() == "kumu-csv+xlsx"
        )
    db.dispose()
