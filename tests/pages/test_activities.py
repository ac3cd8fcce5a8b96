"""Activities page: quick log with attendees and tasks, problems under fields, list,
detail, task status, edit with stale-version refusal, delete and restore."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import ProgramInfo
from engagement.services.registry import actors
from engagement.services.tracking import activities
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import audit as stored_audit
from engagement.tracking import ActivityInput, Attendee, TaskInput
from tests.pages.conftest import USER
from tests.pages.tracking_support import metrics, table

TODAY = dt.date.today()
# the whole module runs on TODAY, even across midnight (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("same_day")


def stage(program: ProgramInfo, key: str) -> int:
    return next(s.id for s in program.stages if s.key == key)


def kind(program: ProgramInfo, key: str) -> int:
    return next(t.id for t in program.activity_types if t.key == key)


def submit(at: AppTest, label: str) -> AppTest:
    button = next(b for b in at.button if b.label == label)
    button.click().run()
    assert not at.exception, at.exception
    return at


def test_log_a_workshop_with_attendees_and_tasks(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    for name in ("Colectivo Verde", "Vecinos Unidos"):
        actors.add_actor(app_db, USER, program.id, {"name": name})
    at = open_page("app_pages/activities.py", program_id=program.id)
    assert "Todavía no hay actividades registradas." in [i.value for i in at.info]
    at.text_input(key="activities.log.title").input("Taller de co-diseño del parque")
    at.selectbox(key="activities.log.activity_type_id").set_value(kind(program, "workshop"))
    at.number_input(key="activities.log.headcount").set_value(45)
    at.session_state["activities.log.attendees.0"] = {
        "edited_rows": {},
        "added_rows": [
            {"actor": "Colectivo Verde", "role": "Convocante", "sentiment": "Positivo"},
            {"actor": "Vecinos Unidos", "role": "Participante"},
        ],
        "deleted_rows": [],
    }
    at.session_state["activities.log.tasks.0"] = {
        "edited_rows": {},
        "added_rows": [{"title": "Enviar minuta", "owner": "Rosa", "due_on": str(TODAY)}],
        "deleted_rows": [],
    }
    submit(at, "Guardar actividad")
    assert "Actividad guardada: «Taller de co-diseño del parque» con 2 actor(es) presentes." in [
        s.value for s in at.success
    ]
    saved = stored_activities.activities_frame(app_db, program.id)
    assert list(saved["title"]) == ["Taller de co-diseño del parque"]
    assert int(saved.loc[0, "headcount"]) == 45 and int(saved.loc[0, "attendees"]) == 2
    listed = table(at, "Título", "Actores asistentes")
    assert list(listed["Título"]) == ["Taller de co-diseño del parque"]
    # The new activity is opened: its attendance and its task are shown.
    present = table(at, "Actor", "Percepción")
    assert dict(zip(present["Actor"], present["Rol"], strict=True)) == {
        "Colectivo Verde": "Convocante",
        "Vecinos Unidos": "Participante",
    }
    assert metrics(at)["Asistentes (total)"] == "45"
    assert at.text_input(key="activities.log.title").value == ""


def test_problems_are_shown_and_nothing_is_saved(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page("app_pages/activities.py", program_id=program.id)
    at.number_input(key="activities.log.headcount").set_value(3)
    at.number_input(key="activities.log.gender.women").set_value(5)
    at.session_state["activities.log.tasks.0"] = {
        "edited_rows": {}, "added_rows": [{"owner": "Rosa", "title": ""}, {"title": "x" * 301}],
        "deleted_rows": [],
    }  # fmt: skip
    submit(at, "Guardar actividad")
    errors = [e.value for e in at.error]
    assert any("«Título»: es obligatorio." in e for e in errors)
    assert any("Asistentes por género" in e and "(3)" in e for e in errors)
    assert any("Fila 1" in e and "Tarea" in e and "es obligatorio" in e for e in errors)
    assert any("Fila 2" in e and "Tarea" in e and "300" in e for e in errors)
    assert stored_activities.activities_frame(app_db, program.id).empty


def _recorded(db: Database, program: ProgramInfo) -> int:
    actor = actors.add_actor(db, USER, program.id, {"name": "Colectivo Verde"}).id
    item = ActivityInput(
        kind(program, "workshop"), stage(program, "design"), "Foro barrial", TODAY, headcount=30
    )
    info = activities.record_activity(
        db, USER, program.id, item, [Attendee(actor)],
        [TaskInput("Enviar minuta", "Rosa", TODAY - dt.timedelta(days=2))],
    )  # fmt: skip
    return info.id


def test_detail_tasks_and_edit(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    activity_id = _recorded(app_db, program)
    at = open_page("app_pages/activities.py", program_id=program.id)
    at.selectbox(key="activities.selected").set_value(activity_id).run()
    assert at.subheader[-1].value.endswith("Foro barrial") or any(
        "Foro barrial" in s.value for s in at.subheader
    )
    tasks_table = table(at, "status", "overdue")
    assert list(tasks_table["overdue"]) == ["⚠️"] and list(tasks_table["title"]) == ["Enviar minuta"]
    editor = next(d.key for d in at.dataframe if str(d.key).startswith("activities.tasks."))
    at.session_state[editor] = {
        "edited_rows": {0: {"status": "Hecha"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    submit(at, "Guardar tareas")
    assert "Tareas guardadas." in [s.value for s in at.success]
    after = table(at, "status", "overdue")
    assert list(after["status"]) == ["Hecha"] and list(after["overdue"]) == [""]
    at.text_input(key="activities.edit.title").set_value("Foro barrial de marzo")
    at.number_input(key="activities.edit.headcount").set_value(33)
    # Someone else saves first: the edit is refused, naming who.
    other = stored_activities.get_activity(app_db, activity_id)
    activities.update_activity(
        app_db, USER, activity_id,
        ActivityInput(other.activity_type_id, other.stage_id, "Otro título", other.held_on),
        None, other.version,
    )  # fmt: skip
    submit(at, "Guardar")
    assert any("No se guardó" in e.value for e in at.error)
    at = open_page("app_pages/activities.py", program_id=program.id)
    at.selectbox(key="activities.selected").set_value(activity_id).run()
    at.text_input(key="activities.edit.title").set_value("Foro barrial de marzo")
    submit(at, "Guardar")
    assert stored_activities.get_activity(app_db, activity_id).title == "Foro barrial de marzo"
    assert (
        stored_audit.audit_log(app_db, program.id, entity="activity").iloc[0]["action"] == "update"
    )


def test_delete_and_restore(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    activity_id = _recorded(app_db, program)
    at = open_page("app_pages/activities.py", lang="en", program_id=program.id)
    at.selectbox(key="activities.selected").set_value(activity_id).run()
    at.checkbox(key=f"activities.delete_sure.{activity_id}").check().run()
    submit(at, "Delete")
    assert "Activity deleted: “Foro barrial”." in [s.value for s in at.success]
    assert stored_activities.activities_frame(app_db, program.id).empty
    at.button(key=f"activities.restore.{activity_id}").click().run()
    assert len(stored_activities.activities_frame(app_db, program.id)) == 1
