from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, ProgramInfo
from engagement.services.registry import actors, assessments
from engagement.storage.db import Database
from tests.pages.conftest import USER


def test_home_without_programs_says_how_to_start(open_page: Callable[..., AppTest]) -> None:
    at = open_page()
    assert "Aún no hay programas" in at.sidebar.info[0].value
    assert "Elija o cree un programa" in at.info[0].value


def test_home_shows_counts_of_the_program(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    a = actors.add_actor(app_db, USER, program.id, {"name": "Municipalidad"})
    actors.add_actor(app_db, USER, program.id, {"name": "INGUAT"})
    item = AssessmentInput(a.id, program.stages[0].id, dt.date(2024, 3, 1), 5, 5, 4, 5, 3)
    assessments.record_assessments(app_db, USER, program.id, [item])
    at = open_page("app_pages/home.py", program_id=program.id)
    assert at.header[0].value == "Impulso Local"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Actores": "2",
        "Vínculos": "0",
        "Actores evaluados": "1",
        "Evaluaciones registradas": "1",
    }
    assert "Diseño → Co-diseño → Acompañamiento a la implementación" in [
        m.value for m in at.markdown
    ]


def test_home_in_english(open_page: Callable[..., AppTest], program: ProgramInfo) -> None:
    at = open_page("app_pages/home.py", lang="en", program_id=program.id)
    assert "Actors" in [m.label for m in at.metric]
    assert at.subheader[0].value == "Program stages"
