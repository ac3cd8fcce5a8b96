"""The power/interest grid in headless chromium: quadrant names, click to open a panel,
and hostile actor names that must stay text.

The ``page`` fixture's guard also fails a test when a request leaves localhost or a
JavaScript dialog opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from engagement.model import AssessmentInput, Principal
from engagement.services.registry import actors, assessments, programs, relationships
from engagement.storage import migrate
from engagement.storage.db import Database
from tests.browser.conftest import LiveApp, goto, running_app, wait_for_rerun

pytestmark = pytest.mark.browser

CHART = ".js-plotly-plot"
XSS = "<img src=x onerror=alert(1)>"
HREF_NOTE = '<a href="javascript:alert(2)">href</a>'


def plot_position(page: Page, x: float, y: float) -> tuple[float, float]:
    """Where a data point (interest x, power y) of the first chart is on the page."""
    page.wait_for_selector(f"{CHART} .main-svg", state="attached")
    found: list[float] = page.evaluate(
        """([x, y]) => {
            const gd = document.querySelector('.js-plotly-plot');
            const size = gd._fullLayout._size, box = gd.getBoundingClientRect();
            return [box.left + size.l + gd._fullLayout.xaxis.l2p(x),
                    box.top + size.t + gd._fullLayout.yaxis.l2p(y)];
        }""",
        [x, y],
    )
    return found[0], found[1]


def settled_position(page: Page, x: float, y: float) -> tuple[float, float]:
    """Where a data point is once the chart stops moving: the page may still be laying
    out when the chart first draws (a scroll bar appears, the chart takes the new width),
    and a point read too early is a few pixels beside its marker."""
    where = plot_position(page, x, y)
    for _ in range(40):
        page.wait_for_timeout(250)
        again = plot_position(page, x, y)
        if again == where:
            break
        where = again
    return where


def click_point(page: Page, x: float, y: float, hover: str = "") -> None:
    """Click a marker; with ``hover``, first wait until its hover label shows that text,
    so the click lands on the marker and not beside it."""
    px, py = settled_position(page, x, y)
    page.mouse.move(px, py)
    if hover:
        expect(page.locator(".hoverlayer .hovertext").first).to_contain_text(hover)
    else:
        page.wait_for_timeout(300)
    page.mouse.click(px, py)
    wait_for_rerun(page)


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("es", ["Mantener satisfecho", "Gestionar de cerca (actores clave)",
                "Monitorear (mínimo esfuerzo)", "Mantener informado"]),
        ("en", ["Keep satisfied", "Manage closely (key players)", "Monitor (minimal effort)",
                "Keep informed"]),
    ],
)  # fmt: skip
def test_grid_shows_the_four_quadrant_names(
    page: Page, live_app: LiveApp, lang: str, names: list[str],
    screenshot: Callable[[str], Path],
) -> None:  # fmt: skip
    goto(page, live_app, "grid", lang=lang, program=live_app.antigua_id)
    page.wait_for_selector(f"{CHART} .main-svg", state="attached")
    drawn = page.locator(CHART).first.text_content() or ""
    for name in names:
        assert name in drawn
    # every actor of the demo program is a marker on the grid
    assert page.locator(f"{CHART} .scatterlayer .point").count() >= 54
    screenshot(f"grid-{lang}")


def test_grid_downloads_as_png_in_the_browser(page: Page, live_app: LiveApp) -> None:
    goto(page, live_app, "grid", program=live_app.antigua_id)
    page.wait_for_selector(f"{CHART} .main-svg", state="attached")
    page.locator(CHART).first.hover()
    with page.expect_download() as download_info:
        page.locator("button[data-title='Download plot as a PNG']").click()
    download = download_info.value
    assert download.suggested_filename == "tejido-poder-interes.png"
    saved = download.path()
    assert saved is not None
    data = Path(saved).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a real 2x image of the grid, made offline


def test_clicking_an_actor_opens_its_panel(
    page: Page, live_app: LiveApp, screenshot: Callable[[str], Path]
) -> None:
    goto(page, live_app, "grid", program=live_app.antigua_id)
    heading = "Alcaldía Municipal de La Antigua Guatemala"
    click_point(page, 5, 5, hover=heading)  # power 5, interest 5, alone in its cell
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("Gestionar de cerca.", exact=False).first).to_be_visible()
    page.get_by_role("tab", name="Vínculos").click()
    # the ties table (a canvas grid: its cells are in an accessible, hidden table)
    cells = page.locator("[role='gridcell']", has_text="Concejo Municipal de La Antigua Guatemala")
    expect(cells.first).to_be_attached()
    screenshot("panel")


@pytest.fixture
def hostile_app(tmp_path: Path) -> Iterator[LiveApp]:
    """A server whose only program has actors with script-like names and notes."""
    db_url = f"sqlite:///{tmp_path / 'hostile.db'}"
    db = Database.from_url(db_url)
    migrate.upgrade(db.engine)
    user = Principal("browser-test")
    program = programs.create_program(db, user, "Programa <b>hostil</b>")
    sector = program.sectors[0].id
    bad = actors.add_actor(
        db, user, program.id,
        {"name": XSS, "sector_id": sector, "description": HREF_NOTE, "tags": ["href"]},
    )  # fmt: skip
    good = actors.add_actor(db, user, program.id, {"name": "Vecinos", "sector_id": sector})
    stage = program.stages[0].id
    assessments.record_assessments(
        db, user, program.id,
        [AssessmentInput(bad.id, stage, dt.date(2024, 3, 1), 5, 1, 2, 4, 3, note=HREF_NOTE),
         AssessmentInput(good.id, stage, dt.date(2024, 3, 1), 2, 5, 4, 4, 3)],
    )  # fmt: skip
    tie_type = program.tie_types[0].id
    relationships.add_relationship(
        db, user, program.id,
        {"source_id": good.id, "target_id": bad.id, "tie_type_id": tie_type, "note": HREF_NOTE},
    )  # fmt: skip
    db.dispose()
    with running_app(tmp_path, db_url) as app:
        yield app


def test_hostile_names_stay_text_on_hover_and_click(
    page: Page, hostile_app: LiveApp, screenshot: Callable[[str], Path]
) -> None:
    program_id = next(iter(hostile_app.programs.values()))
    goto(page, hostile_app, "grid", program=program_id)
    px, py = settled_position(page, 1, 5)  # the hostile actor: power 5, interest 1
    page.mouse.move(px, py)
    hover = page.locator(".hoverlayer .hovertext").first
    expect(hover).to_contain_text(XSS)  # shown as typed, not as an image tag
    assert page.locator(f"{CHART} img").count() == 0
    screenshot("hover")
    click_point(page, 1, 5)
    expect(page.get_by_role("heading", name=XSS)).to_be_visible()
    page.get_by_role("tab", name="Historial").click()
    expect(page.locator("[role='gridcell']", has_text="Diseño").first).to_be_attached()
    page.get_by_role("tab", name="Vínculos").click()
    page.get_by_text("Brechas de involucramiento", exact=True).click()
    wait_for_rerun(page)
    risks = f"Riesgo: 1 actor con poder alto que hoy se resiste: {XSS}."
    expect(page.get_by_text(risks)).to_be_visible()
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
    screenshot("gaps")
    # the guard fails the test if any of this opened a dialog
