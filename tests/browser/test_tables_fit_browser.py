"""Tables fit a laptop: at 1366 × 768, with the sidebar open, the main table of each page
shows its default columns without sideways scrolling, in both languages.

``st.dataframe`` draws on a canvas inside a scroller; the test compares the scroller's
scroll width with its visible width. "More columns" may then scroll, as the reader chose.
Also checked: the page says which language it is in (``<html lang>``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import TIMEOUT_MS, LiveApp, goto

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
#: Page (URL path) -> the key of its main table.
MAIN_TABLES = {
    "": "dashboard.stages",
    "actors": "actors.table",
    "relationships": "relationships.table",
    "network": "analysis_ui.table.measures",
    "activities": "activities.table",
    "commitments": "inputs.waiting",
    "audit": "audit.table",
}


@pytest.fixture
def laptop(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=LAPTOP, locale="es-ES")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(
        lambda url: not url.startswith(("http://127.0.0.1", "ws://127.0.0.1")),
        lambda route: route.abort(),
    )
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _overflow(page: Page, key: str) -> tuple[int, int]:
    """(scroll width, visible width) of the grid of the table with ``key``."""
    box = f".st-key-{key.replace('.', '-')}-fit"
    table = page.locator(f"{box} [data-testid='stDataFrame']").first
    table.wait_for(state="visible")
    scroller = table.locator(".dvn-scroller").first
    scroller.wait_for(state="attached")
    sizes: list[int] = scroller.evaluate("s => [s.scrollWidth, s.clientWidth]")
    return sizes[0], sizes[1]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("path", list(MAIN_TABLES), ids=lambda p: p or "dashboard")
def test_the_main_table_needs_no_sideways_scrolling(
    laptop: Page, live_app: LiveApp, path: str, lang: str
) -> None:
    goto(laptop, live_app, path, lang=lang, program=live_app.antigua_id)
    scroll, visible = _overflow(laptop, MAIN_TABLES[path])
    assert laptop.evaluate("document.documentElement.lang") == lang
    assert visible > 600, "the table is squeezed (a panel beside it?)"
    assert scroll <= visible + 1, f"{path or 'dashboard'}: {scroll} px of columns in {visible} px"
