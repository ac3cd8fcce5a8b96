"""Anonymous clients against a real server (issue 15, finding 4): before sign-in nothing
reaches the app's state. No browser: a bare websocket and HTTP client, as an attacker's
script would use (tests/browser/streamlit_client.py).

Memory is read from Streamlit's own ``/_stcore/metrics`` (``cache_memory_bytes``), which
it refreshes every 5 s: checks that something did *not* happen first wait that long.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from streamlit.proto.BackMsg_pb2 import BackMsg

from engagement.model import Principal
from engagement.services.access import users
from engagement.services.registry import programs
from engagement.storage import migrate
from engagement.storage.db import Database
from tests.browser.conftest import (
    TIMEOUT_MS,
    VIEWPORT,
    LiveApp,
    _is_local,
    running_app,
    wait_for_app,
    wait_for_rerun,
)
from tests.browser.streamlit_client import StreamlitClient, metrics

ADMIN, ADMIN_PASSWORD = "admin", "una-clave-larga-de-admin"
VIEWER, VIEWER_PASSWORD = "alcaldia", "clave-de-la-alcaldia"
LIMIT_MB = 1
PROGRAM = "Gobierno Abierto Xela"
METRICS_REFRESH_S = 5.5
DATABASE_CACHE = 'cache="engagement.ui.database._database"'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    data_dir = tmp_path_factory.mktemp("anonymous-clients")
    url = f"sqlite:///{data_dir / 'tejido.db'}"
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    users.create_user(db, Principal("cli"), ADMIN, ADMIN_PASSWORD, admin=True)
    users.create_user(db, Principal("cli"), VIEWER, VIEWER_PASSWORD)
    programs.create_program(db, Principal("cli"), PROGRAM)
    db.dispose()
    extra = {"TEJIDO_AUTH": "password", "TEJIDO_UPLOAD_LIMIT_MB": str(LIMIT_MB)}
    with running_app(Path(data_dir), url, extra) as app:
        yield app


def signed_in(client: StreamlitClient, name: str, password: str) -> StreamlitClient:
    client.fill("auth.username", name)
    client.fill("auth.password", password)
    client.submit("auth.sign_in")
    assert f"Sesión de {name}" in " ".join(client.texts), client.texts
    return client


def stored_upload_bytes(app: LiveApp) -> float:
    found = metrics(app.base_url, "cache_memory_bytes")
    return sum(v for k, v in found.items() if "upload" in k.lower())


def fresh_metrics(app: LiveApp) -> dict[str, float]:
    time.sleep(METRICS_REFRESH_S)
    return metrics(app.base_url, "cache_memory_bytes")


def test_uploads_before_sign_in_are_refused_and_not_stored(server: LiveApp) -> None:
    half = b"a" * (LIMIT_MB * 1024 * 1024 // 2)
    with StreamlitClient(server.base_url) as anonymous:
        assert "Iniciar sesión" in " ".join(anonymous.texts)
        assert [anonymous.upload(half) for _ in range(5)] == [403] * 5
        time.sleep(METRICS_REFRESH_S)
        assert stored_upload_bytes(server) == 0
        # The same client, once signed in, may upload (so the refusal above was the gate).
        signed_in(anonymous, VIEWER, VIEWER_PASSWORD)
        assert anonymous.upload(half) == 204
        deadline = time.monotonic() + 30
        while stored_upload_bytes(server) < len(half) and time.monotonic() < deadline:
            time.sleep(1)
        assert stored_upload_bytes(server) >= len(half)


def test_server_upload_limit_follows_tejido_upload_limit(server: LiveApp) -> None:
    with StreamlitClient(server.base_url) as client:
        signed_in(client, VIEWER, VIEWER_PASSWORD)
        assert client.upload(b"a" * (LIMIT_MB * 1024 * 1024 - 4096)) == 204
        assert client.upload(b"a" * (LIMIT_MB * 1024 * 1024 + 1)) == 413


def _clear_cache() -> BackMsg:
    msg = BackMsg()
    msg.clear_cache = True
    return msg


def test_clear_cache_is_obeyed_only_from_an_administrators_session(server: LiveApp) -> None:
    with StreamlitClient(server.base_url) as anonymous:
        assert any(DATABASE_CACHE in k for k in fresh_metrics(server))
        anonymous.send(_clear_cache())
        assert any(DATABASE_CACHE in k for k in fresh_metrics(server)), "anonymous cleared"
    with StreamlitClient(server.base_url) as viewer:
        signed_in(viewer, VIEWER, VIEWER_PASSWORD)
        viewer.send(_clear_cache())
        assert any(DATABASE_CACHE in k for k in fresh_metrics(server)), "a viewer cleared"
    with StreamlitClient(server.base_url) as admin:
        signed_in(admin, ADMIN, ADMIN_PASSWORD)
        admin.send(_clear_cache())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if not any(DATABASE_CACHE in k for k in metrics(server.base_url, "cache_memory_bytes")):
                break
            time.sleep(1)
        else:
            pytest.fail("an administrator's clear_cache was not obeyed (or metrics changed)")


def _file_urls_request() -> BackMsg:
    msg = BackMsg()
    msg.file_urls_request.request_id = "probe"
    msg.file_urls_request.file_names.append("mapa.csv")
    return msg


def _answered(client: StreamlitClient) -> bool:
    found = client.messages(until=lambda m: m.WhichOneof("type") == "file_urls_response", timeout=5)
    return any(m.WhichOneof("type") == "file_urls_response" for m in found)


def test_other_messages_before_sign_in_are_dropped(server: LiveApp) -> None:
    with StreamlitClient(server.base_url) as anonymous:
        anonymous.send(_file_urls_request())
        assert not _answered(anonymous)
        signed_in(anonymous, VIEWER, VIEWER_PASSWORD)
        anonymous.send(_file_urls_request())
        assert _answered(anonymous)


def test_in_a_browser_a_person_signs_in_and_uploads_through_the_gate(
    chromium: Browser, server: LiveApp, tmp_path: Path
) -> None:
    """The gate lets a real browser's sign-in and upload through (widget ids, form
    submit, XSRF, every message the page sends)."""
    from tests.support.kumu import kumu_workbook

    workbook = tmp_path / "mapa-kumu.xlsx"
    workbook.write_bytes(kumu_workbook())
    context = chromium.new_context(viewport=VIEWPORT, locale="es-ES")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(lambda url: not _is_local(url), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(server.url("import_export", program=server.programs[PROGRAM]))
        wait_for_app(page)
        page.get_by_label("Usuario").fill(ADMIN)
        page.get_by_label("Contraseña").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        wait_for_rerun(page)
        expect(page.get_by_text(f"Sesión de {ADMIN}", exact=False)).to_be_visible()
        # Deep links surviving the sign-in are issue 13's: go by the navigation.
        nav = page.locator("[data-testid='stSidebarNav']")
        nav.get_by_role("link", name="Importar y exportar").click()
        wait_for_rerun(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(workbook)
        expect(page.get_by_text("Vista previa", exact=True)).to_be_visible()
    finally:
        context.close()


def test_sign_in_failures_are_counted_for_the_address_the_proxy_forwards(
    server: LiveApp,
) -> None:
    """Behind the deploy recipe's proxy (on this machine) the server sees each client's
    own address in X-Forwarded-For, so one client's lockout is not everyone's."""
    from sqlalchemy import select

    from engagement.storage.access_models import SignInFailures

    for address in ("203.0.113.9", "198.51.100.7"):
        headers = {"X-Forwarded-For": address}
        with StreamlitClient(server.base_url, headers=headers) as client:
            client.fill("auth.username", ADMIN)
            client.fill("auth.password", "adivina")
            client.submit("auth.sign_in")
            assert "Usuario o contraseña incorrectos." in client.texts
    db = Database.from_url(server.db_url)
    with db.reading() as session:
        clients = set(session.scalars(select(SignInFailures.client)))
    db.dispose()
    assert {"203.0.113.9", "198.51.100.7"} <= clients
