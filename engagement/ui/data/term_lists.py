"""Editors for a program's ordered lists: stages, sectors, tie types, activity types.

Each list shows its entries in order; one entry at a time can be renamed (both languages
and its other names), moved up or down, or removed (refused while anything uses it). New
entries go at the end. Every change is a service call made in a button callback.
"""

from __future__ import annotations

from typing import Any, get_args

import pandas as pd
import streamlit as st

from engagement.errors import InUse
from engagement.model import ProgramInfo, Term
from engagement.services.registry import terms
from engagement.text import split_multi
from engagement.ui import context, state
from engagement.ui.data.settings_forms import (
    field_problems,
    form_problems,
    key,
    last_error,
    read_widgets,
    run_save,
    set_widgets,
)
from engagement.ui.i18n import tr

#: The lists, in the order the page shows them, and where ProgramInfo holds each.
KINDS: dict[terms.Kind, str] = {
    "stage": "stages",
    "sector": "sectors",
    "tie_type": "tie_types",
    "activity_type": "activity_types",
}
assert set(KINDS) == set(get_args(terms.Kind))
_FLAGS: dict[str, tuple[str, ...]] = {
    "tie_type": ("negative", "directed"),
    "activity_type": ("forum",),
}
_FLAG_LABELS = {
    "negative": "field.negative",
    "directed": "field.directed",
    "forum": "settings.forum",
}


def entries(program: ProgramInfo, kind: terms.Kind) -> tuple[Term, ...]:
    found: tuple[Term, ...] = getattr(program, KINDS[kind])
    return found


def overview(program: ProgramInfo, kind: terms.Kind) -> pd.DataFrame:
    """The list as a table: position, both names, other names (and flags)."""
    yes, no = tr("common.yes"), tr("common.no")
    rows = []
    for position, term in enumerate(entries(program, kind), start=1):
        row: dict[str, Any] = {
            "#": position,
            tr("field.label_es"): term.label_es,
            tr("field.label_en"): term.label_en,
            tr("settings.terms.aliases"): " | ".join(term.aliases),
        }
        for flag in _FLAGS.get(kind, ()):
            row[tr(_FLAG_LABELS[flag])] = yes if getattr(term, flag) else no
        if kind == "stage":
            closed = term.closed_on
            row[tr("settings.terms.closed_on")] = f"{closed:%d/%m/%Y}" if closed else ""
        rows.append(row)
    return pd.DataFrame(rows)


def term_list_editor(program: ProgramInfo, kind: terms.Kind, editable: bool) -> None:
    """The whole editor of one list."""
    st.caption(tr(f"settings.terms.{kind}.intro"))
    listed = entries(program, kind)
    st.dataframe(
        overview(program, kind),
        hide_index=True,
        width="stretch",
        height=35 * (len(listed) + 1) + 3,  # every entry, no inner scrolling
    )
    if not editable:
        return
    _notice(kind)
    names = {term.id: f"{i}. {term.label(state.lang())}" for i, term in enumerate(listed, 1)}
    chosen_key = key(f"settings.{kind}", "chosen")
    if st.session_state.get(chosen_key) not in names:
        st.session_state.pop(chosen_key, None)
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"**{tr('settings.terms.edit')}**")
        if names:
            chosen = st.selectbox(
                tr("settings.terms.chosen"),
                options=list(names),
                format_func=names.__getitem__,
                key=chosen_key,
            )
            term = next(t for t in listed if t.id == chosen)
            _edit_form(program, kind, term)
            _order_buttons(program, kind, term, listed)
    with right:
        st.markdown(f"**{tr('settings.terms.add')}**")
        _add_form(program, kind)


def _save(kind: str, form: str, action: Any) -> None:
    """Run a list change; its message is shown next to the list, not at the page top."""

    def save() -> None:
        message = action()
        st.session_state[key(f"settings.{kind}", "done")] = message

    run_save(form, save)


def _notice(kind: str) -> None:
    """What the last move or removal did, right above the editor."""
    done = st.session_state.pop(key(f"settings.{kind}", "done"), None)
    if isinstance(done, str):
        st.success(done, icon=":material/check:")
    form = f"settings.{kind}.order"
    error = last_error(form)
    if isinstance(error, InUse):
        st.error(_in_use_text(kind, error), icon=":material/block:")
    elif error is not None:
        form_problems(form, ())
    st.session_state.pop(key(form, "error"), None)  # shown once, not after the next click


def _in_use_text(kind: str, error: InUse) -> str:
    count = int(error.params.get("count", 0))
    name = str(error.params.get("name", ""))
    if kind == "stage" and count == 0:
        return tr("settings.in_use.last_stage", name=name)
    return tr(f"settings.in_use.{kind}", name=name, count=count)


def _edit_form(program: ProgramInfo, kind: terms.Kind, term: Term) -> None:
    form = f"settings.{kind}.edit"
    flags = _FLAGS.get(kind, ())
    marker = key(form, "loaded")
    dropped = key(form, "label_es") not in st.session_state  # after a visit elsewhere
    if dropped or st.session_state.get(marker) != (term.id, program.data_version):
        values: dict[str, Any] = {
            "label_es": term.label_es,
            "label_en": term.label_en,
            "aliases": " | ".join(term.aliases),
        }
        set_widgets(form, values | {flag: getattr(term, flag) for flag in flags})
        if (st.session_state.get(marker) or (None,))[0] != term.id:
            st.session_state.pop(key(form, "error"), None)  # about the entry left behind
        st.session_state[marker] = (term.id, program.data_version)
    with st.form(form, border=True, enter_to_submit=False):
        _name_fields(form, flags)
        st.text_input(
            tr("settings.terms.aliases"),
            key=key(form, "aliases"),
            help=tr("settings.terms.aliases.help"),
        )
        field_problems(form, "aliases")
        st.form_submit_button(
            tr("settings.terms.rename"),
            icon=":material/edit:",
            on_click=_rename,
            args=(program.id, kind, term.id),
            key=key(form, "submit"),
        )
    form_problems(form, ("label_es", "label_en", "aliases", "name"))


def _name_fields(form: str, flags: tuple[str, ...]) -> None:
    st.text_input(tr("field.label_es"), key=key(form, "label_es"), max_chars=200)
    field_problems(form, "label_es", "name")
    st.text_input(
        tr("field.label_en"),
        key=key(form, "label_en"),
        max_chars=200,
        help=tr("settings.terms.label_en.help"),
    )
    field_problems(form, "label_en")
    for flag in flags:
        st.checkbox(tr(_FLAG_LABELS[flag]), key=key(form, flag))


def _rename(program_id: int, kind: terms.Kind, term_id: int) -> None:
    form = f"settings.{kind}.edit"
    values = read_widgets(form, ("label_es", "label_en", "aliases", *_FLAGS.get(kind, ())))
    user = context.current_user()

    def save() -> str:
        saved = terms.update_term(
            context.database(),
            user,
            program_id,
            kind,
            term_id,
            label_es=str(values.pop("label_es") or ""),
            label_en=str(values.pop("label_en") or ""),
            aliases=split_multi(str(values.pop("aliases") or "")),
            **{flag: bool(value) for flag, value in values.items()},
        )
        return tr("settings.terms.renamed", name=saved.label(state.lang()))

    _save(kind, form, save)


def _order_buttons(
    program: ProgramInfo, kind: terms.Kind, term: Term, listed: tuple[Term, ...]
) -> None:
    index = [t.id for t in listed].index(term.id)
    form = f"settings.{kind}.order"
    up, down, remove = st.columns(3)
    up.button(
        tr("settings.terms.up"),
        icon=":material/arrow_upward:",
        disabled=index == 0,
        on_click=_move,
        args=(program.id, kind, term.id, -1),
        key=key(form, "up"),
        width="stretch",
    )
    down.button(
        tr("settings.terms.down"),
        icon=":material/arrow_downward:",
        disabled=index == len(listed) - 1,
        on_click=_move,
        args=(program.id, kind, term.id, 1),
        key=key(form, "down"),
        width="stretch",
    )
    with remove.popover(tr("settings.terms.remove"), icon=":material/delete:", width="stretch"):
        st.write(tr("settings.terms.remove.confirm", name=term.label(state.lang())))
        st.button(
            tr("settings.terms.remove.yes"),
            type="primary",
            on_click=_remove,
            args=(program.id, kind, term.id, term.label(state.lang())),
            key=key(form, "remove"),
        )


def _move(program_id: int, kind: terms.Kind, term_id: int, offset: int) -> None:
    user = context.current_user()

    def save() -> str:
        terms.move_term(context.database(), user, program_id, kind, term_id, offset)
        return tr("settings.terms.moved")

    _save(kind, f"settings.{kind}.order", save)


def _remove(program_id: int, kind: terms.Kind, term_id: int, name: str) -> None:
    user = context.current_user()

    def save() -> str:
        terms.remove_term(context.database(), user, program_id, kind, term_id)
        st.session_state.pop(key(f"settings.{kind}", "chosen"), None)
        return tr("settings.terms.removed", name=name)

    _save(kind, f"settings.{kind}.order", save)


def _add_form(program: ProgramInfo, kind: terms.Kind) -> None:
    form = f"settings.{kind}.add"
    flags = _FLAGS.get(kind, ())
    defaults = {"label_es": "", "label_en": "", "negative": False, "directed": True, "forum": False}
    for field in ("label_es", "label_en", *flags):
        st.session_state.setdefault(key(form, field), defaults[field])
    with st.form(form, border=True, enter_to_submit=False):
        _name_fields(form, flags)
        st.form_submit_button(
            tr("common.add"),
            icon=":material/add:",
            on_click=_add,
            args=(program.id, kind),
            key=key(form, "submit"),
        )
    form_problems(form, ("label_es", "label_en", "name"))


def _add(program_id: int, kind: terms.Kind) -> None:
    form = f"settings.{kind}.add"
    flags = _FLAGS.get(kind, ())
    values = read_widgets(form, ("label_es", "label_en", *flags))
    user = context.current_user()

    def save() -> str:
        added = terms.add_term(
            context.database(),
            user,
            program_id,
            kind,
            str(values.pop("label_es") or ""),
            str(values.pop("label_en") or ""),
            **{flag: bool(value) for flag, value in values.items()},
        )
        set_widgets(form, {"label_es": "", "label_en": ""})
        st.session_state[key(f"settings.{kind}", "chosen")] = added.id
        return tr("settings.terms.added", name=added.label(state.lang()))

    _save(kind, form, save)
