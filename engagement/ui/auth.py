"""Sign-in for the app: who is using this session, and the screens that establish it.

Modes (``TEJIDO_AUTH``): ``password`` (accounts in the database; the setup screen creates
the first administrator while no account exists), ``proxy`` (a single-sign-on proxy in
front of the app sets a trusted header), ``oidc`` (Streamlit's ``st.login``; needs an
OIDC provider configured in ``.streamlit/secrets.toml``), ``none`` (one local user, for a
laptop; never for a shared deployment). In every mode but ``none`` the principal carries
the user's roles, and the services enforce them.
"""

from __future__ import annotations

import time

import streamlit as st

from engagement.config import load_settings
from engagement.errors import EngagementError, NotFound
from engagement.model import Principal
from engagement.services import users
from engagement.ui import session_gate
from engagement.ui.database import database
from engagement.ui.feedback import reporting, show_error
from engagement.ui.i18n import tr

USER = "tejido.user"
LAST_SEEN = "tejido.last_seen"


def current_principal() -> Principal | None:
    """The signed-in user's principal, or ``None`` when nobody is signed in."""
    settings = load_settings()
    if settings.auth == "none":
        return Principal(settings.local_user)
    username = _username(settings.auth, settings.proxy_user_header)
    if not username:
        return None
    try:
        info = users.get_user(database(), username)
    except NotFound:
        return None
    return users.principal(info) if info.active else None


def _username(mode: str, header: str) -> str | None:
    if mode == "proxy":
        return st.context.headers.get(header) or None
    if mode == "oidc":
        user = st.user
        return str(user.get("email") or "") or None if user.is_logged_in else None
    name = st.session_state.get(USER)
    if not isinstance(name, str):
        return None
    timeout = load_settings().session_timeout_min * 60
    if time.time() - float(st.session_state.get(LAST_SEEN, 0)) > timeout:
        sign_out()
        st.session_state["tejido.timed_out"] = True
        return None
    st.session_state[LAST_SEEN] = time.time()
    return name


def sign_out() -> None:
    for key in (USER, LAST_SEEN):
        st.session_state.pop(key, None)


def require_sign_in() -> Principal:
    """Return the user; otherwise show the right screen (setup, sign-in) and stop."""
    settings = load_settings()
    principal = current_principal()
    session_gate.admit(principal)  # uploads and messages follow the sign-in
    if principal is not None:
        if settings.auth == "password" and _must_change(principal):
            _change_password_screen(principal, first_time=True)
            st.stop()
        return principal
    st.title(tr("auth.title"))
    if settings.auth == "proxy":
        st.error(tr("auth.proxy_unknown", header=settings.proxy_user_header))
    elif settings.auth == "oidc":
        st.button(tr("auth.oidc_sign_in"), on_click=st.login, key="auth.oidc")
    elif users.user_count(database()) == 0:
        _setup_screen()
    else:
        _sign_in_screen()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _must_change(principal: Principal) -> bool:
    return users.get_user(database(), principal.username).must_change_password


def _sign_in_screen() -> None:
    if st.session_state.pop("tejido.timed_out", False):
        st.info(tr("auth.timed_out"))
    with st.form("auth.sign_in"):
        username = st.text_input(tr("auth.username"), key="auth.username")
        password = st.text_input(tr("auth.password"), type="password", key="auth.password")
        submitted = st.form_submit_button(tr("auth.sign_in"), type="primary")
    if submitted:
        try:
            info = users.authenticate(
                database(), username, password, client=session_gate.client_address()
            )
        except EngagementError as error:
            show_error(error)
            return
        st.session_state[USER] = info.username
        st.session_state[LAST_SEEN] = time.time()
        st.rerun()


def _setup_screen() -> None:
    st.info(tr("auth.setup_intro"))
    with st.form("auth.setup"):
        username = st.text_input(tr("auth.username"), key="auth.setup_username")
        password = st.text_input(tr("auth.new_password"), type="password", key="auth.setup_pw")
        again = st.text_input(tr("auth.repeat_password"), type="password", key="auth.setup_pw2")
        submitted = st.form_submit_button(tr("auth.create_admin"), type="primary")
    if submitted:
        if password != again:
            st.error(tr("auth.passwords_differ"))
            return
        with reporting():
            info = users.create_first_admin(database(), username, password)
            st.session_state[USER] = info.username
            st.session_state[LAST_SEEN] = time.time()
            st.rerun()


def _change_password_screen(principal: Principal, *, first_time: bool = False) -> None:
    if first_time:
        st.title(tr("auth.title"))
        st.warning(tr("auth.must_change"))
    change_password_form(principal)


def change_password_form(principal: Principal) -> None:
    """The signed-in user changes their password (also offered in the sidebar)."""
    with st.form("auth.change_password"):
        current = st.text_input(tr("auth.current_password"), type="password", key="auth.cur")
        new = st.text_input(tr("auth.new_password"), type="password", key="auth.new")
        again = st.text_input(tr("auth.repeat_password"), type="password", key="auth.new2")
        submitted = st.form_submit_button(tr("auth.change_password"), type="primary")
    if submitted:
        if new != again:
            st.error(tr("auth.passwords_differ"))
            return
        with reporting():
            users.change_password(database(), principal, current, new)
            st.success(tr("auth.password_changed"))
            st.rerun()
