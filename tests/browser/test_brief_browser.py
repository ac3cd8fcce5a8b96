"""At 1366x768: every name on the power/interest grid can be read (the drawn label boxes
overlap no other label and no marker, on both demo programs), and Ctrl+P prints the
dashboard, grid and network pages' content only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pypdf
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import (
    ANTIGUA,
    RESULTS,
    TEPIC,
    TIMEOUT_MS,
    Guard,
    LiveApp,
    _is_local,
    goto,
    wait_for_rerun,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}

#: Boxes of the drawn names, quadrant titles and markers of the first plotly chart.
_BOXES = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const notes = gd._fullLayout.annotations;
  const names = [], titles = [];
  document.querySelectorAll('.js-plotly-plot g.annotation').forEach((g) => {
    const i = Number(g.getAttribute('data-index'));
    const text = g.querySelector('.annotation-text');
    if (!text) return;
    const r = text.getBoundingClientRect();
    const box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                 text: text.textContent, size: parseFloat(getComputedStyle(text).fontSize)};
    (String(notes[i].name || '').startsWith('actor_name.') ? names : titles).push(box);
  });
  const markers = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach((trace, t) => {
    if (gd._fullData[t] && gd._fullData[t].name === 'selected') return;
    trace.querySelectorAll('path.point').forEach((p) => {
      const r = p.getBoundingClientRect();
      markers.push({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    });
  });
  const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const main = document.querySelector('[data-testid="stMainBlockContainer"]')
    .getBoundingClientRect();
  const col = gd.closest('[data-testid="stColumn"]');
  return {names, titles, markers, chart: gd.getBoundingClientRect().width,
          gd: [gd.getBoundingClientRect().left, gd.getBoundingClientRect().right,
               gd._fullLayout.width, gd._fullLayout._size.w],
          col: col ? col.getBoundingClientRect().width : null,
          main: main.width, plot: {left: plot.left, right: plot.right}};
}"""


def overlap(a: dict[str, Any], b: dict[str, Any], slack: float = 0.5) -> bool:
    return not (
        a["right"] <= b["left"] + slack
        or b["right"] <= a["left"] + slack
        or a["bottom"] <= b["top"] + slack
        or b["bottom"] <= a["top"] + slack
    )


@pytest.fixture
def laptop(chromium: Browser, live_app: LiveApp, guard: Guard) -> Iterator[Page]:
    """A page at 1366x768, guarded like the shared ``page`` fixture."""
    context = chromium.new_context(viewport=LAPTOP, locale="es-ES")
    context.set_default_timeout(TIMEOUT_MS)
    context.on("request", guard.on_request)
    context.route(lambda url: not _is_local(url), lambda route: route.abort())
    page = context.new_page()
    page.on("dialog", guard.on_dialog)
    # ``streamlit run app.py`` runs a deep link that is a fresh server's first request as
    # a page alone (Streamlit's legacy pages mode); app.py, run once, leaves that mode
    # (server.py, what make run and deploy/ start, leaves it before any request).
    goto(page, live_app)
    try:
        yield page
    finally:
        context.close()
    guard.assert_clean()


@pytest.mark.parametrize("program", [ANTIGUA, TEPIC])
def test_every_name_on_the_grid_can_be_read_at_1366(
    laptop: Page, live_app: LiveApp, program: str
) -> None:
    goto(laptop, live_app, "grid", program=live_app.programs[program])
    names_toggle = laptop.get_by_text("Mostrar nombres", exact=True)
    if not laptop.locator('[data-testid="stCheckbox"] input').first.is_checked():
        names_toggle.click()
        wait_for_rerun(laptop)
    laptop.wait_for_selector(".js-plotly-plot g.annotation", state="attached")
    laptop.wait_for_timeout(500)
    found = laptop.evaluate(_BOXES)
    RESULTS.mkdir(exist_ok=True)
    shot = RESULTS / f"grid-names-1366-{live_app.programs[program]}.png"
    laptop.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    laptop.screenshot(path=str(shot))
    names, titles, markers = found["names"], found["titles"], found["markers"]
    key = laptop.get_by_text("Clave de números", exact=True).count() > 0
    numbers = laptop.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .textpoint text')]"
        ".filter((t) => t.textContent.trim()).length"
    )
    # Only whole names are written (22 and 24 of the demos); the others are numbered and
    # written whole in the key beside the chart, never cut with "…".
    assert len(names) >= 20, len(names)
    assert len(markers) >= 50
    for i, a in enumerate(names):
        assert a["size"] >= 11
        assert (
            found["plot"]["left"] - 0.5 <= a["left"] and a["right"] <= found["plot"]["right"] + 0.5
        )
        for b in names[i + 1 :] + titles:
            assert not overlap(a, b), (a["text"], b["text"])
        for m in markers:
            assert not overlap(a, m), (a["text"], m)
    # the chart takes the page's width; with numbered markers, it shares it with their key
    assert key == (numbers > 0)
    if key:
        assert found["chart"] >= 0.65 * found["main"], found
    else:
        assert found["chart"] >= 0.95 * found["main"], found


def pdf_of(page: Page) -> tuple[str, int]:
    """The page printed as Ctrl+P would (print media, the browser's beforeprint event)."""
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(300)
    page.emulate_media(media="print")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


@pytest.mark.parametrize(
    ("path", "title"),
    [("", "Impulso Local — Antigua Guatemala 2024"), ("grid", "Mapa de poder e interés"),
     ("network", "Mapa de la red")],
)  # fmt: skip
def test_printing_a_page_prints_its_content_only(
    laptop: Page, live_app: LiveApp, path: str, title: str
) -> None:
    goto(laptop, live_app, path, program=live_app.antigua_id)
    laptop.wait_for_timeout(1500)  # charts and the map finish drawing
    sidebar = laptop.locator('[data-testid="stSidebar"]')
    assert sidebar.is_visible()
    text, pages = pdf_of(laptop)
    assert title in text
    for chrome in ("Cerrar sesión", "Modo presentación", "Deploy"):
        assert chrome not in text, chrome
    assert not sidebar.is_visible()
    for widget in ("stSelectbox", "stButtonGroup", "stPopover", "stCheckbox", "stPageLink"):
        shown = laptop.locator(f'[data-testid="{widget}"]')
        assert all(not shown.nth(i).is_visible() for i in range(shown.count())), widget
    assert pages <= 12
    if path == "network":
        picture = laptop.evaluate(
            """() => { for (const host of document.querySelectorAll('*')) {
                 const root = host.shadowRoot;
                 const img = root && root.querySelector('img.tejido-map-print');
                 if (img) { const r = img.getBoundingClientRect();
                   return {src: img.src.slice(0, 22), width: r.width, height: r.height}; } }
               return null; }"""
        )
        assert picture is not None and picture["src"] == "data:image/png;base64,"
        assert picture["width"] > 500 and picture["height"] > 300
