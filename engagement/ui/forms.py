"""Form plumbing shared by the registry pages: save in the submit callback, then show
each problem under the field it names.

Saving inside the submit button's ``on_click`` callback lets a successful save clear or
reload the form's widgets (allowed only before they are drawn) and leaves the failed
error in session state for the run that follows, where :func:`field_feedback` puts each
problem under its field and :func:`form_feedback` sums up near the button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any

import streamlit as st

from engagement.errors import (
    ActorNotFound,
    DuplicateActor,
    EngagementError,
    SelfTie,
    ValidationFailed,
)
from engagement.i18n import describe_error, describe_problem
from engagement.ui import state
from engagement.ui.feedback import show_error

#: Errors that are about one field although they are not validation problems.
_ERROR_FIELDS: dict[type[EngagementError], str] = {DuplicateActor: "name", SelfTie: "target_id"}


def show_outcome() -> None:
    """The message the last action left: at the top of the page, and as a toast so that
    it is seen even when the action was taken far down the page."""
    flashed = state.pop_flash()
    if flashed:
        kind, message = flashed
        (st.success if kind == "success" else st.info)(message, icon=":material/check_circle:")
        st.toast(message, icon=":material/check_circle:")


def _error_key(form: str) -> str:
    return f"{form}.error"


def run_save(form: str, save: Callable[[], str | None]) -> bool:
    """Call ``save``; keep its error for the next run. A returned text is flashed."""
    st.session_state.pop(_error_key(form), None)
    try:
        message = save()
    except EngagementError as error:
        st.session_state[_error_key(form)] = error
        return False
    if message:
        state.flash("success", message)
    return True


def last_error(form: str) -> EngagementError | None:
    """The error of the form's last save, if it failed (kept for this run only)."""
    value = st.session_state.get(_error_key(form))
    return value if isinstance(value, EngagementError) else None


def pop_error(form: str) -> EngagementError | None:
    """The error of the form's last save, shown once."""
    value = st.session_state.pop(_error_key(form), None)
    return value if isinstance(value, EngagementError) else None


def forget_error(form: str) -> None:
    st.session_state.pop(_error_key(form), None)


def error_field(error: EngagementError) -> str | None:
    """The form field a non-validation error is about, if any."""
    if isinstance(error, ActorNotFound) and isinstance(error.params.get("field"), str):
        return str(error.params["field"])
    return next((f for kind, f in _ERROR_FIELDS.items() if isinstance(error, kind)), None)


def field_feedback(form: str, *fields: str) -> None:
    """Show, right under a widget, every problem of the last save about ``fields``."""
    error = last_error(form)
    if error is None:
        return
    lang = state.lang()
    if isinstance(error, ValidationFailed):
        for problem in error.problems:
            if problem.field in fields:
                st.error(describe_problem(problem, lang), icon=":material/error:")
    elif error_field(error) in fields:
        show_error(error)


def form_feedback(form: str, shown: Iterable[str]) -> None:
    """Near the submit button: how many problems there are, and those no field shows."""
    error = last_error(form)
    if error is None:
        return
    lang = state.lang()
    fields = set(shown)
    if isinstance(error, ValidationFailed):
        loose = [p for p in error.problems if p.field not in fields]
        lines = "".join(f"\n- {describe_problem(p, lang)}" for p in loose)
        st.error(describe_error(error, lang) + lines, icon=":material/error:")
    elif error_field(error) not in fields:
        show_error(error)


def load_widgets(marker_key: str, marker: Any, values: Mapping[str, Any]) -> None:
    """Fill widgets with ``values`` when ``marker`` (e.g. id and version) changed.

    Must run before the widgets are drawn; the user's typing survives reruns until the
    record itself changes.
    """
    if st.session_state.get(marker_key) == marker:
        return
    for key, value in values.items():
        st.session_state[key] = _plain(value)
    st.session_state[marker_key] = marker


def reset_widgets(values: Mapping[str, Any]) -> None:
    """Put widgets back to ``values`` (call from a callback, before they are drawn)."""
    for key, value in values.items():
        st.session_state[key] = _plain(value)


def _plain(value: Any) -> Any:
    """A widget holds the plain string of a value list member: Streamlit matches an
    ``Enum`` value against the options' class, and our options are the plain strings."""
    return value.value if isinstance(value, Enum) else value
