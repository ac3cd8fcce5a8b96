"""One place that turns errors of the family into translated messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from engagement.errors import DatabaseUnavailable, EngagementError, ValidationFailed
from engagement.i18n import describe_error, describe_problem
from engagement.ui import state

UNSAVED_IN_OUTAGE = "tejido.unsaved_in_outage"


def show_error(error: EngagementError) -> None:
    """Show an error; validation problems are listed one per line, naming the field."""
    if isinstance(error, DatabaseUnavailable) and error.params.get("writing"):
        st.session_state[UNSAVED_IN_OUTAGE] = True  # engagement.ui.outage says so until back
    lang = state.lang()
    message = describe_error(error, lang)
    if isinstance(error, ValidationFailed):
        lines = "\n".join(f"- {describe_problem(p, lang)}" for p in error.problems[:50])
        more = len(error.problems) - 50
        message = f"{message}\n\n{lines}" + (f"\n- … (+{more})" if more > 0 else "")
    st.error(message, icon=":material/error:")


@contextmanager
def reporting() -> Iterator[None]:
    """Run a service call; show errors of the family instead of a traceback.

    Unexpected exceptions are never swallowed.
    """
    try:
        yield
    except EngagementError as error:
        show_error(error)


def show_flash() -> None:
    """Show the message a previous run left (e.g. "Saved")."""
    flashed = state.pop_flash()
    if flashed:
        kind, message = flashed
        (st.success if kind == "success" else st.info)(message)
