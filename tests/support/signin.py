"""Sign a user in for an AppTest, as the sign-in screen would (password mode).

A sign-in is a server-side session (``engagement.services.access.sessions``): the tab keeps
only the session's id. ``sign_in(at, "ana")`` opens one for ``ana`` in the database the
environment names (``TEJIDO_DATABASE_URL``, set by the page fixtures).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from engagement.config import load_settings
from engagement.services.access import sessions
from engagement.storage.db import Database
from engagement.ui.auth import SESSION


def sign_in(at: AppTest, username: str) -> int:
    """Open a session for ``username`` and give it to the AppTest's tab; its id."""
    db = Database.from_url(load_settings().database_url)
    try:
        started = sessions.start(db, username, max_age_hours=1)
    finally:
        db.dispose()
    at.session_state[SESSION] = started.session_id
    return started.session_id
