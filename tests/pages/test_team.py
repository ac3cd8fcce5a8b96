"""Team page: roles, one-time accounts, one person's data and erasure, backups."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import Principal, ProgramInfo
from engagement.services.access import users
from engagement.services.registry import actors
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.support.signin import sign_in

CLI = Principal("cli")


def test_lead_gives_roles_and_creates_one_time_accounts(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    users.create_user(app_db, CLI, "mentora", "clave-mentora")
    at = open_page("app_pages/team.py", program_id=program.id)
    # Single-user mode: the page says why "your role" is Lead while nobody has a role.
    assert "Modo de un solo usuario" in at.info[0].value
    assert "Nadie más tiene todavía un rol" in at.info[0].value
    at.selectbox(key="team.who").set_value("mentora")
    at.selectbox(key="team.role").set_value("mentor")
    at.button[0].click().run()  # "Guardar rol"
    assert users.get_user(app_db, "mentora").roles == ((program.id, "mentor"),)
    assert "mentora: ahora «Mentoría»" in at.success[0].value
    at.text_input(key="team.new_username").input("facilitador1")
    at.button[1].click().run()  # "Crear cuenta"
    assert "contraseña de un solo uso" in at.success[0].value
    assert users.get_user(app_db, "facilitador1").must_change_password


def test_a_new_account_gets_its_role_at_once_and_its_password_stays_until_hidden(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("app_pages/team.py", program_id=program.id)
    at.text_input(key="team.new_username").input("alcaldia")
    at.selectbox(key="team.new_role").set_value("viewer")
    next(b for b in at.button if b.label == "Crear cuenta").click().run()
    assert users.get_user(app_db, "alcaldia").roles == ((program.id, "viewer"),)
    password = at.code[0].value
    assert "«alcaldia» creada, con el rol «Consulta»" in at.success[0].value
    # The new account is in the table and the role chooser at once.
    assert "alcaldia" in list(at.dataframe[0].value["Usuario"])
    assert "alcaldia" in at.selectbox(key="team.who").options
    # Other work on the page (a role saved) does not hide the password.
    at.selectbox(key="team.who").set_value("alcaldia")
    at.selectbox(key="team.role").set_value("mentor")
    next(b for b in at.button if b.label == "Guardar rol").click().run()
    assert users.get_user(app_db, "alcaldia").roles == ((program.id, "mentor"),)
    assert [c.value for c in at.code] == [password]
    at.button(key="team.one_time_done").click().run()
    assert not at.code
    assert users.authenticate(app_db, "alcaldia", password).username == "alcaldia"


def test_an_administrator_without_members_is_told_how_they_lead(
    app_db: Database,
    program: ProgramInfo,
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    users.create_user(app_db, CLI, "ana", "clave-de-ana-123", admin=True)
    at = open_page(program_id=program.id)
    sign_in(at, "ana")
    at.run()
    at.switch_page("app_pages/team.py").run()
    assert "Liderazgo" in at.markdown[0].value and "administrador/a" in at.markdown[0].value
    assert "Nadie tiene todavía" not in " ".join(i.value for i in at.info)
    assert "lo lidera sin necesitar" in at.info[0].value


def test_person_data_erasure_needs_confirmation(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    citizen = next(s.id for s in program.sectors if s.key == "citizen")
    rosa = actors.add_actor(
        app_db,
        CLI,
        program.id,
        {"name": "Doña Rosa", "sector_id": citizen, "contact_phone": "5555-1234"},
    )
    at = open_page("app_pages/team.py", program_id=program.id)
    at.selectbox(key="team.person").set_value(rosa.id).run()
    assert at.button(key="team.erase").disabled
    at.checkbox(key="team.erase_sure").check().run()
    at.button(key="team.erase").click().run()
    assert stored_registry.get_actor(app_db, rosa.id).contact_phone == ""
    assert at.success[0].value == "Datos personales borrados."


def test_backup_now_offers_a_download(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("app_pages/team.py", lang="en", program_id=program.id)
    at.button(key="team.make_backup").click().run()
    assert isinstance(at.session_state["team.backup_bytes"], bytes)
    assert at.session_state["team.backup_bytes"].startswith(b"SQLite format 3")


def test_mentors_see_their_role_but_not_the_team_tools(
    app_db: Database,
    program: ProgramInfo,
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    users.create_user(app_db, CLI, "mentora", "clave-mentora")
    users.set_role(app_db, CLI, "mentora", program.id, "mentor")
    at = open_page(program_id=program.id)
    sign_in(at, "mentora")
    at.run()
    at.switch_page("app_pages/team.py").run()
    assert "Mentoría" in at.markdown[0].value
    assert "Solo quien lidera" in at.info[0].value
    assert not at.dataframe


def _roles(at: AppTest) -> dict[str, str]:
    """The members table as shown: username -> role (both as the page writes them)."""
    table = at.dataframe[0].value
    return dict(zip(table["Usuario"], table["Rol"], strict=True))


def test_a_role_given_on_the_team_page_shows_in_the_very_next_run(
    app_db: Database,
    program: ProgramInfo,
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The members and candidates are kept per accounts version (issue 10): a role given
    here, or anywhere else (the command line, another server), is in the next run."""
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    users.create_user(app_db, CLI, "lidia", "clave-de-lidia-1")
    users.set_role(app_db, CLI, "lidia", program.id, "lead")
    users.create_user(app_db, CLI, "beto", "clave-de-beto-1")
    at = open_page(program_id=program.id)
    sign_in(at, "lidia")
    at.run()
    at.switch_page("app_pages/team.py").run()
    at.run()  # a warm run: the accounts come from the read cache
    assert _roles(at) == {"lidia": "Liderazgo"}
    at.selectbox(key="team.who").set_value("beto")
    at.selectbox(key="team.role").set_value("mentor")
    next(b for b in at.button if b.label == "Guardar rol").click().run()
    assert _roles(at) == {"beto": "Mentoría", "lidia": "Liderazgo"}
    users.set_role(app_db, CLI, "beto", program.id, "viewer")  # elsewhere
    at.run()
    assert _roles(at) == {"beto": "Consulta", "lidia": "Liderazgo"}
    users.set_active(app_db, CLI, "beto", False)
    at.run()
    table = at.dataframe[0].value
    assert list(table.loc[table["Usuario"] == "beto", "Activa"]) == [False]
    users.create_user(app_db, CLI, "carla", "clave-de-carla-1")
    at.run()
    assert "carla" in at.selectbox(key="team.who").options


def test_one_persons_data_is_read_when_its_download_is_clicked(
    app_db: Database,
    program: ProgramInfo,
    open_page: Callable[..., AppTest],
    deferred_files: dict[str, Callable[[], Any]],
) -> None:
    """The report is no read of every run: the button holds a writer Streamlit calls on
    a click, and what it writes is the person's data as of then."""
    deferred = deferred_files
    citizen = next(s.id for s in program.sectors if s.key == "citizen")
    rosa = actors.add_actor(app_db, CLI, program.id, {"name": "Doña Rosa", "sector_id": citizen})
    at = open_page("app_pages/team.py", program_id=program.id)
    at.selectbox(key="team.person").set_value(rosa.id).run()
    button = next(
        b.proto for b in at.get("download_button") if "team.download_person" in b.proto.id
    )
    assert button.deferred_file_id and not button.url
    actors.update_actor(app_db, CLI, rosa.id, {"contact_phone": "5555-1234"}, rosa.version)
    report = json.loads(deferred[button.deferred_file_id]())
    assert report["actor"]["name"] == "Doña Rosa"
    assert report["actor"]["contact_phone"] == "5555-1234"
