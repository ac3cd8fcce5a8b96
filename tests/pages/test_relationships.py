"""AppTests of the ties page: add, refuse bad ties, edit, delete, restore and filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import Principal, ProgramInfo
from engagement.services.access import users
from engagement.services.registry import actors, relationships
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.pages.conftest import ROOT, USER
from tests.support.signin import sign_in

PAGE = "app_pages/relationships.py"
OTHER = Principal("marta")


def _texts(at: AppTest, kind: str) -> list[str]:
    """Texts of one kind of element, with Markdown escapes removed (as the user reads them)."""
    return [str(e.value).replace("\\", "") for e in getattr(at, kind)]


def _table(at: AppTest) -> pd.DataFrame:
    return next(d for d in at.dataframe if d.key == "relationships.table").value


def _rows(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(source, type, target) of each row; chips are one-item lists."""
    return [
        (s[0], k[0], t[0])
        for s, k, t in zip(table["source"], table["tie_type"], table["target"], strict=True)
    ]


def _tie_type(program: ProgramInfo, key: str) -> int:
    return next(t.id for t in program.tie_types if t.key == key)


@pytest.fixture
def cast(app_db: Database, program: ProgramInfo) -> dict[str, int]:
    names = ("Alcaldía", "Concejo Municipal", "Red Ciudadana", "Prensa Libre")
    return {n: actors.add_actor(app_db, USER, program.id, {"name": n}).id for n in names}


@pytest.fixture
def ties(app_db: Database, program: ProgramInfo, cast: dict[str, int]) -> dict[str, int]:
    def add(source: str, kind: str, target: str, **more: object) -> int:
        fields = {
            "source_id": cast[source],
            "target_id": cast[target],
            "tie_type_id": _tie_type(program, kind),
            **more,
        }
        return relationships.add_relationship(app_db, USER, program.id, fields).id

    return {
        "funds": add("Alcaldía", "funds", "Red Ciudadana", strength=3),
        "oversees": add(
            "Concejo Municipal",
            "oversees",
            "Alcaldía",
            strength=2,
            valid_from=dt.date(2024, 1, 1),
            valid_to=dt.date(2024, 6, 30),
        ),
        "conflict": add("Prensa Libre", "conflict", "Alcaldía", strength=1),
    }


def _open(open_page: Callable[..., AppTest], program: ProgramInfo, lang: str = "es") -> AppTest:
    return open_page(PAGE, lang=lang, program_id=program.id)


def _fill(at: AppTest, source: int, kind: int, target: int) -> AppTest:
    at.selectbox(key="relationships.add.source_id").set_value(source)
    at.selectbox(key="relationships.add.tie_type_id").set_value(kind)
    at.selectbox(key="relationships.add.target_id").set_value(target)
    return at


def test_page_asks_for_two_actors_first(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    actors.add_actor(app_db, USER, program.id, {"name": "Alcaldía"})
    at = _open(open_page, program)
    assert "agregue al menos dos actores" in _texts(at, "info")[0]


def test_add_a_tie_through_the_form(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
) -> None:
    at = _fill(
        _open(open_page, program),
        cast["Alcaldía"],
        _tie_type(program, "collaborates"),
        cast["Red Ciudadana"],
    )
    at.radio(key="relationships.add.strength").set_value(3)
    at.date_input(key="relationships.add.valid_from").set_value(dt.date(2024, 3, 1))
    at.text_input(key="relationships.add.source_info").set_value("Acta de reunión")
    at.button(key="relationships.add.submit").click().run()
    assert not at.exception
    assert "Se agregó el vínculo entre «Alcaldía» y «Red Ciudadana»." in _texts(at, "success")
    table = _table(at)
    assert _rows(table) == [("Alcaldía", "Colabora con", "Red Ciudadana")]
    assert list(table["direction"]) == ["↔"]  # collaboration is undirected by default
    assert list(table["strength"]) == ["3 · fuerte"]
    stored = stored_registry.relationships_frame(app_db, program.id)
    assert list(stored["source_info"]) == ["Acta de reunión"]
    assert list(stored["valid_from"]) == [dt.date(2024, 3, 1)]
    # The form is empty again and the new tie is open for review.
    assert at.selectbox(key="relationships.add.source_id").value is None
    assert at.selectbox(key="relationships.chooser").value == int(stored["id"].iloc[0])


def test_self_tie_is_refused_with_a_clear_message(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
) -> None:
    at = _fill(
        _open(open_page, program),
        cast["Alcaldía"],
        _tie_type(program, "influences"),
        cast["Alcaldía"],
    )
    at.button(key="relationships.add.submit").click().run()
    assert (
        "Un vínculo une a dos actores distintos: «Alcaldía» no puede vincularse consigo mismo."
        in _texts(at, "error")
    )
    assert stored_registry.relationships_frame(app_db, program.id).empty


def test_missing_fields_are_named_and_nothing_is_written(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
) -> None:
    at = _open(open_page, program)
    at.selectbox(key="relationships.add.source_id").set_value(cast["Alcaldía"])
    at.date_input(key="relationships.add.valid_from").set_value(dt.date(2024, 5, 1))
    at.date_input(key="relationships.add.valid_to").set_value(dt.date(2024, 1, 1))
    at.button(key="relationships.add.submit").click().run()
    errors = _texts(at, "error")
    assert "«Destino»: es obligatorio." in errors
    assert "«Tipo de vínculo»: es obligatorio." in errors
    assert stored_registry.relationships_frame(app_db, program.id).empty


def test_dates_in_the_wrong_order_are_named(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
) -> None:
    at = _fill(
        _open(open_page, program),
        cast["Alcaldía"],
        _tie_type(program, "funds"),
        cast["Red Ciudadana"],
    )
    at.date_input(key="relationships.add.valid_from").set_value(dt.date(2024, 5, 1))
    at.date_input(key="relationships.add.valid_to").set_value(dt.date(2024, 1, 1))
    at.button(key="relationships.add.submit").click().run()
    assert "«Válido hasta»: es anterior a la fecha de inicio." in _texts(at, "error")
    assert stored_registry.relationships_frame(app_db, program.id).empty


def test_exact_duplicate_is_refused(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
    ties: dict[str, int],
) -> None:
    at = _fill(
        _open(open_page, program),
        cast["Alcaldía"],
        _tie_type(program, "funds"),
        cast["Red Ciudadana"],
    )
    at.button(key="relationships.add.submit").click().run()
    assert "Ya existe un vínculo de ese tipo entre «Alcaldía» y «Red Ciudadana»." in _texts(
        at, "error"
    )
    assert len(stored_registry.relationships_frame(app_db, program.id)) == 3


def test_an_actor_deleted_meanwhile_is_named(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
) -> None:
    at = _fill(
        _open(open_page, program),
        cast["Alcaldía"],
        _tie_type(program, "informs"),
        cast["Prensa Libre"],
    )
    actors.delete_actor(app_db, OTHER, cast["Prensa Libre"])
    at.button(key="relationships.add.submit").click().run()
    assert any(
        "No se encontró el actor «Prensa Libre» (puede haber sido eliminado)." in e
        for e in _texts(at, "error")
    )
    assert stored_registry.relationships_frame(app_db, program.id).empty


def test_filters_narrow_the_table(
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    cast: dict[str, int],
    ties: dict[str, int],
) -> None:
    at = _open(open_page, program)
    assert len(_table(at)) == 3
    at.multiselect(key="relationships.types").set_value([_tie_type(program, "conflict")]).run()
    assert _rows(_table(at)) == [("Prensa Libre", "En conflicto con", "Alcaldía")]
    # The chooser below the table offers the same ties as the table.
    assert at.selectbox(key="relationships.chooser").options == [
        "Prensa Libre ↔ En conflicto con ↔ Alcaldía"
    ]
    at.multiselect(key="relationships.types").set_value([]).run()
    at.multiselect(key="relationships.actors").set_value([cast["Red Ciudadana"]]).run()
    assert _rows(_table(at)) == [("Alcaldía", "Financia a", "Red Ciudadana")]
    assert any(c.startswith("Mostrando 1 de 3") for c in _texts(at, "caption"))
    at.multiselect(key="relationships.actors").set_value([]).run()
    at.button_group(key="relationships.strengths").set_value([1, 2]).run()
    assert {r[1] for r in _rows(_table(at))} == {
        "En conflicto con",
        "Supervisa a / rinde cuentas a",
    }
    at.button_group(key="relationships.strengths").set_value([]).run()
    at.date_input(key="relationships.on_date").set_value(dt.date(2024, 9, 1)).run()
    assert len(_table(at)) == 2  # the oversight tie ended in June
    at.date_input(key="relationships.on_date").set_value(dt.date(2024, 3, 1)).run()
    assert len(_table(at)) == 3


def test_edit_a_tie_and_a_stale_edit_is_refused(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    ties: dict[str, int],
) -> None:
    at = _open(open_page, program)
    at.selectbox(key="relationships.chooser").set_value(ties["funds"]).run()
    assert at.radio(key="relationships.edit.strength").value == 3
    at.radio(key="relationships.edit.strength").set_value(1)
    at.text_area(key="relationships.edit.note").set_value("Fondos reducidos en 2024")
    at.button(key="relationships.edit.submit").click().run()
    assert "Se guardaron los cambios del vínculo." in _texts(at, "success")
    stored = stored_registry.relationships_frame(app_db, program.id).set_index("id")
    assert stored.loc[ties["funds"], "strength"] == 1
    assert stored.loc[ties["funds"], "note"] == "Fondos reducidos en 2024"

    relationships.update_relationship(app_db, OTHER, ties["funds"], {"strength": 2}, None)
    at.text_area(key="relationships.edit.note").set_value("Mi versión")
    at.button(key="relationships.edit.submit").click().run()
    stale = next(e for e in _texts(at, "error") if e.startswith("No se guardó"))
    assert "marta modificó este vínculo («Alcaldía → Red Ciudadana»)" in stale
    at.button(key="relationships.edit.reload").click().run()
    assert at.radio(key="relationships.edit.strength").value == 2
    assert at.text_area(key="relationships.edit.note").value == "Fondos reducidos en 2024"


def test_edit_into_a_self_tie_is_refused(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
    ties: dict[str, int],
) -> None:
    at = _open(open_page, program)
    at.selectbox(key="relationships.chooser").set_value(ties["funds"]).run()
    at.selectbox(key="relationships.edit.target_id").set_value(cast["Alcaldía"])
    at.button(key="relationships.edit.submit").click().run()
    assert any("no puede vincularse consigo mismo" in e for e in _texts(at, "error"))
    stored = stored_registry.relationships_frame(app_db, program.id).set_index("id")
    assert stored.loc[ties["funds"], "target"] == "Red Ciudadana"


def test_delete_and_restore(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    ties: dict[str, int],
) -> None:
    at = _open(open_page, program)
    at.selectbox(key="relationships.chooser").set_value(ties["conflict"]).run()
    assert "Vínculo negativo (conflicto)" in _texts(at, "caption")[-1]
    at.button(key="relationships.delete").click().run()
    assert (
        "¿Eliminar el vínculo «Prensa Libre ↔ En conflicto con ↔ Alcaldía»?"
        in (_texts(at, "warning")[-1])
    )
    at.button(key="relationships.delete_confirm").click().run()
    assert any("Se eliminó el vínculo" in s for s in _texts(at, "success"))
    assert ("Prensa Libre", "En conflicto con", "Alcaldía") not in _rows(_table(at))

    at.toggle(key="relationships.show_deleted").set_value(True).run()
    deleted = next(d.value for d in at.dataframe if "tie_type" in d.value.columns)
    assert _rows(deleted) == [("Prensa Libre", "En conflicto con", "Alcaldía")]
    at.button(key="relationships.restore").click().run()
    assert any("Se restauró el vínculo" in s for s in _texts(at, "success"))
    assert ("Prensa Libre", "En conflicto con", "Alcaldía") in _rows(_table(at))


def test_restore_refuses_a_tie_that_now_exists_again(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    cast: dict[str, int],
    ties: dict[str, int],
) -> None:
    relationships.delete_relationship(app_db, USER, ties["funds"])
    relationships.add_relationship(
        app_db,
        USER,
        program.id,
        {
            "source_id": cast["Alcaldía"],
            "target_id": cast["Red Ciudadana"],
            "tie_type_id": _tie_type(program, "funds"),
        },
    )
    at = _open(open_page, program)
    at.toggle(key="relationships.show_deleted").set_value(True).run()
    at.button(key="relationships.restore").click().run()
    assert "Ya existe un vínculo de ese tipo entre «Alcaldía» y «Red Ciudadana»." in _texts(
        at, "error"
    )


def test_english_labels(
    open_page: Callable[..., AppTest], program: ProgramInfo, ties: dict[str, int]
) -> None:
    at = _open(open_page, program, lang="en")
    assert at.title[0].value == "Relationships"  # as in the navigation
    assert at.multiselect(key="relationships.types").label == "Tie type"
    assert at.toggle(key="relationships.show_deleted").label == "Show deleted ties"
    assert at.button(key="relationships.add.submit").label == "Add tie"
    assert ("Alcaldía", "Funds", "Red Ciudadana") in _rows(_table(at))
    assert "3 · strong" in list(_table(at)["strength"])


def test_a_viewer_reads_ties_without_edit_controls(
    monkeypatch: pytest.MonkeyPatch,
    app_db: Database,
    program: ProgramInfo,
    ties: dict[str, int],
) -> None:
    operator = Principal("cli")
    users.create_user(app_db, operator, "alcaldia", "clave-de-alcaldia-larga")
    users.set_role(app_db, operator, "alcaldia", program.id, "viewer")
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["tejido.program_id"] = program.id
    sign_in(at, "alcaldia")
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert "Solo lectura" in _texts(at, "info")[0]
    assert len(_table(at)) == 3
    keys = {b.key for b in at.button}
    assert "relationships.add.submit" not in keys
    at.selectbox(key="relationships.chooser").set_value(ties["oversees"]).run()
    assert not {"relationships.delete", "relationships.edit.submit"} & {b.key for b in at.button}
    facts = next(d.value for d in at.dataframe if "field" in d.value.columns)
    assert dict(zip(facts["field"], facts["value"], strict=True))["Válido hasta"] == "30/06/2024"
