"""The network map in headless chromium: it draws, stays local, opens panels on click,
keeps dragged positions, downloads PNG and an offline HTML page, and shows hostile names
as text. Its drawing code is fetched once from the app's asset route (``server.py``, as
deployed) and never sent again with a rerun; ``streamlit run app.py`` inlines it.

The ``page`` fixture's guard fails a test when a request leaves localhost or a JavaScript
dialog opens (an injected ``alert``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from engagement.maps import assets
from engagement.maps.view import LABEL_CHARS, LABEL_LINES
from engagement.model import AssessmentInput, Principal
from engagement.services.registry import actors, assessments, programs, relationships
from engagement.services.view import program_view
from engagement.storage import migrate
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from engagement.text import wrap_name
from engagement.web import asset_routes
from tests.browser.conftest import LiveApp, goto, running_app, wait_for_rerun
from tests.support import name_wrapping
from tests.support.streamlit_client import Run, StreamlitSession

pytestmark = pytest.mark.browser

MAP = ".tj-map"
DRAWN = ".tj-map[data-state='drawn']"
XSS = "<img src=x onerror=alert(1)>"
HREF_NOTE = 'Ver <a href="javascript:alert(2)">href</a> y <b onmouseover=alert(3)>más</b>'
DRAW_TIMEOUT_MS = 90_000


def wait_for_map(page: Page) -> None:
    page.wait_for_selector(DRAWN, timeout=DRAW_TIMEOUT_MS)


def node_point(page: Page, actor_id: int) -> tuple[float, float]:
    """Where an actor is drawn, in page pixels (the map scrolled to the top of the window)."""
    page.locator(".tj-canvas").evaluate("el => el.scrollIntoView({block: 'start'})")
    found = page.locator(MAP).evaluate("(el, id) => el.tejidoNodePosition(id)", actor_id)
    assert found is not None, f"actor {actor_id} is not on the map"
    box = page.locator(".tj-canvas").bounding_box()
    assert box is not None
    return box["x"] + found["x"], box["y"] + found["y"]


def actor_id(app: LiveApp, program: int, name: str) -> int:
    db = Database.from_url(app.db_url)
    try:
        frame = stored_registry.actors_frame(db, program)
        return int(frame.loc[frame["name"] == name, "id"].iloc[0])
    finally:
        db.dispose()


def actor_names(app: LiveApp, program: int) -> dict[int, str]:
    db = Database.from_url(app.db_url)
    try:
        frame = stored_registry.actors_frame(db, program)
        return dict(zip(frame["id"].astype(int), frame["name"].astype(str), strict=True))
    finally:
        db.dispose()


def actor_count(app: LiveApp, program: int) -> int:
    """Live actors now (other browser tests share this server and may have added some)."""
    db = Database.from_url(app.db_url)
    try:
        return len(stored_registry.actors_frame(db, program))
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def live_app(demo_database: tuple[Path, str]) -> Iterator[LiveApp]:
    """The demo programs served as deployed: ``server.py`` serves the map's code."""
    with running_app(*demo_database, script="server.py") as app:
        yield app


@pytest.fixture(scope="module")
def inline_app(demo_database: tuple[Path, str]) -> Iterator[LiveApp]:
    """``streamlit run app.py``: no asset route, the map's code is inlined."""
    with running_app(*demo_database) as app:
        yield app


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """A server of its own: one program with script-like names, notes and a conflict."""
    folder = tmp_path_factory.mktemp("tejido-map")
    db_url = f"sqlite:///{folder / 'map.db'}"
    db = Database.from_url(db_url)
    migrate.upgrade(db.engine)
    user = Principal("browser-test")
    program = programs.create_program(db, user, "Mapa <b>hostil</b>")
    sector = program.sectors[0].id
    bad = actors.add_actor(
        db, user, program.id,
        {"name": XSS, "sector_id": sector, "description": HREF_NOTE, "tags": ["href"]},
    )  # fmt: skip
    names = ["Vecinos", "Cooperativa", 'Radio "La Voz" & Co']
    others = [actors.add_actor(db, user, program.id, {"name": n}).id for n in names]
    stage = program.stages[0].id
    assessments.record_assessments(
        db, user, program.id,
        [AssessmentInput(bad.id, stage, dt.date(2024, 3, 1), 5, 1, 2, 4, 3, note=HREF_NOTE)],
    )  # fmt: skip
    kinds = {tt.key: tt.id for tt in program.tie_types}
    for source, target, kind in [
        (others[0], bad.id, "collaborates"),
        (bad.id, others[1], "conflict"),
        (others[1], others[2], "informs"),
    ]:
        relationships.add_relationship(
            db, user, program.id,
            {"source_id": source, "target_id": target, "tie_type_id": kinds[kind],
             "note": HREF_NOTE},
        )  # fmt: skip
    db.dispose()
    with running_app(folder, db_url, script="server.py") as app:
        yield app


def test_the_map_draws_locally_and_a_click_opens_the_panel(
    page: Page, live_app: LiveApp, screenshot: Callable[[str], Path]
) -> None:
    goto(page, live_app, "network", program=live_app.antigua_id)
    wait_for_map(page)
    assert page.locator(".tj-canvas canvas").count() == 1
    count = actor_count(live_app, live_app.antigua_id)
    assert count >= 54  # the demo's 54, plus any another browser test added
    assert page.locator(MAP).get_attribute("data-nodes") == str(count)
    expect(page.get_by_text(f"El mapa muestra {count} de {count} actores")).to_be_visible()
    expect(page.locator(".tejido-legend")).to_contain_text("Gobierno municipal")
    mayor = actor_id(live_app, live_app.antigua_id, "Alcaldía Municipal de La Antigua Guatemala")
    x, y = node_point(page, mayor)
    page.mouse.move(x, y)
    tooltip = page.locator(".vis-tooltip")
    expect(tooltip).to_contain_text("Poder 5 · Interés 5")
    page.mouse.click(x, y)
    wait_for_rerun(page)
    heading = page.get_by_role("heading", name="Alcaldía Municipal de La Antigua Guatemala")
    expect(heading).to_be_visible()
    expect(page.locator(DRAWN)).to_have_count(1)  # the map stays drawn after the rerun
    screenshot("panel")


def test_the_map_code_is_fetched_once_and_reruns_send_only_data(
    page: Page, live_app: LiveApp
) -> None:
    fetched: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: (
            fetched.append((r.status, r.headers.get("cache-control", "")))
            if asset_routes.ASSET_PREFIX in r.url
            else None
        ),
    )
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f))))
    goto(page, live_app, "network", program=live_app.antigua_id)
    wait_for_map(page)
    assert fetched == [(200, asset_routes.CACHE_FOREVER)]
    frames.clear()
    # A click selects an actor: the map's data changes, so its element is sent again.
    mayor = actor_id(live_app, live_app.antigua_id, "Alcaldía Municipal de La Antigua Guatemala")
    x, y = node_point(page, mayor)
    page.mouse.click(x, y)
    wait_for_rerun(page)
    heading = page.get_by_role("heading", name="Alcaldía Municipal de La Antigua Guatemala")
    expect(heading).to_be_visible()
    expect(page.locator(DRAWN)).to_have_count(1)
    assert len(fetched) == 1  # kept by the page, not fetched again
    assert 0 < sum(frames) < len(assets.vis_network_js()) / 4


def test_before_printing_the_served_map_leaves_a_picture_of_its_drawing(
    page: Page, live_app: LiveApp
) -> None:
    goto(page, live_app, "network", program=live_app.antigua_id)
    wait_for_map(page)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    picture = page.evaluate(
        """() => { for (const host of document.querySelectorAll('*')) {
             const img = host.shadowRoot && host.shadowRoot.querySelector('img.tejido-map-print');
             if (img) return img.src.slice(0, 22); }
           return null; }"""
    )
    assert picture == "data:image/png;base64,"


def test_without_the_asset_route_the_map_code_is_inlined_and_still_draws(
    page: Page, inline_app: LiveApp
) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/_tejido/" in r.url else None)
    goto(page, inline_app, "network", program=inline_app.antigua_id)
    wait_for_map(page)
    assert page.locator(MAP).get_attribute("data-nodes") == str(
        actor_count(inline_app, inline_app.antigua_id)
    )
    assert fetched == []


def _map_element(run: Run) -> object:
    found = [e.bidi_component for e in run.elements if e.WhichOneof("type") == "bidi_component"]
    assert len(found) == 1
    return found[0]


def _colour_change(app: LiveApp) -> tuple[Run, Run, Run]:
    """Open the map, change "Colour by", then rerun with nothing changed."""
    query = f"program={app.antigua_id}&lang=en"
    with StreamlitSession(app.base_url) as session:
        opened = session.open("network", query)
        colour = opened.widget("Colour by")
        changed = session.change(colour, "Community")
        unchanged = session.change(colour, "Community")
    return opened, changed, unchanged


def test_a_rerun_sends_the_map_data_but_never_its_code(live_app: LiveApp) -> None:
    vis = assets.vis_network_js()
    opened, changed, unchanged = _colour_change(live_app)
    for run in (opened, changed):
        element: Any = _map_element(run)
        assert vis[1000:1200] not in element.js_content
        assert json.dumps(asset_routes.map_bundle().path) in element.js_content
        assert len(element.js_content) < 5_000
        assert element.bytes  # the data itself
        assert run.element_bytes["bidi_component"] < len(element.bytes) + 10_000
    # New data, so a new element: but only data and the small loader.
    assert _map_element(opened).bytes != _map_element(changed).bytes
    # Nothing changed: the browser's cached element is referred to, not sent again.
    assert "bidi_component" not in unchanged.element_bytes
    assert unchanged.element_bytes["cached"] < 1_000
    assert _map_element(unchanged).bytes == _map_element(changed).bytes


def test_without_the_asset_route_each_new_map_carries_its_code(inline_app: LiveApp) -> None:
    """The fallback, and proof that the test above would see the code being resent."""
    _, changed, _ = _colour_change(inline_app)
    element: Any = _map_element(changed)
    assert assets.vis_network_js()[1000:1200] in element.js_content
    assert changed.element_bytes["bidi_component"] > len(assets.vis_network_js())


def test_hostile_names_stay_text_on_the_map(
    page: Page, hostile_map: LiveApp, screenshot: Callable[[str], Path]
) -> None:
    program = next(iter(hostile_map.programs.values()))
    goto(page, hostile_map, "network", program=program)
    wait_for_map(page)
    bad = actor_id(hostile_map, program, XSS)
    x, y = node_point(page, bad)
    page.mouse.move(x, y)
    tooltip = page.locator(".vis-tooltip")
    expect(tooltip).to_contain_text(XSS)  # as typed: the tag is text, not an element
    expect(tooltip).to_contain_text('<a href="javascript:alert(2)">')
    assert page.locator(".vis-tooltip img, .vis-tooltip a, .vis-tooltip b").count() == 0
    screenshot("hover")
    page.mouse.click(x, y)
    wait_for_rerun(page)
    expect(page.get_by_role("heading", name=XSS)).to_be_visible()
    wait_for_map(page)
    for other in ("Vecinos", "Cooperativa", 'Radio "La Voz" & Co'):
        ox, oy = node_point(page, actor_id(hostile_map, program, other))
        page.mouse.move(ox, oy)
        page.wait_for_timeout(400)
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
    screenshot("clicked")
    # the guard fails the test if any of this opened a dialog


def test_dragged_actors_keep_their_place_after_a_reload(
    page: Page, hostile_map: LiveApp, screenshot: Callable[[str], Path]
) -> None:
    program = next(iter(hostile_map.programs.values()))
    goto(page, hostile_map, "network", program=program)
    wait_for_map(page)
    moved = actor_id(hostile_map, program, "Cooperativa")
    first = page.locator(MAP).evaluate("(el, id) => el.tejidoNodePosition(id, true)", moved)
    x, y = node_point(page, moved)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 9 * step, y + 5 * step)
        page.wait_for_timeout(30)  # a gesture, not a jump: vis-network tracks the pan
    page.mouse.up()
    wait_for_rerun(page)
    # Only the dragged actor is pinned: the others keep their computed places.
    expect(page.get_by_text("colocado a mano")).to_contain_text("(1 actor colocado a mano)")
    # Where it was dropped, in the map's own coordinates (the view is fitted afresh on a
    # reload, and the dragged actor may have widened the picture).
    where = "(el, id) => el.tejidoNodePosition(id, true)"
    dropped = page.locator(MAP).evaluate(where, moved)
    page.reload()
    wait_for_map(page)
    again = page.locator(MAP).evaluate(where, moved)
    assert abs(again["x"] - dropped["x"]) < 1 and abs(again["y"] - dropped["y"]) < 1
    assert abs(dropped["x"] - first["x"]) > 10  # it did move
    page.get_by_role("button", name="Restablecer disposición").click()
    wait_for_rerun(page)
    expect(page.get_by_text("Disposición restablecida.")).to_be_visible()
    expect(page.get_by_text("(0 actores colocados a mano)")).to_be_visible()
    screenshot("reset")


def test_downloads_png_and_an_offline_html_page(
    page: Page, live_app: LiveApp, tmp_path: Path, screenshot: Callable[[str], Path]
) -> None:
    goto(page, live_app, "network", program=live_app.tepic_id)
    wait_for_map(page)
    with page.expect_download() as png:
        page.get_by_role("button", name="Descargar PNG").click()
    png_path = tmp_path / "mapa.png"
    png.value.save_as(png_path)
    assert png.value.suggested_filename == "tejido-mapa.png"
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as html:
        page.get_by_role("button", name="Descargar mapa (HTML)").click()
    html_path = tmp_path / "mapa.html"
    html.value.save_as(html_path)
    text = html_path.read_text(encoding="utf-8")
    assert "Mapa de la red — Ciudades Abiertas — Tepic" in text
    # The page works on its own, from disk, with nothing fetched (the guard watches).
    page.goto(html_path.as_uri())
    wait_for_map(page)
    assert page.locator(".tj-canvas canvas").count() == 1
    expect(page.locator(".tj-legend")).to_contain_text("Conflicto (rojo, discontinuo)")
    screenshot("offline-export")


# --- legible at a laptop's size ----------------------------------------------------------

LAPTOP_WIDTH, LAPTOP_HEIGHT = 1366, 768
#: Pixels at least between two names (the drawing keeps 6).
NAME_SPACE = 4


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return bool(
        a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    )


def _grown(box: dict[str, float], by: float) -> dict[str, float]:
    return {"x": box["x"] - by, "y": box["y"] - by, "w": box["w"] + 2 * by, "h": box["h"] + 2 * by}


def _disc_meets_box(disc: dict[str, float], box: dict[str, float]) -> bool:
    nearest_x = min(max(disc["x"], box["x"]), box["x"] + box["w"])
    nearest_y = min(max(disc["y"], box["y"]), box["y"] + box["h"])
    return bool(math.hypot(disc["x"] - nearest_x, disc["y"] - nearest_y) < disc["r"] - 0.5)


def _most_central(app: LiveApp, program: int) -> list[int]:
    db = Database.from_url(app.db_url)
    try:
        found = program_view(db, Principal("test"), program).measures()
        ranked = found.sort_values(["degree", "name"], ascending=[False, True])
        return [int(i) for i in ranked["id"]]
    finally:
        db.dispose()


def _assert_whole_names_in_their_boxes(
    page: Page, labels: list[dict[str, Any]], names: dict[int, str]
) -> None:
    """Each label writes its actor's whole name as Python wraps it, and its box (the
    space the label layer kept free) holds every line: as tall as its lines, as wide
    as its widest line measured here, in the page, in the label's font."""
    widths = page.evaluate(
        """(labels) => labels.map((b) => {
             const ctx = document.createElement("canvas").getContext("2d");
             ctx.font = b.font;
             return Math.max(...b.lines.map((line) => ctx.measureText(line).width));
           })""",
        labels,
    )
    for label, width in zip(labels, widths, strict=True):
        assert label["lines"] == list(wrap_name(names[label["id"]], LABEL_CHARS, LABEL_LINES))
        assert label["font"] == f"{label['px']}px sans-serif"
        assert label["line_h"] >= label["px"]
        assert label["h"] >= len(label["lines"]) * label["line_h"], label
        assert label["w"] >= width - 0.5, (label, width)
    assert any(len(x["lines"]) > 1 for x in labels), [x["text"] for x in labels]


@pytest.mark.parametrize(("name", "expected"), name_wrapping.CASES)
def test_the_drawing_code_wraps_names_as_python_does(
    page: Page, name: str, expected: tuple[str, ...]
) -> None:
    page.set_content("<!DOCTYPE html><meta charset='utf-8'><body></body>")
    page.add_script_tag(content=assets.map_core_js())
    found = page.evaluate(
        "([name, chars, lines]) => tejidoWrapName(name, chars, lines)",
        [name, name_wrapping.CHARS, name_wrapping.LINES],
    )
    assert found == list(expected) == list(wrap_name(name, name_wrapping.CHARS))


@pytest.mark.parametrize("which", ["antigua", "tepic"])
def test_at_a_laptop_size_names_are_readable_and_nothing_overlaps(
    page: Page, live_app: LiveApp, which: str, screenshot: Callable[..., Path]
) -> None:
    program = live_app.antigua_id if which == "antigua" else live_app.tepic_id
    page.set_viewport_size({"width": LAPTOP_WIDTH, "height": LAPTOP_HEIGHT})
    goto(page, live_app, "network", program=program)
    wait_for_map(page)
    page.locator(".tj-canvas").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    root = page.locator(MAP)
    nodes = root.evaluate("el => el.tejidoNodes()")
    assert len(nodes) == actor_count(live_app, program)
    # No two actors overlap, as vis-network draws them (positions and radii on screen).
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            gap = math.hypot(a["x"] - b["x"], a["y"] - b["y"]) - a["r"] - b["r"]
            assert gap >= 0, f"actors {a['id']} and {b['id']} overlap by {-gap:.1f} px"
    labels = root.evaluate("el => el.tejidoLabels()")
    box = page.locator(".tj-canvas").bounding_box()
    assert box is not None
    # The map fills the page's width and the window's height.
    room = page.locator("[data-testid='stMainBlockContainer']").evaluate(
        "el => { const s = getComputedStyle(el);"
        " return el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
    )
    assert box["width"] >= room - 4
    assert box["height"] >= LAPTOP_HEIGHT - 110
    # Names: whole, readable (11 px or more), inside the map, none over another name or
    # actor, each measured as the box its lines fill (a wrapped name is taller).
    assert len(labels) >= 15, [x["text"] for x in labels]
    _assert_whole_names_in_their_boxes(page, labels, actor_names(live_app, program))
    for label in labels:
        assert label["px"] >= 11
        assert label["x"] >= 0 and label["x"] + label["w"] <= box["width"]
        assert label["y"] >= 0 and label["y"] + label["h"] <= box["height"]
        for disc in nodes:
            if disc["id"] != label["id"]:
                assert not _disc_meets_box(disc, label), (label["text"], disc["id"])
    # Nor touches another: two names kept apart read as two, not as one taller name.
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(_grown(a, NAME_SPACE / 2), _grown(b, NAME_SPACE / 2)), (
                a["text"],
                b["text"],
            )
    named = {x["id"] for x in labels}
    central = _most_central(live_app, program)
    assert central[0] in named  # the most central actor is named
    assert len(named & set(central[:5])) >= 3
    screenshot(f"map-{which}", full_page=False)
    # Zoomed in far enough, an actor not named at first is named.
    quiet = next(i for i in central if i not in named)
    for _ in range(4):  # x2 each time, up to 16 times the first zoom
        assert root.evaluate("(el, id) => el.tejidoFocus(id, 2)", quiet)
        page.wait_for_timeout(300)
        if quiet in {x["id"] for x in root.evaluate("el => el.tejidoLabels()")}:
            break
    else:
        pytest.fail(f"actor {quiet} is still not named when zoomed in 16 times")
