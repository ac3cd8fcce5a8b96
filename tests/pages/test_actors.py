"""AppTests of the actors page: what a program team sees and does, found by widget key."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services.access import users
from engagement.services.registry import actors, assessments, relationships
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.pages.conftest import ROOT, USER
from tests.support.signin import sign_in

PAGE = "app_pages/actors.py"
OTHER = Principal("marta")
OPERATOR = Principal("cli")


def _texts(at: AppTest, kind: str) -> list[str]:
    """Texts of one kind of element, with Markdown escapes removed (as the user reads them)."""
    return [str(e.value).replace("\\", "") for e in getattr(at, kind)]


def _table(at: AppTest, key: str = "actors.table") -> pd.DataFrame:
    return next(d for d in at.dataframe if d.key == key).value


def _table_with(at: AppTest, column: str) -> pd.DataFrame:
    """A read-only table (those carry no key in AppTest) found by one of its columns."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _names(at: AppTest, key: str = "actors.table") -> list[str]:
    return list(_table(at, key)["name"])


def _open(open_page: Callable[..., AppTest], program: ProgramInfo, lang: str = "es") -> AppTest:
    return open_page(PAGE, lang=lang, program_id=program.id)


def _sector(program: ProgramInfo, key: str) -> int:
    return next(s.id for s in program.sectors if s.key == key)


@pytest.fixture
def registry(app_db: Database, program: ProgramInfo) -> dict[str, int]:
    """Three actors in different sectors, places and tags; one tie and two assessments."""
    muni = actors.add_actor(
        app_db,
        USER,
        program.id,
        {
            "name": "Municipalidad de Antigua",
            "sector_id": _sector(program, "municipal_government"),
            "description": "Gobierno local; lidera la agenda de gobierno abierto",
            "tags": ["gobierno abierto"],
            "territory": "Casco urbano",
            "contact_name": "Ana López",
            "contact_email": "ana@muni.gt",
            "consent_to_contact": True,
        },
    )
    assoc = actors.add_actor(
        app_db,
        USER,
        program.id,
        {
            "name": "Asociación de Vecinos San Felipe",
            "sector_id": _sector(program, "community_organisation"),
            "description": "Junta vecinal de la aldea",
            "tags": ["aldeas", "agua"],
            "territory": "Aldea San Felipe",
        },
    )
    uni = actors.add_actor(
        app_db,
        USER,
        program.id,
        {
            "name": "Universidad del Valle",
            "sector_id": _sector(program, "academia"),
            "description": "Investigación sobre datos abiertos",
            "tags": ["datos"],
            "territory": "Casco urbano",
        },
    )
    tie = next(t for t in program.tie_types if t.key == "collaborates")
    relationships.add_relationship(
        app_db,
        USER,
        program.id,
        {"source_id": muni.id, "target_id": assoc.id, "tie_type_id": tie.id, "strength": 3},
    )
    stages = program.stages
    assessments.record_assessments(
        app_db,
        USER,
        program.id,
        [
            AssessmentInput(muni.id, stages[0].id, dt.date(2024, 2, 1), 4, 3, 2, 4, 2),
            AssessmentInput(muni.id, stages[1].id, dt.date(2024, 6, 1), 5, 5, 4, 5, 3),
        ],
    )
    return {"muni": muni.id, "assoc": assoc.id, "uni": uni.id}


def test_add_actor_through_the_form_shows_it_in_the_table(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = _open(open_page, program)
    at.text_input(key="actors.add.name").set_value("Cámara de Comercio")
    at.selectbox(key="actors.add.sector_id").set_value(_sector(program, "private_sector"))
    at.multiselect(key="actors.add.tags").set_value(["comercio"])
    at.text_input(key="actors.add.territory").set_value("Casco urbano")
    at.text_input(key="actors.add.contact_email").set_value("info@camara.gt")
    at.button(key="actors.add.submit").click().run()
    assert not at.exception
    assert "Se agregó «Cámara de Comercio» al registro." in _texts(at, "success")
    table = _table(at)
    assert list(table["name"]) == ["Cámara de Comercio"]
    assert list(table["sector"].iloc[0]) == ["Sector privado"]
    assert list(table["tags"].iloc[0]) == ["comercio"]
    # The form is empty again and the new actor's profile is open.
    assert at.text_input(key="actors.add.name").value == ""
    assert at.subheader[0].value == "Cámara de Comercio"
    stored = stored_registry.actors_frame(app_db, program.id)
    assert list(stored["contact_email"]) == ["info@camara.gt"]


def test_invalid_email_shows_the_field_message_and_writes_nothing(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = _open(open_page, program)
    at.text_input(key="actors.add.name").set_value("Radio Comunitaria")
    at.text_input(key="actors.add.contact_email").set_value("radio-at-mail")
    at.text_input(key="actors.add.website").set_value("no es una web")
    at.button(key="actors.add.submit").click().run()
    errors = _texts(at, "error")
    assert "«Correo de contacto»: «radio-at-mail» no es un correo electrónico válido." in errors
    assert any("«Sitio web»" in e and "no es una dirección web válida" in e for e in errors)
    assert "Hay 2 problema(s); no se guardó nada." in errors
    assert stored_registry.actors_frame(app_db, program.id).empty
    # What the user typed is still there to correct.
    assert at.text_input(key="actors.add.name").value == "Radio Comunitaria"


def test_missing_name_is_named(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = _open(open_page, program)
    at.button(key="actors.add.submit").click().run()
    assert "«Nombre»: es obligatorio." in _texts(at, "error")
    assert stored_registry.actors_frame(app_db, program.id).empty


def test_duplicate_name_ignoring_case_and_accents_is_refused(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _open(open_page, program)
    at.text_input(key="actors.add.name").set_value("  municipalidad DE antigua ")
    at.button(key="actors.add.submit").click().run()
    assert any(
        "Ya existe un actor llamado «Municipalidad de Antigua»" in e for e in _texts(at, "error")
    )
    assert len(stored_registry.actors_frame(app_db, program.id)) == 3


def test_search_and_filters_narrow_the_table(
    open_page: Callable[..., AppTest], program: ProgramInfo, registry: dict[str, int]
) -> None:
    at = _open(open_page, program)
    assert len(_names(at)) == 3
    at.text_input(key="actors.search").set_value("ASOCIACION").run()
    assert _names(at) == ["Asociación de Vecinos San Felipe"]
    at.text_input(key="actors.search").set_value("datos abiertos").run()  # in the description
    assert _names(at) == ["Universidad del Valle"]
    at.text_input(key="actors.search").set_value("").run()
    at.multiselect(key="actors.territories").set_value(["Casco urbano"]).run()
    assert _names(at) == ["Municipalidad de Antigua", "Universidad del Valle"]
    assert any(c.startswith("Mostrando 2 de 3 · haga clic") for c in _texts(at, "caption"))
    at.multiselect(key="actors.sectors").set_value([_sector(program, "academia")]).run()
    assert _names(at) == ["Universidad del Valle"]
    at.multiselect(key="actors.sectors").set_value([]).run()
    at.multiselect(key="actors.territories").set_value([]).run()
    at.multiselect(key="actors.tags").set_value(["agua"]).run()
    assert _names(at) == ["Asociación de Vecinos San Felipe"]
    at.multiselect(key="actors.tags").set_value(["datos"]).run()
    at.text_input(key="actors.search").set_value("municipal").run()
    assert not any(d.key == "actors.table" for d in at.dataframe)
    assert "No hay filas que mostrar con estos filtros." in _texts(at, "info")


def test_table_shows_current_engagement_and_personal_data_only_in_the_detail(
    open_page: Callable[..., AppTest], program: ProgramInfo, registry: dict[str, int]
) -> None:
    at = _open(open_page, program)
    table = _table(at).set_index("name")
    assert table.loc["Municipalidad de Antigua", "engagement"] == "Apoya"
    assert table.loc["Universidad del Valle", "engagement"] == "Sin evaluar"
    assert "contact_email" not in table.columns
    assert not any("ana@muni.gt" in m for m in _texts(at, "markdown"))
    # Clicking the row opens the profile.
    at.session_state["actors.table"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert at.subheader[0].value == "Municipalidad de Antigua"
    markdown = _texts(at, "markdown")
    assert ":material/shield_person: **Datos personales**" in markdown
    assert "Correo de contacto: ana@muni.gt" in markdown
    assert "Consiente ser contactado: **Sí**" in markdown
    assert [t.label for t in at.tabs] == ["Historial de evaluaciones (2)", "Vínculos (1)"]
    history = _table_with(at, "Poder")
    assert list(history["Poder"]) == [5, 4]  # newest first
    ties = _table_with(at, "other")
    assert list(ties["other"]) == ["Asociación de Vecinos San Felipe"]
    assert list(ties["way"]) == ["↔"]


def _choose(at: AppTest, actor_id: int) -> AppTest:
    at.selectbox(key="actors.chooser").set_value(actor_id).run()
    assert not at.exception
    return at


def test_edit_form_saves_and_names_bad_fields(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _choose(_open(open_page, program), registry["uni"])
    assert at.text_input(key="actors.edit.name").value == "Universidad del Valle"
    at.text_input(key="actors.edit.contact_phone").set_value("llamar al rector")
    at.button(key="actors.edit.submit").click().run()
    assert any("«Teléfono de contacto»" in e for e in _texts(at, "error"))
    assert stored_registry.get_actor(app_db, registry["uni"]).contact_phone == ""
    at.text_input(key="actors.edit.contact_phone").set_value("+502 2222 3333")
    at.text_input(key="actors.edit.name").set_value("Universidad del Valle de Guatemala")
    at.button(key="actors.edit.submit").click().run()
    assert "Se guardaron los cambios de «Universidad del Valle de Guatemala»." in _texts(
        at, "success"
    )
    saved = stored_registry.get_actor(app_db, registry["uni"])
    assert (saved.name, saved.contact_phone) == (
        "Universidad del Valle de Guatemala",
        "+502 2222 3333",
    )
    assert "Universidad del Valle de Guatemala" in _names(at)


def test_edit_form_refuses_a_stale_save_and_reloads(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _choose(_open(open_page, program), registry["uni"])
    actors.update_actor(app_db, OTHER, registry["uni"], {"territory": "Zona 10"}, None)
    at.text_area(key="actors.edit.description").set_value("Mi cambio")
    at.button(key="actors.edit.submit").click().run()
    stale = [e for e in _texts(at, "error") if e.startswith("No se guardó: marta modificó")]
    assert stale and "«Universidad del Valle»" in stale[0]
    assert stored_registry.get_actor(app_db, registry["uni"]).description.startswith(
        "Investigación"
    )
    at.button(key="actors.edit.reload").click().run()
    assert at.text_input(key="actors.edit.territory").value == "Zona 10"
    assert not _texts(at, "error")


def _quick(at: AppTest, edited_rows: dict[int, dict[str, object]]) -> AppTest:
    at.segmented_control(key="actors.view").set_value("quick").run()
    round_ = at.session_state.get("actors.quick_round", 0)
    at.session_state[f"actors.quick_editor.{round_}"] = {
        "edited_rows": edited_rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    return at


def test_quick_edit_shows_the_diff_then_saves(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _open(open_page, program)
    # Rows by name: Asociación (0), Municipalidad (1), Universidad (2).
    at = _quick(
        at,
        {
            0: {"name": "Asociación Vecinal San Felipe", "tags": ["aldeas", "agua", "riego"]},
            2: {"sector": "Sector privado", "territory": "Casco urbano"},  # territory unchanged
        },
    )
    markdown = _texts(at, "markdown")
    assert "**Cambios por guardar en 2 actor(es):**" in markdown
    diff = "\n".join(markdown)
    assert "Nombre: Asociación de Vecinos San Felipe → Asociación Vecinal San Felipe" in diff
    assert "Etiquetas: aldeas, agua → aldeas, agua, riego" in diff
    assert "Sector: Academia → Sector privado" in diff
    assert "Territorio" not in diff
    # Nothing is written before the confirmation.
    assert (
        stored_registry.get_actor(app_db, registry["assoc"]).name
        == "Asociación de Vecinos San Felipe"
    )
    at.button(key="actors.quick_save").click().run()
    assert "Se guardaron los cambios de 2 actor(es)." in _texts(at, "success")
    assert stored_registry.get_actor(app_db, registry["assoc"]).tags == ("aldeas", "agua", "riego")
    assert stored_registry.get_actor(app_db, registry["uni"]).sector_id == _sector(
        program, "private_sector"
    )
    assert not any(m.startswith("**Cambios por guardar") for m in _texts(at, "markdown"))


def test_quick_edit_with_a_bad_value_names_row_and_field_and_writes_nothing(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _quick(
        _open(open_page, program),
        {0: {"territory": "Aldea Norte"}, 2: {"website": "no es web"}},
    )
    at.button(key="actors.quick_save").click().run()
    error = next(e for e in _texts(at, "error") if e.startswith("Hay 1 problema"))
    assert "Fila 3 (Universidad del Valle)" in error and "«Sitio web»" in error
    assert stored_registry.get_actor(app_db, registry["assoc"]).territory == "Aldea San Felipe"


def test_quick_edit_over_a_newer_change_is_refused_with_who_and_when(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _quick(_open(open_page, program), {1: {"territory": "Todo el municipio"}})
    actors.update_actor(app_db, OTHER, registry["muni"], {"description": "Otra"}, None)
    at.button(key="actors.quick_save").click().run()
    stale = next(e for e in _texts(at, "error") if e.startswith("No se guardó"))
    assert "marta modificó este actor («Municipalidad de Antigua»)" in stale
    assert stored_registry.get_actor(app_db, registry["muni"]).territory == "Casco urbano"
    at.button(key="actors.quick_reload").click().run()
    assert not any(m.startswith("**Cambios por guardar") for m in _texts(at, "markdown"))
    editor = at.data_editor[0].value
    assert editor.loc[1, "description"] == "Otra"


def test_delete_with_confirmation_and_restore(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _choose(_open(open_page, program), registry["muni"])
    at.button(key="actors.delete").click().run()
    warning = _texts(at, "warning")[-1]
    assert "¿Eliminar a «Municipalidad de Antigua» del registro?" in warning
    assert "Sus 2 evaluaciones y 1 vínculos se conservan" in warning
    at.button(key="actors.delete_cancel").click().run()
    assert "Municipalidad de Antigua" in _names(at)
    at.button(key="actors.delete").click().run()
    at.button(key="actors.delete_confirm").click().run()
    assert any("Se eliminó «Municipalidad de Antigua»" in s for s in _texts(at, "success"))
    assert "Municipalidad de Antigua" not in _names(at)
    assert at.selectbox(key="actors.chooser").value is None

    at.segmented_control(key="actors.view").set_value("deleted").run()
    assert list(_table_with(at, "name")["name"]) == ["Municipalidad de Antigua"]
    at.selectbox(key="actors.restore_choice").set_value(registry["muni"])
    at.button(key="actors.restore").click().run()
    assert any("Se restauró «Municipalidad de Antigua»" in s for s in _texts(at, "success"))
    assert "Municipalidad de Antigua" in _names(at)
    # History and ties come back with it.
    assert [t.label for t in at.tabs] == ["Historial de evaluaciones (2)", "Vínculos (1)"]
    assert len(stored_registry.assessments_frame(app_db, program.id, registry["muni"])) == 2


def test_restore_refuses_a_name_taken_meanwhile(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    actors.delete_actor(app_db, USER, registry["uni"])
    actors.add_actor(app_db, USER, program.id, {"name": "UNIVERSIDAD del valle"})
    at = _open(open_page, program)
    at.segmented_control(key="actors.view").set_value("deleted").run()
    at.button(key="actors.restore").click().run()
    assert any(
        "Ya existe un actor llamado «UNIVERSIDAD del valle»" in e for e in _texts(at, "error")
    )


def test_english_labels(
    open_page: Callable[..., AppTest], program: ProgramInfo, registry: dict[str, int]
) -> None:
    at = _open(open_page, program, lang="en")
    assert at.title[0].value == "Actors"
    assert at.text_input(key="actors.search").label == "Search"
    assert at.multiselect(key="actors.sectors").label == "Sector"
    assert at.multiselect(key="actors.territories").label == "Territory / zone"
    assert at.button(key="actors.add.submit").label == "Add actor"
    table = _table(at).set_index("name")
    assert list(table.loc["Universidad del Valle", "sector"]) == ["Academia"]
    assert table.loc["Municipalidad de Antigua", "engagement"] == "Supportive"
    at = _choose(at, registry["muni"])
    assert "Contact email: ana@muni.gt" in _texts(at, "markdown")
    assert [t.label for t in at.tabs] == ["Assessment history (2)", "Ties (1)"]


def test_deleted_view_says_when_nothing_was_deleted(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    at = _open(open_page, program)
    at.segmented_control(key="actors.view").set_value("deleted").run()
    assert "No hay actores eliminados." in _texts(at, "info")
    actors.delete_actor(app_db, USER, registry["uni"])
    at.text_input(key="actors.search").set_value("municipal").run()
    assert "Ningún actor eliminado coincide con estos filtros." in _texts(at, "info")


# --- roles: the page offers only what the user's role allows ---------------------------


def _signed_in(
    monkeypatch: pytest.MonkeyPatch, program: ProgramInfo, username: str, **state: object
) -> AppTest:
    """The actors page for a signed-in user (password mode), without the sign-in screen."""
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for key, value in {
        "tejido.lang": "es",
        "tejido.program_id": program.id,
        **state,
    }.items():
        at.session_state[key] = value
    sign_in(at, username)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _member(app_db: Database, program: ProgramInfo, username: str, role: str) -> None:
    users.create_user(app_db, OPERATOR, username, f"clave-de-{username}-larga")
    users.set_role(app_db, OPERATOR, username, program.id, role)


def test_a_viewer_reads_without_personal_data_or_edit_controls(
    monkeypatch: pytest.MonkeyPatch,
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    actors.update_actor(app_db, USER, registry["uni"], {"confidentiality": "restricted"}, None)
    _member(app_db, program, "alcaldia", "viewer")
    at = _signed_in(monkeypatch, program, "alcaldia")
    assert "Solo lectura" in _texts(at, "info")[0]
    assert _names(at) == ["Asociación de Vecinos San Felipe", "Municipalidad de Antigua"]
    assert not [b for b in at.button if b.key == "actors.add.submit"]
    assert at.segmented_control(key="actors.view").options == ["Registro", "Eliminados"]
    at = _choose(at, registry["muni"])
    markdown = " ".join(_texts(at, "markdown"))
    assert "ana@muni.gt" not in markdown and "Ana López" not in markdown
    assert "Los datos personales solo los ven" in " ".join(_texts(at, "caption"))
    keys = {b.key for b in at.button}
    assert "actors.delete" not in keys and "actors.edit.submit" not in keys


def test_a_facilitator_adds_and_edits_without_touching_hidden_contact_data(
    monkeypatch: pytest.MonkeyPatch,
    app_db: Database,
    program: ProgramInfo,
    registry: dict[str, int],
) -> None:
    _member(app_db, program, "facilita", "facilitator")
    at = _signed_in(monkeypatch, program, "facilita")
    assert not [t for t in at.text_input if t.key == "actors.add.contact_email"]
    at.text_input(key="actors.add.name").set_value("Mercado La Terminal")
    at.button(key="actors.add.submit").click().run()
    new_id = int(stored_registry.actors_frame(app_db, program.id).set_index("name").loc[
        "Mercado La Terminal", "id"
    ])  # fmt: skip
    # While the facilitator has it open, a lead records the contact email.
    actors.update_actor(app_db, USER, new_id, {"contact_email": "admin@terminal.gt"}, None)
    at.text_area(key="actors.edit.description").set_value("Mercado mayorista")
    at.button(key="actors.edit.submit").click().run()
    assert any(e.startswith("No se guardó: local modificó") for e in _texts(at, "error"))
    at.button(key="actors.edit.reload").click().run()
    at.text_area(key="actors.edit.description").set_value("Mercado mayorista")
    at.button(key="actors.edit.submit").click().run()
    saved = stored_registry.get_actor(app_db, new_id)
    assert (saved.description, saved.contact_email) == ("Mercado mayorista", "admin@terminal.gt")
    # Someone else's actor: no edit form is offered (the service would refuse it).
    at = _choose(at, registry["uni"])
    assert not [t for t in at.text_input if t.key == "actors.edit.territory"]
    assert not [b for b in at.button if b.key in ("actors.edit.submit", "actors.delete")]


def test_presentation_mode_is_read_only(
    open_page: Callable[..., AppTest], program: ProgramInfo, registry: dict[str, int]
) -> None:
    at = _open(open_page, program)
    at.session_state["tejido.presentation"] = True
    at.run()
    assert any(i.startswith("Modo presentación") for i in _texts(at, "info"))
    assert not [b for b in at.button if b.key == "actors.add.submit"]


def test_the_registry_opens_with_room_for_whole_names(
    open_page: Callable[..., AppTest], program: ProgramInfo, registry: dict[str, int]
) -> None:
    """At a laptop's width the name takes the room the territory had: half the demo
    programs' names are longer than 38 characters, and 400 px holds about 55."""
    at = _open(open_page, program)
    table = next(d for d in at.dataframe if d.key == "actors.table")
    assert list(table.proto.column_order) == ["name", "sector", "engagement", "assessed_on"]
    name = json.loads(table.proto.columns)["name"]
    assert name["pinned"] and name["width"] >= 400
    at.toggle(key="actors.table.more").set_value(True).run()
    table = next(d for d in at.dataframe if d.key == "actors.table")
    assert "territory" in table.proto.column_order
