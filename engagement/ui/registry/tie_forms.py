"""The add and edit forms of a tie, and its delete confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from engagement.errors import ActorNotFound, StaleEdit
from engagement.model import ProgramInfo
from engagement.services.registry import relationships
from engagement.ui import context, forms
from engagement.ui.feedback import show_error
from engagement.ui.i18n import label, tr
from engagement.ui.markup import escape_markdown
from engagement.ui.registry.tie_views import SELECTED, strength_name

ADD = "relationships.add"
EDIT = "relationships.edit"
DELETE = "relationships.delete"
CONFIRM = "relationships.delete_confirm"
CANCEL = "relationships.delete_cancel"
_ASKING = "relationships.delete_asking"
_EDIT_LOADED = f"{EDIT}.loaded"
_EDIT_VERSION = f"{EDIT}.version"
_EDIT_ORIGINAL = f"{EDIT}.original"
#: "auto" takes the direction of the tie type (e.g. collaboration is undirected).
DIRECTIONS = ("auto", "directed", "undirected")

BLANK: dict[str, Any] = {
    "source_id": None,
    "tie_type_id": None,
    "target_id": None,
    "direction": "auto",
    "strength": 2,
    "valid_from": None,
    "valid_to": None,
    "source_info": "",
    "note": "",
    "tags": [],
}


def _key(form: str, name: str) -> str:
    return f"{form}.{name}"


def _values(form: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    return {_key(form, name): value for name, value in fields.items()}


def read_fields(form: str) -> dict[str, Any]:
    """The form's widget values as tie fields for the service."""
    values = {name: st.session_state.get(_key(form, name), blank) for name, blank in BLANK.items()}
    direction = values.pop("direction")
    if direction != "auto":
        values["directed"] = direction == "directed"
    values["tags"] = list(values["tags"] or [])
    return values


def _actor_select(form: str, field: str, names: Mapping[int, str]) -> None:
    key = _key(form, field)
    if st.session_state.get(key) not in names:
        st.session_state[key] = None
    st.selectbox(
        tr(f"field.{field}"),
        options=list(names),
        format_func=names.__getitem__,
        key=key,
        placeholder=tr("relationships.form.choose_actor"),
    )
    forms.field_feedback(form, field)


def tie_fields(
    form: str, program: ProgramInfo, names: Mapping[int, str], tag_choices: Sequence[str]
) -> None:
    """Draw the tie widgets of ``form`` (inside an ``st.form``), problems under each."""
    types = {t.id: label(t) for t in program.tie_types}
    cols = st.columns(3)
    with cols[0]:
        _actor_select(form, "source_id", names)
    with cols[1]:
        st.selectbox(
            tr("field.tie_type"),
            list(types),
            format_func=types.__getitem__,
            key=_key(form, "tie_type_id"),
            placeholder=tr("relationships.form.choose_type"),
        )
        forms.field_feedback(form, "tie_type_id")
    with cols[2]:
        _actor_select(form, "target_id", names)
    row = st.columns(4)
    directions = DIRECTIONS if form == ADD else DIRECTIONS[1:]
    # Names taken now, in this run's language (a lambda would be called later).
    direction_names = {v: tr(f"relationships.direction.{v}") for v in directions}
    row[0].radio(
        tr("relationships.form.direction"),
        directions,
        key=_key(form, "direction"),
        format_func=direction_names.__getitem__,
    )
    with row[1]:
        st.radio(
            tr("field.strength"),
            [1, 2, 3],
            key=_key(form, "strength"),
            format_func={v: strength_name(v) for v in (1, 2, 3)}.__getitem__,
            horizontal=True,
        )
        forms.field_feedback(form, "strength")
    for col, field in zip(row[2:], ("valid_from", "valid_to"), strict=True):
        with col:
            st.date_input(
                tr(f"field.{field}"),
                key=_key(form, field),
                format="DD/MM/YYYY",
                min_value=dt.date(1900, 1, 1),
                max_value=dt.date(2100, 12, 31),
            )
            forms.field_feedback(form, field)
    left, right = st.columns(2)
    with left:
        st.text_input(
            tr("field.source_info"),
            key=_key(form, "source_info"),
            placeholder=tr("relationships.form.source_info_placeholder"),
        )
        forms.field_feedback(form, "source_info")
        chosen = st.session_state.get(_key(form, "tags")) or []
        st.multiselect(
            tr("field.tags"),
            list(dict.fromkeys([*tag_choices, *chosen])),
            key=_key(form, "tags"),
            accept_new_options=True,
            placeholder=tr("relationships.form.tags_placeholder"),
        )
    with right:
        st.text_area(tr("field.note"), key=_key(form, "note"), height=110)
        forms.field_feedback(form, "note")


def _named(error: ActorNotFound, names: Mapping[int, str]) -> ActorNotFound:
    """The same error naming the actor the user picked instead of its number."""
    key = error.params.get("key")
    return ActorNotFound(
        **(error.params | {"key": names.get(key, key) if isinstance(key, int) else key})
    )


def add_tie_form(
    program: ProgramInfo, names: Mapping[int, str], tag_choices: Sequence[str]
) -> None:
    """A form that adds a tie; on success it empties itself and selects the new tie."""
    for key, blank in _values(ADD, BLANK).items():
        st.session_state.setdefault(key, blank)
    with st.form(ADD, border=False, enter_to_submit=False):
        tie_fields(ADD, program, names, tag_choices)
        forms.form_feedback(ADD, BLANK)
        st.form_submit_button(
            tr("relationships.add.submit"),
            key=f"{ADD}.submit",
            type="primary",
            icon=":material/add_link:",
            on_click=_add,
            args=(program.id, dict(names)),
        )


def _add(program_id: int, names: dict[int, str]) -> None:
    def save() -> str:
        fields = read_fields(ADD)
        try:
            info = relationships.add_relationship(
                context.database(), context.current_user(), program_id, fields
            )
        except ActorNotFound as error:
            raise _named(error, names) from error
        st.session_state[SELECTED] = info.id
        return tr(
            "relationships.added",
            source=names.get(info.source_id, ""),
            target=names.get(info.target_id, ""),
        )

    if forms.run_save(ADD, save):
        forms.reset_widgets(_values(ADD, BLANK | {"source_id": None, "target_id": None}))


def _tie_values(tie: Mapping[str, Any]) -> dict[str, Any]:
    fields = {name: tie.get(name) for name in BLANK if name != "direction"}
    fields["direction"] = "directed" if tie["directed"] else "undirected"
    fields["tags"] = list(tie["tags"] or ())
    for name in ("valid_from", "valid_to"):
        fields[name] = None if pd.isna(fields[name]) else fields[name]
    fields["strength"] = int(tie["strength"])
    for name in ("source_id", "target_id", "tie_type_id"):
        fields[name] = int(tie[name])
    return fields


def _changed(form: str, original: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the user changed (the original as the service sees it)."""
    before = dict(original)
    before["directed"] = before.pop("direction") == "directed"
    return {k: v for k, v in read_fields(form).items() if k in before and v != before[k]}


def edit_tie_form(
    program: ProgramInfo,
    names: Mapping[int, str],
    tie: Mapping[str, Any],
    tag_choices: Sequence[str],
) -> None:
    """Edit one tie; a save over someone else's newer change is refused and can be reloaded."""
    if st.session_state.get(_EDIT_LOADED) != int(tie["id"]):
        original = _tie_values(tie)
        loaded = _values(EDIT, original) | {
            _EDIT_VERSION: int(tie["version"]),
            _EDIT_ORIGINAL: original,
        }
        forms.load_widgets(_EDIT_LOADED, int(tie["id"]), loaded)
        forms.forget_error(EDIT)
    with st.form(EDIT, border=False, enter_to_submit=False):
        tie_fields(EDIT, program, names, tag_choices)
        forms.form_feedback(EDIT, BLANK)
        st.form_submit_button(
            tr("common.save"),
            key=f"{EDIT}.submit",
            type="primary",
            icon=":material/save:",
            on_click=_edit,
            args=(int(tie["id"]), dict(names)),
        )
    if isinstance(forms.last_error(EDIT), StaleEdit):
        st.button(
            tr("relationships.edit.reload"),
            key=f"{EDIT}.reload",
            icon=":material/refresh:",
            on_click=reload_edit_form,
        )


def _edit(tie_id: int, names: dict[int, str]) -> None:
    def save() -> str:
        changes = _changed(EDIT, st.session_state.get(_EDIT_ORIGINAL) or {})
        if not changes:
            return tr("actors.edit.nothing")
        try:
            relationships.update_relationship(
                context.database(),
                context.current_user(),
                tie_id,
                changes,
                st.session_state.get(_EDIT_VERSION),
            )
        except ActorNotFound as error:
            raise _named(error, names) from error
        return tr("relationships.saved")

    if forms.run_save(EDIT, save):
        reload_edit_form()


def reload_edit_form() -> None:
    st.session_state.pop(_EDIT_LOADED, None)
    forms.forget_error(EDIT)


def delete_controls(tie: Mapping[str, Any], description: str) -> None:
    """Delete with a confirmation; deleted ties can be restored."""
    error = forms.pop_error(DELETE)
    if error is not None:
        show_error(error)
    tie_id = int(tie["id"])
    if st.session_state.get(_ASKING) != tie_id:
        st.button(
            tr("relationships.delete.ask"),
            key=DELETE,
            icon=":material/link_off:",
            on_click=_ask,
            args=(tie_id,),
        )
        return
    with st.container(border=True, key="relationships.delete_box"):
        st.warning(
            tr("relationships.delete.confirm_text", tie=escape_markdown(description)),
            icon=":material/warning:",
        )
        cols = st.columns([1, 1, 3])
        cols[0].button(
            tr("relationships.delete.confirm"),
            key=CONFIRM,
            type="primary",
            on_click=_delete,
            args=(tie_id, description),
        )
        cols[1].button(tr("common.cancel"), key=CANCEL, on_click=_ask, args=(None,))


def _ask(tie_id: int | None) -> None:
    st.session_state[_ASKING] = tie_id


def _delete(tie_id: int, description: str) -> None:
    st.session_state[_ASKING] = None

    def save() -> str:
        relationships.delete_relationship(context.database(), context.current_user(), tie_id)
        st.session_state[SELECTED] = None
        return tr("relationships.deleted", tie=description)

    forms.run_save(DELETE, save)
