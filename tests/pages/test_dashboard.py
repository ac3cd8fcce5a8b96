"""Stage dashboard (the program's home): figures, stages, OGP checklist, changes since
the last mentoring call, quiet key players."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services.registry import actors, assessments
from engagement.services.tracking import activities, commitments, inputs
from engagement.storage.db import Database
from engagement.tracking import ActivityInput, Attendee, CommitmentInput, InputInput, TaskInput
from tests.pages.conftest import USER
from tests.pages.tracking_support import metrics, table

TODAY = dt.date.today()
# the whole module runs on TODAY, even across midnight (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("same_day")


def show(at: AppTest, section: str) -> None:
    """Choose a dashboard section (only the chosen one is drawn)."""
    at.segmented_control(key="dashboard.section").set_value(section).run()
    assert not at.exception, at.exception


def stage(program: ProgramInfo, key: str) -> int:
    return next(s.id for s in program.stages if s.key == key)


def kind(program: ProgramInfo, key: str) -> int:
    return next(t.id for t in program.activity_types if t.key == key)


def record(db: Database, program: ProgramInfo, **values: object) -> None:
    base: dict[str, object] = {
        "activity_type_id": kind(program, "workshop"),
        "stage_id": stage(program, "co_design"),
        "title": "Taller",
        "held_on": TODAY - dt.timedelta(days=2),
        "headcount": 40,
    }
    attendees = values.pop("attendees", ())
    task_list = values.pop("tasks", ())
    activities.record_activity(
        db,
        USER,
        program.id,
        ActivityInput(**(base | values)),
        attendees,
        task_list,  # type: ignore[arg-type]
    )


def test_dashboard_is_the_default_page_and_says_when_empty(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(program_id=program.id)
    assert at.title[0].value == "Impulso Local"
    found = metrics(at)
    assert found["Actividades"] == "0"
    assert found["Personas"] == "0"
    stages_table = table(at, "Etapa", "Estado")
    assert list(stages_table["Etapa"]) == [
        "Diseño",
        "Co-diseño",
        "Acompañamiento a la implementación",
    ]
    assert list(stages_table["Estado"]) == ["En curso", "Próxima", "Próxima"]
    show(at, "over_time")
    assert "Todavía no hay actividades registradas." in [i.value for i in at.info]


def test_dashboard_figures_alerts_and_stage_scope(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    a = actors.add_actor(app_db, USER, program.id, {"name": "Colectivo Verde"}).id
    b = actors.add_actor(app_db, USER, program.id, {"name": "Vecinos"}).id
    record(app_db, program, attendees=[Attendee(a), Attendee(b)], facilitators=("Rosa",),
           tasks=[TaskInput("Enviar minuta", "Rosa", TODAY - dt.timedelta(days=1))])  # fmt: skip
    record(
        app_db, program, stage_id=stage(program, "design"), headcount=200, attendees=[Attendee(a)]
    )
    inputs.add_input(app_db, USER, program.id, InputInput("Más luz", TODAY - dt.timedelta(days=3)))
    commitments.add_commitment(
        app_db, USER, program.id, CommitmentInput("Parque", due_on=TODAY - dt.timedelta(days=1))
    )
    at = open_page(program_id=program.id)
    found = metrics(at)
    assert found["Actividades"] == "2"
    assert found["Personas"] == "240"
    assert found["Organizaciones"] == "2"
    assert found["Facilitadores/as"] == "1"
    assert found["Aportes recibidos"] == "1"
    promised = next(m for m in at.metric if m.label == "Compromisos")
    assert (promised.value, promised.delta) == ("1", "Cumplidos: 0")
    links = [p.label for p in at.get("page_link")]
    assert "1 tarea(s) de seguimiento vencida(s)" in links
    assert "1 compromiso(s) vencido(s)" in links
    assert "1 aporte(s) esperando respuesta razonada" in links
    at.segmented_control(key="dashboard.stage").set_value(stage(program, "design")).run()
    found = metrics(at)
    assert found["Actividades"] == "1" and found["Personas"] == "200"


def test_ogp_checklist_and_staleness(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    key = actors.add_actor(app_db, USER, program.id, {"name": "Alcaldía"}).id
    item = AssessmentInput(key, stage(program, "design"), TODAY, 5, 5, 3, 4, 3)
    assessments.record_assessments(app_db, USER, program.id, [item])
    record(app_db, program, activity_type_id=kind(program, "citizen_forum"), title="Foro")
    at = open_page(program_id=program.id)
    assert not [e for e in at.expander if e.label.startswith("Evidencia")]  # only when chosen
    show(at, "ogp")
    texts = [m.value for m in at.markdown]
    assert any(
        "Foro multiactor se reúne al menos cada seis meses" in t and "verde" in t for t in texts
    )
    assert any("Respuesta razonada a los aportes" in t and "ámbar" in t for t in texts)
    assert table(at, "Qué").iloc[0, 1] == "Foro"
    show(at, "stale")
    stale = table(at, "Días sin actividad")
    assert list(stale["Actor"]) == ["Alcaldía"] and list(stale["Días sin actividad"]) == ["nunca"]


def test_since_last_mentoring_call(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    record(app_db, program, activity_type_id=kind(program, "mentoring_session"), title="Mentoría",
           held_on=TODAY - dt.timedelta(days=1))  # fmt: skip
    actors.add_actor(app_db, USER, program.id, {"name": "Nueva Red"})
    at = open_page(program_id=program.id)
    show(at, "since")
    assert at.date_input(key="dashboard.since").value == TODAY - dt.timedelta(days=1)
    found = metrics(at)
    assert found["Actores nuevos"] == "1" and found["Actividades nuevas o editadas"] == "1"
    changed = table(at, "Registro")
    assert "Nueva Red" in set(changed["Registro"])
    at.date_input(key="dashboard.since").set_value(TODAY + dt.timedelta(days=1)).run()
    assert "Nada cambió desde esa fecha." in [i.value for i in at.info]


def test_dashboard_in_english(open_page: Callable[..., AppTest], program: ProgramInfo) -> None:
    at = open_page(lang="en", program_id=program.id)
    assert "People" in metrics(at)
    sections = at.segmented_control(key="dashboard.section")
    assert sections.value == "progress"
    assert list(sections.options)[:2] == ["Stage progress", "Over time"]


@pytest.mark.parametrize(("lang", "label"), [("es", "Personas"), ("en", "People")])
def test_thousands_are_grouped_as_the_programs_countries_write_them(
    open_page: Callable[..., AppTest], app_db: Database, lang: str, label: str
) -> None:
    """Tepic's demo counts 1,236 people: a comma groups thousands in Mexico and in English,
    as the decimal point beside it says (never "1.236", which reads as a decimal)."""
    from engagement.services.exchange import demo

    tepic = demo.load_demo(app_db, Principal("cli"), demo.demo_data("tepic"))
    at = open_page(lang=lang, program_id=tepic.id)
    assert metrics(at)[label] == "1,236"
