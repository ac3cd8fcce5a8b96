"""AppTests of the network map page: what a user sees around the (JavaScript) map.

The map itself is a component AppTest cannot run; its data is read from the element's
JSON to check what would be drawn. The browser tests drive the drawing itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services.registry import actors, assessments, relationships
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from engagement.ui.coalition import analysis_tables, network_views
from tests.pages.conftest import FILE_NAMES, ROOT, USER

PAGE = "app_pages/network.py"


def _sector(program: ProgramInfo, key: str) -> int:
    return next(s.id for s in program.sectors if s.key == key)


def _tie_type(program: ProgramInfo, key: str) -> int:
    return next(tt.id for tt in program.tie_types if tt.key == key)


@pytest.fixture
def coalition(app_db: Database, program: ProgramInfo) -> dict[str, int]:
    """Four actors in three sectors: a collaboration chain plus one conflict."""
    specs = [
        ("Municipalidad", "municipal_government"),
        ("ONU-Hábitat", "multilateral"),
        ("Embajada Británica", "international_cooperation"),
        ("Colectivo Juvenil", "civil_society"),
    ]
    ids = {
        name: actors.add_actor(
            app_db, USER, program.id, {"name": name, "sector_id": _sector(program, key)}
        ).id
        for name, key in specs
    }
    ties = [
        ("Municipalidad", "ONU-Hábitat", "collaborates", 3, None),
        ("ONU-Hábitat", "Embajada Británica", "funds", 2, None),
        ("Municipalidad", "Colectivo Juvenil", "conflict", 1, dt.date(2020, 12, 31)),
    ]
    for source, target, kind, strength, valid_to in ties:
        relationships.add_relationship(
            app_db,
            USER,
            program.id,
            {
                "source_id": ids[source],
                "target_id": ids[target],
                "tie_type_id": _tie_type(program, kind),
                "strength": strength,
                "valid_to": valid_to,
            },
        )
    stage = program.stages[0].id
    item = AssessmentInput(ids["Municipalidad"], stage, dt.date(2024, 3, 1), 5, 5, 4, 5, 3)
    assessments.record_assessments(app_db, USER, program.id, [item])
    return ids


def _payload(at: AppTest) -> dict[str, Any]:
    """The data the map component received (nodes, edges, legend...)."""
    found = [e for e in at.main.children.values() for e in _walk(e) if _is_map(e)]
    assert found, "the map component is not on the page"
    proto = found[-1].proto
    data: dict[str, Any] = json.loads(
        proto.bytes if proto.WhichOneof("data") == "bytes" else proto.json
    )
    return data


def _walk(element: Any) -> list[Any]:
    children = getattr(element, "children", None)
    if not children:
        return [element]
    return [element] + [x for child in children.values() for x in _walk(child)]


def _is_map(element: Any) -> bool:
    proto = getattr(element, "proto", None)
    return proto is not None and getattr(proto, "component_name", "") == "tejido.network_map"


def _legend(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.html if "tejido-legend" in h.proto.body)


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_without_actors_the_page_says_what_to_do(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert "aún no tiene actores" in at.info[0].value


def test_the_map_shows_every_actor_with_a_legend_in_spanish(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert "El mapa muestra 4 de 4 actores y 3 vínculos." in _captions(at)
    legend = _legend(at)
    for text in ("Leyenda", "Gobierno municipal", "Organización de la sociedad civil",
                 "Conflicto (rojo, discontinuo)", "Vínculo con dirección (flecha)"):  # fmt: skip
        assert text in legend
    payload = _payload(at)
    assert sorted(n["title"].splitlines()[0] for n in payload["nodes"]) == [
        "Colectivo Juvenil", "Embajada Británica", "Municipalidad", "ONU-Hábitat",
    ]  # fmt: skip
    conflict = [e for e in payload["edges"] if e.get("dashes")]
    assert len(conflict) == 1 and conflict[0]["color"]["color"] == "#CC3311"
    assert payload["editable"] is True
    assert "Haga clic en un actor del mapa" in _captions(at)


def test_the_legend_follows_the_language_and_the_colour_choice(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.selectbox(key=network_views.COLOUR).set_value("engagement").run()
    legend = _legend(at)
    assert "Legend" in legend and "Supportive" in legend and "Not assessed" in legend
    assert "Municipal government" not in legend
    assert "The map shows 4 of 4 actors and 3 ties." in _captions(at)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (network_views.SECTORS, ["municipal_government", "multilateral"], 2),
        (network_views.TIE_TYPES, ["funds"], 4),
        (network_views.STRENGTH, 2, 4),
        (network_views.ON_DATE, dt.date(2024, 1, 1), 4),
    ],
)
def test_filters_narrow_the_map(
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    coalition: dict[str, int],
    key: str,
    value: Any,
    expected: int,
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.session_state[key] = value
    at.run()
    payload = _payload(at)
    assert len(payload["nodes"]) == expected
    ties = {
        network_views.SECTORS: 1,  # Municipalidad - ONU-Hábitat only
        network_views.TIE_TYPES: 1,
        network_views.STRENGTH: 2,  # the weak conflict tie is gone
        network_views.ON_DATE: 2,  # the conflict ended in 2020
    }[key]
    assert len(payload["edges"]) == ties
    assert "Filtros (1 activo)" in [e.label for e in at.expander]


def test_ego_view_keeps_an_actor_and_its_neighbours(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    at.session_state[network_views.FILTERS_OPEN] = True
    at.run()
    at.selectbox(key=network_views.EGO).set_value(coalition["Embajada Británica"]).run()
    assert sorted(n["title"].splitlines()[0] for n in _payload(at)["nodes"]) == [
        "Embajada Británica",
        "ONU-Hábitat",
    ]
    at.slider(key=network_views.EGO_STEPS).set_value(2).run()
    assert len(_payload(at)["nodes"]) == 3


def test_filters_are_built_only_while_open_and_kept_while_closed(
    open_page: Callable[..., AppTest], program: ProgramInfo, coalition: dict[str, int]
) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert [e.label for e in at.expander] == ["Filtros (ninguno activo)"]
    assert not at.multiselect and not at.date_input
    at.session_state[network_views.FILTERS_OPEN] = True
    at.run()
    at.multiselect(key=network_views.SECTORS).set_value(["multilateral"]).run()
    assert len(_payload(at)["nodes"]) == 1
    at.session_state[network_views.FILTERS_OPEN] = False
    at.run()
    at.run()
    assert not at.exception and not at.multiselect
    assert "Filtros (1 activo)" in [e.label for e in at.expander]
    assert [n["title"].splitlines()[0] for n in _payload(at)["nodes"]] == ["ONU-Hábitat"]
    at.session_state[network_views.FILTERS_OPEN] = True
    at.run()
    assert at.multiselect(key=network_views.SECTORS).value == ["multilateral"]


def test_a_selected_actor_opens_its_panel(program: ProgramInfo, coalition: dict[str, int]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["tejido.lang"] = "es"
    at.session_state["tejido.program_id"] = program.id
    at.session_state["tejido.selected_actor"] = coalition["Municipalidad"]
    at.run(timeout=60)
    at.switch_page(PAGE).run(timeout=60)
    assert not at.exception
    assert at.selectbox(key=network_views.CHOOSER).value == coalition["Municipalidad"]
    assert [h.value for h in at.subheader] == ["Municipalidad"]
    assert "Gestionar de cerca" in " ".join(m.value for m in at.markdown)
    assert _payload(at)["selected"] == coalition["Municipalidad"]
    at.selectbox(key=network_views.CHOOSER).set_value(coalition["ONU-Hábitat"]).run()
    assert at.session_state["tejido.selected_actor"] == coalition["ONU-Hábitat"]


def test_a_large_program_shows_the_most_central_actors_and_says_so(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    hub = actors.add_actor(app_db, USER, program.id, {"name": "Centro"}).id
    kind = _tie_type(program, "collaborates")
    for number in range(259):
        other = actors.add_actor(app_db, USER, program.id, {"name": f"Actor {number:03d}"}).id
        if number < 20:
            relationships.add_relationship(
                app_db, USER, program.id,
                {"source_id": hub, "target_id": other, "tie_type_id": kind, "strength": 2},
            )  # fmt: skip
    at = open_page(PAGE, program_id=program.id)
    at.selectbox(key=network_views.MAX_NODES).set_value(250).run()
    warning = at.warning[0].value
    assert "Programa grande: se muestran los 250 actores" in warning
    assert "de los 260 que cumplen los filtros" in warning
    payload = _payload(at)
    assert len(payload["nodes"]) == 250
    assert hub in {n["id"] for n in payload["nodes"]}
    assert payload["options"]["physics"] == {"enabled": False}


def test_analysis_tables_explain_themselves_and_download(
    app_db: Database, open_page: Callable[..., AppTest]
) -> None:
    from engagement.services.exchange import demo

    program = demo.load_demo(app_db, Principal("cli"), demo.demo_data("antigua"))
    at = open_page("app_pages/network.py", program_id=program.id)
    assert any(h.value == "Análisis de la coalición" for h in at.header)
    captions = " ".join(c.value for c in at.caption)
    columns = {c for df in at.dataframe for c in df.value.columns}
    assert {"Intermediación", "Comunidad", "Portero"} <= columns
    assert len(captions) > 0
    assert at.get("download_button")
    assert "Medidas por actor" in [t.label for t in at.tabs]


def test_only_the_analysis_tab_in_view_is_built_and_files_are_written_on_click(
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    coalition: dict[str, int],
    deferred_files: dict[str, Callable[[], Any]],
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    at = open_page(PAGE, program_id=program.id)
    tabs = {t.label: t for t in at.tabs}
    assert len(tabs["Medidas por actor"].children) > 0
    assert [len(tabs[k].children) for k in ("Comunidades", "Caminos de presentación")] == [0, 0]
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    csv_button, xlsx_button = (buttons[f"analysis_ui.{k}.measures"] for k in ("csv", "xlsx"))
    assert csv_button.deferred_file_id and not csv_button.url
    text = deferred_files[csv_button.deferred_file_id]().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Actor,Sector,")
    assert "Municipalidad" in text
    # Sectors by their names in the user's language (never keys), rows by visible name.
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert {r[1] for r in rows} <= {s.label("es") for s in program.sectors} | {""}
    assert [r[0].casefold() for r in rows] == sorted(r[0].casefold() for r in rows)
    workbook = deferred_files[xlsx_button.deferred_file_id]()
    book = load_workbook(io.BytesIO(workbook), read_only=True)
    assert book.sheetnames == ["Medidas por actor", "Acerca de"]

    at.session_state[analysis_tables.TABS] = "Comunidades"
    at.run()
    tabs = {t.label: t for t in at.tabs}
    assert not at.exception and len(tabs["Medidas por actor"].children) == 0
    assert [str(df.value.columns[0]) for df in at.dataframe] == ["Comunidad"]


def test_a_colour_change_sends_the_tables_without_preparing_them_again(
    app_db: Database,
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    coalition: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The measures table is prepared (named, translated, rounded, in Arrow) once per
    data version, reader's visibility and language: a rerun that changes only the map's
    colours reuses it; an edit or another language prepares it again."""
    prepared: list[int] = []
    real = analysis_tables._prepare

    def counted(frame: Any) -> Any:
        prepared.append(len(frame))
        return real(frame)

    monkeypatch.setattr(analysis_tables, "_prepare", counted)

    def names(at: AppTest) -> list[str]:
        return [str(n) for n in next(df.value for df in at.dataframe).iloc[:, 0]]

    at = open_page(PAGE, program_id=program.id)
    assert prepared == [4]
    assert names(at) == sorted(coalition, key=str.casefold)
    at.selectbox(key=network_views.COLOUR).set_value("engagement").run()
    assert not at.exception and prepared == [4]
    assert names(at) == sorted(coalition, key=str.casefold)

    actors.add_actor(app_db, USER, program.id, {"name": "Radio Comunitaria"})
    at.run()
    assert prepared == [4, 5] and "Radio Comunitaria" in names(at)

    at.session_state["tejido.lang"] = "en"
    at.run()
    assert prepared == [4, 5, 5]
    assert "Betweenness" in next(df.value for df in at.dataframe).columns


def test_a_table_arrow_cannot_type_is_left_to_streamlit() -> None:
    """A column of mixed values stays a frame (Streamlit mends such columns itself)."""
    import pandas as pd
    import pyarrow as pa

    typed = analysis_tables._arrow(pd.DataFrame({"a": [1.5, 2.0], "b": ["x", "y"]}))
    assert isinstance(typed, pa.Table) and typed.column_names == ["a", "b"]
    mixed = pd.DataFrame({"a": pd.Series([1, "uno"], dtype=object)})
    assert analysis_tables._arrow(mixed) is mixed


@pytest.fixture
def attended(app_db: Database, program: ProgramInfo, coalition: dict[str, int]) -> None:
    """Two workshops: Municipalidad and Colectivo Juvenil at both, Embajada at one."""
    from engagement.services.tracking import activities
    from engagement.tracking import ActivityInput, Attendee

    kind = next(k.id for k in program.activity_types if k.key == "workshop")
    people = [coalition[n] for n in ("Municipalidad", "Colectivo Juvenil", "Embajada Británica")]
    for days, present in ((30, people), (10, people[:2])):
        item = ActivityInput(
            activity_type_id=kind,
            stage_id=program.stages[0].id,
            title=f"Taller {days}",
            held_on=dt.date.today() - dt.timedelta(days=days),
        )
        activities.record_activity(app_db, USER, program.id, item, [Attendee(p) for p in present])


def _relationship_count(app_db: Database, program: ProgramInfo) -> int:
    return len(stored_registry.relationships_frame(app_db, program.id))


def test_the_co_participation_layer_is_off_until_turned_on(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    coalition: dict[str, int],
    attended: None,
) -> None:
    at = open_page(PAGE, program_id=program.id)
    toggle = at.toggle(key=network_views.CO_PARTICIPATION)
    assert toggle.label == "Co-participación" and toggle.value is False
    assert "asistieron a las mismas actividades" in (toggle.help or "")
    assert "Co-participación" not in _legend(at)
    assert not [e for e in _payload(at)["edges"] if str(e["id"]).startswith("co:")]
    frame_before = _payload(at)["frame"]
    nodes_before = _payload(at)["nodes"]

    toggle.set_value(True).run()
    assert not at.exception
    assert "Co-participación en actividades (punteado)" in _legend(at)
    assert "dotted" in _legend(at)
    assert "Co-participación: 3 pares de actores del mapa" in _captions(at)
    payload = _payload(at)
    layer = {e["id"]: e for e in payload["edges"] if str(e["id"]).startswith("co:")}
    muni, joven = sorted((coalition["Municipalidad"], coalition["Colectivo Juvenil"]))
    both = layer[f"co:{muni}-{joven}"]
    assert both["title"].endswith("2 actividades compartidas") and both["dashes"]
    assert "arrows" in both and both["arrows"]["to"]["enabled"] is False
    assert len(layer) == 3
    # The summary still counts declared ties only; nothing was stored or moved.
    assert "El mapa muestra 4 de 4 actores y 3 vínculos." in _captions(at)
    assert _relationship_count(app_db, program) == 3
    assert payload["nodes"] == nodes_before and payload["frame"] != frame_before


def test_the_co_participation_layer_speaks_english_and_follows_the_date(
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    coalition: dict[str, int],
    attended: None,
) -> None:
    at = open_page(PAGE, lang="en", program_id=program.id)
    at.session_state[network_views.ON_DATE] = dt.date.today() - dt.timedelta(days=20)
    at.toggle(key=network_views.CO_PARTICIPATION).set_value(True).run()
    assert at.toggle(key=network_views.CO_PARTICIPATION).label == "Co-participation"
    assert "Co-participation in activities (dotted)" in _legend(at)
    layer = [e for e in _payload(at)["edges"] if str(e["id"]).startswith("co:")]
    assert len(layer) == 3
    assert {e["title"].splitlines()[1] for e in layer} == {"1 shared activity"}
    at.session_state[network_views.ON_DATE] = dt.date.today() - dt.timedelta(days=40)
    at.run()
    assert "no two actors on the map attended the same activity" in _captions(at)
    assert not [e for e in _payload(at)["edges"] if str(e["id"]).startswith("co:")]


def test_gap_tables_say_when_nothing_is_missing(
    app_db: Database, open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    for name in ("Municipalidad", "ONU-Hábitat"):
        actors.add_actor(app_db, USER, program.id, {"name": name})
    at = open_page(PAGE, program_id=program.id)
    at.session_state[analysis_tables.TABS] = "Actores clave sin aliados"
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Ningún actor clave está sin vínculo con un actor que apoya el programa."
    ]
    assert "No hay datos suficientes para esta tabla." not in [i.value for i in at.info]


def test_key_players_without_allies_are_listed(
    app_db: Database,
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    coalition: dict[str, int],
) -> None:
    # A powerful, interested embassy still neutral, tied only to an unassessed agency.
    stage = program.stages[0].id
    item = AssessmentInput(
        coalition["Embajada Británica"], stage, dt.date(2024, 3, 1), 5, 5, 2, 4, 3
    )
    assessments.record_assessments(app_db, USER, program.id, [item])
    at = open_page(PAGE, program_id=program.id)
    at.session_state[analysis_tables.TABS] = "Actores clave sin aliados"
    at.run()
    assert not at.exception and not at.success
    names = [v for df in at.dataframe for v in df.value.iloc[:, 0].tolist()]
    assert names == ["Embajada Británica"]


def test_large_programs_show_the_analysis_on_request(
    open_page: Callable[..., AppTest],
    program: ProgramInfo,
    coalition: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(analysis_tables, "ON_DEMAND_FROM", 4)
    at = open_page(PAGE, program_id=program.id)
    assert not at.exception and _payload(at)["nodes"]
    assert not at.tabs and not at.dataframe
    assert "Con 4 actores, el análisis se muestra a pedido" in _captions(at)
    at.toggle(key=analysis_tables.SHOW).set_value(True).run()
    assert "Medidas por actor" in [t.label for t in at.tabs]
    assert {"Intermediación", "Comunidad"} <= {c for df in at.dataframe for c in df.value.columns}
    at.run()
    assert at.toggle(key=analysis_tables.SHOW).value, "the choice is kept for the session"
    monkeypatch.setattr(analysis_tables, "ON_DEMAND_FROM", 5)
    at.run()
    shown = [t.key for t in at.toggle]
    assert analysis_tables.SHOW not in shown and at.tabs, "small programs show it at once"


@pytest.mark.parametrize(
    ("lang", "tab", "words", "header"),
    [
        ("es", "Intermediarios", ("enlace entre", "Papel principal"), "Veces que intermedia"),
        ("en", "Brokers", ("liaison between", "Main role"), "Times brokering"),
    ],
)
def test_brokers_are_named_in_words_rounded_on_screen_with_four_decimals_in_files(
    app_db: Database,
    open_page: Callable[..., AppTest],
    deferred_files: dict[str, Callable[[], Any]],
    lang: str,
    tab: str,
    words: tuple[str, str],
    header: str,
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from engagement.services.exchange import demo

    program = demo.load_demo(app_db, Principal("cli"), demo.demo_data("antigua"))
    at = open_page(PAGE, lang=lang, program_id=program.id)
    at.session_state[analysis_tables.TABS] = tab
    at.run()
    assert not at.exception
    sentences = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(sentences) == 8
    text = " ".join(sentences)
    assert words[0] in text
    # The leading broker is the municipality's open-government unit, named with its sector.
    sectors = {s.key: s.label(lang) for s in program.sectors}
    assert sectors["municipal_government"].replace("(", "\\(") in sentences[0]
    table = next(df.value for df in at.dataframe)
    assert words[1] in table.columns and header in table.columns
    roles = {"es": {"Coordinador", "Itinerante (cosmopolita)", "Portero", "Representante",
                    "Enlace"},
             "en": {"Coordinator", "Itinerant (cosmopolitan)", "Gatekeeper", "Representative",
                    "Liaison"}}[lang]  # fmt: skip
    assert set(table[words[1]]) <= roles
    measures = table.columns[4:7]
    for column in measures:
        values = table[column].dropna()
        assert (values == values.round(2)).all()
    assert (table[measures[0]] > 0).any()  # some betweenness shows, rounded
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    csv_button, xlsx_button = buttons["brokers.csv"], buttons["brokers.xlsx"]
    assert csv_button.deferred_file_id and not csv_button.url
    rows = list(
        csv.reader(io.StringIO(deferred_files[csv_button.deferred_file_id]().decode("utf-8-sig")))
    )
    assert rows[0][:3] == list(table.columns[:3])
    decimals = {len(cell.split(".")[1]) for row in rows[1:] for cell in row[4:7] if "." in cell}
    assert max(decimals) == 4  # four decimals in the file (two on screen)
    book = load_workbook(io.BytesIO(deferred_files[xlsx_button.deferred_file_id]()))
    sheet = book[tab]
    numbers = [c.value for row in sheet.iter_rows(min_row=2) for c in row[4:7]]
    assert any(isinstance(v, float) and round(v, 4) == v != round(v, 2) for v in numbers)
    name = FILE_NAMES[csv_button.deferred_file_id]
    assert name.endswith("-intermediarios.csv" if lang == "es" else "-brokers.csv")


def test_measures_are_rounded_on_screen_with_four_decimals_in_files(
    app_db: Database,
    open_page: Callable[..., AppTest],
    deferred_files: dict[str, Callable[[], Any]],
) -> None:
    import csv
    import io

    from engagement.services.exchange import demo

    program = demo.load_demo(app_db, Principal("cli"), demo.demo_data("antigua"))
    at = open_page(PAGE, program_id=program.id)
    assert not at.exception
    table = next(df.value for df in at.dataframe)
    betweenness = table["Intermediación"].dropna()
    assert (betweenness == betweenness.round(2)).all()
    assert (betweenness > 0).any()
    # The columns shown at first fit a laptop with their headers whole; community waits
    # behind "more columns".
    assert sum(analysis_tables.MAIN_MEASURES.values()) <= 880
    assert "community" not in analysis_tables.MAIN_MEASURES
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    data = deferred_files[buttons["analysis_ui.csv.measures"].deferred_file_id]().decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(data)))
    column = rows[0].index("Intermediación")
    decimals = {len(r[column].split(".")[1]) for r in rows[1:] if "." in r[column]}
    assert max(decimals) == 4
