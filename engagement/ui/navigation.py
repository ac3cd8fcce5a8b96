"""How Streamlit is told that ``app.py``'s ``st.navigation`` owns every page.

Streamlit treats an app with a ``pages/`` folder beside it as a legacy multipage app
until ``st.navigation`` first runs in the process: a deep link (``/grid``) as a fresh
server's first request would run ``pages/grid.py`` alone, without ``app.py`` (no sidebar,
no sign-in gate, file names as the menu). Streamlit 1.67 has no setting for this; the
flag it reads is ``PagesManager.uses_pages_directory``, decided once per process by the
first session. :func:`use_app_navigation` decides it first. It is called once, explicitly,
by the server entry point (``server.py``) before any session exists, and by ``app.py``
(for ``streamlit run app.py``, where it takes effect from the second session on).

``tests/test_architecture.py`` fails loudly when Streamlit's version or this flag
changes, so an upgrade re-checks this on purpose.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

#: The Streamlit release whose internals this relies on (requirements.txt pins it).
CHECKED_STREAMLIT = "1.67.0"


def use_app_navigation() -> None:
    """Leave Streamlit's legacy ``pages/`` mode: ``app.py``'s navigation runs every page."""
    PagesManager.uses_pages_directory = False
