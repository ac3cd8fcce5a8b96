"""Text hygiene (issue 15): control characters other than tab and newline never reach the
database, whether typed in a form or imported, and every XML export stays valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from engagement.model import Principal
from engagement.services.exchange import exports, imports
from engagement.services.registry import actors, programs, relationships
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import AuditEntry
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from tests.support.kumu import csv_bytes

ANA = Principal("ana")
CONTROLS = [chr(c) for c in (*range(0x00, 0x20), 0x7F, 0x85, 0x9B)]
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(CONTROLS), st.characters(exclude_categories=["Cs"])),
    min_size=1,
    max_size=40,
)
SEQ = count()


def _clean(text: str) -> bool:
    return not any(ch in text for ch in CONTROLS if ch not in "\t\n")


def _check_exports(db: Database, pid: int) -> None:
    for fmt in ("gexf", "graphml"):
        _name, data, _mime = exports.export_program(db, pid, fmt, by=ANA, lang="es")
        ET.fromstring(data)  # raises on invalid XML


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=HOSTILE_TEXT, description=HOSTILE_TEXT, note=HOSTILE_TEXT)
def test_forms_store_no_control_characters_and_exports_stay_xml(
    db: Database, name: str, description: str, note: str
) -> None:
    program = programs.create_program(db, ANA, f"Programa {next(SEQ)}\x00")
    pid = program.id
    first = actors.add_actor(db, ANA, pid, {"name": f"A{name}", "description": description})
    second = actors.add_actor(db, ANA, pid, {"name": f"B{name}", "tags": [name]})
    relationships.add_relationship(
        db,
        ANA,
        pid,
        {
            "source_id": first.id,
            "target_id": second.id,
            "tie_type_id": program.tie_types[0].id,
            "note": note,
        },
    )
    frame = stored_registry.actors_frame(db, pid)
    for column in ("name", "description"):
        assert all(_clean(v) for v in frame[column]), frame[column].tolist()
    assert all(_clean(tag) for tags in frame["tags"] for tag in tags)
    assert all(_clean(v) for v in stored_registry.relationships_frame(db, pid)["note"])
    assert _clean(stored_programs.get_program(db, pid).name)
    _check_exports(db, pid)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=HOSTILE_TEXT.filter(lambda v: "\x00" not in v),  # NUL: a binary file, not a CSV
    custom=HOSTILE_TEXT.filter(lambda v: "\x00" not in v),
    note=HOSTILE_TEXT.filter(lambda v: "\x00" not in v),
)
def test_imports_store_no_control_characters_and_exports_stay_xml(
    db: Database, name: str, custom: str, note: str
) -> None:
    pid = programs.create_program(db, ANA, f"Importado {next(SEQ)}").id
    rows = [["Label", "Description", "Zona"], [f"A{name}", note, custom], [f"B{name}", "", ""]]
    data = csv_bytes(rows, delimiter=";").replace(b"\r\n", b"\n")
    files = [imports.read_upload("actores.csv", data, 1 << 20)]
    preview = imports.preview_import(db, ANA, pid, files)
    if preview.can_apply:
        imports.apply_import(db, ANA, pid, preview)
    frame = stored_registry.actors_frame(db, pid)
    for column in ("name", "description"):
        assert all(_clean(v) for v in frame[column]), frame[column].tolist()
    assert all(_clean(str(v)) for fields in frame["custom_fields"] for v in fields.values())
    _check_exports(db, pid)


def test_bulk_writes_store_no_control_characters_in_any_chunk(db: Database) -> None:
    """The engine's check reads every chunk of an executemany, rows as dicts (Core) or
    tuples (driver SQL), text printable or holding line breaks."""
    table = AuditEntry.__table__
    rows = [
        {"username": f"u{i}", "entity": "actor", "entity_id": i, "action": "create"}
        | {"changes": {"note": "línea\nsiguiente" if i % 2 else "x"}}
        for i in range(4500)
    ]
    rows[2300]["username"] = "u\x0bcolada"
    rows[4400]["username"] = "\x85oculto\x1b"
    with db.writing() as session:
        session.execute(insert(table), rows)
        sql = "INSERT INTO audit_entry (username, entity, entity_id, action, changes, at) "
        marks = "(?, ?, ?, ?, ?, ?)" if db.engine.dialect.paramstyle == "qmark" else ""
        marks = marks or "(%s, %s, %s, %s, %s, %s)"
        tuples = [("v", "actor", i, "create", '{"a": 1}', utcnow()) for i in range(4500)]
        tuples[4100] = ("v\x01", "actor", 1, "create", '{"a": 1}', utcnow())
        session.connection().exec_driver_sql(sql + "VALUES " + marks, tuples)
    with db.reading() as session:
        names = session.scalars(select(AuditEntry.username)).all()
    assert {"ucolada", "oculto", "v"} <= set(names) and all(_clean(n) for n in names)
