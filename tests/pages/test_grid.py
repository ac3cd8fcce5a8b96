"""AppTests of the power/interest grid page: what a lead sees and can do."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, ProgramInfo
from engagement.services.registry import actors, assessments, relationships
from engagement.storage.db import Database
from tests.pages.conftest import USER

PAGE = "app_pages/grid.py"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def coalition(app_db: Database, program: ProgramInfo) -> dict[str, int]:
    """Five actors, four assessed (one twice), two ties; returns name -> id."""
    sector = {s.key: s.id for s in program.sectors}
    design, co_design = program.stages[0].id, program.stages[1].id
    specs = [
        ("Municipalidad", "municipal_government", "centro", "Casco urbano"),
        ("Cámara de Comercio", "private_sector", "comercio", "Casco urbano"),
        ("Vecinos de San Felipe", "community_organisation", "agua", "Aldeas"),
        (XSS, "media", "comercio", "Aldeas"),
        ("Universidad", "academia", "", "Casco urbano"),
    ]
    ids = {
        name: actors.add_actor(
            app_db, USER, program.id,
            {"name": name, "sector_id": sector[key], "tags": [tag] if tag else [],
             "territory": territory},
        ).id
        for name, key, tag, territory in specs
    }  # fmt: skip

    def assess(name: str, stage: int, day: dt.date, scores: tuple[int, ...], **kw: Any) -> None:
        power, interest, current, desired = scores
        item = AssessmentInput(ids[name], stage, day, power, interest, current, desired, 3, **kw)
        assessments.record_assessments(app_db, USER, program.id, [item])

    assess("Municipalidad", design, dt.date(2024, 2, 1), (5, 2, 3, 5), legitimacy=True)
    assess("Municipalidad", co_design, dt.date(2024, 6, 1), (5, 5, 4, 5), legitimacy=True,
           urgency=True, note="Lidera los foros")  # fmt: skip
    assess("Cámara de Comercio", design, dt.date(2024, 2, 1), (4, 1, 2, 4))
    assess("Vecinos de San Felipe", design, dt.date(2024, 2, 1), (1, 5, 4, 5), urgency=True)
    assess(XSS, design, dt.date(2024, 2, 1), (2, 2, 3, 3), legitimacy=True)
    collaborates = next(t.id for t in program.tie_types if t.key == "collaborates")
    conflict = next(t.id for t in program.tie_types if t.key == "conflict")
    relationships.add_relationship(
        app_db, USER, program.id,
        {"source_id": ids["Municipalidad"], "target_id": ids["Vecinos de San Felipe"],
         "tie_type_id": collaborates, "strength": 3},
    )  # fmt: skip
    relationships.add_relationship(
        app_db, USER, program.id,
        {"source_id": ids["Cámara de Comercio"], "target_id": ids["Municipalidad"],
         "tie_type_id": conflict, "strength": 2},
    )  # fmt: skip
    return ids


def figure(at: AppTest, index: int = 0) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(at.get("plotly_chart")[index].proto.spec)
    return spec


def actor_ids(spec: dict[str, Any]) -> set[int]:
    return {
        point[0]
        for trace in spec["data"]
        if trace.get("name") != "selected"
        for point in trace.get("customdata", [])
    }


def annotations(spec: dict[str, Any]) -> list[str]:
    """The quadrant names (actors' names are annotations too, named ``actor_name.<id>``)."""
    return [
        a["text"]
        for a in spec["layout"]["annotations"]
        if a.get("text") and not str(a.get("name", "")).startswith("actor_name.")
    ]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with ``column`` (plain tables are not found by key)."""
    found: pd.DataFrame = next(d.value for d in at.dataframe if column in d.value.columns)
    return found


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_grid_names_the_four_quadrants_in_spanish(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert at.title[0].value == "Mapa de poder e interés"
    spec = figure(at)
    assert annotations(spec) == [
        "<b>Mantener satisfecho</b>",
        "<b>Gestionar de cerca (actores clave)</b>",
        "<b>Monitorear (mínimo esfuerzo)</b>",
        "<b>Mantener informado</b>",
    ]
    assert spec["layout"]["xaxis"]["title"]["text"] == "Interés →"
    today = f"{dt.date.today():%d/%m/%Y}"
    assert spec["layout"]["title"]["text"] == "Impulso Local"
    assert spec["layout"]["title"]["subtitle"]["text"] == (
        f"La más reciente (cualquier etapa) · {today}"
    )
    assert actor_ids(spec) == set(coalition.values()) - {coalition["Universidad"]}
    text = captions(at)
    assert "4 actores en el mapa." in text
    assert "Gestionar de cerca (actores clave): 1 · Mantener satisfecho: 1" in text
    assert "1 actor sin evaluación no aparece en el mapa: Universidad." in text
    assert "ícono de cámara" in text


def test_grid_in_english_with_a_sector_legend(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    spec = figure(at)
    assert annotations(spec) == [
        "<b>Keep satisfied</b>",
        "<b>Manage closely (key players)</b>",
        "<b>Monitor (minimal effort)</b>",
        "<b>Keep informed</b>",
    ]
    legend = [t["name"] for t in spec["data"] if t.get("showlegend", True)]
    # in the program's sector order; plotly shows the escaped apostrophe as typed
    assert legend == [
        "Municipal government",
        "Neighbours&#x27; group / community organisation",
        "Private sector",
        "Media",
    ]
    assert spec["layout"]["legend"]["title"]["text"] == "Sector"
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["toImageButtonOptions"]["filename"] == "tejido-power-interest"
    assert config["toImageButtonOptions"]["format"] == "png"


def test_legend_by_engagement_level(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.segmented_control(key="grid.colour").set_value("engagement").run()
    spec = figure(at)
    assert [t["name"] for t in spec["data"]] == ["Resistant", "Neutral", "Supportive"]
    assert spec["layout"]["legend"]["title"]["text"] == "Engagement"


def test_hover_shows_scores_and_engagement_with_names_escaped(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    hover = [h for trace in figure(at)["data"] for h in trace.get("hovertext") or []]
    muni = next(h for h in hover if "Municipalidad" in h)
    assert muni == (
        "<b>Municipalidad</b><br>Municipal government<br>Power 5 · Interest 5"
        "<br>Engagement: Supportive → Leading"
    )
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in hover)
    assert not any(XSS in h for h in hover)


def test_filters_by_sector_tag_territory_and_stage(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.multiselect(key="grid.sectors").set_value(["private_sector", "media"]).run()
    assert actor_ids(figure(at)) == {coalition["Cámara de Comercio"], coalition[XSS]}
    at.multiselect(key="grid.tags").set_value(["comercio"]).run()
    at.multiselect(key="grid.territories").set_value(["Aldeas"]).run()
    assert actor_ids(figure(at)) == {coalition[XSS]}
    assert "1 actor en el mapa." in captions(at)

    at.multiselect(key="grid.sectors").set_value([]).run()
    at.multiselect(key="grid.tags").set_value([]).run()
    at.multiselect(key="grid.territories").set_value(["Casco urbano"]).run()
    design = program.stages[0].id
    at.selectbox(key="grid.stage").set_value(design).run()
    spec = figure(at)
    muni = [
        (x, y)
        for trace in spec["data"]
        for x, y, data in zip(trace["x"], trace["y"], trace["customdata"], strict=True)
        if data[0] == coalition["Municipalidad"]
    ]
    assert muni == [(2.0, 5.0)]  # its Design assessment: power 5, interest 2


def test_no_match_says_so(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.multiselect(key="grid.sectors").set_value(["academia"]).run()
    assert "Ningún actor evaluado coincide con estos filtros" in at.info[0].value
    assert not at.get("plotly_chart")


def test_choosing_an_actor_opens_its_panel(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert at.selectbox(key="grid.chooser").value is None
    at.selectbox(key="grid.chooser").set_value(coalition["Municipalidad"]).run()
    assert not at.exception
    assert at.subheader[0].value == "Municipalidad"
    assert [(m.label, m.value) for m in at.metric] == [("Poder", "5"), ("Interés", "5")]
    text = "\n".join(m.value for m in at.markdown)
    assert "**Involucramiento:** Apoya → Lidera" in text
    assert "**Cuadrante:** Gestionar de cerca (actores clave)" in text
    assert "**Prominencia:** Definitivo" in text
    assert "**Gestionar de cerca.**" in text
    assert "falta un nivel para pasar de **Apoya** a **Lidera**" in text
    assert "Siguiente paso: darle un papel" in text
    assert "Vecinos de San Felipe" in text  # an ally through a strong collaboration
    assert any(c.value.startswith("Evaluado el 01/06/2024 (etapa «Co-diseño»)") for c in at.caption)
    history = table(at, "Etapa")
    assert history["Etapa"].tolist() == ["Co-diseño", "Diseño"]
    assert history["Nota"].tolist()[0] == "Lidera los foros"
    ties = table(at, "Conflicto")
    assert ties["Actor"].tolist() == ["Vecinos de San Felipe", "Cámara de Comercio"]
    assert ties["Conflicto"].tolist() == ["No", "Sí"]
    # the chosen actor is ringed on the grid
    ring = next(t for t in figure(at)["data"] if t.get("name") == "selected")
    assert ring["customdata"] == [[coalition["Municipalidad"]]]


def test_panel_flags_a_high_power_resistant_actor_as_a_risk(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.selectbox(key="grid.chooser").set_value(coalition["Cámara de Comercio"]).run()
    assert at.error[0].value == "⚠ Risk"
    text = "\n".join(m.value for m in at.markdown)
    assert "**Risk:** high power and Resistant today" in text
    assert "**Keep satisfied.**" in text
    assert "Large gap: moving from **Resistant** to **Supportive** (2 levels)" in text


def test_panel_of_an_actor_never_assessed(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key="grid.chooser").set_value(coalition["Universidad"]).run()
    assert at.subheader[0].value == "Universidad"
    assert "Este actor todavía no tiene evaluaciones." in at.info[0].value


def test_salience_view_counts_every_class(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.segmented_control(key="grid.view").set_value("salience").run()
    salience = table(at, "Class")
    assert salience["Class"].tolist() == [
        "Dormant", "Discretionary", "Demanding", "Dominant", "Dangerous", "Dependent",
        "Definitive", "Non-stakeholder",
    ]  # fmt: skip
    assert salience["Actors"].tolist() == [1, 1, 1, 0, 0, 0, 1, 0]
    assert salience["Attributes"].tolist()[6] == "Power + Legitimacy + Urgency"
    members = {e.label: [m.value for m in e.markdown] for e in at.expander}
    assert members == {
        "Dormant (1)": ["- Cámara de Comercio"],
        "Discretionary (1)": ["- \\<img src=x onerror=alert\\(1\\)\\>"],
        "Demanding (1)": ["- Vecinos de San Felipe"],
        "Definitive (1)": ["- Municipalidad"],
    }
    assert "1 actor without an assessment is not classified." in captions(at)


def test_gap_board_orders_by_weighted_gap_and_lists_risks(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.segmented_control(key="grid.view").set_value("gaps").run()
    assert at.warning[0].value == (
        "Riesgo: 1 actor con poder alto que hoy se resiste: Cámara de Comercio."
    )
    board = at.dataframe(key="grid.gaps.table").value
    assert board["Actor"].tolist() == [
        "Cámara de Comercio", "Municipalidad", "Vecinos de San Felipe", XSS,
    ]  # fmt: skip
    assert board["Brecha × poder"].tolist() == [8, 5, 1, 0]
    assert board["Riesgo"].tolist() == ["⚠ Riesgo", "", "", ""]


def test_movement_from_an_earlier_stage(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.segmented_control(key="grid.view").set_value("movement").run()
    assert at.selectbox(key="grid.movement.stage").value == program.stages[0].id
    assert (
        "1 changed quadrant · 0 moved within their quadrant · 0 changed engagement only"
        " · 3 unchanged · 0 with no earlier assessment"
    ) in captions(at)
    moves = table(at, "Change")
    assert moves.iloc[0].to_dict() == {
        "Actor": "Municipalidad",
        "Change": "Changed quadrant",
        "Before": "Keep satisfied",
        "Now": "Manage closely (key players)",
        "Power": "5 → 5",
        "Interest": "2 → 5",
        "Current engagement": "Neutral → Supportive",
    }
    spec = figure(at)
    assert spec["layout"]["title"]["subtitle"]["text"].startswith(
        "Movement from Design to the current assessment · "
    )
    arrows = [a for a in spec["layout"]["annotations"] if a.get("showarrow")]
    assert [(a["ax"], a["ay"], a["x"], a["y"]) for a in arrows] == [(2.0, 5.0, 5.0, 5.0)]


def test_movement_from_a_date(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.segmented_control(key="grid.view").set_value("movement").run()
    at.segmented_control(key="grid.movement.compare").set_value("date").run()
    at.date_input(key="grid.movement.date").set_value(dt.date(2024, 1, 1)).run()
    assert "0 changed quadrant · 0 moved within their quadrant · 0 changed engagement only" in (
        captions(at)
    )
    assert "0 unchanged · 4 with no earlier assessment" in captions(at)
    assert at.info[0].value == "Nobody moved between that point and now."


def test_empty_program_points_to_the_actors_page(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert at.info[0].value == "Este programa todavía no tiene actores."


def test_without_a_program_asks_for_one(open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE)
    assert "Elija o cree un programa" in at.info[0].value


def test_size_by_a_network_measure(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    assert at.selectbox(key="grid.size").value == "none"
    assert "Betweenness" in at.selectbox(key="grid.size").options
    at.selectbox(key="grid.size").set_value("degree").run()
    sizes = {
        data[0]: size
        for trace in figure(at)["data"]
        if trace.get("name") != "selected"
        for data, size in zip(trace["customdata"], trace["marker"]["size"], strict=True)
    }
    # degree counts the collaboration; the conflict tie is a conflict, not a tie
    assert sizes == {
        coalition["Municipalidad"]: 38.0,
        coalition["Vecinos de San Felipe"]: 38.0,
        coalition["Cámara de Comercio"]: 10.0,
        coalition[XSS]: 10.0,
    }
    hover = [h for trace in figure(at)["data"] for h in trace.get("hovertext") or []]
    assert any(h.endswith("Actors tied (degree): 1") for h in hover)
    assert any(h.endswith("Actors tied (degree): 0") for h in hover)


def test_gap_board_within_a_stage_names_the_stage_and_narrows_to_risks_in_one_step(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key="grid.stage").set_value(program.stages[0].id).run()
    at.segmented_control(key="grid.view").set_value("gaps").run()
    banner = at.warning[0].value
    assert "hoy" not in banner
    assert banner == (
        "Riesgo en la evaluación más reciente de «Diseño»: 1 actor con poder alto se resistía:"
        " Cámara de Comercio."
    )
    at.toggle(key="grid.gaps.only_risks").set_value(True).run()
    board = at.dataframe(key="grid.gaps.table").value
    assert board["Actor"].tolist() == ["Cámara de Comercio"]
    # the same step with the latest assessments
    at.selectbox(key="grid.stage").set_value(0).run()
    assert at.warning[0].value.endswith("que hoy se resiste: Cámara de Comercio.")
    assert at.dataframe(key="grid.gaps.table").value["Actor"].tolist() == ["Cámara de Comercio"]


def test_panel_opened_within_a_stage_shows_that_stage(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key="grid.stage").set_value(program.stages[0].id).run()
    at.selectbox(key="grid.chooser").set_value(coalition["Municipalidad"]).run()
    assert "Evaluación mostrada: la más reciente en «Diseño»." in captions(at)
    # Design scored it power 5, interest 2 (the latest, in Co-design, is 5 and 5)
    assert [(m.label, m.value) for m in at.metric] == [("Poder", "5"), ("Interés", "2")]
    assert any(c.value.startswith("Evaluado el 01/02/2024 (etapa «Diseño»)") for c in at.caption)


def test_names_are_written_beside_markers_and_crowded_ones_numbered_with_a_key(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    stage = program.stages[0].id
    items = []
    for n in range(75):  # three in every cell of the grid
        power, interest = n % 5 + 1, n // 5 % 5 + 1
        actor_id = actors.add_actor(app_db, USER, program.id, {"name": f"Vecina número {n}"}).id
        items.append(
            AssessmentInput(actor_id, stage, dt.date(2024, 2, 1), power, interest, 3, 4, 3)
        )
    assessments.record_assessments(app_db, USER, program.id, items)
    at = open_page(PAGE, program_id=program.id)
    at.toggle(key="grid.names").set_value(True).run()
    spec = figure(at)
    named = [a for a in spec["layout"]["annotations"] if a.get("name", "").startswith("actor_name")]
    numbers = [x for trace in spec["data"] for x in trace.get("text") or [] if x]
    key = next(m.value for m in at.markdown if m.value.startswith("**1** · "))
    entries = [line.split(" · ", 1) for line in key.split("  \n")]
    assert named and numbers
    assert len(named) + len(numbers) == 75
    assert [n for n, _ in entries] == [f"**{i}**" for i in range(1, len(numbers) + 1)]
    everyone = {f"Vecina número {n}" for n in range(75)}
    keyed = {name.replace("\\", "") for _, name in entries}
    assert keyed | {a["text"] for a in named} == everyone
    assert spec["layout"]["margin"]["autoexpand"] is False


def test_a_name_too_long_to_write_whole_is_numbered_never_cut(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    """Every name can be read: one that three lines cannot hold is numbered and written
    whole in the key; none is cut with "…" on the chart."""
    stage = program.stages[0].id
    names = {
        "Red": (5, 5),
        "Centro de Formación de la Cooperación Española en La Antigua Guatemala": (1, 1),
        "Concejo Municipal de La Antigua Guatemala": (4, 2),
    }
    items = []
    for name, (power, interest) in names.items():
        actor_id = actors.add_actor(app_db, USER, program.id, {"name": name}).id
        items.append(
            AssessmentInput(actor_id, stage, dt.date(2024, 2, 1), power, interest, 3, 4, 3)
        )
    assessments.record_assessments(app_db, USER, program.id, items)
    at = open_page(PAGE, program_id=program.id)
    at.toggle(key="grid.names").set_value(True).run()
    spec = figure(at)
    written = {
        a["text"].replace("<br>", " ")
        for a in spec["layout"]["annotations"]
        if a.get("name", "").startswith("actor_name")
    }
    key = next(m.value for m in at.markdown if m.value.startswith("**1** · "))
    keyed = [line.split(" · ", 1)[1].replace("\\", "") for line in key.split("  \n")]
    assert written == {"Red", "Concejo Municipal de La Antigua Guatemala"}
    assert keyed == ["Centro de Formación de la Cooperación Española en La Antigua Guatemala"]
    assert not any("…" in text for text in written)
