"""Widgets of the tie registry page: filters, the table, the chooser, deleted ties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from engagement.model import ProgramInfo
from engagement.palette import TOL_MUTED
from engagement.services.registry import relationships
from engagement.ui import context, forms, state
from engagement.ui.feedback import show_error
from engagement.ui.fit import fitted_table
from engagement.ui.i18n import label, tr
from engagement.ui.tables import TieFilter, sector_colour_by_id, tie_labels, tie_rows

TYPES = "relationships.types"
ACTORS = "relationships.actors"
STRENGTHS = "relationships.strengths"
ON_DATE = "relationships.on_date"
SHOW_DELETED = "relationships.show_deleted"
TABLE = "relationships.table"
CHOOSER = "relationships.chooser"
SELECTED = "relationships.selected"
RESTORE_CHOICE = "relationships.restore_choice"
RESTORE = "relationships.restore"
_TABLE_PICK = "relationships.table_pick"
#: Negative ties (conflict) are marked in Tol's vibrant red, as on the maps.
NEGATIVE_COLOUR = "#CC3311"


def strength_name(value: int) -> str:
    return tr(f"relationships.strength.{int(value)}")


def _keep_known(key: str, options: Sequence[Any]) -> None:
    chosen = st.session_state.get(key)
    if isinstance(chosen, list):
        st.session_state[key] = [value for value in chosen if value in options]


def tie_filters(program: ProgramInfo, registry: pd.DataFrame) -> tuple[TieFilter, bool]:
    """Type, actor, strength and date filters, and whether to list deleted ties."""
    types = {t.id: label(t) for t in program.tie_types}
    names = dict(zip(registry["id"].astype(int), registry["name"], strict=True))
    _keep_known(TYPES, list(types))
    _keep_known(ACTORS, list(names))
    cols = st.columns([2, 3, 3, 2])
    chosen_types = cols[0].multiselect(
        tr("field.tie_type"),
        list(types),
        format_func=types.__getitem__,
        key=TYPES,
        placeholder=tr("common.all"),
        persist_state="session",
    )
    chosen_actors = cols[1].multiselect(
        tr("relationships.filter.actors"),
        list(names),
        format_func=names.__getitem__,
        key=ACTORS,
        placeholder=tr("common.all"),
        persist_state="session",
        help=tr("relationships.filter.actors_help"),
    )
    strengths = cols[2].pills(
        tr("field.strength"),
        [1, 2, 3],
        selection_mode="multi",
        format_func={v: strength_name(v) for v in (1, 2, 3)}.__getitem__,
        key=STRENGTHS,
        persist_state="session",
    )
    on_date = cols[3].date_input(
        tr("relationships.filter.on_date"),
        value=None,
        key=ON_DATE,
        format="DD/MM/YYYY",
        min_value=dt.date(1900, 1, 1),
        max_value=dt.date(2100, 12, 31),
        help=tr("relationships.filter.on_date_help"),
        persist_state="session",
    )
    show_deleted = st.toggle(
        tr("relationships.filter.show_deleted"), key=SHOW_DELETED, persist_state="session"
    )
    wanted = TieFilter(
        tie_types=tuple(chosen_types),
        actors=tuple(chosen_actors),
        strengths=tuple(strengths or ()),
        on_date=on_date if isinstance(on_date, dt.date) else None,
    )
    return wanted, bool(show_deleted)


def _chips(program: ProgramInfo, registry: pd.DataFrame) -> dict[str, Any]:
    """Column settings: actors as chips in their sector's colour, conflict ties in red."""
    by_sector = sector_colour_by_id(program)
    actor_colours = [
        "#BBBBBB" if pd.isna(s) else by_sector.get(int(s), "#BBBBBB") for s in registry["sector_id"]
    ]
    names = registry["name"].tolist()
    types = [label(t) for t in program.tie_types]
    type_colours = [NEGATIVE_COLOUR if t.negative else TOL_MUTED[10] for t in program.tie_types]
    cc = st.column_config
    return {
        "source": cc.MultiselectColumn(
            tr("field.source"), options=names, color=actor_colours, width=240, pinned=True
        ),
        "direction": cc.TextColumn("", width=40, help=tr("relationships.direction_help")),
        "tie_type": cc.MultiselectColumn(
            tr("field.tie_type"), options=types, color=type_colours, width=170
        ),
        "target": cc.MultiselectColumn(
            tr("field.target"), options=names, color=actor_colours, width=240
        ),
        "strength": cc.TextColumn(tr("field.strength"), width=100),
        "valid_from": cc.DateColumn(tr("field.valid_from"), format="DD/MM/YYYY", width=100),
        "valid_to": cc.DateColumn(tr("field.valid_to"), format="DD/MM/YYYY", width=100),
        "source_info": cc.TextColumn(tr("field.source_info"), width=200),
        "note": cc.TextColumn(tr("field.note"), width=240),
    }


#: The tie table's columns shown at first (they fit a laptop); the rest behind "more".
MAIN_COLUMNS = ("source", "direction", "tie_type", "target", "strength")


def _display(shown: pd.DataFrame, program: ProgramInfo) -> pd.DataFrame:
    rows = tie_rows(shown, program, state.lang(), chips=True)
    names = {level: strength_name(level) for level in (1, 2, 3)}
    return rows.assign(strength=rows["strength"].map(names))


def tie_table(shown: pd.DataFrame, program: ProgramInfo, registry: pd.DataFrame) -> None:
    """The tie table; clicking a row opens that tie for editing below."""
    if shown.empty:
        st.info(tr("common.no_rows"), icon=":material/filter_alt_off:")
        return
    rows = _display(shown, program)
    config = _chips(program, registry)
    event = fitted_table(
        rows,
        config,
        MAIN_COLUMNS,
        key=TABLE,
        on_select="rerun",
        selection_mode="single-row",
        height=min(38 + 35 * len(rows), 560),
    )
    picked = [int(rows["id"].iloc[i]) for i in event.selection.rows if i < len(rows)]
    # Follow the table only when its selection changes, so the chooser below still works.
    if picked and st.session_state.get(_TABLE_PICK) != picked[0]:
        st.session_state[SELECTED] = picked[0]
    st.session_state[_TABLE_PICK] = picked[0] if picked else None


def choose_tie(shown: pd.DataFrame, ties: pd.DataFrame, program: ProgramInfo) -> int | None:
    """The tie shown for editing: picked here among the ``shown`` (filtered) ties, or by
    clicking a table row; a tie chosen before stays chosen while it exists."""
    remembered = st.session_state.get(SELECTED)
    listed = ties[ties["id"].isin(shown["id"]) | (ties["id"] == remembered)]
    labels = tie_labels(listed, program, state.lang())
    st.session_state[CHOOSER] = remembered if remembered in labels else None
    chosen = st.selectbox(
        tr("relationships.choose"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=CHOOSER,
        placeholder=tr("relationships.choose_placeholder"),
        on_change=_remember_choice,
    )
    return int(chosen) if chosen is not None else None


def _remember_choice() -> None:
    st.session_state[SELECTED] = st.session_state.get(CHOOSER)


def deleted_ties(
    deleted: pd.DataFrame,
    total: int,
    program: ProgramInfo,
    registry: pd.DataFrame,
    *,
    restore: bool,
) -> None:
    """Deleted ties between live actors (``total`` before filtering), and restore."""
    st.caption(tr("relationships.deleted.help"))
    error = forms.pop_error(RESTORE)
    if error is not None:
        show_error(error)
    if deleted.empty:
        message = "relationships.deleted.none_filtered" if total else "relationships.deleted.none"
        st.info(tr(message), icon=":material/delete_sweep:")
        return
    rows = _display(deleted, program)
    config = _chips(program, registry)
    fitted_table(rows, config, MAIN_COLUMNS, key=f"{TABLE}.deleted")
    if not restore:
        return
    lang = state.lang()
    labels = tie_labels(deleted, program, lang)
    cols = st.columns([3, 1], vertical_alignment="bottom")
    cols[0].selectbox(
        tr("relationships.deleted.choose"),
        list(labels),
        format_func=labels.__getitem__,
        key=RESTORE_CHOICE,
    )
    cols[1].button(
        tr("common.restore"),
        key=RESTORE,
        icon=":material/restore_from_trash:",
        on_click=_restore,
        args=(labels,),
    )


def tie_facts(tie: Mapping[str, Any]) -> None:
    """A read-only summary of one tie, for users who may not edit it."""

    def day(value: Any) -> str:
        return "—" if value is None or pd.isna(value) else f"{value:%d/%m/%Y}"

    facts = {
        tr("field.strength"): strength_name(int(tie["strength"])),
        tr("field.valid_from"): day(tie["valid_from"]),
        tr("field.valid_to"): day(tie["valid_to"]),
        tr("field.source_info"): tie["source_info"] or "—",
        tr("field.note"): tie["note"] or "—",
        tr("field.tags"): ", ".join(tie["tags"] or ()) or "—",
    }
    st.dataframe(
        pd.DataFrame({"field": list(facts), "value": list(facts.values())}),
        hide_index=True,
        column_config={"field": tr("actors.detail.field"), "value": tr("actors.detail.value")},
    )


def _restore(labels: dict[int, str]) -> None:
    tie_id = st.session_state.get(RESTORE_CHOICE)
    if tie_id is None:
        return

    def save() -> str:
        relationships.restore_relationship(context.database(), context.current_user(), tie_id)
        st.session_state[SELECTED] = tie_id
        st.session_state[SHOW_DELETED] = False
        return tr("relationships.restored", tie=labels.get(tie_id, ""))

    forms.run_save(RESTORE, save)
