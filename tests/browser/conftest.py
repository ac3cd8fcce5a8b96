"""Browser-test harness: one Tejido server per test session, driven by Debian's chromium.

Fixtures
--------
``live_app`` (session)
    Starts ``streamlit run app.py`` on a free port against a temp-file SQLite database
    holding the two demo programs, and waits until ``/_stcore/health`` answers. Its
    ``programs`` maps each program name to its id; ``antigua_id`` / ``tepic_id`` are short
    cuts; ``url(path, lang=, program=)`` builds a page address.
``chromium`` (session)
    A headless chromium (``shutil.which("chromium")``, never a Playwright download).
    Skips with a clear reason when chromium is not installed (``make test`` installs it
    through scripts/test-services.sh).
``page``
    A fresh browser context (own Streamlit session) at 1400x900 with a guard: every
    request or websocket to a host other than 127.0.0.1/localhost is recorded and aborted,
    and every JavaScript dialog (alert, confirm, prompt) is recorded and dismissed. The test
    fails if the guard saw anything. A final screenshot is saved either way.
``guard``
    The page's :class:`Guard`, to assert mid-test (``guard.assert_clean()``).
``screenshot``
    ``screenshot("name")`` saves a full-page PNG under ``test-results/<test name>/``.

Helpers
-------
``goto(page, live_app, path, lang="es", program=None)`` opens a page by its URL path
(``""`` for home, ``"actors"`` for pages/actors.py) and waits for the script to finish;
``wait_for_app(page)`` waits for the current run; ``wait_for_rerun(page)`` waits for the
run an interaction triggered.

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` skips them).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Request, WebSocket

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
VIEWPORT = {"width": 1400, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
APP_RUNNING = "[data-testid='stApp'][data-test-script-state='running']"
APP_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
START_TIMEOUT_S = 90
# Generous: CI and developer machines have 2 cores, often shared with other test runs.
TIMEOUT_MS = 60_000
EXPECT_TIMEOUT_MS = 20_000

ANTIGUA = "Impulso Local — Antigua Guatemala 2024"
TEPIC = "Ciudades Abiertas — Tepic"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# --- the server ------------------------------------------------------------------------


@dataclass
class LiveApp:
    """A running Tejido server with the demo programs."""

    base_url: str
    db_url: str
    data_dir: Path
    log_path: Path
    programs: dict[str, int] = field(default_factory=dict)

    @property
    def antigua_id(self) -> int:
        return self.programs[ANTIGUA]

    @property
    def tepic_id(self) -> int:
        return self.programs[TEPIC]

    def url(self, path: str = "", *, lang: str = "es", program: int | None = None) -> str:
        params: dict[str, str] = {"lang": lang}
        if program is not None:
            params["program"] = str(program)
        return f"{self.base_url}/{path.strip('/')}?{urlencode(params)}"

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _server_env(db_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TEJIDO_DATABASE_URL=db_url,
        TEJIDO_DATA_DIR=str(data_dir),
        TEJIDO_USER="browser-test",
        TEJIDO_LANG="es",
        # One local user, as in the AppTests; sign-in flows start their own server.
        TEJIDO_AUTH="none",
        PYTHONUNBUFFERED="1",
    )
    return env


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200 and response.read().strip() == b"ok")
    except OSError:
        return False


def _program_ids(env: dict[str, str]) -> dict[str, int]:
    listed = subprocess.run(
        [sys.executable, "-m", "engagement", "programs"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found: dict[str, int] = {}
    for line in listed.stdout.splitlines():
        pid, name, *_ = line.split("\t")
        found[name] = int(pid)
    return found


@contextlib.contextmanager
def running_app(
    data_dir: Path,
    db_url: str,
    extra_env: dict[str, str] | None = None,
    *,
    script: str = "app.py",
) -> Iterator[LiveApp]:
    """Start ``streamlit run app.py`` on a free port against ``db_url``; stop it after.

    ``script="server.py"`` starts the app with its session cookie routes, as deployed."""
    env = _server_env(db_url, data_dir) | (extra_env or {})
    port = _free_port()
    log_path = data_dir / f"streamlit-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    app = LiveApp(f"http://127.0.0.1:{port}", db_url, data_dir, log_path, _program_ids(env))
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _healthy(app.base_url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{app.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer in {START_TIMEOUT_S}s:\n{app.log_tail()}")
            time.sleep(0.25)
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A temp-file SQLite database with the two demo programs: (folder, URL)."""
    data_dir = tmp_path_factory.mktemp("tejido-browser")
    db_url = f"sqlite:///{data_dir / 'tejido.db'}"
    loaded = subprocess.run(
        [sys.executable, "-m", "engagement", "load-demo"],
        cwd=ROOT,
        env=_server_env(db_url, data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if loaded.returncode != 0:
        pytest.fail(f"load-demo failed ({loaded.returncode}):\n{loaded.stdout}\n{loaded.stderr}")
    return data_dir, db_url


@pytest.fixture(scope="session")
def live_app(demo_database: tuple[Path, str]) -> Iterator[LiveApp]:
    """The server every browser test shares (one per test session)."""
    with running_app(*demo_database) as app:
        yield app


# --- the browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip(
            "chromium is not installed (apt-get install chromium; `make test` does it "
            "through scripts/test-services.sh): browser tests skipped"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (requirements-dev.txt)")
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in NETWORK_SCHEMES:
        return True  # data:, blob:, about:, chrome-extension: never leave the machine
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class Guard:
    """What a page did that it must not: reach another host, or open a JS dialog."""

    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        url = request.url
        if not _is_local(url):
            self.external_requests.append(url)

    def on_websocket(self, websocket: WebSocket) -> None:
        url = websocket.url
        if not _is_local(url):
            self.external_requests.append(url)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def problems(self) -> list[str]:
        found = [f"request left localhost: {url}" for url in self.external_requests]
        found += [f"JavaScript dialog opened: {text}" for text in self.dialogs]
        return found

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


def _test_dir(node: pytest.Item) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name).strip("_")
    return RESULTS / name


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def page(
    chromium: Browser, live_app: LiveApp, guard: Guard, request: pytest.FixtureRequest
) -> Iterator[Page]:
    context = chromium.new_context(viewport=VIEWPORT, locale="es-ES", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("request", guard.on_request)
    # Record first (above), then refuse: an external fetch must not stall the page.
    context.route(lambda url: not _is_local(url), lambda route: route.abort())
    the_page = context.new_page()
    the_page.on("websocket", guard.on_websocket)
    the_page.on("dialog", guard.on_dialog)
    context.on("page", lambda popup: popup.on("dialog", guard.on_dialog))
    try:
        yield the_page
    finally:
        folder = _test_dir(request.node)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            the_page.screenshot(path=str(folder / "final.png"), full_page=True)
        except Exception as error:  # a crashed page must not hide the test's own failure
            (folder / "final.txt").write_text(f"no screenshot: {error}", encoding="utf-8")
        context.close()
    problems = guard.problems()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``screenshot("name")`` saves the whole page as test-results/<test>/<name>.png."""

    def _shoot(name: str, *, full_page: bool = True) -> Path:
        folder = _test_dir(request.node)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _shoot


# --- helpers ---------------------------------------------------------------------------


def wait_for_app(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the app is connected and its script run has finished."""
    page.wait_for_selector(APP_CONNECTED, timeout=timeout)
    page.wait_for_selector(APP_IDLE, timeout=timeout)


def wait_for_rerun(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """After a click or a typed value: wait for the rerun it starts, then for its end.

    The rerun may start and finish before we look; a short wait for "running" that times
    out is therefore not an error.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector(APP_RUNNING, timeout=1500)
    wait_for_app(page, timeout)


def goto(
    page: Page,
    live_app: LiveApp,
    path: str = "",
    *,
    lang: str = "es",
    program: int | None = None,
) -> None:
    """Open the page at URL ``path`` (``""`` is home) with ``?lang=..&program=..``."""
    page.goto(live_app.url(path, lang=lang, program=program))
    wait_for_app(page)


def main_text(page: Page) -> str:
    """The visible text of the main area (not the sidebar)."""
    main = page.locator("[data-testid='stMain']")
    text: str = main.inner_text()
    return text
