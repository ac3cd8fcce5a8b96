"""Nothing from a browser reaches the app's state before its user has signed in.

Streamlit answers every browser that opens its websocket, signed in or not: it stores
files PUT to ``/_stcore/upload_file`` for any live session, clears every cache of the
process on a ``clear_cache`` message, and hands component and widget values to the
script. Streamlit 1.67 offers no supported hook to refuse these per session, so
:func:`guard_streamlit` (called once, explicitly, from ``app.py``) wraps two of its
internals (and sets one option):

- the runtime's uploaded-file manager: a file sent by a session that has not signed in
  is refused (HTTP 403) and never stored;
- ``AppSession.handle_backmsg``: from a session that has not signed in, only a rerun
  (with the values of the sign-in screen's own widgets), the heartbeat and "stop" pass;
  ``clear_cache`` passes only from an administrator's session.
- ``server.maxUploadSize`` is set to ``TEJIDO_UPLOAD_LIMIT_MB``, so the two never differ.

:func:`admit` marks the current session as signed in (or not); ``require_sign_in`` calls
it on every run. ``tests/browser/test_anonymous_clients.py`` checks all of this against
a real server, and ``tests/unit/test_session_gate.py`` fails as soon as Streamlit's
version or the wrapped internals change: re-check them before moving the pin.

What Streamlit does before this code can see a request (reading an upload's body up to
``server.maxUploadSize``, accepting websockets, parsing messages up to
``server.maxWidgetStateSize``) is bounded by the reverse proxy of the ``deploy/``
recipe: body size, connection and request rates (see the README, *Deploying*).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Final

import streamlit as st
from starlette.exceptions import HTTPException
from streamlit import config, runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from engagement.config import load_settings
from engagement.model import Principal

#: The Streamlit release whose internals ``guard_streamlit`` wraps (tests pin it).
STREAMLIT_VERSION: Final = "1.67.0"
#: BackMsg types a session that has not signed in may send.
ANONYMOUS_MESSAGES: Final = frozenset({"rerun_script", "app_heartbeat", "stop_script"})
#: Widgets of the sign-in screens (their keys start so): the only values kept from a
#: session that has not signed in.
SIGN_IN_KEYS: Final = "auth."

_log = logging.getLogger(__name__)
_lock = threading.Lock()
#: session id -> administrator? for every session whose user has signed in.
_admitted: dict[str, bool] = {}
_installed: list[bool] = []
#: Past this many admitted sessions, those whose browser has gone are forgotten.
_PRUNE_ABOVE: Final = 256


def admit(principal: Principal | None) -> None:
    """Record whether the current session's user has signed in (and is an administrator)."""
    session_id = _session_id()
    if session_id is None:
        return
    with _lock:
        if principal is None:
            _admitted.pop(session_id, None)
        else:
            if session_id not in _admitted and len(_admitted) >= _PRUNE_ABOVE:
                _forget_closed_sessions()
            _admitted[session_id] = principal.admin or principal.operator


def _forget_closed_sessions() -> None:
    if runtime.exists():
        live = runtime.get_instance()
        for session_id in [s for s in _admitted if not live.is_active_session(s)]:
            del _admitted[session_id]


def admitted(session_id: str) -> bool:
    with _lock:
        return session_id in _admitted


def may_clear_caches(session_id: str) -> bool:
    with _lock:
        return _admitted.get(session_id, False)


def client_address() -> str | None:
    """The client's network address as the server sees it (``None``: this machine).

    Behind the deploy recipe's proxy this is the address the proxy forwards in
    ``X-Forwarded-For``: the server trusts that header from 127.0.0.1 only (uvicorn's
    ``FORWARDED_ALLOW_IPS``).
    """
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def guard_streamlit() -> None:
    """Refuse uploads and messages from sessions that have not signed in (once a process).

    A no-op outside a running server (AppTest, bare script runs). Raises
    ``RuntimeError`` if Streamlit's internals are not where this expects them: the app
    would rather not start than run unguarded.
    """
    # AppTest puts a mock in the runtime's place: nothing to guard there.
    if _installed or not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return
    with _lock:
        if _installed:
            return
        _match_upload_limit()
        _guard_uploads(runtime.get_instance().uploaded_file_mgr)
        _guard_messages()
        _installed.append(True)


def _match_upload_limit() -> None:
    """``server.maxUploadSize`` follows ``TEJIDO_UPLOAD_LIMIT_MB``: the upload endpoint
    reads the option on every request, and ``st.file_uploader`` shows it."""
    config.set_option(
        "server.maxUploadSize", load_settings().upload_limit_mb, "TEJIDO_UPLOAD_LIMIT_MB"
    )


def _guard_uploads(manager: Any) -> None:
    add_file: Callable[..., None] = getattr(manager, "add_file", None)  # type: ignore[assignment]
    if add_file is None or getattr(add_file, "_tejido_guard", False):
        raise RuntimeError("Streamlit's uploaded-file manager has no add_file to guard")

    def guarded_add_file(session_id: str, file: Any) -> None:
        if not admitted(session_id):
            _log.warning("Upload refused: session %s has not signed in", session_id)
            raise HTTPException(status_code=403, detail="Sign in first")
        add_file(session_id=session_id, file=file)

    guarded_add_file._tejido_guard = True  # type: ignore[attr-defined]
    manager.add_file = guarded_add_file


def _guard_messages() -> None:
    handle: Callable[[AppSession, Any], None] = AppSession.handle_backmsg
    if getattr(handle, "_tejido_guard", False):
        return

    def guarded_handle_backmsg(self: AppSession, msg: Any) -> None:
        kind = msg.WhichOneof("type")
        if not admitted(self.id):
            if kind not in ANONYMOUS_MESSAGES:
                # debug, not warning: a flood of these must not flood the log too.
                _log.debug("Message %r refused: session %s has not signed in", kind, self.id)
                return
            if kind == "rerun_script":
                _keep_sign_in_values(msg.rerun_script)
        elif kind == "clear_cache" and not may_clear_caches(self.id):
            _log.warning("clear_cache refused: session %s is not an administrator", self.id)
            return
        handle(self, msg)

    guarded_handle_backmsg._tejido_guard = True  # type: ignore[attr-defined]
    AppSession.handle_backmsg = guarded_handle_backmsg  # type: ignore[method-assign]


def _keep_sign_in_values(client_state: Any) -> None:
    """Drop every widget or component value but those of the sign-in screens' widgets."""
    widgets = client_state.widget_states.widgets
    kept = [w for w in widgets if _is_sign_in_widget(w.id)]
    if len(kept) != len(widgets):
        del widgets[:]
        widgets.extend(kept)


def _is_sign_in_widget(widget_id: str) -> bool:
    """Ids are ``$$ID-<hash>-<user key>``; a form's submit button has the user key
    ``FormSubmitter:<form key>-<label>``."""
    prefix, _, rest = widget_id.partition("-")
    user_key = rest.partition("-")[2] if prefix == "$$ID" else ""
    return user_key.startswith((SIGN_IN_KEYS, f"FormSubmitter:{SIGN_IN_KEYS}"))


def _session_id() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else None
