"""Program settings: the time zone (used for imported UTC times) is checked by name."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from engagement.model import ProgramInfo
from engagement.storage.db import Database
from engagement.storage.queries import programs as stored_programs

PAGE = "app_pages/settings.py"


def test_a_wrong_time_zone_is_named_and_a_right_one_saved(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert at.text_input(key="settings.program.time_zone").value == "America/Guatemala"
    at.text_input(key="settings.program.time_zone").set_value("Mars/Olympus")
    at.button(key="settings.program.submit").click().run()
    errors = [str(e.value) for e in at.error]
    assert any("«Mars/Olympus» no es un nombre de zona horaria" in e for e in errors), errors
    assert stored_programs.get_program(app_db, program.id).time_zone == "America/Guatemala"
    at.text_input(key="settings.program.time_zone").set_value("America/Bogota")
    at.button(key="settings.program.submit").click().run()
    assert not at.exception
    assert stored_programs.get_program(app_db, program.id).time_zone == "America/Bogota"
