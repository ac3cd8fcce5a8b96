"""Program settings forms: create a program, edit the chosen one.

Saves run in the submit button's callback, before any widget is drawn: a new program can
then become the sidebar's choice, and the form can be reloaded. A failed save leaves its
error in session state for the run that follows, where each problem is shown under the
field it names. Edits carry the version the user loaded, so a save over someone else's
newer change is refused (StaleEdit) instead of silently undoing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from engagement.errors import DuplicateName, EngagementError, StaleEdit, ValidationFailed
from engagement.i18n import describe_error, describe_problem
from engagement.model import Principal, ProgramInfo
from engagement.services.registry import programs
from engagement.ui import context, state
from engagement.ui.feedback import show_error
from engagement.ui.i18n import tr

CREATE = "settings.create"
EDIT = "settings.program"
_SEEN = "settings.program.seen"
CREATE_FIELDS = (
    "name",
    "municipality",
    "country",
    "description",
    "start_date",
    "end_date",
    "power_threshold",
)
EDIT_FIELDS = (*CREATE_FIELDS, "stale_days", "illustrative", "time_zone")
_EMPTY: dict[str, Any] = {
    "name": "",
    "municipality": "",
    "country": "",
    "description": "",
    "start_date": None,
    "end_date": None,
    "power_threshold": 3,
}


def may_create(user: Principal) -> bool:
    return user.operator or user.admin


# --- plumbing shared with the list editor -------------------------------------------


def key(form: str, field: str) -> str:
    return f"{form}.{field}"


def run_save(form: str, save: Callable[[], str | None]) -> None:
    """Call ``save`` (from a callback); keep its error for the next run, flash its text."""
    st.session_state.pop(key(form, "error"), None)
    try:
        message = save()
    except EngagementError as error:
        st.session_state[key(form, "error")] = error
        return
    if message:
        state.flash("success", message)


def last_error(form: str) -> EngagementError | None:
    value = st.session_state.get(key(form, "error"))
    return value if isinstance(value, EngagementError) else None


def field_problems(form: str, *fields: str) -> None:
    """Under a widget: every problem of the form's last save about ``fields``."""
    error = last_error(form)
    if isinstance(error, ValidationFailed):
        for problem in error.problems:
            if problem.field in fields:
                st.error(describe_problem(problem, state.lang()), icon=":material/error:")
    elif isinstance(error, DuplicateName) and "name" in fields:
        if error.params.get("entity") == "program":
            show_error(error)
        else:  # an entry of a list: its names and other names must all be unique
            name = error.params.get("name", "")
            st.error(tr("settings.terms.duplicate", name=name), icon=":material/error:")


def form_problems(form: str, shown: Iterable[str]) -> None:
    """Near the button: the count of problems, and those no field showed."""
    error = last_error(form)
    if error is None or (isinstance(error, DuplicateName) and "name" in shown):
        return
    if isinstance(error, ValidationFailed):
        lang = state.lang()
        loose = [p for p in error.problems if p.field not in set(shown)]
        lines = "".join(f"\n- {describe_problem(p, lang)}" for p in loose)
        st.error(describe_error(error, lang) + lines, icon=":material/error:")
    else:
        show_error(error)


def set_widgets(form: str, values: Mapping[str, Any]) -> None:
    for field, value in values.items():
        st.session_state[key(form, field)] = value


def read_widgets(form: str, fields: Iterable[str]) -> dict[str, Any]:
    return {field: st.session_state.get(key(form, field)) for field in fields}


# --- the program form ----------------------------------------------------------------


def _program_fields(form: str, fields: tuple[str, ...]) -> None:
    st.text_input(tr("field.name"), key=key(form, "name"), max_chars=200)
    field_problems(form, "name")
    left, right = st.columns(2)
    left.text_input(tr("field.municipality"), key=key(form, "municipality"), max_chars=200)
    right.text_input(tr("field.country"), key=key(form, "country"), max_chars=120)
    st.text_area(tr("field.description"), key=key(form, "description"), height=90)
    left, right = st.columns(2)
    left.date_input(tr("field.start_date"), key=key(form, "start_date"), format="DD/MM/YYYY")
    with right:
        st.date_input(tr("field.end_date"), key=key(form, "end_date"), format="DD/MM/YYYY")
        field_problems(form, "end_date")
    left, right = st.columns(2)
    with left:
        st.number_input(
            tr("field.power_threshold"),
            key=key(form, "power_threshold"),
            step=1,
            help=tr("settings.threshold.help"),
        )
        field_problems(form, "power_threshold")
    if "stale_days" in fields:
        with right:
            st.number_input(
                tr("field.stale_days"),
                key=key(form, "stale_days"),
                step=1,
                help=tr("settings.stale_days.help"),
            )
            field_problems(form, "stale_days")
    if "time_zone" in fields:
        st.text_input(
            tr("field.time_zone"),
            key=key(form, "time_zone"),
            max_chars=64,
            help=tr("settings.time_zone.help"),
        )
        field_problems(form, "time_zone")
    if "illustrative" in fields:
        st.checkbox(
            tr("field.illustrative"),
            key=key(form, "illustrative"),
            help=tr("settings.illustrative.help"),
        )


def create_program_form() -> None:
    """A form for a new program, which becomes the chosen one once created."""
    for field, value in _EMPTY.items():
        st.session_state.setdefault(key(CREATE, field), value)
    with st.form(CREATE, border=True, enter_to_submit=False):
        _program_fields(CREATE, CREATE_FIELDS)
        st.caption(tr("settings.create.lists"))
        st.form_submit_button(
            tr("settings.create.submit"),
            type="primary",
            icon=":material/add:",
            on_click=_create,
            key=key(CREATE, "submit"),
        )
    form_problems(CREATE, CREATE_FIELDS)


def _create() -> None:
    values = read_widgets(CREATE, CREATE_FIELDS)
    user = context.current_user()

    def save() -> str:
        name = str(values.pop("name") or "")
        created = programs.create_program(context.database(), user, name, **values)
        st.session_state[state.PROGRAM_ID] = created.id
        set_widgets(CREATE, _EMPTY)
        return tr("settings.created", name=created.name)

    run_save(CREATE, save)


def _program_values(program: ProgramInfo) -> dict[str, Any]:
    return {field: getattr(program, field) for field in EDIT_FIELDS}


def edit_program_form(program: ProgramInfo) -> None:
    """The chosen program's details and settings, loaded once per program (or on reload)."""
    seen = st.session_state.get(_SEEN)
    # Streamlit drops a widget's value once a run goes by without it (another page).
    dropped = key(EDIT, "name") not in st.session_state
    if dropped or not (isinstance(seen, tuple) and seen[0] == program.id):
        _load(program)
    with st.form(EDIT, border=True, enter_to_submit=False):
        _program_fields(EDIT, EDIT_FIELDS)
        st.form_submit_button(
            tr("common.save"),
            type="primary",
            icon=":material/save:",
            on_click=_save_program,
            args=(program.id,),
            key=key(EDIT, "submit"),
        )
    form_problems(EDIT, EDIT_FIELDS)
    if isinstance(last_error(EDIT), StaleEdit):
        st.button(
            tr("settings.reload"),
            icon=":material/refresh:",
            on_click=_reload,
            args=(program.id,),
            key=key(EDIT, "reload"),
        )


def _load(program: ProgramInfo) -> None:
    st.session_state.pop(key(EDIT, "error"), None)
    set_widgets(EDIT, _program_values(program))
    st.session_state[_SEEN] = (program.id, program.version)


def _reload(program_id: int) -> None:
    st.session_state.pop(key(EDIT, "error"), None)
    _load(context.program(program_id))


def _save_program(program_id: int) -> None:
    values = read_widgets(EDIT, EDIT_FIELDS)
    seen = st.session_state.get(_SEEN)
    expected = seen[1] if isinstance(seen, tuple) and seen[0] == program_id else None
    user = context.current_user()

    def save() -> str | None:
        current = context.program(program_id)
        before = _program_values(current)
        changes = {k: v for k, v in values.items() if v != before[k]}
        if not changes and expected == current.version:
            state.flash("info", tr("settings.no_changes"))
            return None
        version = current.version if expected is None else int(expected)
        saved = programs.update_program(context.database(), user, program_id, changes, version)
        _load(saved)
        return tr("app.saved")

    run_save(EDIT, save)
