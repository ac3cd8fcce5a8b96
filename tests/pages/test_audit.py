"""Audit page: every change, filtered by user, entity and date; hidden from viewers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from engagement.i18n import t
from engagement.model import Principal, ProgramInfo
from engagement.services.access import users
from engagement.services.registry import actors, relationships
from engagement.services.tracking import snapshots
from engagement.storage.db import Database
from tests.support.signin import sign_in


def _changes(db: Database, program: ProgramInfo) -> None:
    ana, luis = Principal("ana"), Principal("luis")
    a = actors.add_actor(db, ana, program.id, {"name": "INGUAT", "territory": "Centro"})
    actors.update_actor(db, luis, a.id, {"territory": "Casco histórico"}, a.version)


def test_audit_shows_field_level_changes_and_filters_by_user(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    _changes(app_db, program)
    at = open_page("app_pages/audit.py", program_id=program.id)
    table = at.dataframe[0].value
    assert "Territorio / zona: Centro → Casco histórico" in set(table["Cambios (anterior → nuevo)"])
    assert {"ana", "luis", "local"} <= set(table["Quién"])
    who = at.selectbox(key="audit.user")
    who.select_index(who.options.index("luis")).run()
    table = at.dataframe[0].value
    assert set(table["Quién"]) == {"luis"} and list(table["Acción"]) == ["modificó"]
    assert "Mostrando 1 de" in at.caption[1].value


def test_audit_names_every_field_and_says_yes_or_no(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    design = program.stages[0].id
    snapshots.close_stage(app_db, Principal("ana"), program.id, design, dt.date.today(), "Cierre")
    at = open_page("app_pages/audit.py", program_id=program.id)
    changes = set(at.dataframe[0].value["Cambios (anterior → nuevo)"])
    assert f"Nombre: Cierre; Etapa: {program.stages[0].label('es')}; Cierre de etapa: Sí" in changes
    assert not [c for c in changes if "stage_" in c or "True" in c]
    assert f"Fecha de cierre: ∅ → {dt.date.today():%d/%m/%Y}" in changes  # not ISO


def test_audit_says_what_each_change_is_about_by_name(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    ana = Principal("ana")
    sector = {s.key: s for s in program.sectors}
    kind = next(t for t in program.tie_types if t.key == "collaborates")
    muni = actors.add_actor(
        app_db, ana, program.id, {"name": "Municipalidad", "sector_id": sector["academia"].id}
    )
    onu = actors.add_actor(app_db, ana, program.id, {"name": "ONU-Hábitat"})
    actors.update_actor(
        app_db, ana, muni.id, {"sector_id": sector["municipal_government"].id}, muni.version
    )
    tie = relationships.add_relationship(
        app_db, ana, program.id,
        {"source_id": muni.id, "target_id": onu.id, "tie_type_id": kind.id, "strength": 3},
    )  # fmt: skip
    relationships.delete_relationship(app_db, ana, tie.id)
    actors.delete_actor(app_db, ana, onu.id)  # deleted actors keep their names in the trail
    at = open_page("app_pages/audit.py", program_id=program.id)
    table = at.dataframe[0].value
    columns = ("Sobre qué", "Acción", "Cambios (anterior → nuevo)")
    rows = list(zip(*(table[c] for c in columns), strict=True))
    academia, municipal = (sector[k].label("es") for k in ("academia", "municipal_government"))
    assert ("Municipalidad", "modificó", f"Sector: {academia} → {municipal}") in rows
    about_tie = [r for r in rows if r[0] == "Municipalidad → ONU-Hábitat"]
    assert len(about_tie) == 2, rows
    created = next(r[2] for r in about_tie if r[1] != "eliminó")
    assert created.startswith(
        f"Origen: Municipalidad; Destino: ONU-Hábitat; Tipo de vínculo: {kind.label('es')}"
    )
    assert ("ONU-Hábitat", "eliminó", "Eliminado: No → Sí") in rows


def test_audit_in_english_and_date_filter(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    _changes(app_db, program)
    at = open_page("app_pages/audit.py", lang="en", program_id=program.id)
    assert at.title[0].value == "Audit"
    long_ago = dt.date(2020, 1, 1)
    at.date_input(key="audit.dates").set_value((long_ago, long_ago)).run()
    assert at.info[0].value == "No change matches these filters."


def test_viewers_cannot_read_the_audit(
    app_db: Database,
    program: ProgramInfo,
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    users.create_user(app_db, Principal("cli"), "alcaldia", "clave-alcaldia")
    users.set_role(app_db, Principal("cli"), "alcaldia", program.id, "viewer")
    at = open_page(program_id=program.id)
    sign_in(at, "alcaldia")
    at.run()
    # Not in a viewer's menu (tests/pages/test_roles.py); a shared link to it shows why,
    # and nothing of the trail.
    at.switch_page("app_pages/audit.py")
    at.run()
    assert [w.value for w in at.warning] == [t("audit.not_for_role", "es")]
    assert not at.dataframe and not at.get("download_button")
    assert not at.main.selectbox


def test_the_audit_download_neutralises_formulas_in_names(
    app_db: Database,
    program: ProgramInfo,
    open_page: Callable[..., AppTest],
    deferred_files: dict[str, Callable[[], Any]],
) -> None:
    """Issue 15, finding 5: a facilitator's actor name must not come out as a formula."""
    deferred = deferred_files
    hostile = ['=HYPERLINK("http://x","y")', "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "+1"]
    for name in hostile:
        actors.add_actor(app_db, Principal("ana"), program.id, {"name": name})
    at = open_page("app_pages/audit.py", program_id=program.id)
    button = next(b.proto for b in at.get("download_button") if "audit.download" in b.proto.id)
    text = deferred[button.deferred_file_id]().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    subjects = {c for c in cells if any(h in c for h in hostile)}
    assert {f"'{h}" for h in hostile} <= subjects
