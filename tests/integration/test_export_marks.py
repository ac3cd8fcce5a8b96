"""Every export hides citizens in presentation mode and says which program, when and who.

Presentation mode: individual citizens' names become the stand-ins every page shows
("Persona 2"), no contact data is written, organisations keep their names. Marks: an
"Acerca de"/"About" sheet (skipped by imports), a LEEME/README beside CSVs, GEXF
``<meta>``, GraphML graph data, a footer on the HTML map, JSON header fields.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from engagement.cli import main
from engagement.errors import PermissionDenied
from engagement.maps.view import MapStyle
from engagement.model import AssessmentInput, Principal
from engagement.services.access import users
from engagement.services.coalition import maps
from engagement.services.exchange import backup, exports, imports
from engagement.services.exchange.imports import read_upload
from engagement.services.registry import actors, assessments, programs
from engagement.services.registry import relationships as ties
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry

ANA = Principal("ana")
LIMIT = 50 * 1024 * 1024
GRAPH_FORMATS = ("xlsx", "csv", "kumu", "gexf", "graphml")
SECRETS = ("Doña Rosa", "5555-1234", "rosa@example.org", "alcaldia@muni.gt", "Don Ausente")


@dataclass(frozen=True)
class World:
    program_id: int
    name: str
    rosa: int
    muni: int


@pytest.fixture
def world(db: Database) -> World:
    """A deleted citizen (stand-in "Persona 1"), a citizen with contact data ("Persona 2")
    tied to a municipality with contact data, and a restricted informant."""
    program = programs.create_program(db, ANA, "Impulso Local — Antigua")
    citizen = next(s.id for s in program.sectors if s.key == "citizen")
    municipal = next(s.id for s in program.sectors if s.key == "municipal_government")
    gone = actors.add_actor(db, ANA, program.id, {"name": "Don Ausente", "sector_id": citizen})
    actors.delete_actor(db, ANA, gone.id)
    rosa = actors.add_actor(
        db,
        ANA,
        program.id,
        {
            "name": "Doña Rosa",
            "sector_id": citizen,
            "contact_phone": "5555-1234",
            "contact_email": "rosa@example.org",
        },
    )
    muni = actors.add_actor(
        db,
        ANA,
        program.id,
        {
            "name": "Municipalidad de Antigua",
            "sector_id": municipal,
            "contact_email": "alcaldia@muni.gt",
        },
    )
    actors.add_actor(
        db,
        ANA,
        program.id,
        {"name": "Informante", "sector_id": citizen, "confidentiality": "restricted"},
    )
    kind = next(t.id for t in program.tie_types if t.key == "collaborates")
    ties.add_relationship(
        db, ANA, program.id, {"source_id": rosa.id, "target_id": muni.id, "tie_type_id": kind}
    )
    day = dt.date(2024, 3, 1)
    stage = program.stages[0].id
    assessments.record_assessments(
        db,
        ANA,
        program.id,
        [
            AssessmentInput(rosa.id, stage, day, 2, 5, 3, 4, 2),
            AssessmentInput(muni.id, stage, day, 5, 5, 4, 5, 3),
        ],
    )
    return World(program.id, program.name, rosa.id, muni.id)


def file_text(fmt: str, data: bytes) -> str:
    """All the text a format holds (workbooks and zips opened, XML as written)."""
    if fmt in ("xlsx", "kumu", "csv"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    return data.decode("utf-8")


def sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


def viewer(world: World) -> Principal:
    return Principal("vera", memberships=((world.program_id, "viewer"),))


# --- presentation mode -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_presenting_exports_carry_no_citizen_name_nor_contact_data(
    db: Database, world: World, fmt: str
) -> None:
    plain = file_text(fmt, exports.export_program(db, world.program_id, fmt, by=ANA)[1])
    assert "Doña Rosa" in plain and "Municipalidad de Antigua" in plain

    name, data, _mime = exports.export_program(
        db, world.program_id, fmt, by=ANA, presentation=True, include_personal=True
    )
    text = file_text(fmt, data)
    for secret in SECRETS:
        assert secret not in text, secret
    # Organisations keep their names; citizens carry the stand-ins every page shows.
    assert "Municipalidad de Antigua" in text
    assert "Persona 2" in text and "Persona 3" in text  # Rosa, and the informant (a lead)
    assert "-presentacion" in name


def test_presenting_stand_ins_are_the_same_in_every_table(db: Database, world: World) -> None:
    _n, data, _m = exports.export_program(db, world.program_id, "xlsx", by=ANA, presentation=True)
    book = sheets(data)
    assert sorted(row[0] for row in book["Actores"][1:]) == [
        "Municipalidad de Antigua",
        "Persona 2",
        "Persona 3",
    ]
    assert book["Vínculos"][1][:2] == ["Persona 2", "Municipalidad de Antigua"]
    assert sorted(row[0] for row in book["Evaluaciones"][1:]) == [
        "Municipalidad de Antigua",
        "Persona 2",
    ]
    assert not any("Contacto" in str(h) or "contact" in str(h) for h in book["Actores"][0])


def test_presenting_html_map_hides_citizens(db: Database, world: World) -> None:
    style = MapStyle(lang="es")
    plain = maps.export_html(db, ANA, world.program_id, style=style)
    assert "Doña Rosa" in plain
    page = maps.export_html(db, ANA, world.program_id, style=style, presentation=True)
    for secret in SECRETS:
        assert secret not in page, secret
    assert "Municipalidad de Antigua" in page and "Persona 2" in page


def test_a_viewers_exports_leave_out_restricted_actors_and_contact_data(
    db: Database, world: World
) -> None:
    for fmt in GRAPH_FORMATS:
        _n, data, _m = exports.export_program(
            db, world.program_id, fmt, by=viewer(world), include_personal=True
        )
        text = file_text(fmt, data)
        assert "Informante" not in text and "5555-1234" not in text, fmt
        assert "Doña Rosa" in text  # not presenting: names are shown to a viewer
    with pytest.raises(PermissionDenied):
        exports.export_program(db, world.program_id, "json", by=viewer(world))
    with pytest.raises(PermissionDenied):
        exports.export_program(db, world.program_id, "json", by=ANA, presentation=True)
    outsider = Principal("otro", memberships=())
    with pytest.raises(PermissionDenied):
        exports.export_program(db, world.program_id, "xlsx", by=outsider)


# --- marks: program, date and time, who ---------------------------------------------------


def _today() -> str:
    return dt.date.today().isoformat()


def test_xlsx_has_an_about_sheet_that_imports_skip(db: Database, world: World) -> None:
    name, data, _m = exports.export_program(db, world.program_id, "xlsx", by=ANA)
    about = dict(tuple(row) for row in sheets(data)["Acerca de"])  # type: ignore[misc]
    assert about["Programa"] == world.name and about["Exportado por"] == "ana"
    assert str(about["Fecha y hora"]).startswith(_today())
    assert about["Datos de contacto"] == "incluidos" and "Modo presentación" not in about
    assert name.startswith("impulso_local_antigua-") and dt.date.today().strftime("%Y%m%d") in name
    preview = imports.preview_import(db, ANA, world.program_id, [read_upload(name, data, LIMIT)])
    assert preview.problems == [] and preview.notices == [] and not preview.has_changes
    _n, shown, _m = exports.export_program(
        db, world.program_id, "xlsx", by=ANA, lang="en", presentation=True
    )
    about = dict(tuple(row) for row in sheets(shown)["About"])  # type: ignore[misc]
    assert about["Exported by"] == "ana" and "Person 1" in str(about["Presentation mode"])
    assert about["Contact data"] == "left out"


def test_kumu_workbook_keeps_elements_and_connections_first(db: Database, world: World) -> None:
    name, data, _m = exports.export_program(db, world.program_id, "kumu", by=ANA, lang="en")
    book = sheets(data)
    assert list(book) == ["Elements", "Connections", "About"]
    assert dict(tuple(row) for row in book["About"])["Program"] == world.name  # type: ignore[misc]
    copy = programs.create_program(db, ANA, "Copia").id
    imports.apply_import(db, ANA, copy, [read_upload(name, data, LIMIT)])
    assert len(stored_registry.actors_frame(db, copy)) == 3


def test_csv_zip_holds_a_readme_that_imports_skip(db: Database, world: World) -> None:
    name, data, _m = exports.export_program(db, world.program_id, "csv", by=ANA, presentation=True)
    assert name.endswith("-presentacion-csv.zip") and name.startswith("impulso_local_antigua-")
    archive = zipfile.ZipFile(io.BytesIO(data))
    readme = archive.read("LEEME.txt").decode("utf-8-sig")
    assert world.name in readme and "Exportado por:" in readme and "ana" in readme
    assert _today() in readme and "Modo presentación" in readme
    assert "actores.csv, vinculos.csv, evaluaciones.csv" in readme
    english = exports.export_program(db, world.program_id, "csv", by=ANA, lang="en")[1]
    assert "README.txt" in zipfile.ZipFile(io.BytesIO(english)).namelist()


def test_gexf_meta_names_the_producer_program_and_date(db: Database, world: World) -> None:
    _n, data, _m = exports.export_program(db, world.program_id, "gexf", by=ANA)
    root = ET.fromstring(data)
    ns = {"g": root.tag.split("}")[0].strip("{")}
    meta = root.find("g:meta", ns)
    assert meta is not None and meta.get("lastmodifieddate") == _today()
    assert meta.findtext("g:creator", namespaces=ns) == "ana (Tejido)"
    description = meta.findtext("g:description", namespaces=ns) or ""
    assert world.name in description and _today() in description and "ana" in description
    assert meta.findtext("g:keywords", namespaces=ns) == world.name
    assert nx.read_gexf(io.BytesIO(data)).number_of_nodes() == 3  # Gephi still reads it


def test_graphml_graph_data_carry_the_mark(db: Database, world: World) -> None:
    _n, data, _m = exports.export_program(
        db, world.program_id, "graphml", by=ANA, presentation=True
    )
    about = nx.read_graphml(io.BytesIO(data)).graph
    assert about["program_name"] == world.name and about["exported_by"] == "ana"
    assert about["presentation_mode"] is True
    assert dt.datetime.fromisoformat(about["exported_at"]).date() == dt.date.today()
    assert "Modo presentación" in about["description"]


def test_html_map_has_a_footer_with_the_mark(db: Database, world: World) -> None:
    at = dt.datetime(2025, 5, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    page = maps.export_html(
        db, ANA, world.program_id, style=MapStyle(lang="es"), presentation=True, at=at
    )
    footer = page.split('<footer class="tj-meta tj-footer">', 1)[1].split("</footer>", 1)[0]
    assert "Impulso Local — Antigua" in footer and "por ana" in footer
    assert "2025-05-01 09:30 (UTC-06:00)" in footer and "Modo presentación" in footer


def test_json_backup_header_names_program_and_producer(db: Database, world: World) -> None:
    _n, data, _m = exports.export_program(db, world.program_id, "json", by=ANA)
    document = json.loads(data)
    assert document["program_name"] == world.name and document["exported_by"] == "ana"
    assert document["presentation_mode"] is False and document["produced_with"] == "Tejido"
    assert dt.datetime.fromisoformat(document["exported_at"]).date() == dt.date.today()
    restored = backup.restore_program(db, ANA, document, name="Copia")
    assert len(stored_registry.actors_frame(db, restored.id)) == 3


def test_cli_exports_are_marked_with_the_cli_user(
    db_url: str, db: Database, world: World, tmp_path: Path
) -> None:
    users.create_user(db, ANA, "beto", "clave-de-beto-1")
    users.set_role(db, ANA, "beto", world.program_id, "mentor")

    def run(*args: str) -> int:
        out = io.StringIO()
        code = main(["--database-url", db_url, "--lang", "es", "--user", "beto", *args], out=out)
        assert code == 0, out.getvalue()
        return code

    program = ["--program", world.name]
    run("export", *program, "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))
    about = dict(tuple(r) for r in sheets((tmp_path / "x.xlsx").read_bytes())["Acerca de"])  # type: ignore[misc]
    assert about["Exportado por"] == "beto"
    run("export", *program, "--format", "html", "--output", str(tmp_path / "m.html"))
    assert "por beto" in (tmp_path / "m.html").read_text(encoding="utf-8")
    folder = tmp_path / "csvs"
    run("export", *program, "--format", "csv", "--output", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == [
        "LEEME.txt", "actores.csv", "evaluaciones.csv", "vinculos.csv",
    ]  # fmt: skip
    assert "beto" in (folder / "LEEME.txt").read_text(encoding="utf-8-sig")
    # ``import csvs/*``: the note is skipped, the tables come back unchanged.
    run("import", *[str(p) for p in sorted(folder.iterdir())], *program, "--dry-run")
