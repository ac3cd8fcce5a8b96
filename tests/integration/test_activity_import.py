"""Activity workbook import: preview, row-level errors, all or nothing, missing attendees,
either language, re-import changes nothing, undo takes it back."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pandas as pd
import pytest

from engagement.errors import ValidationFailed
from engagement.i18n import describe_problem
from engagement.io.activity_sheets import looks_like_activity_file, read_activity_upload
from engagement.model import Principal, ProgramInfo
from engagement.services.exchange import imports
from engagement.services.exchange.activity_import import preview_activity_import
from engagement.services.exchange.activity_import_write import apply_activity_import
from engagement.services.registry import actors, programs
from engagement.services.view import program_view
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import registry as stored_registry

OPERATOR = Principal("local")  # the command line's full access

ANA = Principal("ana")
LIMIT = 10 * 2**20
ACTIVITIES = ["Activity", "Date", "Stage", "Type", "Participation level", "Headcount"]
ATTENDANCE = ["Activity", "Date", "Actor", "Role", "Sentiment"]


def workbook(
    acts: list[list[Any]],
    present: list[list[Any]],
    names: tuple[str, str] = ("Activities", "Attendance"),
) -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = names[0]
    first.append(ACTIVITIES)
    for row in acts:
        first.append(row)
    second = book.create_sheet(names[1])
    second.append(ATTENDANCE)
    for row in present:
        second.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    found = programs.create_program(db, ANA, "Tejido Tepic")
    for name in ("Colectivo Verde", "Vecinos Unidos"):
        actors.add_actor(db, ANA, found.id, {"name": name})
    return found


DAY = dt.date(2024, 5, 10)
GOOD_ACTS = [
    ["Taller del parque", DAY, "Co-design", "Workshop", "Involve", 45],
    ["Foro anual", "12/06/2024", "Diseño", "foro ciudadano", "Consultar", "120"],
]
GOOD_PRESENT = [
    ["Taller del parque", DAY, "Colectivo Verde", "Convener", "Positivo"],
    ["Taller del parque", DAY, "vecinos unidos", "participante", ""],
    ["Foro anual", "2024-06-12", "Colectivo Verde", "observer", "negative"],
    ["Foro anual", "2024-06-12", "Cámara de Comercio", "", "neutral"],
]


def read(data: bytes, name: str = "actividades.xlsx") -> Any:
    return read_activity_upload(name, data, LIMIT)


def test_preview_matches_either_language_and_lists_missing_attendees(
    db: Database, program: ProgramInfo
) -> None:
    data = workbook(GOOD_ACTS, GOOD_PRESENT)
    assert looks_like_activity_file("a.xlsx", data)
    preview = preview_activity_import(db, ANA, program.id, [read(data)])
    assert preview.problems == []
    assert preview.missing_actors == ["Cámara de Comercio"]
    assert preview.counts() == [
        {"entity": "activity", "new": 2, "updated": 0, "unchanged": 0, "rejected": 0},
        {"entity": "attendance", "new": 4, "updated": 0, "unchanged": 0, "rejected": 0},
    ]
    assert not preview.can_apply() and preview.can_apply(create_missing=True)
    assert stored_activities.activities_frame(db, program.id).empty


def test_without_create_missing_nothing_is_written(db: Database, program: ProgramInfo) -> None:
    with pytest.raises(ValidationFailed) as caught:
        apply_activity_import(db, ANA, program.id, [read(workbook(GOOD_ACTS, GOOD_PRESENT))])
    assert [p.params["value"] for p in caught.value.problems] == ["Cámara de Comercio"]
    assert stored_activities.activities_frame(db, program.id).empty


def test_apply_reimport_and_undo(db: Database, program: ProgramInfo) -> None:
    files = [read(workbook(GOOD_ACTS, GOOD_PRESENT))]
    outcome = apply_activity_import(db, ANA, program.id, files, create_missing=True)
    assert outcome.created_actors == ["Cámara de Comercio"]
    frame = stored_activities.activities_frame(db, program.id).set_index("title")
    assert frame.loc["Taller del parque", "activity_type_key"] == "workshop"
    assert frame.loc["Taller del parque", "participation_reached"] == 3
    assert frame.loc["Foro anual", "headcount"] == 120 and frame.loc["Foro anual", "forum"]
    present = stored_activities.attendance_frame(db, program.id)
    roles = dict(
        zip(present["actor"], zip(present["role"], present["sentiment"], strict=True), strict=False)
    )
    assert roles["Vecinos Unidos"][0] == "participant" and pd.isna(roles["Vecinos Unidos"][1])
    assert roles["Cámara de Comercio"] == ("participant", "neutral")
    again = preview_activity_import(db, ANA, program.id, files)
    assert again.counts()[0]["unchanged"] == 2 and again.counts()[1]["unchanged"] == 4
    assert again.missing_actors == []
    imports.undo_import(db, ANA, outcome.batch_id)
    assert stored_activities.activities_frame(db, program.id).empty
    assert stored_activities.attendance_frame(db, program.id).empty
    assert "Cámara de Comercio" not in set(stored_registry.actors_frame(db, program.id)["name"])


def test_update_by_reimport_and_undo_it(db: Database, program: ProgramInfo) -> None:
    first = apply_activity_import(
        db, ANA, program.id, [read(workbook(GOOD_ACTS, GOOD_PRESENT))], create_missing=True
    )
    changed = [["Taller del parque", DAY, "Co-design", "Workshop", "Collaborate", 50]]
    second = apply_activity_import(db, ANA, program.id, [read(workbook(changed, []))])
    assert second.counts["updated"]["activity"] == 1
    assert second.counts["unchanged"]["activity"] == 0

    def headcount() -> int:
        frame = stored_activities.activities_frame(db, program.id).set_index("title")
        return int(frame.loc["Taller del parque", "headcount"])

    assert headcount() == 50
    imports.undo_import(db, ANA, second.batch_id)
    assert headcount() == 45
    # The later import was undone, so it no longer blocks undoing the first one.
    imports.undo_import(db, ANA, first.batch_id)
    assert all(
        record.undone for record in imports.list_imports(program_view(db, OPERATOR, program.id))
    )


def test_row_level_errors_name_sheet_row_and_column(db: Database, program: ProgramInfo) -> None:
    acts = [
        ["Taller", "31/02/2024", "Co-design", "Workshop", "Involve", 10],
        ["Taller 2", DAY, "Etapa X", "Picnic", "Mucho", "diez"],
        ["Taller 3", DAY, "Design", "Workshop", "", ""],
        ["taller 3", DAY, "Design", "Meeting", "", 3],
    ]
    present = [
        ["Taller 3", DAY, "Colectivo Verde", "jefe", "feliz"],
        ["Otro", DAY, "Colectivo Verde", "", ""],
        ["Taller 3", DAY, "Colectivo Verde", "", ""],
        ["Taller 3", DAY, "colectivo verde", "", ""],
    ]
    preview = preview_activity_import(db, ANA, program.id, [read(workbook(acts, present))])
    where = {(p.sheet, p.row, p.field, p.code) for p in preview.problems}
    assert {
        ("Activities", 2, "Date", "bad_date"),
        ("Activities", 3, "Stage", "not_in_list"),
        ("Activities", 3, "Type", "not_in_list"),
        ("Activities", 3, "Participation level", "not_in_list"),
        ("Activities", 3, "Headcount", "bad_number"),
        ("Activities", 5, "Activity", "duplicate_in_file"),
        ("Attendance", 2, "Role", "not_in_list"),
        ("Attendance", 2, "Sentiment", "not_in_list"),
        ("Attendance", 3, "Activity", "unknown_activity"),
        ("Attendance", 5, "Actor", "duplicate_in_file"),
    } <= where
    assert preview.counts()[0]["rejected"] == 3 and preview.counts()[0]["new"] == 1
    message = describe_problem(next(p for p in preview.problems if p.code == "bad_date"), "es")
    assert "Hoja «Activities», fila 2" in message and "31/02/2024" in message
    with pytest.raises(ValidationFailed):
        apply_activity_import(
            db, ANA, program.id, [read(workbook(acts, present))], create_missing=True
        )
    assert stored_activities.activities_frame(db, program.id).empty


def test_spanish_sheet_names_and_csv_files(db: Database, program: ProgramInfo) -> None:
    data = workbook(GOOD_ACTS[:1], GOOD_PRESENT[:2], names=("Actividades", "Asistencia"))
    assert {s.kind for s in read(data).sheets} == {"activities", "attendance"}
    acts_csv = (
        "Actividad;Fecha;Etapa;Tipo;Nivel de participación;Asistentes\n"
        "Taller;10/05/2024;Diseño;Taller;Informar;12\n"
    )
    present_csv = (
        "Actividad;Fecha;Actor;Rol;Sentimiento\n"
        "Taller;10/05/2024;Colectivo Verde;Convocante;Positivo\n"
    )
    files = [
        read(acts_csv.encode("cp1252"), "actividades.csv"),
        read(present_csv.encode("utf-8"), "asistencia.csv"),
    ]
    outcome = apply_activity_import(db, ANA, program.id, files)
    assert outcome.counts["new"] == {"activity": 1, "attendance": 1}
    present = stored_activities.attendance_frame(db, program.id)
    assert list(present["role"]) == ["convener"] and list(present["sentiment"]) == ["positive"]


def test_missing_required_column(db: Database, program: ProgramInfo) -> None:
    data = b"Activity,Date,Headcount\nTaller,2024-05-10,5\n"
    preview = preview_activity_import(db, ANA, program.id, [read(data, "a.csv")])
    assert {(p.field, p.code) for p in preview.problems} == {
        ("stage", "missing_column"),
        ("activity_type", "missing_column"),
    }


def run(db_url: str, *args: str) -> tuple[int, str]:
    from engagement.cli import main

    out = io.StringIO()
    code = main(["--database-url", db_url, "--lang", "en", *args], out=out)
    return code, out.getvalue()


def test_cli_import_of_an_activity_workbook(
    db_url: str, db: Database, program: ProgramInfo, tmp_path: Any
) -> None:

    path = tmp_path / "actividades.xlsx"
    path.write_bytes(workbook(GOOD_ACTS, GOOD_PRESENT))
    code, out = run(db_url, "import", str(path), "--program", program.name)
    assert code == 1
    assert "Attendees not in the registry: Cámara de Comercio" in out
    assert "--create-missing" in out
    assert stored_activities.activities_frame(db, program.id).empty
    code, out = run(
        db_url, "import", str(path), "--program", program.name, "--create-missing", "--dry-run"
    )
    assert code == 0 and "nothing was written" in out.lower()
    code, out = run(db_url, "import", str(path), "--program", program.name, "--create-missing")
    assert code == 0 and "undo-import" in out
    written = out.split("Written:")[1]  # what was written, after the preview
    assert next(ln for ln in written.splitlines() if ln.startswith("Activit")).split()[1] == "2"
    assert "changed between the preview and the write" not in written
    assert len(stored_activities.activities_frame(db, program.id)) == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([["Taller", "ayer", "Design", "Workshop", "", 1]], []))
    code, out = run(db_url, "import", str(bad), "--program", program.name)
    assert code == 1 and "row 2" in out and "ayer" in out
