"""Commitments and inputs page: waiting inputs oldest first, reasoned response, add an
input, add a commitment with milestones, flags, evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import ProgramInfo
from engagement.services.registry import actors
from engagement.services.tracking import commitments, evidence, inputs
from engagement.storage.db import Database
from engagement.tracking import CommitmentInput, EvidenceInput, InputInput, MilestoneInput
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


def test_waiting_inputs_oldest_first_and_answer_one(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    actor = actors.add_actor(app_db, USER, program.id, {"name": "Colectivo Verde"}).id
    old = inputs.add_input(
        app_db, USER, program.id, InputInput("Más bancas", TODAY - dt.timedelta(days=30), actor)
    )
    inputs.add_input(
        app_db, USER, program.id, InputInput("Horario nocturno", TODAY - dt.timedelta(days=2))
    )
    at = open_page("app_pages/commitments.py", program_id=program.id)
    waiting = table(at, "Días esperando")
    assert list(waiting["Aporte"]) == ["Más bancas", "Horario nocturno"]
    assert list(waiting["Quién lo planteó"]) == ["Colectivo Verde", "Anónimo"]
    assert list(waiting["Días esperando"]) == [30, 2]
    assert at.selectbox(key="inputs.selected").value == old.id
    at.radio(key="inputs.respond.response").set_value("rejected")
    click(at, "Guardar respuesta")
    assert any("fundamento por escrito" in e.value for e in at.error)
    at.radio(key="inputs.respond.response").set_value("partly_accepted")
    at.text_area(key="inputs.respond.reasoning").input(
        "Se instalarán 10 bancas en la primera etapa."
    )
    click(at, "Guardar respuesta")
    assert "Respuesta guardada." in [s.value for s in at.success]
    assert list(table(at, "Días esperando")["Aporte"]) == ["Horario nocturno"]
    answered = read_all(app_db, program.id).table("inputs").set_index("text")
    assert answered.loc["Más bancas", "answered"]


def test_record_an_input(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page("app_pages/commitments.py", lang="en", program_id=program.id)
    assert "Every input has a reasoned response." in [s.value for s in at.success]
    click(at, "Record input")
    assert any("is required" in e.value for e in at.error)
    at.text_area(key="inputs.add.text").input("Lighting on the park path")
    at.text_input(key="inputs.add.topic").input("Safety")
    click(at, "Record input")
    assert "Input recorded." in [s.value for s in at.success]
    assert list(read_all(app_db, program.id).table("inputs")["topic"]) == ["Safety"]
    assert list(table(at, "Days waiting")["Input"]) == ["Lighting on the park path"]


def test_add_a_commitment_with_milestones(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    lead = actors.add_actor(app_db, USER, program.id, {"name": "Municipio"}).id
    at = open_page("app_pages/commitments.py", program_id=program.id)
    at.text_input(key="commitments.add.title").input("Recuperar el parque La Loma")
    at.selectbox(key="commitments.add.responsible_id").set_value(lead)
    at.date_input(key="commitments.add.due_on").set_value(TODAY - dt.timedelta(days=1))
    at.selectbox(key="commitments.add.status").set_value("in_progress")
    at.session_state["commitments.add.milestones.0"] = {
        "edited_rows": {},
        "added_rows": [
            {"title": "Diagnóstico", "progress": 100},
            {"title": "Obras", "progress": 30},
        ],
        "deleted_rows": [],
    }
    click(at, "Guardar")
    assert "Compromiso creado: «Recuperar el parque La Loma»." in [s.value for s in at.success]
    listed = table(at, "Alertas")
    assert list(listed["Responsable"]) == ["Municipio"]
    assert list(listed["Avance (%)"]) == [65]
    assert "vencido" in listed.loc[0, "Alertas"]
    assert metrics(at)["Avance (%)"] == "65 %"
    assert any("La fecha límite pasó" in e.value for e in at.error)
    saved = read_all(app_db, program.id).table("commitments")
    assert saved.loc[0, "milestones"] == 2 and saved.loc[0, "status"] == "in_progress"


def test_edit_commitment_and_evidence(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    first = MilestoneInput("Primera sesión", progress=0)
    item = CommitmentInput("Mesa de seguimiento", milestones=(first,))
    info = commitments.add_commitment(app_db, USER, program.id, item)
    evidence.add_evidence(app_db, USER, program.id, evidence_item())
    at = open_page("app_pages/commitments.py", program_id=program.id)
    at.selectbox(key="commitments.selected").set_value(info.id).run()
    at.selectbox(key="commitments.edit.status").set_value("done")
    editor = f"commitments.edit.milestones.{info.id}.{info.version}"
    at.session_state[editor] = {
        "edited_rows": {0: {"progress": 100}},
        "added_rows": [],
        "deleted_rows": [],
    }
    next(b for b in at.button if b.label == "Guardar" and "edit" in str(b.form_id)).click().run()
    saved = read_all(app_db, program.id).commitment(info.id)
    assert saved.status == "done" and saved.progress == 100
    assert saved.milestones[0].id == info.milestones[0].id
    links = table(at, "Enlace")
    assert list(links["Título"]) == ["Minuta del foro"]


def evidence_item() -> EvidenceInput:
    return EvidenceInput("Minuta del foro", TODAY, "minutes", "https://tepic.gob.mx/minuta")
