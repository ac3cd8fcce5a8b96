"""The two cookie routes of sign-in sessions, mounted beside the app by ``server.py``.

Streamlit's pages reach Python over a websocket, which cannot set a cookie, and a
cookie set by page JavaScript cannot be ``HttpOnly``. So the page posts a one-time
hand-over code to ``POST /_tejido/session``, which answers with the session token in a
``Set-Cookie`` header: ``HttpOnly`` (page scripts never read it), ``SameSite=Strict``,
``Path=/``, ``Secure`` when the request came over HTTPS (directly or, behind the proxy,
``X-Forwarded-Proto: https``). ``POST /_tejido/sign-out`` revokes the cookie's session and
expires the cookie. Both refuse requests sent from another site (``Origin`` or
``Sec-Fetch-Site``), so a foreign page can neither plant a session nor end one.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engagement.config import load_settings
from engagement.services.access import sessions
from engagement.storage.db import Database

SESSION_PATH = "/_tejido/session"
SIGN_OUT_PATH = "/_tejido/sign-out"


@cache
def _database(url: str) -> Database:
    # Two connections at most: these routes run once per sign-in and sign-out.
    return Database.from_url(url, pool_size=1, max_overflow=1)


def _db() -> Database:
    return _database(load_settings().database_url)


def same_site(request: Request) -> bool:
    """True unless the browser says the request comes from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return fetch_site is not None
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def over_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def cookie_header(value: str, max_age: int, *, secure: bool) -> str:
    parts = [f"{sessions.COOKIE_NAME}={value}", "Path=/", f"Max-Age={max_age}"]
    parts += ["HttpOnly", "SameSite=Strict"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


async def start_session(request: Request) -> Response:
    if not same_site(request):
        return Response(status_code=403)
    form = await request.form()
    code = form.get("code")
    if not isinstance(code, str) or not code:
        return Response(status_code=400)
    claimed = await run_in_threadpool(sessions.claim, _db(), code)
    if claimed is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    header = cookie_header(claimed.token, claimed.max_age, secure=over_https(request))
    response.headers.append("Set-Cookie", header)
    return response


async def end_session(request: Request) -> Response:
    if not same_site(request):
        return Response(status_code=403)
    token = request.cookies.get(sessions.COOKIE_NAME)
    if token:
        await run_in_threadpool(sessions.revoke_token, _db(), token)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.headers.append("Set-Cookie", cookie_header("", 0, secure=over_https(request)))
    return response


def routes() -> list[Route]:
    return [
        Route(SESSION_PATH, start_session, methods=["POST"]),
        Route(SIGN_OUT_PATH, end_session, methods=["POST"]),
    ]
