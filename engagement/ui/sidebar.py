"""The sidebar every page shares: language and program, kept across pages.

Both are mirrored in the URL (``?lang=en&program=2``) so a link or a reload keeps them.
"""

from __future__ import annotations

import streamlit as st

from engagement.config import load_settings
from engagement.i18n import LANGUAGES
from engagement.model import Principal
from engagement.services.access.directory import Account
from engagement.ui import state
from engagement.ui.auth import sign_out
from engagement.ui.i18n import tr

_LANG_NAMES = {"es": "Español", "en": "English"}


def init_from_url() -> None:
    """Language and program from the address (``?lang=en&program=2``), once per session.
    Runs before sign-in, so the sign-in screen and its errors speak the asked language."""
    params = st.query_params
    if state.LANG not in st.session_state:
        wanted = params.get("lang", "")
        st.session_state[state.LANG] = wanted if wanted in LANGUAGES else "es"
    if state.PROGRAM_ID not in st.session_state and params.get("program", "").isdigit():
        st.session_state[state.PROGRAM_ID] = int(params["program"])


def render_sidebar(account: Account) -> None:
    """Language switch, program chooser (the user's programs only) and the account."""
    user = account.principal
    init_from_url()
    with st.sidebar:
        st.segmented_control(
            tr("app.language"),
            options=list(LANGUAGES),
            format_func=_LANG_NAMES.__getitem__,
            key=state.LANG,
            required=True,
        )
        choices = {p.id: p.name for p in account.programs if user.role_in(p.id) is not None}
        if state.program_id() not in choices:
            st.session_state[state.PROGRAM_ID] = next(iter(choices), None)
        if choices:
            st.selectbox(
                tr("app.program"),
                options=list(choices),
                format_func=choices.__getitem__,
                key=state.PROGRAM_ID,
            )
        else:
            st.info(tr("app.no_programs" if user.operator or user.admin else "auth.no_programs"))
        st.toggle(
            tr("privacy.presentation"),
            key=state.PRESENTATION,
            help=tr("privacy.presentation_help"),
        )
        if not user.operator:
            _account(user)
    st.query_params["lang"] = state.lang()
    if state.program_id() is not None:
        st.query_params["program"] = str(state.program_id())


def declare_language() -> None:
    """``<html lang="es">`` (or ``en``) for screen readers and the browser's spelling,
    hyphenation and translation offers. Streamlit leaves it "en" whatever the content;
    a line of script in the page sets it (the value is one of our two language codes,
    never user text)."""
    code = state.lang() if state.lang() in LANGUAGES else "es"
    st.html(
        f"<script>document.documentElement.lang = {code!r};</script>",
        width="content",
        unsafe_allow_javascript=True,
    )


def _account(user: Principal) -> None:
    pid = state.program_id()
    role = user.role_in(pid) if pid is not None else None
    st.caption(
        tr("auth.signed_in_as", user=user.username, role=tr(f"role.{role}") if role else "-")
    )
    if load_settings().auth == "password" and st.button(tr("auth.sign_out"), key="auth.sign_out"):
        sign_out()
        st.rerun()


def require_program() -> int:
    """The chosen program's id; stops the page with a clear message when there is none."""
    pid = state.program_id()
    if pid is None:
        st.info(tr("app.choose_program_first"))
        st.page_link("app_pages/settings.py", label=tr("nav.settings"), icon=":material/settings:")
        st.stop()
    return pid
