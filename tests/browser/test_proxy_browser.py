"""Sign-in behind a single-sign-on proxy (``TEJIDO_AUTH=proxy``), in chromium.

The proxy names the user in a request header (``X-Forwarded-User`` by default); here the
browser context sends that header on every request, the Streamlit websocket included, as
a proxy in front of the app would. A known, active user is signed in with their role; an
unknown user, a deactivated one or a request without the header sees only the message
saying so, never the program's data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page

from engagement.model import Principal
from engagement.services.access import users
from engagement.services.registry import actors, programs
from engagement.storage import migrate
from engagement.storage.db import Database
from tests.browser.conftest import VIEWPORT, LiveApp, main_text, running_app, wait_for_app

pytestmark = pytest.mark.browser

ADMIN = Principal("cli")
SECRET_ACTOR = "Asociación de Vecinos del Centro"


@pytest.fixture(scope="module")
def proxy_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApp, int]]:
    data_dir = tmp_path_factory.mktemp("tejido-proxy")
    url = f"sqlite:///{data_dir / 'tejido.db'}"
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    program = programs.create_program(db, ADMIN, "Programa con SSO")
    actors.add_actor(db, ADMIN, program.id, {"name": SECRET_ACTOR})
    for name in ("ana.mentora", "bruno.baja"):
        users.create_user(db, ADMIN, name, "una-clave-larga-de-prueba-2024")
        users.set_role(db, ADMIN, name, program.id, "mentor")
    users.set_active(db, ADMIN, "bruno.baja", False)
    db.dispose()
    with running_app(data_dir, url, {"TEJIDO_AUTH": "proxy"}) as app:
        yield app, program.id


@pytest.fixture
def open_as(chromium: Browser) -> Iterator[Callable[[LiveApp, str, int, str | None], Page]]:
    """``open_as(app, path, program, user)``: the page as the proxy would pass it."""
    contexts = []

    def _open(app: LiveApp, path: str, program: int, user: str | None) -> Page:
        headers = {"X-Forwarded-User": user} if user else {}
        context = chromium.new_context(viewport=VIEWPORT, extra_http_headers=headers)
        contexts.append(context)
        page = context.new_page()
        page.goto(app.url(path, program=program))
        wait_for_app(page)
        return page

    yield _open
    for context in contexts:
        context.close()


def test_the_user_named_by_the_proxy_is_signed_in_with_their_role(
    proxy_app: tuple[LiveApp, int], open_as: Callable[..., Page]
) -> None:
    app, program_id = proxy_app
    page = open_as(app, "actors", program_id, "Ana.Mentora")
    text = main_text(page)
    assert "Quiénes participan o influyen en el programa" in text
    assert "No se reconoce" not in text
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Sesión de ana.mentora (Mentoría)" in sidebar


@pytest.mark.parametrize("user", [None, "desconocida", "bruno.baja"])
def test_without_a_known_active_user_nothing_is_shown(
    proxy_app: tuple[LiveApp, int], open_as: Callable[..., Page], user: str | None
) -> None:
    app, program_id = proxy_app
    page = open_as(app, "actors", program_id, user)
    text = main_text(page)
    assert "No se reconoce al usuario que envía el proxy" in text
    assert "X-Forwarded-User" in text
    assert "Quiénes participan o influyen en el programa" not in text
    assert SECRET_ACTOR not in page.content()
    assert "Sesión de" not in page.locator("body").inner_text()
