"""The page's half of the session cookie: a few lines of inline JavaScript.

The websocket that carries the app cannot set a cookie, and JavaScript cannot set an
``HttpOnly`` one. So this component only posts to the server's cookie routes
(``engagement.web.session_routes``): the one-time hand-over code after a sign-in (the
answer sets the HttpOnly cookie), or a sign-out (the answer expires it). No script ever
sees the session token. Nothing is fetched from elsewhere: same-origin posts only.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import streamlit as st

COMPONENT_NAME = "tejido.session_cookie"

_JS = """
const posted = new Set();

export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || !data.action) return;
  const key = data.action + ":" + (data.code || "");
  if (posted.has(key)) return;
  posted.add(key);
  const path = data.action === "claim" ? "/_tejido/session" : "/_tejido/sign-out";
  const body = new URLSearchParams({ code: data.code || "" });
  const options = { method: "POST", credentials: "same-origin", body: body, cache: "no-store" };
  const sent = fetch(path, options);
  if (data.action !== "claim") return;  // a sign-out needs no answer: no rerun
  sent
    .then((response) => setTriggerValue("status", response.status))
    .catch(() => setTriggerValue("status", 0));
}
"""


@cache
def _component() -> Any:
    return st.components.v2.component(COMPONENT_NAME, js=_JS)


def post_handoff(code: str) -> int | None:
    """Post the hand-over code once; the HTTP status once the browser has an answer."""
    result = _component()(
        key="tejido.session_cookie",
        data={"action": "claim", "code": code},
        on_status_change=_ignore,
    )
    return _status(result.get("status"))


def expire_cookie() -> None:
    """Ask the server to expire this browser's session cookie."""
    _component()(
        key="tejido.session_cookie_out", data={"action": "sign_out"}, on_status_change=_ignore
    )


def _ignore() -> None:
    """The component needs a callback per value it sends; the caller reads the result."""


def _status(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
