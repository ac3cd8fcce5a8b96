"""Snapshots page: take one, close a stage (which takes one), compare with now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, ProgramInfo
from engagement.services.registry import actors, assessments
from engagement.storage.db import Database
from engagement.storage.queries import programs as stored_programs
from tests.pages.conftest import USER
from tests.pages.tracking_support import metrics, table
from tests.support.reads import read_all

TODAY = dt.date.today()
# the whole module runs on TODAY, even across midnight (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("same_day")


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_take_snapshot_then_see_movement_since(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    design = program.stages[0].id
    alcaldia = actors.add_actor(app_db, USER, program.id, {"name": "Alcaldía"}).id
    assessments.record_assessments(
        app_db, USER, program.id, [AssessmentInput(alcaldia, design, TODAY, 2, 2, 2, 4, 3)]
    )
    at = open_page("app_pages/snapshots.py", program_id=program.id)
    assert any("Todavía no hay instantáneas" in i.value for i in at.info)
    click(at, "Tomar instantánea")
    assert any("«Nombre»: es obligatorio." in e.value for e in at.error)
    at.text_input(key="snapshots.take.name").input("Antes del foro")
    click(at, "Tomar instantánea")
    assert "Instantánea tomada: «Antes del foro»." in [s.value for s in at.success]
    assert list(table(at, "Tomada")["Nombre"]) == ["Antes del foro"]
    assessments.record_assessments(
        app_db, USER, program.id, [AssessmentInput(alcaldia, design, TODAY, 5, 5, 4, 4, 3)]
    )
    at = open_page("app_pages/snapshots.py", program_id=program.id)
    assert at.selectbox(key="snapshots.after").value == 0
    assert metrics(at)["Cambiaron de cuadrante"] == "1"
    moved = table(at, "Cuadrante")
    assert list(moved["Actor"]) == ["Alcaldía"]
    assert (
        moved.loc[0, "Cuadrante"]
        == "Monitorear (mínimo esfuerzo) → Gestionar de cerca (actores clave)"
    )
    assert moved.loc[0, "Involucramiento"] == "Se resiste → Apoya"


def test_close_a_stage_takes_a_snapshot(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page("app_pages/snapshots.py", lang="en", program_id=program.id)
    at.selectbox(key="snapshots.close.stage_id").set_value(program.stages[0].id)
    click(at, "Close stage")
    found = read_all(app_db, program.id).snapshots()
    assert len(found) == 1 and found[0].stage_closed
    assert found[0].name == f"Design closed ({TODAY:%d/%m/%Y})"
    assert stored_programs.get_program(app_db, program.id).stages[0].closed_on == TODAY
    assert any("closed; snapshot" in s.value for s in at.success)
    assert list(table(at, "Stage closed")["Stage closed"]) == ["Design"]
    # The name already carries the day: the comparison list does not repeat it.
    assert at.selectbox(key="snapshots.before").options == [f"Design closed ({TODAY:%d/%m/%Y})"]
    at.checkbox(key="snapshots.delete_sure").check().run()
    at.button(key="snapshots.delete").click().run()
    assert read_all(app_db, program.id).snapshots() == []
