"""Exports round-trip: Kumu and our template re-import unchanged; the JSON backup restores
exactly; Gephi files carry every attribute; whole-database backups restore."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from openpyxl import load_workbook

from engagement import errors
from engagement.i18n import describe_error
from engagement.model import Principal
from engagement.services.exchange import backup, exports, imports, sqlite_file
from engagement.services.exchange.imports import read_upload
from engagement.services.registry import actors, programs
from engagement.storage.base import Base
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.support.kumu import demo_workbook, kumu_workbook

OPERATOR = Principal("local")  # the command line's full access


ANA = Principal("ana")
LIMIT = 50 * 1024 * 1024


@pytest.fixture
def antigua(db: Database) -> int:
    """A program holding the Antigua demo's actors, ties and assessments, imported."""
    pid = programs.create_program(db, ANA, "Impulso Local — Antigua").id
    files = [read_upload("antigua.xlsx", demo_workbook("antigua"), LIMIT)]
    outcome = imports.apply_import(db, ANA, pid, files)
    assert outcome.new["actor"] >= 40 and outcome.new["assessment"] >= 100
    return pid


def sheets(data: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


def test_kumu_round_trip(db: Database, antigua: int) -> None:
    name, data, mime = exports.export_program(db, antigua, "kumu", by=ANA, lang="en")
    assert name.endswith("-kumu.xlsx") and mime.endswith("sheet")
    book = sheets(data)
    assert list(book) == ["Elements", "Connections", "About"]  # Kumu reads the first two
    assert book["Elements"][0][:5] == ["Label", "Type", "Description", "Tags", "ID"]
    assert book["Connections"][0][:8] == [
        "From", "To", "Type", "Direction", "Strength", "Description", "Tags", "ID",
    ]  # fmt: skip
    assert {row[3] for row in book["Connections"][1:]} <= {"directed", "undirected"}
    # Into the same program: every row is recognised, nothing changes.
    same = imports.preview_import(db, ANA, antigua, [read_upload(name, data, LIMIT)])
    assert same.problems == [] and not same.has_changes
    assert same.summary.unchanged["actor"] == len(book["Elements"]) - 1
    # Into a new program: the same map comes back out.
    copy = programs.create_program(db, ANA, "Copia").id
    imports.apply_import(db, ANA, copy, [read_upload(name, data, LIMIT)])
    _name, again, _mime = exports.export_program(db, copy, "kumu", by=ANA, lang="en")
    assert {k: v for k, v in sheets(again).items() if k != "About"} == {
        k: v for k, v in book.items() if k != "About"
    }
    # Our own "About" sheet is skipped without a notice.
    assert same.notices == [] and read_upload(name, data, LIMIT).ignored_sheets == ()


def test_template_xlsx_and_csv_reimport_unchanged(db: Database, antigua: int) -> None:
    name, data, _mime = exports.export_program(db, antigua, "xlsx", by=ANA)
    assert list(sheets(data)) == ["Actores", "Vínculos", "Evaluaciones", "Acerca de"]
    preview = imports.preview_import(db, ANA, antigua, [read_upload(name, data, LIMIT)])
    assert preview.problems == [] and not preview.has_changes
    assert preview.summary.unchanged["assessment"] > 100
    name, data, mime = exports.export_program(db, antigua, "csv", by=ANA, lang="es")
    assert mime == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == [
        "LEEME.txt", "actores.csv", "evaluaciones.csv", "vinculos.csv",
    ]  # fmt: skip
    first = archive.read("actores.csv")
    assert first.startswith(b"\xef\xbb\xbf") and first.splitlines()[0].count(b";") > 5
    files = [read_upload(n, archive.read(n), LIMIT) for n in archive.namelist() if n != "LEEME.txt"]
    preview = imports.preview_import(db, ANA, antigua, files)
    assert preview.problems == [] and not preview.has_changes


def test_exports_neutralise_formulas(db: Database, antigua: int) -> None:
    actors.add_actor(db, ANA, antigua, {"name": '=HYPERLINK("http://x")', "description": "@cmd"})
    _n, data, _m = exports.export_program(db, antigua, "xlsx", by=ANA, lang="en")
    values = [v for row in sheets(data)["Actors"] for v in row if isinstance(v, str)]
    assert '\'=HYPERLINK("http://x")' in values and "'@cmd" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
    _n, data, _m = exports.export_program(db, antigua, "csv", by=ANA, lang="en")
    text = zipfile.ZipFile(io.BytesIO(data)).read("actors.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=" not in text and ",=" not in text


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_gephi_files_carry_every_attribute(db: Database, antigua: int, fmt: str) -> None:
    name, data, _mime = exports.export_program(db, antigua, fmt, by=ANA, lang="es")
    assert name.endswith(f".{fmt}")
    reader = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    g = reader(io.BytesIO(data))
    people = stored_registry.actors_frame(db, antigua)
    assert g.number_of_nodes() == len(people)
    labels = {d["label"] for _n, d in g.nodes(data=True)}
    assert labels == set(people["name"])
    alcaldia = next(d for _n, d in g.nodes(data=True) if d["label"].startswith("Alcaldía"))
    assert alcaldia["sector"] == "Gobierno municipal"
    assert {"power", "interest", "engagement_current", "stage", "tags"} <= set(alcaldia)
    edge = next(iter(g.edges(data=True)))[2]
    assert {"tie_type", "strength", "negative", "directed", "note"} <= set(edge)
    assert "None" not in data.decode("utf-8")


def test_restricted_actors_and_personal_data_can_be_left_out(db: Database, antigua: int) -> None:
    people = stored_registry.actors_frame(db, antigua)
    secret = int(people.iloc[0]["id"])
    actors.update_actor(
        db, ANA, secret, {"confidentiality": "restricted", "contact_email": "x@y.org"}, None
    )
    _n, data, _m = exports.export_program(
        db, antigua, "xlsx", by=ANA, lang="en", include_restricted=False, include_personal=False
    )
    book = sheets(data)
    hidden = int((people["confidentiality"] == "restricted").sum()) + 1
    assert len(book["Actors"]) == 1 + len(people) - hidden
    assert "Contact email" not in book["Actors"][0]
    assert people.iloc[0]["name"] not in {row[0] for row in book["Actors"]}


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by its position, so two copies compare."""
    tables = {"program": document["program"], **document["tables"]}
    order: dict[str, dict[Any, int]] = {}
    for name, dumped in tables.items():
        if "id" in dumped["columns"]:
            at = dumped["columns"].index("id")
            order[name] = {row[at]: i for i, row in enumerate(dumped["rows"])}
    out = {}
    for name, dumped in tables.items():
        table = Base.metadata.tables[name]
        refs = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        rows = []
        for values in dumped["rows"]:
            row = dict(zip(dumped["columns"], values, strict=True))
            row["id"] = order.get(name, {}).get(row.get("id"))
            for column, target in refs.items():
                row[column] = order.get(target, {}).get(row[column], row[column])
            if name == "audit_entry":
                row["entity_id"] = order.get(row["entity"], {}).get(row["entity_id"])
            if name == "program":
                row.pop("name")
            rows.append(row)
        out[name] = rows
    return out


def test_json_backup_restores_exactly(db: Database, antigua: int) -> None:
    imports.apply_import(db, ANA, antigua, [read_upload("k.xlsx", _small_kumu(), LIMIT)])
    name, data, mime = exports.export_program(db, antigua, "json", by=ANA)
    assert mime == "application/json" and name.endswith(".json")
    document = json.loads(data)
    restored = backup.restore_program(db, Principal("beto"), document, name="Antigua (copia)")
    assert restored.name == "Antigua (copia)" and restored.id != antigua
    again = backup.program_backup(db, OPERATOR, restored.id)
    before, after = canonical(document), canonical(again)
    restore_entry = after["audit_entry"].pop()
    assert (restore_entry["action"], restore_entry["username"]) == ("restore", "beto")
    for table in before:
        assert before[table] == after[table], table
    with pytest.raises(programs.DuplicateName):
        backup.restore_program(db, ANA, document)


def _small_kumu() -> bytes:
    return kumu_workbook()


def test_empty_templates() -> None:
    book = sheets(exports.template_xlsx("es"))
    assert list(book) == ["Actores", "Vínculos", "Evaluaciones"]
    assert book["Actores"][0][:3] == ["Nombre", "Sector", "Descripción"]
    assert len(book["Actores"]) == 1
    english = exports.template_csvs("en")
    assert sorted(english) == ["actors.csv", "assessments.csv", "relationships.csv"]
    assert english["relationships.csv"].decode("utf-8-sig").startswith("From,To,Tie type")
    for name, data in english.items():
        parsed = read_upload(name, data, LIMIT)
        assert parsed.sheets[0].rows == ()


def test_whole_database_json_backup(db: Database, antigua: int, tmp_path: Path) -> None:
    document = backup.database_backup(db, OPERATOR)
    before = canonical_database(document)
    with pytest.raises(errors.DatabaseNotEmpty):
        backup.restore_database(db, OPERATOR, document)
    actors.add_actor(db, ANA, antigua, {"name": "Añadido después"})
    backup.restore_database(db, OPERATOR, json.loads(json.dumps(document)), replace=True)
    assert canonical_database(backup.database_backup(db, OPERATOR)) == before
    assert "Añadido después" not in set(stored_registry.actors_frame(db, antigua)["name"])
    # New rows after a restore get fresh ids (sequences follow on PostgreSQL).
    actors.add_actor(db, ANA, antigua, {"name": "Otra más"})


def canonical_database(document: dict[str, Any]) -> dict[str, Any]:
    """The tables, but the programs' data versions and the accounts version: a restore
    moves them past every version the replaced database had (so no server serves what it
    cached of it)."""
    tables = dict(document["tables"])
    tables.pop("accounts_version", None)
    program = tables["program"]
    at = program["columns"].index("data_version")
    rows = [row[:at] + row[at + 1 :] for row in program["rows"]]
    tables["program"] = {"columns": program["columns"], "rows": rows}
    return tables


def test_sqlite_file_backup_and_restore(sqlite_db: Database, tmp_path: Path) -> None:
    pid = programs.create_program(sqlite_db, ANA, "Ciudades Abiertas — Tepic").id
    imports.apply_import(
        sqlite_db, ANA, pid, [read_upload("tepic.xlsx", demo_workbook("tepic"), LIMIT)]
    )
    copy = tmp_path / "respaldo.db"
    sqlite_file.backup_sqlite_file(sqlite_db, copy)
    assert copy.read_bytes().startswith(sqlite_file.SQLITE_MAGIC)
    programs.create_program(sqlite_db, ANA, "Después del respaldo")
    with pytest.raises(errors.DatabaseNotEmpty):
        sqlite_file.restore_sqlite_file(sqlite_db, OPERATOR, copy)
    sqlite_file.restore_sqlite_file(sqlite_db, OPERATOR, copy, replace=True)
    assert [p.id for p in programs.list_programs(sqlite_db)] == [pid]
    assert len(stored_registry.actors_frame(sqlite_db, pid)) >= 40


def test_a_file_that_is_not_a_backup(db: Database, tmp_path: Path) -> None:
    with pytest.raises(errors.NotABackup):
        backup.restore_program(db, ANA, {"format": "other"}, source="x.json")
    with pytest.raises(errors.BackupTooNew):
        backup.restore_database(db, OPERATOR, {"format": backup.DATABASE_FORMAT, "schema": "9999"})


def test_an_unknown_format_is_a_domain_error_named_in_both_languages(db: Database) -> None:
    pid = programs.create_program(db, ANA, "Formatos").id
    with pytest.raises(errors.UnknownFormat) as caught:
        exports.export_program(db, pid, "pdf", by=ANA)
    assert not isinstance(caught.value, ValueError)
    assert isinstance(caught.value, errors.EngagementError)
    assert caught.value.params == {"format": "pdf", "known": ", ".join(exports.FORMATS)}
    assert describe_error(caught.value, "es").startswith("«pdf» no es un formato")
    assert describe_error(caught.value, "en").startswith("“pdf” is not an export format")
