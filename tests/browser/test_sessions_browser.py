"""Sign-in sessions in chromium, through ``server.py`` as deployed (password mode).

A sign-in survives a reload and a new tab; the cookie is HttpOnly and SameSite=Strict;
a link opened while signed out is opened after the sign-in; signing out in one tab ends
the other tab's session at its next action; a token copied before the sign-out, or one
of a user deactivated since, is refused.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from engagement.model import Principal
from engagement.services.access import sessions, users
from engagement.services.registry import actors, programs
from engagement.storage import migrate
from engagement.storage.db import Database
from tests.browser.conftest import VIEWPORT, LiveApp, running_app, wait_for_app

pytestmark = pytest.mark.browser

ADMIN = Principal("cli")
PASSWORD = "una-clave-larga-de-prueba-2024"
ACTOR = "Concejo Municipal de Prueba"


@pytest.fixture(scope="module")
def session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApp, int]]:
    data_dir = tmp_path_factory.mktemp("tejido-sessions")
    url = f"sqlite:///{data_dir / 'tejido.db'}"
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    program = programs.create_program(db, ADMIN, "Programa de sesiones")
    actors.add_actor(db, ADMIN, program.id, {"name": ACTOR})
    for name in ("ana", "bruno", "carla"):
        users.create_user(db, ADMIN, name, PASSWORD)
        users.set_role(db, ADMIN, name, program.id, "lead")
    db.dispose()
    env = {"TEJIDO_AUTH": "password"}
    with running_app(data_dir, url, env, script="server.py") as app:
        yield app, program.id


@pytest.fixture
def db(session_app: tuple[LiveApp, int]) -> Iterator[Database]:
    database = Database.from_url(session_app[0].db_url)
    yield database
    database.dispose()


@pytest.fixture
def new_context(chromium: Browser) -> Iterator[Any]:
    opened: list[BrowserContext] = []

    def _new() -> BrowserContext:
        context = chromium.new_context(viewport=VIEWPORT, locale="es-ES")
        context.set_default_timeout(60_000)
        opened.append(context)
        return context

    yield _new
    for context in opened:
        context.close()


def _session_cookie(context: BrowserContext) -> dict[str, Any] | None:
    for cookie in context.cookies():
        if cookie["name"] == sessions.COOKIE_NAME:
            return dict(cookie)
    return None


def sign_in(page: Page, app: LiveApp, user: str, path: str = "", **query: Any) -> None:
    """Sign in on whatever page is open (or open ``path``), and wait for the cookie."""
    if path or not page.url.startswith(app.base_url):
        page.goto(app.url(path, **query))
        wait_for_app(page)
    english = "lang=en" in page.url  # the sign-in screen honours ?lang=en
    page.get_by_label("Username" if english else "Usuario").fill(user)
    page.get_by_role("textbox", name="Password" if english else "Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Sign in" if english else "Entrar").click()
    signed_in = "Signed in as" if english else "Sesión de"
    expect(page.get_by_text(f"{signed_in} {user}")).to_be_visible()
    deadline = time.monotonic() + 30
    while _session_cookie(page.context) is None:
        assert time.monotonic() < deadline, "the session cookie was never set"
        page.wait_for_timeout(200)
    wait_for_app(page)


def main_text(page: Page) -> str:
    """Everything in the main area, table cells included (drawn on a canvas, their text
    is in a hidden accessibility table)."""
    return page.locator("[data-testid='stMain']").text_content() or ""


def _signed_out(page: Page) -> bool:
    name = "Sign in" if "lang=en" in page.url else "Entrar"
    return page.get_by_role("button", name=name).is_visible()


def _act(page: Page) -> None:
    """A user's next action: open another page from the menu."""
    page.locator("[data-testid='stSidebarNav'] a", has_text="Actores").first.click()
    wait_for_app(page)


def test_reload_and_a_new_tab_keep_the_session(
    session_app: tuple[LiveApp, int], new_context: Any
) -> None:
    app, program = session_app
    context = new_context()
    page = context.new_page()
    sign_in(page, app, "ana", program=program)
    cookie = _session_cookie(context)
    assert cookie is not None
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert cookie["secure"] is False  # plain http here; over https the route adds Secure
    assert cookie["expires"] > time.time() + 3600  # it outlives the browser being closed
    assert sessions.COOKIE_NAME not in page.evaluate("document.cookie")  # no script sees it

    page.reload()
    wait_for_app(page)
    expect(page.get_by_text("Sesión de ana")).to_be_visible()
    assert not _signed_out(page)

    other = context.new_page()
    other.goto(app.url("actors", program=program))
    wait_for_app(other)
    expect(other.get_by_text("Sesión de ana")).to_be_visible()
    expect(other.locator("[data-testid='stDataFrame']").first).to_contain_text(ACTOR)


def test_a_link_opened_while_signed_out_opens_after_sign_in(
    session_app: tuple[LiveApp, int], new_context: Any
) -> None:
    app, program = session_app
    page = new_context().new_page()
    page.goto(f"{app.base_url}/relationships?program={program}&lang=en")
    wait_for_app(page)
    assert _signed_out(page)
    sign_in(page, app, "bruno")
    expect(page).to_have_url(f"{app.base_url}/relationships?program={program}&lang=en")
    assert "Signed in as bruno" in page.locator("[data-testid='stSidebar']").inner_text()


def test_sign_out_in_one_tab_ends_the_other_at_its_next_action(
    session_app: tuple[LiveApp, int], new_context: Any
) -> None:
    app, program = session_app
    context = new_context()
    first = context.new_page()
    sign_in(first, app, "carla", program=program)
    second = context.new_page()
    second.goto(app.url("", program=program))
    wait_for_app(second)
    expect(second.get_by_text("Sesión de carla")).to_be_visible()

    first.get_by_role("button", name="Cerrar sesión").click()
    wait_for_app(first)
    expect(first.get_by_role("button", name="Entrar")).to_be_visible()

    _act(second)
    expect(second.get_by_role("button", name="Entrar")).to_be_visible()
    expect(second.get_by_text("Su sesión terminó")).to_be_visible()
    assert ACTOR not in main_text(second)


def test_a_token_copied_before_sign_out_is_refused_after_it(
    session_app: tuple[LiveApp, int], new_context: Any, db: Database
) -> None:
    app, program = session_app
    context = new_context()
    page = context.new_page()
    sign_in(page, app, "ana", program=program)
    copied = _session_cookie(context)
    assert copied is not None
    page.get_by_role("button", name="Cerrar sesión").click()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()

    thief = new_context()
    thief.add_cookies([{k: copied[k] for k in ("name", "value", "domain", "path")}])
    stolen = thief.new_page()
    stolen.goto(app.url("actors", program=program))
    wait_for_app(stolen)
    assert _signed_out(stolen)
    assert ACTOR not in main_text(stolen)


def test_a_deactivated_users_token_is_refused(
    session_app: tuple[LiveApp, int], new_context: Any, db: Database
) -> None:
    app, program = session_app
    users.create_user(db, ADMIN, "dora", PASSWORD)
    users.set_role(db, ADMIN, "dora", program, "mentor")
    context = new_context()
    page = context.new_page()
    sign_in(page, app, "dora", program=program)
    copied = _session_cookie(context)
    assert copied is not None

    users.set_active(db, ADMIN, "dora", False)
    _act(page)  # the open tab, at its next action
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()
    other = new_context()  # the copied cookie, in another browser
    other.add_cookies([{k: copied[k] for k in ("name", "value", "domain", "path")}])
    later = other.new_page()
    later.goto(app.url("actors", program=program))
    wait_for_app(later)
    assert _signed_out(later)
    assert ACTOR not in main_text(later)
