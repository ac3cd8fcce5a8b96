"""The app's behaviour while the database cannot be reached (a PostgreSQL restart).

Every run of the app goes through :func:`surviving_outages`. When the database is lost
the page says so plainly, waits a few seconds and runs again, until the database
answers: no reload, no restart. A change being saved at that moment was not committed;
nor was a click or a form sent while the database was away (its run stopped before
reaching the save, and the retries do not repeat it). Either way the user is told, once
the database is back, that it was not saved. Changes confirmed earlier were committed
and stay.
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
RETRYING = "tejido.outage_retrying"
HAD_RUN = "tejido.had_run"


@contextmanager
def surviving_outages() -> Iterator[None]:
    """Run the page; on a lost database, explain, wait and run again."""
    retrying = st.session_state.pop(RETRYING, False)
    # A run the user started (not a retry) in a session that ran before: a click or a
    # form may have been lost with it.
    user_action = not retrying and st.session_state.get(HAD_RUN, False)
    st.session_state[HAD_RUN] = True
    if st.session_state.get(UNSAVED) and database().reachable():
        st.session_state.pop(UNSAVED)
        st.warning(tr("outage.not_saved"), icon=":material/warning:")
    try:
        yield
    except DatabaseUnavailable as lost:
        note_unsaved(lost)
        if user_action:
            st.session_state[UNSAVED] = True
        st.error(tr("outage.retrying", seconds=RETRY_SECONDS), icon=":material/cloud_off:")
        if st.session_state.get(UNSAVED):
            st.warning(tr("outage.not_saved_yet"), icon=":material/warning:")
        time.sleep(RETRY_SECONDS)
        st.session_state[RETRYING] = True
        st.rerun()


def note_unsaved(error: DatabaseUnavailable) -> None:
    """Remember that a write failed for want of a database (shown until it is back)."""
    if error.params.get("writing"):
        st.session_state[UNSAVED] = True
