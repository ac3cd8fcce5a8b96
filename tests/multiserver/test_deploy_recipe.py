"""deploy/nginx/tejido.conf, tested through a real nginx in front of two Tejido servers.

The test fills in the recipe's host-specific lines (ports, certificate, upstream
servers), makes a self-signed certificate with openssl and runs nginx from a temporary
folder on free ports (never the machine's 80/443). Skipped with the reason when nginx,
openssl or PostgreSQL are not available (``apt-get install nginx``).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from engagement.config import load_settings
from engagement.model import Principal
from engagement.services.access import sessions, users
from engagement.services.registry import programs
from engagement.storage import migrate
from engagement.storage.db import Database
from engagement.web import asset_routes
from tests.multiserver.conftest import ROOT, free_port, private_database, start_servers
from tests.support.databases import PG_ENV
from tests.support.streamlit_client import StreamlitSession

pytestmark = pytest.mark.multiserver

RECIPE = ROOT / "deploy" / "nginx" / "tejido.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _request(
    url: str, method: str = "GET", data: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=_insecure()), _NoRedirect()
    )
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with opener.open(request, timeout=60) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _configure(folder: Path, http_port: int, https_port: int, upstreams: list[str]) -> Path:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(folder / "key.pem"),
         "-out", str(folder / "cert.pem")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    site = RECIPE.read_text(encoding="utf-8")
    servers = "".join(f"    server {u} max_fails=3 fail_timeout=10s;\n" for u in upstreams)
    site = re.sub(r"(    server 127\.0\.0\.1:850\d .*\n)+", servers, site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = site.replace("/etc/ssl/tejido/fullchain.pem", str(folder / "cert.pem"))
    site = site.replace("/etc/ssl/tejido/privkey.pem", str(folder / "key.pem"))
    (folder / "tejido.conf").write_text(site, encoding="utf-8")
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder / "access.log"};
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {folder / "tejido.conf"};
}}
"""
    config = folder / "nginx.conf"
    config.write_text(main, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Database]]:
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx): the recipe is not tested")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate for the nginx test")
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: the recipe test runs two servers on PostgreSQL")
    folder = tmp_path_factory.mktemp("nginx")
    with private_database(base) as url:
        db = Database.from_url(url)
        migrate.upgrade(db.engine)
        program = programs.create_program(db, Principal("cli"), "Programa tras nginx")
        users.create_user(db, Principal("cli"), "ana", "una-clave-larga-2024")
        users.set_role(db, Principal("cli"), "ana", program.id, "lead")
        env = {"TEJIDO_AUTH": "password"}
        with start_servers(url, folder, ["local", "local"], **env) as both:
            http_port, https_port = free_port(), free_port()
            upstreams = [s.base_url.removeprefix("http://") for s in both]
            config = _configure(folder, http_port, https_port, upstreams)
            checked = subprocess.run(
                [NGINX, "-t", "-c", str(config)], capture_output=True, text=True
            )
            assert checked.returncode == 0, checked.stderr
            nginx = subprocess.Popen(
                [NGINX, "-c", str(config), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                https = f"https://127.0.0.1:{https_port}"
                deadline = time.monotonic() + 30
                while True:
                    try:
                        if _request(f"{https}/_stcore/health")[0] == 200:
                            break
                    except OSError:
                        pass
                    assert time.monotonic() < deadline, (folder / "error.log").read_text()
                    time.sleep(0.2)
                yield https, f"http://127.0.0.1:{http_port}", db
            finally:
                nginx.terminate()
                nginx.wait(timeout=15)
                db.dispose()


def test_health_and_https_redirect(proxied: tuple[str, str, Database]) -> None:
    https, http, _ = proxied
    status, _, body = _request(f"{https}/_stcore/health")
    assert (status, body.strip()) == (200, b"ok")
    status, headers, _ = _request(f"{http}/grid?lang=en")
    assert status == 301 and headers["location"].startswith("https://")


def test_sign_in_cookie_is_secure_and_sessions_run_over_the_proxied_websocket(
    proxied: tuple[str, str, Database],
) -> None:
    https, _, db = proxied
    started = sessions.start(db, "ana", max_age_hours=1)
    status, headers, _ = _request(
        f"{https}/_tejido/session",
        "POST",
        f"code={started.handoff}".encode(),
        Origin=https,
        **{"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 204
    cookie = headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    token = cookie.split(";")[0]
    for _ in range(3):  # several sessions, all through nginx's websocket upgrade
        with StreamlitSession(https, cookie=token, ssl_context=_insecure()) as session:
            run = session.open("", "lang=en")
            assert not run.exceptions and "Signed in as ana" in run.text
    with StreamlitSession(https, ssl_context=_insecure()) as anonymous:
        assert "Signed in as" not in anonymous.open("", "lang=en").text


def test_upload_size_and_rate_limits(proxied: tuple[str, str, Database]) -> None:
    https, _, _ = proxied
    limit = re.search(r"client_max_body_size (\d+)m;", RECIPE.read_text(encoding="utf-8"))
    streamlit_limit = re.search(
        r"maxUploadSize = (\d+)", (ROOT / ".streamlit" / "config.toml").read_text()
    )
    assert limit and streamlit_limit
    assert int(limit.group(1)) == load_settings({}).upload_limit_mb == int(streamlit_limit.group(1))
    too_big = b"x" * ((int(limit.group(1)) + 1) * 1024 * 1024)
    assert _request(f"{https}/_stcore/upload_file/s/f", "PUT", too_big)[0] == 413
    statuses = [_request(f"{https}/_stcore/upload_file/s/f", "PUT", b"x")[0] for _ in range(12)]
    assert 429 in statuses, statuses


def test_the_maps_code_passes_the_proxy_compressed_cached_and_not_rate_limited(
    proxied: tuple[str, str, Database],
) -> None:
    https, _, _ = proxied
    bundle = asset_routes.map_bundle()
    answers = [_request(f"{https}{bundle.path}", **{"Accept-Encoding": "gzip"}) for _ in range(15)]
    assert [status for status, _, _ in answers] == [200] * 15  # page loads are not throttled
    _, headers, body = answers[0]
    assert headers["cache-control"] == asset_routes.CACHE_FOREVER
    assert headers["content-type"].startswith("text/javascript")
    assert headers["content-encoding"] == "gzip" and len(body) < len(bundle.body) / 2
    assert gzip.decompress(body) == bundle.body
    assert _request(f"{https}{asset_routes.ASSET_PREFIX}map-stale.js")[0] == 404
