"""The foundation's flows as a person does them, in headless chromium.

Every test here also fails when a request leaves localhost or a JavaScript dialog opens
(the ``page`` fixture's guard).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    ROOT,
    LiveApp,
    goto,
    main_text,
    running_app,
    wait_for_app,
    wait_for_rerun,
)
from tests.support.kumu import kumu_workbook

pytestmark = pytest.mark.browser


def navigation_paths() -> list[str]:
    """The URL path of every page in app.py's navigation ("" for the default page)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    paths: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"):
            continue
        target = node.args[0]
        assert isinstance(target, ast.Constant), "st.Page with a non-literal target"
        options = {k.arg: k.value for k in node.keywords}
        if isinstance(options.get("default"), ast.Constant) and options["default"].value:
            paths.append("")
        elif isinstance(options.get("url_path"), ast.Constant):
            paths.append(str(options["url_path"].value))
        else:
            paths.append(Path(str(target.value)).stem)
    return paths


def sidebar_nav(page: Page) -> str:
    return page.locator("[data-testid='stSidebarNav']").inner_text()


def test_home_shows_the_demo_program_in_spanish(page: Page, live_app: LiveApp) -> None:
    goto(page, live_app, program=live_app.antigua_id)
    expect(page.get_by_role("heading", name=ANTIGUA_NAME)).to_be_visible()
    nav = sidebar_nav(page)
    assert "Actores" in nav and "Importar y exportar" in nav
    assert "Actors" not in nav


def test_the_title_starts_near_the_top_at_a_laptops_height(page: Page, live_app: LiveApp) -> None:
    """At 1366x768 the content starts below the app's header, not a sixth of the window
    further down (Streamlit's own padding put the title at about 135 px)."""
    page.set_viewport_size({"width": 1366, "height": 768})
    goto(page, live_app, program=live_app.antigua_id)
    expect(page.get_by_role("heading", name=ANTIGUA_NAME)).to_be_visible()
    # the page's style sheet arrives with the run; wait for the layout it gives
    top = """() => { const h = document.querySelector('[data-testid="stMain"] h1');
                     const y = h && h.getBoundingClientRect().top;
                     return y !== null && y >= 40 && y <= 90 ? y : false; }"""
    assert page.wait_for_function(top, timeout=15_000).json_value()


def test_switching_language_translates_the_navigation(page: Page, live_app: LiveApp) -> None:
    goto(page, live_app, program=live_app.antigua_id)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("radio", name="English", exact=True).click()
    wait_for_rerun(page)
    expect(page.locator("[data-testid='stSidebarNav']")).to_contain_text("Import and export")
    nav = sidebar_nav(page)
    for label in ("Actors", "Relationships", "Assessments", "Program settings"):
        assert label in nav
    assert "Actores" not in nav
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Language" in sidebar and "Idioma" not in sidebar
    # The choice is kept in the address, so a reload or a shared link keeps English.
    assert "lang=en" in page.url
    page.reload()
    expect(page.locator("[data-testid='stSidebarNav']")).to_contain_text("Relationships")


def test_a_link_to_a_page_works_as_the_first_visit_of_a_fresh_server(
    page: Page, demo_database: tuple[Path, str]
) -> None:
    # Streamlit runs a page script alone (no app.py: no sidebar, file names as navigation)
    # when a deep link is the first request a server with a pages/ folder gets; the
    # pages live in app_pages/ so that never happens.
    with running_app(*demo_database) as cold:
        goto(page, cold, "import_export", program=cold.tepic_id)
        expect(page.locator("[data-testid='stSidebarNav']")).to_contain_text("Importar y exportar")
        assert "import export" not in sidebar_nav(page)
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "Idioma" in sidebar and "Programa" in sidebar
        assert f"program={cold.tepic_id}" in page.url
        expect(page.get_by_role("tab", name="Importaciones recientes")).to_be_visible()
        # The sidebar's state lives on across the next runs (it was lost once).
        page.locator("[data-testid='stSidebar']").get_by_role("radio", name="English").click()
        wait_for_rerun(page)
        expect(page.get_by_role("tab", name="Recent imports")).to_be_visible()
        expect(page.get_by_role("radio", name="English")).to_be_checked()
        assert f"program={cold.tepic_id}" in page.url and "lang=en" in page.url


def test_the_first_visit_of_a_fresh_server_shows_no_file_names_on_the_sign_in_screen(
    page: Page, demo_database: tuple[Path, str]
) -> None:
    with running_app(*demo_database, extra_env={"TEJIDO_AUTH": "password"}) as cold:
        goto(page, cold)
        expect(page.get_by_role("heading", name="Tejido · Iniciar sesión")).to_be_visible()
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        assert "import export" not in page.locator("body").inner_text()


@pytest.mark.parametrize("path", navigation_paths(), ids=lambda p: p or "home")
def test_no_request_leaves_localhost(page: Page, live_app: LiveApp, path: str) -> None:
    for lang in ("es", "en"):
        goto(page, live_app, path, lang=lang, program=live_app.antigua_id)
        assert page.locator("[data-testid='stException']").count() == 0, main_text(page)
    # The guard in the page fixture fails the test on any request to another host.


ANTIGUA_NAME = "Impulso Local — Antigua Guatemala 2024"


def grid(page: Page, index: int = 0) -> Locator:
    """The cells of a st.dataframe: it draws on a canvas, and glide-data-grid keeps an
    accessible table of the rows in view."""
    return page.locator("[data-testid='stDataFrame']").nth(index).locator("table")


def grid_text(page: Page, index: int = 0) -> str:
    table = grid(page, index)
    table.wait_for(state="attached")  # the accessible table is hidden under the canvas
    return table.inner_text()


def search_actors(page: Page, text: str) -> None:
    box = page.get_by_label("Buscar", exact=True)
    box.fill(text)
    box.press("Enter")
    wait_for_rerun(page)


def test_add_an_actor_through_the_form_and_find_it_in_the_table(
    page: Page, live_app: LiveApp, screenshot: Callable[[str], Path]
) -> None:
    name = "Cooperativa Tejedoras de San Felipe"
    goto(page, live_app, "actors", program=live_app.antigua_id)
    page.get_by_text("Agregar un actor", exact=True).click()
    form = page.locator("[data-testid='stForm']").first
    form.get_by_label("Nombre", exact=True).fill(name)
    form.get_by_label("Territorio / zona", exact=True).fill("San Felipe de Jesús")
    form.get_by_role("button", name="Agregar actor").click()
    wait_for_rerun(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        f"Se agregó «{name}» al registro."
    )
    search_actors(page, "tejedoras")
    expect(page.get_by_text("Mostrando 1 de", exact=False)).to_be_visible()
    expect(grid(page)).to_contain_text(name)
    screenshot("actor-found")


def test_import_a_kumu_workbook_through_the_page_then_see_the_actors(
    page: Page, live_app: LiveApp, tmp_path: Path, screenshot: Callable[[str], Path]
) -> None:
    workbook = tmp_path / "mapa-kumu.xlsx"
    workbook.write_bytes(kumu_workbook())
    goto(page, live_app, "import_export", program=live_app.tepic_id)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(workbook)
    expect(page.get_by_text("Vista previa", exact=True)).to_be_visible()
    wait_for_app(page)
    counts = grid_text(page)
    assert "Actores" in counts and "Vínculos" in counts and "5" in counts
    expect(page.get_by_text("«mapa-kumu.xlsx»: mapa de Kumu (XLSX)", exact=False)).to_be_visible()
    expect(
        page.get_by_text("Se agregarán a la lista de sectores del programa: «Radio local».")
    ).to_be_visible()
    screenshot("preview")

    page.get_by_role("button", name="Importar", exact=True).click()
    expect(
        page.get_by_text("Importación terminada. Actores: 5 nuevo(s)", exact=False)
    ).to_be_visible()
    wait_for_app(page)
    page.get_by_role("tab", name="Importaciones recientes").click()
    expect(page.get_by_text("mapa-kumu.xlsx", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Deshacer")).to_be_visible()
    screenshot("imported")

    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Actores").click()
    expect(page.get_by_role("heading", name="Actores", exact=True)).to_be_visible()
    wait_for_app(page)
    search_actors(page, "Xela")
    expect(page.get_by_text("Mostrando 1 de", exact=False)).to_be_visible()
    expect(grid(page)).to_contain_text("Municipalidad de Xela")


def test_export_downloads_the_file_made_on_click(page: Page, live_app: LiveApp) -> None:
    goto(page, live_app, "import_export", program=live_app.antigua_id)
    page.get_by_role("tab", name="Exportar y plantillas").click()
    page.get_by_text("GEXF — para Gephi", exact=False).click()
    wait_for_rerun(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Descargar", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith(".gexf")
    body = Path(download.path()).read_text(encoding="utf-8")
    assert body.startswith("<?xml") and "<gexf" in body
    assert "Alcaldía Municipal de La Antigua Guatemala" in body
