"""The only part of engagement/ that imports streamlit: shared widgets, caching
wrappers, error display and session-state keys."""

from __future__ import annotations


def _leave_legacy_pages_mode() -> None:
    """Make the first request a server gets run app.py as every later one does.

    Streamlit treats an app beside a ``pages/`` folder as a legacy multipage app until
    ``st.navigation`` has run once in the process. Until then a first visit to
    ``/import_export`` runs that page script alone (no sidebar, no language, no program)
    and any first visit shows a navigation listing file names, which stays on the
    sign-in screen. Every page and app.py import this package first, so here the legacy
    mode is switched off and the run is done through app.py instead.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    import runpy
    from pathlib import Path

    import streamlit as st

    pages = ctx.pages_manager
    # The legacy navigation (file names) is already on its way to the browser; a hidden
    # one replaces it, so that nothing of it shows when app.py stops early (the sign-in
    # screen). app.py's own st.navigation replaces that in turn.
    # It names the requested page too, or Streamlit would say "Page not found".
    hidden = [st.Page(str(pages.main_script_path), default=True)]
    requested = pages.get_pages().get(ctx.page_script_hash)
    if requested and Path(requested["script_path"]) != Path(pages.main_script_path):
        hidden.append(st.Page(str(requested["script_path"])))
    st.navigation(hidden, position="hidden")
    # app.py draws the sidebar and calls st.navigation, which runs the requested page.
    # Its widgets must get the ids a normal run gives them (made with app.py's hash),
    # or the next run would not find their state.
    with ctx.run_with_active_hash(pages.main_script_hash):
        runpy.run_path(str(pages.main_script_path), run_name="__main__")
    st.stop()


_leave_legacy_pages_mode()
