"""The add and edit forms of an actor, with each problem shown under its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import streamlit as st

from engagement.errors import StaleEdit
from engagement.model import ActorInfo, ProgramInfo
from engagement.services.registry import actors
from engagement.ui import context, forms, state
from engagement.ui.i18n import label, tr
from engagement.values import Confidentiality

ADD = "actors.add"
EDIT = "actors.edit"
_EDIT_LOADED = f"{EDIT}.loaded"
_EDIT_VERSION = f"{EDIT}.version"
_EDIT_ORIGINAL = f"{EDIT}.original"

#: Widgets of the form, in the order drawn, with their empty values.
BLANK: dict[str, Any] = {
    "name": "",
    "sector_id": None,
    "territory": "",
    "tags": [],
    "description": "",
    "website": "",
    "last_verified": None,
    "confidentiality": "normal",
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "consent_to_contact": False,
}


def _key(form: str, name: str) -> str:
    return f"{form}.{name}"


def _values(form: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {_key(form, name): value for name, value in fields.items()}


def read_fields(form: str) -> dict[str, Any]:
    """The form's widget values as actor fields for the service."""
    values = {name: st.session_state.get(_key(form, name), blank) for name, blank in BLANK.items()}
    values["tags"] = list(values["tags"] or [])
    return values


def actor_fields(
    form: str, program: ProgramInfo, tag_choices: Sequence[str], *, personal: bool = True
) -> None:
    """Draw the actor widgets of ``form`` (inside an ``st.form``), problems under each.

    ``personal`` is False for users who may not see contact data: those fields are left
    out of the form (and so never sent).
    """
    sectors = {s.id: label(s) for s in program.sectors}
    chosen_tags = st.session_state.get(_key(form, "tags")) or []
    tags = list(dict.fromkeys([*tag_choices, *chosen_tags]))
    left, right = st.columns(2)
    with left:
        st.text_input(tr("field.name"), key=_key(form, "name"), max_chars=200)
        forms.field_feedback(form, "name")
        st.selectbox(
            tr("field.sector"),
            options=list(sectors),
            format_func=sectors.__getitem__,
            key=_key(form, "sector_id"),
            placeholder=tr("actors.no_sector"),
        )
        forms.field_feedback(form, "sector_id")
        st.text_input(tr("field.territory"), key=_key(form, "territory"))
        forms.field_feedback(form, "territory")
        st.multiselect(
            tr("field.tags"),
            options=tags,
            key=_key(form, "tags"),
            accept_new_options=True,
            placeholder=tr("actors.form.tags_placeholder"),
        )
        forms.field_feedback(form, "tags")
    with right:
        st.text_area(tr("field.description"), key=_key(form, "description"), height=120)
        forms.field_feedback(form, "description")
        st.text_input(tr("field.website"), key=_key(form, "website"), placeholder="https://")
        forms.field_feedback(form, "website")
        cols = st.columns(2)
        with cols[0]:
            st.date_input(
                tr("field.last_verified"),
                key=_key(form, "last_verified"),
                min_value=dt.date(1900, 1, 1),
                max_value=dt.date.today(),
                format="DD/MM/YYYY",
            )
            forms.field_feedback(form, "last_verified")
        with cols[1]:
            st.radio(
                tr("field.confidentiality"),
                options=list(Confidentiality.values()),
                format_func={v: tr(f"confidentiality.{v}") for v in Confidentiality}.__getitem__,
                key=_key(form, "confidentiality"),
                horizontal=True,
                help=tr("actors.form.confidentiality_help"),
            )
            forms.field_feedback(form, "confidentiality")
    if personal:
        _personal_fields(form)


def _personal_fields(form: str) -> None:
    st.markdown(f"**{tr('actors.personal.title')}**")
    st.caption(tr("actors.personal.form_help"))
    cols = st.columns(3)
    for col, name in zip(cols, ("contact_name", "contact_email", "contact_phone"), strict=True):
        with col:
            st.text_input(tr(f"field.{name}"), key=_key(form, name))
            forms.field_feedback(form, name)
    st.checkbox(tr("field.consent_to_contact"), key=_key(form, "consent_to_contact"))


def add_actor_form(program: ProgramInfo, tag_choices: Sequence[str], *, personal: bool) -> None:
    """A form that adds an actor; on success it empties itself and selects the new actor."""
    for key, blank in _values(ADD, BLANK).items():
        st.session_state.setdefault(key, blank)
    with st.form(ADD, border=False, enter_to_submit=False):
        actor_fields(ADD, program, tag_choices, personal=personal)
        forms.form_feedback(ADD, BLANK)
        st.form_submit_button(
            tr("actors.add.submit"),
            key=f"{ADD}.submit",
            type="primary",
            icon=":material/person_add:",
            on_click=_add,
            args=(program.id,),
        )


def _add(program_id: int) -> None:
    def save() -> str:
        fields = read_fields(ADD)
        info = actors.add_actor(context.database(), context.current_user(), program_id, fields)
        st.session_state[state.SELECTED_ACTOR] = info.id
        return tr("actors.added", name=info.name)

    if forms.run_save(ADD, save):
        forms.reset_widgets(_values(ADD, BLANK))


def _actor_fields(actor: ActorInfo) -> dict[str, Any]:
    fields = {name: getattr(actor, name) for name in BLANK}
    fields["tags"] = list(actor.tags)
    return fields


def changed_fields(form: str, original: dict[str, Any]) -> dict[str, Any]:
    """Only what the user changed, so that fields they were not shown (or did not touch)
    are never overwritten."""
    return {k: v for k, v in read_fields(form).items() if k in original and v != original[k]}


def edit_actor_form(
    program: ProgramInfo, actor: ActorInfo, tag_choices: Sequence[str], *, personal: bool
) -> None:
    """Edit one actor. The form keeps the version it was loaded from, so a save over
    someone else's newer change is refused with who and when, and can be reloaded."""
    if st.session_state.get(_EDIT_LOADED) != actor.id:
        original = _actor_fields(actor)
        values = _values(EDIT, original) | {_EDIT_VERSION: actor.version, _EDIT_ORIGINAL: original}
        forms.load_widgets(_EDIT_LOADED, actor.id, values)
        forms.forget_error(EDIT)
    with st.form(EDIT, border=False, enter_to_submit=False):
        actor_fields(EDIT, program, tag_choices, personal=personal)
        forms.form_feedback(EDIT, BLANK)
        st.form_submit_button(
            tr("common.save"),
            key=f"{EDIT}.submit",
            type="primary",
            icon=":material/save:",
            on_click=_edit,
            args=(actor.id,),
        )
    if isinstance(forms.last_error(EDIT), StaleEdit):
        st.button(
            tr("actors.edit.reload"),
            key=f"{EDIT}.reload",
            icon=":material/refresh:",
            on_click=reload_edit_form,
        )


def _edit(actor_id: int) -> None:
    def save() -> str:
        changes = changed_fields(EDIT, st.session_state.get(_EDIT_ORIGINAL) or {})
        if not changes:
            return tr("actors.edit.nothing")
        info = actors.update_actor(
            context.database(),
            context.current_user(),
            actor_id,
            changes,
            st.session_state.get(_EDIT_VERSION),
        )
        return tr("actors.saved", name=info.name)

    if forms.run_save(EDIT, save):
        reload_edit_form()


def reload_edit_form() -> None:
    """Load the actor's stored values into the edit form on the next run."""
    st.session_state.pop(_EDIT_LOADED, None)
    forms.forget_error(EDIT)
