"""Assessments page: record several actors at once, see one actor's scores over time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services.access import users
from engagement.services.registry import actors, assessments
from engagement.services.tracking import snapshots
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.pages.conftest import ROOT, USER
from tests.support.signin import sign_in

PAGE = "app_pages/assessments.py"
FULL = {
    "power": 3,
    "interest": 4,
    "engagement_current": 2,
    "engagement_desired": 4,
    "participation_target": 3,
}


@pytest.fixture
def actor_ids(app_db: Database, program: ProgramInfo) -> dict[str, int]:
    """Three actors (one already assessed twice) and one in another sector."""
    sectors = {s.key: s.id for s in program.sectors}
    names = {
        "Alcaldía de Antigua": "municipal_government",
        "COCODE San Felipe": "community_organisation",
        "Universidad del Valle": "academia",
        "Radio Sonora": "media",
    }
    ids = {
        name: actors.add_actor(
            app_db, USER, program.id, {"name": name, "sector_id": sectors[key]}
        ).id
        for name, key in names.items()
    }
    design, co_design = program.stages[0].id, program.stages[1].id
    mayor = ids["Alcaldía de Antigua"]
    assessments.record_assessments(
        app_db,
        USER,
        program.id,
        [
            AssessmentInput(mayor, design, dt.date(2024, 3, 1), 4, 2, 2, 4, 3, legitimacy=True),
            AssessmentInput(mayor, co_design, dt.date(2024, 6, 1), 5, 4, 4, 5, 4, urgency=True),
        ],
    )
    return ids


def grid_key(at: AppTest) -> str:
    editors = [d.key for d in at.dataframe if str(d.key).startswith("assess.grid.")]
    assert len(editors) == 1, editors
    return str(editors[0])


def grid(at: AppTest) -> pd.DataFrame:
    frame: pd.DataFrame = next(d for d in at.dataframe if d.key == grid_key(at)).value
    return frame


def edit(at: AppTest, rows: dict[int, dict[str, Any]]) -> AppTest:
    """What the browser sends after the user edits cells (rows counted from 0)."""
    state = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.session_state[grid_key(at)] = state
    return at.run()


def open_with(open_page: Callable[..., AppTest], program: ProgramInfo, ids: list[int]) -> AppTest:
    at = open_page(PAGE, program_id=program.id)
    at.multiselect(key="assess.actors").set_value(ids).run()
    assert not at.exception, at.exception
    return at


def history(app_db: Database, program: ProgramInfo) -> pd.DataFrame:
    return stored_registry.assessments_frame(app_db, program.id)


def test_grid_is_prefilled_with_each_actors_latest_scores(
    open_page: Callable[..., AppTest], program: ProgramInfo, actor_ids: dict[str, int]
) -> None:
    at = open_with(
        open_page, program, [actor_ids["Alcaldía de Antigua"], actor_ids["Radio Sonora"]]
    )
    frame = grid(at)
    assert frame["actor"].tolist() == ["Alcaldía de Antigua", "Radio Sonora"]
    mayor = frame.iloc[0]
    assert (mayor["power"], mayor["interest"], mayor["engagement_current"]) == (5, 4, 4)
    assert (mayor["engagement_desired"], mayor["participation_target"]) == (5, 4)
    assert bool(mayor["urgency"]) and not bool(mayor["legitimacy"])
    assert mayor["last"] == "01/06/2024 · Co-diseño"
    assert mayor["sector"] == "Gobierno municipal"
    radio = frame.iloc[1]
    assert radio["last"] == "Sin evaluar" and pd.isna(radio["power"])
    assert at.button(key="assess.save").disabled
    assert "Aún no hay cambios" in at.caption[1].value


def test_recording_three_actors_at_once_writes_three_new_rows(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    actor_ids: dict[str, int],
) -> None:
    ids = [
        actor_ids[n] for n in ("Alcaldía de Antigua", "COCODE San Felipe", "Universidad del Valle")
    ]
    at = open_with(open_page, program, ids)
    at.selectbox(key="assess.stage").set_value(program.stages[2].id)
    at.date_input(key="assess.date").set_value(dt.date(2024, 9, 2))
    at.text_input(key="assess.assessor").set_value("Mentora Ana")
    at = edit(at, {0: {"engagement_current": 5}, 1: FULL, 2: {**FULL, "note": "Se sumó al foro"}})
    assert at.button(key="assess.save").label == "Guardar 3 evaluaciones"
    assert "Alcaldía de Antigua, COCODE San Felipe, Universidad del Valle" in at.caption[1].value
    at.button(key="assess.save").click().run()

    assert not at.exception
    assert [s.value for s in at.success] == [
        "Se registraron 3 evaluaciones — Acompañamiento a la implementación, 02/09/2024."
    ]
    rows = history(app_db, program)
    assert len(rows) == 5  # the two earlier assessments are kept
    new = rows[rows["assessed_on"] == dt.date(2024, 9, 2)].set_index("actor")
    assert new.loc["Alcaldía de Antigua", "engagement_current"] == 5
    assert new.loc["Alcaldía de Antigua", "power"] == 5  # unchanged scores carried over
    assert new.loc["Universidad del Valle", "note"] == "Se sumó al foro"
    assert set(new["assessor"]) == {"Mentora Ana"}
    assert set(new["stage_id"]) == {program.stages[2].id}
    # A fresh grid, with the new scores and nothing left to record twice.
    assert grid(at).loc[1, "last"] == "02/09/2024 · Acompañamiento a la implementación"
    assert grid(at).loc[1, "engagement_current"] == 5
    assert at.button(key="assess.save").disabled
    assert at.button(key="assess.save").label == "Guardar evaluaciones"


def test_only_changed_or_ticked_rows_are_recorded(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    actor_ids: dict[str, int],
) -> None:
    ids = [actor_ids["Alcaldía de Antigua"], actor_ids["Radio Sonora"]]
    at = open_with(open_page, program, ids)
    at = edit(at, {0: {"record": True}})
    assert at.button(key="assess.save").label == "Guardar 1 evaluación"
    at.button(key="assess.save").click().run()
    assert at.success[0].value.startswith("Se registró 1 evaluación")
    rows = history(app_db, program)
    assert len(rows) == 3 and rows.iloc[-1]["actor"] == "Alcaldía de Antigua"
    assert rows.iloc[-1]["power"] == 5 and rows.iloc[-1]["assessed_on"] == dt.date.today()


def test_an_invalid_row_writes_nothing_and_names_the_row(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    actor_ids: dict[str, int],
) -> None:
    ids = [
        actor_ids[n] for n in ("Alcaldía de Antigua", "COCODE San Felipe", "Universidad del Valle")
    ]
    at = open_with(open_page, program, ids)
    missing_power = {k: v for k, v in FULL.items() if k != "power"}
    at = edit(at, {0: {"power": 3}, 1: missing_power, 2: {**FULL, "interest": 7}})
    at.button(key="assess.save").click().run()

    assert not at.exception
    assert at.success == []
    message = at.error[0].value
    assert message.startswith("No se guardó ninguna evaluación: corrija 2 problema(s)")
    assert "Fila 2 (COCODE San Felipe), «Poder»: es obligatorio." in message
    assert (
        "Fila 3 (Universidad del Valle), «Interés»: debe ser un número entero entre 1 y 5"
        in message
    )
    assert len(history(app_db, program)) == 2
    # the user's edits are still there to fix
    assert at.button(key="assess.save").label == "Guardar 3 evaluaciones"


def test_sector_filter_brings_every_actor_of_the_sector(
    open_page: Callable[..., AppTest], program: ProgramInfo, actor_ids: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert "Elija actores o sectores" in at.info[0].value
    media = next(s.id for s in program.sectors if s.key == "media")
    academia = next(s.id for s in program.sectors if s.key == "academia")
    at.multiselect(key="assess.sectors").set_value([media, academia]).run()
    assert grid(at)["actor"].tolist() == ["Radio Sonora", "Universidad del Valle"]


def chart_spec(at: AppTest) -> dict[str, Any]:
    chart = next(e for e in at.main if getattr(e, "key", None) == "assess.history_chart")
    spec: dict[str, Any] = json.loads(chart.proto.spec)
    return spec


@pytest.mark.parametrize(
    ("lang", "levels", "header", "summary"),
    [
        ("es", ["2 · Se resiste", "4 · Apoya"], "Involucramiento actual",
         "2 evaluaciones desde el 01/03/2024: poder 4 → 5, interés 2 → 4, involucramiento"
         " Se resiste → Apoya."),
        ("en", ["2 · Resistant", "4 · Supportive"], "Current engagement",
         "2 assessments since 01/03/2024: power 4 → 5, interest 2 → 4, engagement"
         " Resistant → Supportive."),
    ],
)  # fmt: skip
def test_history_shows_an_actors_movement_with_level_names(
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    actor_ids: dict[str, int],
    lang: str,
    levels: list[str],
    header: str,
    summary: str,
) -> None:
    at = open_page(PAGE, lang=lang, program_id=program.id)
    at.selectbox(key="assess.history_actor").set_value(actor_ids["Alcaldía de Antigua"]).run()
    assert summary in [m.value for m in at.markdown]
    table = at.tabs[1].dataframe[0].value
    assert table[header].tolist() == levels[::-1]  # newest first
    spec = chart_spec(at)
    names = [trace["name"] for trace in spec["data"]]
    assert names == (
        ["Poder", "Interés", "Involucramiento actual", "Involucramiento deseado"]
        if lang == "es"
        else ["Power", "Interest", "Current engagement", "Desired engagement"]
    )
    assert spec["data"][0]["y"] == [4, 5] and spec["data"][1]["y"] == [2, 4]
    engagement = spec["data"][2]
    assert engagement["y"] == [2, 4]
    assert [hover[1] for hover in engagement["customdata"]] == levels
    level_names = spec["layout"]["yaxis2"]["ticktext"]
    assert [level.split(" · ")[1] for level in levels] == [level_names[1], level_names[3]]
    stage_labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert stage_labels == (["Diseño", "Co-diseño"] if lang == "es" else ["Design", "Co-design"])


def test_history_of_an_actor_never_assessed_says_so(
    open_page: Callable[..., AppTest], program: ProgramInfo, actor_ids: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    box = at.selectbox(key="assess.history_actor")
    assert box.options[0] == "Alcaldía de Antigua"  # assessed actors first
    assert "Radio Sonora (sin evaluaciones)" in box.options
    box.set_value(actor_ids["Radio Sonora"]).run()
    assert "todavía no tiene evaluaciones" in at.tabs[1].info[0].value


def test_program_without_actors_points_to_the_registry(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert "todavía no tiene actores" in at.info[0].value


def _signed_in_as(
    monkeypatch: pytest.MonkeyPatch, app_db: Database, program: ProgramInfo, role: str
) -> AppTest:
    """The page for a signed-in member with ``role`` (password mode, sign-in skipped)."""
    users.create_user(app_db, Principal("cli"), "maria", "clave-de-maria-larga")
    users.set_role(app_db, Principal("cli"), "maria", program.id, role)
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["tejido.lang"] = "es"
    at.session_state["tejido.program_id"] = program.id
    sign_in(at, "maria")
    at.run()
    at.switch_page(PAGE)
    return at.run()


def test_a_viewer_sees_the_history_but_cannot_record(
    monkeypatch: pytest.MonkeyPatch,
    app_db: Database,
    program: ProgramInfo,
    actor_ids: dict[str, int],
) -> None:
    at = _signed_in_as(monkeypatch, app_db, program, "viewer")
    assert not at.exception
    assert at.info[-1].value.startswith("Solo lectura: su rol en este programa")
    assert not [b for b in at.button if b.key == "assess.save"]
    assert not [m for m in at.multiselect if m.key == "assess.actors"]
    assert at.selectbox(key="assess.history_actor").value == actor_ids["Alcaldía de Antigua"]
    assert at.dataframe[0].value["Involucramiento actual"].tolist() == [
        "4 · Apoya",
        "2 · Se resiste",
    ]


def test_a_mentor_records(
    monkeypatch: pytest.MonkeyPatch,
    app_db: Database,
    program: ProgramInfo,
    actor_ids: dict[str, int],
) -> None:
    at = _signed_in_as(monkeypatch, app_db, program, "mentor")
    at.multiselect(key="assess.actors").set_value([actor_ids["Radio Sonora"]]).run()
    assert at.text_input(key="assess.assessor").value == "maria"
    at = edit(at, {0: FULL})
    at.button(key="assess.save").click().run()
    assert at.success[0].value.startswith("Se registró 1 evaluación")
    newest = history(app_db, program).iloc[-1]
    assert (newest["actor"], newest["created_by"]) == ("Radio Sonora", "maria")


def test_presentation_mode_shows_the_history_only(
    open_page: Callable[..., AppTest], program: ProgramInfo, actor_ids: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.session_state["tejido.presentation"] = True
    at.run()
    assert any(i.value.startswith("Modo presentación") for i in at.info)
    assert not [b for b in at.button if b.key == "assess.save"]
    assert at.selectbox(key="assess.history_actor").options[0] == "Alcaldía de Antigua"


def test_default_stage_is_the_first_open_one_and_a_closed_one_is_said(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    actor_ids: dict[str, int],
) -> None:
    design, co_design = program.stages[0], program.stages[1]
    snapshots.close_stage(app_db, USER, program.id, design.id, dt.date(2024, 5, 31), "Cierre")
    at = open_with(open_page, program, [actor_ids["Radio Sonora"]])
    assert at.selectbox(key="assess.stage").value == co_design.id
    assert not [c for c in at.caption if "se cerró" in c.value]
    at.selectbox(key="assess.stage").set_value(design.id).run()
    assert "Esta etapa se cerró el 31/05/2024" in " ".join(c.value for c in at.caption)
