"""Importing Kumu workbooks and our template: preview, all-or-nothing apply, undo."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engagement.errors import ImportAlreadyUndone, ImportUndoBlocked, ValidationFailed
from engagement.i18n import describe_problem
from engagement.model import Principal
from engagement.services.exchange import imports
from engagement.services.exchange.imports import read_upload
from engagement.services.registry import actors, programs, relationships
from engagement.services.view import program_view
from engagement.storage.db import Database
from engagement.storage.models import AuditEntry, ImportBatch, Sector
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from tests.support.kumu import CONNECTIONS, ELEMENTS, csv_bytes, kumu_workbook, workbook

OPERATOR = Principal("local")  # the command line's full access


ANA = Principal("ana")
LIMIT = 10 * 1024 * 1024


@pytest.fixture
def pid(db: Database) -> int:
    return programs.create_program(db, ANA, "Gobierno Abierto Xela").id


def kumu(**kwargs: object) -> list[imports.ParsedFile]:
    return [read_upload("mapa.xlsx", kumu_workbook(**kwargs), LIMIT)]  # type: ignore[arg-type]


def test_preview_of_a_kumu_workbook(db: Database, pid: int) -> None:
    preview = imports.preview_import(db, ANA, pid, kumu())
    assert preview.can_apply and preview.problems == []
    assert preview.summary.new == {"actor": 5, "relationship": 5}
    # "Gobierno local", "Organización comunitaria", "University", "Private sector" are on
    # the list already (Spanish or English); "Radio local" and "Amplifica" are not.
    assert preview.added_terms == {"sector": ["Radio local"], "tie_type": ["Amplifica"]}
    assert preview.new_actors[0] == "Municipalidad de Xela"
    assert stored_registry.actors_frame(db, pid).empty  # a preview writes nothing


def test_apply_writes_everything_with_audit(db: Database, pid: int) -> None:
    outcome = imports.apply_import(db, ANA, pid, imports.preview_import(db, ANA, pid, kumu()))
    people = stored_registry.actors_frame(db, pid).set_index("name")
    assert len(people) == 5
    xela = people.loc["Municipalidad de Xela"]
    assert xela["sector_key"] == "municipal_government"
    assert xela["tags"] == ("gobierno abierto", "liderazgo")
    assert xela["territory"] == "Centro"  # "Zona" column
    assert xela["custom_fields"] == {"Presupuesto": 120000}
    assert xela["external_id"] == "e1"
    assert people.loc["Universidad Rafael", "sector_key"] == "academia"
    assert people.loc["Universidad Rafael", "custom_fields"] == {"Presupuesto": 5000.5}
    ties = stored_registry.relationships_frame(db, pid)
    pairs = {
        (r.source, r.target, r.tie_type_key, r.directed, r.strength) for r in ties.itertuples()
    }
    assert ("Municipalidad de Xela", "Red de Jóvenes", "collaborates", False, 3) in pairs
    assert ("Municipalidad de Xela", "Universidad Rafael", "collaborates", False, 3) in pairs
    assert ("Cámara de Comercio", "Municipalidad de Xela", "funds", True, 2) in pairs
    assert ("Red de Jóvenes", "Municipalidad de Xela", "conflict", False, 2) in pairs
    program = stored_programs.get_program(db, pid)
    assert "Radio local" in [s.label_es for s in program.sectors]
    log = stored_audit.audit_log(db, pid)
    batch = log[log["batch_id"] == outcome.batch_id]
    assert set(batch["username"]) == {"ana"}
    assert (batch["entity"] == "actor").sum() == 5
    assert (batch["entity"] == "relationship").sum() == 5
    assert set(batch[batch["entity"].isin(["sector", "tie_type"])]["action"]) == {"create"}
    listed = imports.list_imports(program_view(db, OPERATOR, pid))
    assert listed[0].id == outcome.batch_id
    assert (listed[0].layout, listed[0].formats) == ("kumu", ("xlsx",))
    assert listed[0].counts["new"] == {"actor": 5, "relationship": 5}


def test_reimport_with_ids_updates_instead_of_duplicating(db: Database, pid: int) -> None:
    imports.apply_import(db, ANA, pid, kumu())
    renamed = [list(row) for row in ELEMENTS]
    renamed[0][0] = "Municipalidad de Quetzaltenango"  # same ID e1, new name
    renamed[1][2] = "Colectivo juvenil de la zona 3"
    new_name = {"Municipalidad de Xela": "Municipalidad de Quetzaltenango"}
    links = [[new_name.get(str(v), v) for v in row] for row in CONNECTIONS]
    preview = imports.preview_import(db, ANA, pid, kumu(elements=renamed, connections=links))
    assert preview.problems == []
    assert preview.summary.updated == {"actor": 2}
    assert preview.summary.unchanged == {"actor": 3, "relationship": 5}
    assert preview.updated_actors == ["Municipalidad de Quetzaltenango", "Red de Jóvenes"]
    imports.apply_import(db, ANA, pid, preview)
    names = set(stored_registry.actors_frame(db, pid)["name"])
    assert "Municipalidad de Quetzaltenango" in names and len(names) == 5
    again = imports.preview_import(db, ANA, pid, kumu(elements=renamed, connections=links))
    assert again.summary.unchanged == {"actor": 5, "relationship": 5} and not again.has_changes


def test_rejected_rows_name_sheet_row_and_column(db: Database, pid: int) -> None:
    elements = [
        *ELEMENTS,
        ["", "ONG", "", "", "e9", "", None],
        ["Red de jóvenes", "", "", "", "", "", None],
    ]
    connections = [
        *CONNECTIONS,
        ["Municipalidad de Xela", "Nadie", "Financia", "", 2, "", ""],
        ["Radio Comunitaria", "Radio Comunitaria", "Informa", "", 7, "", ""],
        ["Radio Comunitaria", "Cámara de Comercio", "Informa", "sideways", 1, "", ""],
    ]
    preview = imports.preview_import(db, ANA, pid, kumu(elements=elements, connections=connections))
    assert not preview.can_apply
    assert preview.summary.rejected == {"actor": 2, "relationship": 3}
    lines = [describe_problem(p, "es") for p in preview.problems]
    assert "Hoja «Elements», fila 7, columna «Label»: es obligatorio." in lines
    assert any(
        line.startswith(
            "Hoja «Elements», fila 8, columna «Label»: «Red de jóvenes» aparece repetido"
        )
        and "fila 3" in line
        for line in lines
    )
    assert (
        "Hoja «Connections», fila 6, columna «To»: el actor «Nadie» no existe en este programa."
        in lines
    )
    assert any(line.startswith("Hoja «Connections», fila 7, columna «Strength»") for line in lines)
    english = [describe_problem(p, "en") for p in preview.problems]
    assert any("row 8" in line and "Direction" in line for line in english)


def test_nothing_is_written_while_any_row_is_rejected(db: Database, pid: int) -> None:
    connections = [*CONNECTIONS, ["Municipalidad de Xela", "Nadie", "Financia", "", 2, "", ""]]
    files = kumu(connections=connections)
    with pytest.raises(ValidationFailed) as caught:
        imports.apply_import(db, ANA, pid, files)
    assert caught.value.problems[0].row == 6
    assert stored_registry.actors_frame(db, pid).empty
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
        sectors = session.scalars(select(Sector.label_es).where(Sector.program_id == pid)).all()
        assert "Radio local" not in sectors


def test_undo_takes_back_rows_updates_and_list_entries(db: Database, pid: int) -> None:
    first = imports.apply_import(db, ANA, pid, kumu())
    changed = [list(row) for row in ELEMENTS]
    changed[2][2] = "Nuevo texto"
    second = imports.apply_import(
        db,
        ANA,
        pid,
        kumu(elements=[*changed, ["Colegio de Ingenieros", "Gremio", "", "", "", "", None]]),
    )
    assert second.new == {"actor": 1} and second.updated == {"actor": 1}
    imports.undo_import(db, Principal("beto"), second.batch_id)
    people = stored_registry.actors_frame(db, pid).set_index("name")
    assert "Colegio de Ingenieros" not in people.index
    assert people.loc["Universidad Rafael", "description"] == "Centro de datos"
    assert "Gremio" not in [s.label_es for s in stored_programs.get_program(db, pid).sectors]
    records = {r.id: r for r in imports.list_imports(program_view(db, OPERATOR, pid))}
    assert records[second.batch_id].undone and not records[first.batch_id].undone
    with pytest.raises(ImportAlreadyUndone):
        imports.undo_import(db, ANA, second.batch_id)
    log = stored_audit.audit_log(db, pid, username="beto")
    assert set(log["action"]) == {"undo_import"}
    imports.undo_import(db, ANA, first.batch_id)
    assert stored_registry.actors_frame(db, pid).empty
    assert stored_registry.relationships_frame(db, pid).empty


def test_undo_is_refused_when_later_work_depends_on_it(db: Database, pid: int) -> None:
    done = imports.apply_import(db, ANA, pid, kumu())
    people = stored_registry.actors_frame(db, pid).set_index("name")
    radio = int(people.loc["Radio Comunitaria", "id"])
    actors.update_actor(db, Principal("carla"), radio, {"territory": "Zona 2"}, None)
    with pytest.raises(ImportUndoBlocked) as caught:
        imports.undo_import(db, ANA, done.batch_id)
    assert caught.value.params["key"] == "Radio Comunitaria"
    assert caught.value.params["changed_by"] == "carla"
    assert len(stored_registry.actors_frame(db, pid)) == 5  # nothing undone


def test_undo_is_refused_when_a_tie_was_added_to_an_imported_actor(db: Database, pid: int) -> None:
    done = imports.apply_import(db, ANA, pid, kumu())
    ids = stored_registry.actors_frame(db, pid).set_index("name")["id"]
    funds = next(t.id for t in stored_programs.get_program(db, pid).tie_types if t.key == "funds")
    relationships.add_relationship(
        db,
        ANA,
        pid,
        {
            "source_id": int(ids["Universidad Rafael"]),
            "target_id": int(ids["Radio Comunitaria"]),
            "tie_type_id": funds,
        },
    )
    with pytest.raises(ImportUndoBlocked):
        imports.undo_import(db, ANA, done.batch_id)


def test_spanish_excel_csv_semicolon_cp1252(db: Database, pid: int) -> None:
    people = csv_bytes(
        [
            [
                "Nombre",
                "Sector",
                "Descripción",
                "Etiquetas",
                "Correo de contacto",
                "Consiente ser contactado",
            ],
            [
                "Asociación de Vecinos Ñuñoa",
                "Junta vecinal",
                "Señalética, baños",
                "barrio|agua",
                "ana@ejemplo.org",
                "sí",
            ],
            ["Concejo Municipal", "Gobierno municipal", "Aprueba el presupuesto", "", "", "no"],
        ],
        delimiter=";",
        encoding="cp1252",
    )
    ties = csv_bytes(
        [
            ["Origen", "Destino", "Tipo de vínculo", "Fuerza"],
            ["Concejo Municipal", "Asociación de Vecinos Ñuñoa", "Informa", "2"],
        ],
        delimiter=";",
        encoding="cp1252",
    )
    files = [read_upload("actores.csv", people, LIMIT), read_upload("vinculos.csv", ties, LIMIT)]
    assert [(f.encoding, f.delimiter) for f in files] == [("cp1252", ";"), ("cp1252", ";")]
    imports.apply_import(db, ANA, pid, files)
    frame = stored_registry.actors_frame(db, pid).set_index("name")
    row = frame.loc["Asociación de Vecinos Ñuñoa"]
    assert row["description"] == "Señalética, baños" and row["consent_to_contact"]
    assert row["sector_key"] == "community_organisation"
    assert frame.loc["Concejo Municipal", "sector_key"] == "municipal_government"
    tie = stored_registry.relationships_frame(db, pid).iloc[0]
    assert (tie["source"], tie["tie_type_key"], tie["strength"]) == (
        "Concejo Municipal",
        "informs",
        2,
    )


def test_template_with_assessments(db: Database, pid: int) -> None:
    data = workbook(
        {
            "Actores": [
                ["Nombre", "Sector"],
                ["Alcaldía", "Municipal government"],
                ["Prensa Libre", "Medios"],
            ],
            "Vínculos": [
                ["Origen", "Destino", "Tipo de vínculo"],
                ["Prensa Libre", "Alcaldía", ""],
            ],
            "Evaluaciones": [
                [
                    "Actor",
                    "Etapa",
                    "Fecha",
                    "Poder",
                    "Interés",
                    "Involucramiento actual",
                    "Involucramiento deseado",
                    "Nivel de participación buscado",
                    "Legitimidad",
                ],
                [
                    "Alcaldía",
                    "Diseño",
                    "15/02/2024",
                    5,
                    4,
                    "Se resiste",
                    "Leading",
                    "Colaborar",
                    "sí",
                ],
                ["Prensa Libre", "Co-design", "2024-03-01", 3, 2, 3, 4, 1, ""],
            ],
        }
    )
    preview = imports.preview_import(db, ANA, pid, [read_upload("plantilla.xlsx", data, LIMIT)])
    assert preview.problems == []
    assert preview.summary.new == {"actor": 2, "relationship": 1, "assessment": 2}
    assert preview.added_terms == {"tie_type": ["Vínculo"]}  # an empty type
    imports.apply_import(db, ANA, pid, preview)
    history = stored_registry.assessments_frame(db, pid).set_index("actor")
    alcaldia = history.loc["Alcaldía"]
    assert (alcaldia["stage_key"], alcaldia["power"], alcaldia["engagement_current"]) == (
        "design",
        5,
        2,
    )
    assert (alcaldia["engagement_desired"], alcaldia["participation_target"]) == (5, 4)
    assert bool(alcaldia["legitimacy"]) and alcaldia["created_by"] == "ana"
    again = imports.preview_import(db, ANA, pid, [read_upload("plantilla.xlsx", data, LIMIT)])
    assert again.summary.unchanged == {"actor": 2, "relationship": 1, "assessment": 2}
    connection = next(
        t for t in stored_programs.get_program(db, pid).tie_types if t.label_es == "Vínculo"
    )
    assert connection.label_en == "Connection"


def test_assessment_problems(db: Database, pid: int) -> None:
    data = workbook(
        {
            "Actores": [["Nombre"], ["Alcaldía"]],
            "Evaluaciones": [
                [
                    "Actor",
                    "Etapa",
                    "Fecha",
                    "Poder",
                    "Interés",
                    "Involucramiento actual",
                    "Involucramiento deseado",
                    "Nivel de participación buscado",
                ],
                ["Alcaldía", "Etapa 9", "2024-02-15", 6, 4, 2, 5, 4],
                ["Nadie", "Diseño", "ayer", 3, 3, 3, 3, 3],
            ],
        }
    )
    preview = imports.preview_import(db, ANA, pid, [read_upload("p.xlsx", data, LIMIT)])
    lines = [describe_problem(p, "en") for p in preview.problems]
    assert preview.summary.rejected == {"assessment": 2}
    assert any("row 2" in line and "Poder" in line and "from 1 to 5" in line for line in lines)
    assert any("row 2" in line and "Etapa" in line and "Etapa 9" in line for line in lines)
    assert any("row 3" in line and "Fecha" in line for line in lines)
    assert any("row 3" in line and "Nadie" in line for line in lines)


def test_missing_required_column_is_one_problem(db: Database, pid: int) -> None:
    data = workbook({"Connections": [["From", "Type"], ["A", "x"], ["B", "y"]]})
    preview = imports.preview_import(db, ANA, pid, [read_upload("c.xlsx", data, LIMIT)])
    assert [(p.field, p.code, p.row) for p in preview.problems] == [("target", "missing_column", 1)]
    assert preview.summary.rejected == {"relationship": 2}


def test_ignored_columns_and_sheets_are_noticed(db: Database, pid: int) -> None:
    data = workbook(
        {
            "Elements": [["Label", "Color"], ["A", "red"]],
            "Connections": [["From", "To", "Color"], ["A", "A2"]],
            "Loops": [["Name"], ["x"]],
        }
    )
    preview = imports.preview_import(db, ANA, pid, [read_upload("k.xlsx", data, LIMIT)])
    notices = [(n.code, n.params["value"]) for n in preview.notices]
    assert ("ignored_column", "Color") in notices  # on Connections (Elements keep it)
    assert ("ignored_sheet", "Loops") in notices


def test_apply_replans_when_the_program_changed_since_preview(db: Database, pid: int) -> None:
    preview = imports.preview_import(db, ANA, pid, kumu())
    actors.add_actor(db, Principal("carla"), pid, {"name": "Radio Comunitaria"})
    outcome = imports.apply_import(db, ANA, pid, preview)
    assert outcome.new["actor"] == 4 and outcome.updated == {"actor": 1}
    assert len(stored_registry.actors_frame(db, pid)) == 5


def test_every_imported_row_has_its_audit_entry(db: Database, pid: int) -> None:
    outcome = imports.apply_import(db, ANA, pid, kumu())
    with db.reading() as session:
        rows = session.execute(
            select(AuditEntry.entity, func.count())
            .where(AuditEntry.batch_id == outcome.batch_id)
            .group_by(AuditEntry.entity)
        ).all()
    assert dict(rows) == {"actor": 5, "relationship": 5, "sector": 1, "tie_type": 1}


def test_update_to_a_new_sector_records_its_id(db: Database, pid: int) -> None:
    imports.apply_import(db, ANA, pid, kumu())
    changed = [list(row) for row in ELEMENTS]
    changed[4][1] = "Gremio empresarial"
    outcome = imports.apply_import(db, ANA, pid, kumu(elements=changed))
    assert outcome.updated == {"actor": 1} and outcome.added_terms == {
        "sector": ["Gremio empresarial"]
    }
    sector = next(
        s
        for s in stored_programs.get_program(db, pid).sectors
        if s.label_es == "Gremio empresarial"
    )
    log = stored_audit.audit_log(db, pid, entity="actor")
    update = log[(log["batch_id"] == outcome.batch_id) & (log["action"] == "update")].iloc[0]
    assert update["changes"]["sector_id"][1] == sector.id
    camara = stored_registry.actors_frame(db, pid).set_index("name").loc["Cámara de Comercio"]
    assert camara["sector_id"] == sector.id and camara["version"] == 2


def test_connections_may_name_elements_by_id(db: Database, pid: int) -> None:
    connections = [
        ["e1", "e2|e3", "Financia", "", 2, "", ""],
        ["Radio Comunitaria", "e5", "", "", 1, "", ""],
    ]
    outcome = imports.apply_import(db, ANA, pid, kumu(connections=connections))
    assert outcome.new == {"actor": 5, "relationship": 3}
    ties = stored_registry.relationships_frame(db, pid)
    pairs = {(r.source, r.target, r.tie_type_key) for r in ties.itertuples()}
    assert ("Municipalidad de Xela", "Universidad Rafael", "funds") in pairs
    assert ("Radio Comunitaria", "Cámara de Comercio", "vinculo") in pairs  # empty Type
