"""Sign-in sessions: only hashes stored, one-time hand-over, idle and absolute expiry,
revocation on sign-out, password change and deactivation, roles read at every check;
and the two cookie routes (HttpOnly, SameSite=Strict, Secure over HTTPS, same-site only).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from engagement.model import Principal
from engagement.services.access import sessions, users
from engagement.services.registry import programs
from engagement.storage.access_models import UserSession
from engagement.storage.db import Database
from engagement.web import session_routes

OPERATOR = Principal("cli")
T0 = dt.datetime(2026, 12, 3, 9, 0, 0)
PASSWORD = "una-clave-larga-2024"


@pytest.fixture
def ana(db: Database) -> str:
    users.create_user(db, OPERATOR, "ana", PASSWORD)
    return "ana"


def _signed_in(db: Database, user: str, now: dt.datetime = T0) -> tuple[int, str]:
    started = sessions.start(db, user, max_age_hours=24, now=now)
    claimed = sessions.claim(db, started.handoff, now=now)
    assert claimed is not None
    return started.session_id, claimed.token


def test_only_hashes_are_stored_and_the_handoff_works_once(db: Database, ana: str) -> None:
    started = sessions.start(db, ana, max_age_hours=24, now=T0)
    claimed = sessions.claim(db, started.handoff, now=T0 + dt.timedelta(seconds=5))
    assert claimed is not None and claimed.max_age == 24 * 3600 - 5
    with db.reading() as session:
        row = session.scalars(select(UserSession)).one()
        stored = [row.token_hash, row.handoff_hash]
    assert stored == [sessions.token_hash(claimed.token), None]
    assert claimed.token not in str(stored) and started.handoff not in str(stored)
    assert sessions.claim(db, started.handoff, now=T0) is None  # a second time: refused
    found = sessions.resolve(db, token=claimed.token, idle_minutes=60, now=T0)
    assert found is not None and found.principal.username == "ana"
    assert not found.handoff_pending


def test_a_late_handoff_is_refused(db: Database, ana: str) -> None:
    started = sessions.start(db, ana, max_age_hours=24, now=T0)
    late = T0 + dt.timedelta(seconds=sessions.HANDOFF_SECONDS + 1)
    assert sessions.claim(db, started.handoff, now=late) is None
    assert sessions.claim(db, "guessed-code", now=T0) is None


def test_idle_timeout_and_absolute_expiry(db: Database, ana: str) -> None:
    sid, token = _signed_in(db, ana)
    later = T0 + dt.timedelta(minutes=50)
    assert sessions.resolve(db, token=token, idle_minutes=60, now=later) is not None
    # Each use restarts the idle clock: 50 minutes after the last use is still fine.
    again = later + dt.timedelta(minutes=50)
    assert sessions.resolve(db, session_id=sid, idle_minutes=60, now=again) is not None
    idle = again + dt.timedelta(minutes=61)
    assert sessions.resolve(db, token=token, idle_minutes=60, now=idle) is None
    # Once found idle it is revoked: it never comes back.
    assert sessions.resolve(db, token=token, idle_minutes=10**6, now=idle) is None

    _, busy = _signed_in(db, ana)
    now = T0
    for _ in range(48):  # used every half hour for a day: still ends at its expiry
        now += dt.timedelta(minutes=30)
        alive = sessions.resolve(db, token=busy, idle_minutes=60, now=now)
        assert alive is not None or now >= T0 + dt.timedelta(hours=24)
    assert sessions.resolve(db, token=busy, idle_minutes=60, now=now) is None


def test_sign_out_password_change_and_deactivation_revoke(db: Database, ana: str) -> None:
    first, first_token = _signed_in(db, ana)
    second, second_token = _signed_in(db, ana)
    sessions.revoke(db, first, "sign_out")
    assert sessions.resolve(db, token=first_token, idle_minutes=60, now=T0) is None
    assert sessions.resolve(db, session_id=second, idle_minutes=60, now=T0) is not None

    users.change_password(db, Principal("ana"), PASSWORD, "otra-clave-larga-2025")
    assert sessions.resolve(db, token=second_token, idle_minutes=60, now=T0) is None
    assert sessions.live_sessions(db, ana) == 0

    _, third_token = _signed_in(db, ana)
    users.set_active(db, Principal("cli", admin=True), ana, False)
    assert sessions.resolve(db, token=third_token, idle_minutes=60, now=T0) is None
    users.set_active(db, Principal("cli", admin=True), ana, True)
    # Reactivation does not bring old sessions back.
    assert sessions.resolve(db, token=third_token, idle_minutes=60, now=T0) is None


def test_removing_a_role_takes_effect_at_the_next_check(db: Database, ana: str) -> None:
    program = programs.create_program(db, OPERATOR, "Xela")
    users.set_role(db, OPERATOR, ana, program.id, "mentor")
    sid, _ = _signed_in(db, ana)
    found = sessions.resolve(db, session_id=sid, idle_minutes=60, now=T0)
    assert found is not None and found.principal.role_in(program.id) == "mentor"
    users.set_role(db, OPERATOR, ana, program.id, None)
    found = sessions.resolve(db, session_id=sid, idle_minutes=60, now=T0)
    assert found is not None and found.principal.role_in(program.id) is None


# --- the cookie routes -----------------------------------------------------------------


def _request(path: str, headers: dict[str, str], body: bytes = b"") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"content-type", b"application/x-www-form-urlencoded"))
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": raw,
        "scheme": "http",
        "server": ("127.0.0.1", 8501),
        "query_string": b"",
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)


def _post(handler: Any, path: str, headers: dict[str, str], body: bytes = b"") -> Response:
    # A thread of its own: another test's event loop (Playwright's) may be running here.
    with ThreadPoolExecutor(1) as pool:
        response: Response = pool.submit(
            asyncio.run, handler(_request(path, headers, body))
        ).result()
    return response


SAME = {"host": "tejido.example.org", "origin": "https://tejido.example.org"}


@pytest.fixture
def routed(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("TEJIDO_DATABASE_URL", db_url)
    session_routes._database.cache_clear()
    return db


def test_the_session_route_sets_an_httponly_strict_cookie(routed: Database, ana: str) -> None:
    started = sessions.start(routed, ana, max_age_hours=24)
    body = f"code={started.handoff}".encode()
    headers = SAME | {"x-forwarded-proto": "https", "sec-fetch-site": "same-origin"}
    response = _post(session_routes.start_session, session_routes.SESSION_PATH, headers, body)
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    name, token = cookie.split(";")[0].split("=", 1)
    assert name == sessions.COOKIE_NAME
    for part in ("HttpOnly", "SameSite=Strict", "Secure", "Path=/", "Max-Age="):
        assert part in cookie
    assert sessions.resolve(routed, token=token, idle_minutes=60) is not None
    # Plain http without the proxy's header: no Secure flag (the browser would drop it).
    again = sessions.start(routed, ana, max_age_hours=24)
    plain = _post(
        session_routes.start_session,
        session_routes.SESSION_PATH,
        {"host": "127.0.0.1:8501", "origin": "http://127.0.0.1:8501"},
        f"code={again.handoff}".encode(),
    )
    assert plain.status_code == 204 and "Secure" not in plain.headers["set-cookie"]

    out = _post(
        session_routes.end_session,
        session_routes.SIGN_OUT_PATH,
        SAME | {"cookie": f"{sessions.COOKIE_NAME}={token}"},
    )
    assert out.status_code == 204 and "Max-Age=0" in out.headers["set-cookie"]
    assert sessions.resolve(routed, token=token, idle_minutes=60) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"host": "tejido.example.org", "origin": "https://evil.example.com"},
        {"host": "tejido.example.org", "sec-fetch-site": "cross-site"},
        {"host": "tejido.example.org"},  # neither header: not a browser's same-site post
    ],
)
def test_the_routes_refuse_other_sites(routed: Database, ana: str, headers: dict[str, str]) -> None:
    started = sessions.start(routed, ana, max_age_hours=24)
    body = f"code={started.handoff}".encode()
    response = _post(session_routes.start_session, session_routes.SESSION_PATH, headers, body)
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert (
        _post(session_routes.end_session, session_routes.SIGN_OUT_PATH, headers).status_code == 403
    )
