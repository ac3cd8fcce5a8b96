"""Sign-in for the app: who is using this session, and the screens that establish it.

Modes (``TEJIDO_AUTH``): ``password`` (accounts in the database; the setup screen creates
the first administrator while no account exists), ``proxy`` (a single-sign-on proxy in
front of the app sets a trusted header), ``oidc`` (Streamlit's ``st.login``; needs an
OIDC provider configured in ``.streamlit/secrets.toml``), ``none`` (one local user, for a
laptop; never for a shared deployment). In every mode but ``none`` the principal carries
the user's roles, and the services enforce them.

In ``password`` mode a sign-in is a server-side session
(``engagement.services.access.sessions``) checked on every run, in one statement that
also lists the programs the user may open with their data stamps (:func:`arrival`):
this tab keeps the session's id, and a reload, a new tab or a reopened browser find it
again through the HttpOnly cookie that ``engagement.ui.session_cookie`` has the server
set. A page opened while signed out (``/grid?program=3&lang=en``) opens after the
sign-in: while the sign-in screen shows, the app's navigation is declared hidden
(``keep_page``), so the browser keeps the link's page and query and the run after the
sign-in is that page's.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from engagement.config import load_settings
from engagement.errors import EngagementError
from engagement.model import Principal
from engagement.services.access import directory, sessions, users
from engagement.services.access.directory import Account
from engagement.ui import session_cookie, session_gate
from engagement.ui.database import database
from engagement.ui.feedback import reporting, show_error
from engagement.ui.i18n import tr
from engagement.ui.this_run import this_run

SESSION = "tejido.session"
HANDOFF = "tejido.handoff"
EXPIRE_COOKIE = "tejido.expire_cookie"
TIMED_OUT = "tejido.timed_out"


def arrival() -> Account | None:
    """The signed-in account and the programs it may open, or ``None`` when nobody is
    signed in: checked once per page run, in one statement."""
    return this_run("arrival", _arrive)


def current_principal() -> Principal | None:
    """The signed-in user's principal, or ``None`` when nobody is signed in."""
    found = arrival()
    return found.principal if found else None


def _arrive() -> Account | None:
    settings = load_settings()
    if settings.auth == "none":
        return directory.local_account(database(), Principal(settings.local_user))
    if settings.auth == "password":
        found = _session()
        if found is None:
            return None
        return Account(
            found.principal,
            True,
            found.must_change_password,
            found.programs,
            found.accounts_version,
        )
    username = _username(settings.auth, settings.proxy_user_header)
    if not username:
        return None
    account = directory.account(database(), username)
    return account if account is not None and account.active else None


def _username(mode: str, header: str) -> str | None:
    if mode == "proxy":
        return st.context.headers.get(header) or None
    user = st.user
    return str(user.get("email") or "") or None if user.is_logged_in else None


def _session() -> sessions.Resolved | None:
    """This tab's session, or the one the browser's cookie names; checked every run."""
    session_id = st.session_state.get(SESSION)
    cookie = None if session_id is not None else st.context.cookies.get(sessions.COOKIE_NAME)
    token = cookie if isinstance(cookie, str) else None
    if session_id is None and not token:
        return None
    idle = load_settings().session_timeout_min
    found = sessions.resolve(database(), session_id=session_id, token=token, idle_minutes=idle)
    if found is None:
        # Signed out elsewhere, revoked, idle or expired: the cookie is of no more use.
        if session_id is not None:  # this tab was signed in: say why it no longer is
            st.session_state[TIMED_OUT] = True
        st.session_state[EXPIRE_COOKIE] = True
        for key in (SESSION, HANDOFF):
            st.session_state.pop(key, None)
        return None
    st.session_state[SESSION] = found.session_id
    return found


def sign_out() -> None:
    session_id = st.session_state.pop(SESSION, None)
    st.session_state.pop(HANDOFF, None)
    if isinstance(session_id, int):
        sessions.revoke(database(), session_id, "sign_out")
    st.session_state[EXPIRE_COOKIE] = True


def _begin_session(username: str) -> None:
    """A fresh session for a user who just proved who they are (sign-in, new password)."""
    started = sessions.start(database(), username, max_age_hours=load_settings().session_max_hours)
    st.session_state[SESSION] = started.session_id
    st.session_state[HANDOFF] = started.handoff
    for key in (EXPIRE_COOKIE, TIMED_OUT):
        st.session_state.pop(key, None)


def _hand_over_cookie() -> None:
    """Until the browser holds the cookie, post the one-time code (once per code)."""
    code = st.session_state.get(HANDOFF)
    if not isinstance(code, str):
        return
    with st.sidebar:
        status = session_cookie.post_handoff(code)
    if status is not None:
        st.session_state.pop(HANDOFF, None)


def require_sign_in(keep_page: Callable[[], object] | None = None) -> Account:
    """Return the signed-in account; otherwise show the right screen (setup, sign-in)
    and stop.

    ``keep_page`` declares the app's pages (hidden) before a screen that stops the run,
    so that a link to a page survives the sign-in or the first change of password.
    """
    settings = load_settings()
    found = arrival()
    session_gate.admit(found.principal if found else None)  # uploads, messages follow
    if found is not None:
        if settings.auth == "password":
            _hand_over_cookie()
            if found.must_change_password:
                if keep_page is not None:
                    keep_page()
                _change_password_screen(found.principal, first_time=True)
                st.stop()
        return found
    if keep_page is not None:
        keep_page()
    st.title(tr("auth.title"))
    if settings.auth == "proxy":
        st.error(tr("auth.proxy_unknown", header=settings.proxy_user_header))
    elif settings.auth == "oidc":
        st.button(tr("auth.oidc_sign_in"), on_click=st.login, key="auth.oidc")
    else:
        if st.session_state.pop(EXPIRE_COOKIE, False):
            session_cookie.expire_cookie()
        if users.user_count(database()) == 0:
            _setup_screen()
        else:
            _sign_in_screen()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _sign_in_screen() -> None:
    if st.session_state.get(TIMED_OUT):  # said until the next sign-in
        st.info(tr("session.ended"))
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
        _begin_session(info.username)
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
            _begin_session(info.username)
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
            # Every session of the user ended with the old password; this tab goes on.
            _begin_session(principal.username)
            st.success(tr("auth.password_changed"))
            st.rerun()
