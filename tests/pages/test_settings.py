"""Program settings page: create and edit programs, and their ordered lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import Principal, ProgramInfo
from engagement.services.access import users
from engagement.services.registry import actors, programs
from engagement.storage.db import Database
from engagement.storage.queries import programs as stored_programs
from tests.pages.conftest import ROOT, USER
from tests.support.signin import sign_in

PAGE = "app_pages/settings.py"


def overview(at: AppTest, tab: int) -> pd.DataFrame:
    """The table of one list; tabs: 0 program, 1 lists, 2-5 stages..activity types, 6 new."""
    frame: pd.DataFrame = at.tabs[tab].dataframe[0].value
    return frame


def messages(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_create_the_first_program_and_it_becomes_the_chosen_one(
    open_page: Callable[..., AppTest], app_db: Database
) -> None:
    at = open_page(PAGE)
    assert at.subheader[0].value == "Crear un programa"
    at.text_input(key="settings.create.name").set_value("Ciudades Abiertas — Tepic")
    at.text_input(key="settings.create.municipality").set_value("Tepic")
    at.text_input(key="settings.create.country").set_value("México")
    at.date_input(key="settings.create.start_date").set_value(dt.date(2024, 2, 1))
    at.number_input(key="settings.create.power_threshold").set_value(4)
    at.button(key="settings.create.submit").click().run()

    assert not at.exception
    assert at.success[0].value == (
        "Programa «Ciudades Abiertas — Tepic» creado y elegido en la barra lateral."
    )
    assert at.header[0].value == "Ciudades Abiertas — Tepic"
    created = programs.find_program(app_db, "Ciudades Abiertas — Tepic")
    assert at.session_state["tejido.program_id"] == created.id
    assert (created.municipality, created.country, created.power_threshold) == (
        "Tepic",
        "México",
        4,
    )
    assert created.start_date == dt.date(2024, 2, 1)
    assert created.stages[0].label_es == "Diseño"
    # A new visit lists it in the sidebar's program chooser.
    again = open_page()
    chooser = again.sidebar.selectbox(key="tejido.program_id")
    assert chooser.options == ["Ciudades Abiertas — Tepic"]


def test_a_second_program_from_the_new_program_tab(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.text_input(key="settings.create.name").set_value("Impulso Local")
    at.button(key="settings.create.submit").click().run()
    assert "Ya existe un programa llamado «Impulso Local»." in messages(at)
    at.text_input(key="settings.create.name").set_value("Gobierno Abierto Xela")
    at.button(key="settings.create.submit").click().run()
    assert at.header[0].value == "Gobierno Abierto Xela"
    assert at.session_state["tejido.program_id"] != program.id
    assert at.text_input(key="settings.create.name").value == ""  # the form is ready again


def test_edit_the_program_and_its_settings(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert at.text_input(key="settings.program.municipality").value == "Antigua Guatemala"
    assert at.checkbox(key="settings.program.illustrative").value is False
    at.text_area(key="settings.program.description").set_value("Co-creación del plan local")
    at.number_input(key="settings.program.stale_days").set_value(30)
    at.checkbox(key="settings.program.illustrative").check()
    at.button(key="settings.program.submit").click().run()

    assert at.success[0].value == "Cambios guardados."
    assert "Datos ilustrativos" in at.info[0].value  # the flag shows on the page
    saved = stored_programs.get_program(app_db, program.id)
    assert (saved.description, saved.stale_days, saved.illustrative) == (
        "Co-creación del plan local",
        30,
        True,
    )


def test_threshold_out_of_range_names_the_field_and_changes_nothing(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.number_input(key="settings.program.power_threshold").set_value(9)
    at.text_input(key="settings.program.country").set_value("Guatemala (Sacatepéquez)")
    at.button(key="settings.program.submit").click().run()

    assert (
        "«Umbral de poder/interés»: debe ser un número entero entre 1 y 5 (se recibió «9»)."
        in messages(at)
    )
    assert at.number_input(key="settings.program.power_threshold").value == 9  # kept to fix
    saved = stored_programs.get_program(app_db, program.id)
    assert (saved.power_threshold, saved.country) == (3, "Guatemala")


def test_saving_over_a_newer_edit_is_refused_and_can_reload(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    programs.update_program(
        app_db,
        Principal("ana"),
        program.id,
        {"municipality": "La Antigua Guatemala"},
        program.version,
    )
    at.text_area(key="settings.program.description").set_value("Mi cambio")
    at.button(key="settings.program.submit").click().run()

    stale = [m for m in messages(at) if m.startswith("No se guardó: ana modificó este programa")]
    assert stale and "«Impulso Local»" in stale[0]
    assert stored_programs.get_program(app_db, program.id).description == ""
    at.button(key="settings.program.reload").click().run()
    assert at.text_input(key="settings.program.municipality").value == "La Antigua Guatemala"
    assert at.text_area(key="settings.program.description").value == ""
    assert messages(at) == []


def test_rename_a_sector_in_both_languages_with_other_names(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    media = next(s for s in program.sectors if s.key == "media")
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key="settings.sector.chosen").set_value(media.id).run()
    assert at.text_input(key="settings.sector.edit.label_es").value == "Medios de comunicación"
    at.text_input(key="settings.sector.edit.label_es").set_value("Medios y radios comunitarias")
    at.text_input(key="settings.sector.edit.label_en").set_value("Media and community radio")
    at.text_input(key="settings.sector.edit.aliases").set_value("Radio | Prensa | Radio")
    at.button(key="settings.sector.edit.submit").click().run()

    assert "Se guardó «Medios y radios comunitarias»." in [s.value for s in at.success]
    table = overview(at, 3)
    row = table[table["Nombre en español"] == "Medios y radios comunitarias"].iloc[0]
    assert row["Nombre en inglés"] == "Media and community radio"
    assert row["Otros nombres"] == "Radio | Prensa"
    saved = next(
        s for s in stored_programs.get_program(app_db, program.id).sectors if s.id == media.id
    )
    assert saved.aliases == ("Radio", "Prensa")


def test_renaming_to_another_entrys_name_is_refused_under_the_field(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    media = next(s for s in program.sectors if s.key == "media")
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key="settings.sector.chosen").set_value(media.id).run()
    at.text_input(key="settings.sector.edit.label_es").set_value("academia")
    at.button(key="settings.sector.edit.submit").click().run()
    assert (
        "Ya hay en esta lista una entrada que se llama o también se conoce como «academia»"
        " (sin contar mayúsculas ni tildes). Use otro nombre." in messages(at)
    )


def test_reorder_stages(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    last = program.stages[2]
    at = open_page(PAGE, program_id=program.id)
    assert at.button(key="settings.stage.order.up").disabled  # the first is chosen
    at.selectbox(key="settings.stage.chosen").set_value(last.id).run()
    assert at.button(key="settings.stage.order.down").disabled
    at.button(key="settings.stage.order.up").click().run()

    assert "Orden actualizado." in [s.value for s in at.success]
    expected = ["Diseño", "Acompañamiento a la implementación", "Co-diseño"]
    assert overview(at, 2)["Nombre en español"].tolist() == expected
    assert [s.label_es for s in stored_programs.get_program(app_db, program.id).stages] == expected
    assert overview(at, 2)["Cerrada el"].tolist() == ["", "", ""]
    assert at.selectbox(key="settings.stage.chosen").value == last.id  # still chosen


def test_removing_a_sector_in_use_is_refused_with_a_clear_message(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    academia = next(s for s in program.sectors if s.key == "academia")
    actors.add_actor(app_db, USER, program.id, {"name": "USAC", "sector_id": academia.id})
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key="settings.sector.chosen").set_value(academia.id).run()
    at.button(key="settings.sector.order.remove").click().run()

    assert messages(at) == [
        "No se puede quitar «Academia»: lo usan 1 actor(es) (también cuentan los eliminados,"
        " que se pueden restaurar). Asígneles otro sector y vuelva a intentarlo, o cámbiele"
        " el nombre."
    ]
    assert "Academia" in overview(at, 3)["Nombre en español"].tolist()
    assert any(s.id == academia.id for s in stored_programs.get_program(app_db, program.id).sectors)
    # Choosing another entry leaves the refusal behind.
    at.selectbox(key="settings.sector.chosen").set_value(program.sectors[0].id).run()
    assert messages(at) == []


def test_removing_an_unused_sector(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    media = next(s for s in program.sectors if s.key == "media")
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key="settings.sector.chosen").set_value(media.id).run()
    at.button(key="settings.sector.order.remove").click().run()
    assert "Se quitó «Medios de comunicación»." in [s.value for s in at.success]
    assert "Medios de comunicación" not in overview(at, 3)["Nombre en español"].tolist()
    assert all(s.id != media.id for s in stored_programs.get_program(app_db, program.id).sectors)


def test_add_a_negative_tie_type_in_english(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.text_input(key="settings.tie_type.add.label_es").set_value("Compite con")
    at.text_input(key="settings.tie_type.add.label_en").set_value("Competes with")
    at.checkbox(key="settings.tie_type.add.negative").check()
    at.button(key="settings.tie_type.add.submit").click().run()

    assert "“Competes with” added at the end of the list." in [s.value for s in at.success]
    table = overview(at, 4)
    assert table.iloc[-1]["Spanish name"] == "Compite con"
    assert table.iloc[-1]["Negative tie (conflict)"] == "Yes"
    added = stored_programs.get_program(app_db, program.id).tie_types[-1]
    assert (added.label_en, added.negative, added.directed) == ("Competes with", True, True)
    assert at.selectbox(key="settings.tie_type.chosen").value == added.id  # ready to edit


def test_adding_without_a_name_names_the_field(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.button(key="settings.stage.add.submit").click().run()
    assert "«Nombre en español»: es obligatorio." in messages(at)


def test_forms_are_filled_again_after_visiting_another_page(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.switch_page("app_pages/home.py")
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert at.text_input(key="settings.program.name").value == "Impulso Local"
    assert at.text_input(key="settings.program.municipality").value == "Antigua Guatemala"
    assert at.text_input(key="settings.stage.edit.label_es").value == "Diseño"


def _signed_in_as(
    monkeypatch: pytest.MonkeyPatch, app_db: Database, role: str, program: ProgramInfo | None
) -> AppTest:
    """The page for a signed-in user (password mode, sign-in skipped)."""
    operator = Principal("cli")
    users.create_user(app_db, operator, "maria", "clave-de-maria-larga")
    if program is not None:
        users.set_role(app_db, operator, "maria", program.id, role)
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["tejido.lang"] = "es"
    sign_in(at, "maria")
    at.run()
    at.switch_page(PAGE)
    return at.run()


def test_a_mentor_reads_the_settings_without_changing_them(
    monkeypatch: pytest.MonkeyPatch, app_db: Database, program: ProgramInfo
) -> None:
    at = _signed_in_as(monkeypatch, app_db, "mentor", program)
    assert not at.exception
    assert "solo quien lidera el programa puede cambiarla" in at.info[-1].value
    assert [t.label for t in at.tabs][:2] == ["Datos y umbrales", "Listas"]
    assert "Nuevo programa" not in [t.label for t in at.tabs]
    assert not [b for b in at.button if str(b.key).startswith("settings.")]
    assert at.tabs[0].dataframe[0].value["Umbral de poder/interés"].tolist() == [3]
    assert overview(at, 2)["Nombre en español"].tolist()[0] == "Diseño"


def test_a_user_without_programs_is_told_whom_to_ask(
    monkeypatch: pytest.MonkeyPatch, app_db: Database, program: ProgramInfo
) -> None:
    at = _signed_in_as(monkeypatch, app_db, "", None)
    # The page or the sidebar tells them whom to ask (an administrator or a program's lead).
    told = " ".join(i.value for i in at.info)
    assert "Pida a quien administra Tejido" in told or "Pida a quien lidera el programa" in told
    assert not [b for b in at.button if b.key == "settings.create.submit"]
