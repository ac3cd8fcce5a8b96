"""Two people in one server process never see each other's selections or edits."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from engagement.model import Principal, ProgramInfo
from engagement.services.registry import actors, programs
from engagement.storage.db import Database


def test_two_sessions_keep_their_own_language_program_filters_and_drafts(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    other = programs.create_program(app_db, Principal("cli"), "Tepic abierto")
    actors.add_actor(app_db, Principal("cli"), program.id, {"name": "INGUAT"})
    actors.add_actor(app_db, Principal("cli"), other.id, {"name": "IMPLAN Tepic"})

    ana = open_page("app_pages/actors.py", lang="es", program_id=program.id)
    luis = open_page("app_pages/actors.py", lang="en", program_id=other.id)
    ana.text_input(key="actors.search").input("ingu").run()
    luis.run()

    assert luis.session_state["tejido.lang"] == "en"
    assert ana.session_state["tejido.lang"] == "es"
    assert luis.session_state["tejido.program_id"] == other.id
    assert luis.text_input(key="actors.search").value == ""
    assert ana.text_input(key="actors.search").value == "ingu"
    assert "IMPLAN Tepic" in luis.dataframe[0].value.to_string()
    assert "IMPLAN Tepic" not in ana.dataframe[0].value.to_string()
    assert "INGUAT" in ana.dataframe[0].value.to_string()
    assert luis.title[0].value != ana.title[0].value  # each in their own language
