"""The app's behaviour while the database cannot be reached (a PostgreSQL restart).

Every run of the app goes through :func:`surviving_outages`. When the database is lost
the page says so plainly, waits a few seconds and runs again, until the database
answers: no reload, no restart. A change that was being saved at that moment was not
committed, so the user is told, once the database is back, that it was not saved.
Changes confirmed earlier were committed and stay.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from engagement.errors import DatabaseUnavailable
from engagement.ui.context import database
from engagement.ui.feedback import UNSAVED_IN_OUTAGE as UNSAVED
from engagement.ui.i18n import tr

RETRY_SECONDS = 3


@contextmanager
def surviving_outages() -> Iterator[None]:
    """Run the page; on a lost database, explain, wait and run again."""
    if st.session_state.get(UNSAVED) and database().reachable():
        st.session_state.pop(UNSAVED)
        st.warning(tr("outage.not_saved"), icon=":material/warning:")
    try:
        yield
    except DatabaseUnavailable as lost:
        note_unsaved(lost)
        st.error(tr("outage.retrying", seconds=RETRY_SECONDS), icon=":material/cloud_off:")
        if st.session_state.get(UNSAVED):
            st.warning(tr("outage.not_saved_yet"), icon=":material/warning:")
        time.sleep(RETRY_SECONDS)
        st.rerun()


def note_unsaved(error: DatabaseUnavailable) -> None:
    """Remember that a write failed for want of a database (shown until it is back)."""
    if error.params.get("writing"):
        st.session_state[UNSAVED] = True
