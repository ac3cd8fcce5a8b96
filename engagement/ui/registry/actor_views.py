"""Widgets of the actor registry page: filters, the table, the chooser, deleted actors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from engagement.model import ProgramInfo
from engagement.services.registry import actors
from engagement.ui import context, forms, state
from engagement.ui.feedback import show_error
from engagement.ui.fit import fitted_table
from engagement.ui.i18n import tr
from engagement.ui.tables import (
    NO_SECTOR,
    ActorFilter,
    actor_rows,
    sector_chips,
    sector_names,
    tag_options,
    territory_options,
)

SEARCH = "actors.search"
SECTORS = "actors.sectors"
TAGS = "actors.tags"
TERRITORIES = "actors.territories"
VIEW = "actors.view"
TABLE = "actors.table"
_TABLE_PICK = "actors.table_pick"
CHOOSER = "actors.chooser"
RESTORE_CHOICE = "actors.restore_choice"
RESTORE = "actors.restore"
VIEWS = ("table", "quick", "deleted")


def _keep_known(key: str, options: Sequence[Any]) -> None:
    """Drop remembered choices that this program does not have (e.g. after a switch)."""
    chosen = st.session_state.get(key)
    if isinstance(chosen, list):
        st.session_state[key] = [value for value in chosen if value in options]


def actor_filters(frame: pd.DataFrame, program: ProgramInfo) -> ActorFilter:
    """Search box and sector, tag and territory filters; they persist across pages."""
    sectors = {**sector_names(program, state.lang()), NO_SECTOR: tr("actors.no_sector")}
    tags, places = tag_options(frame), territory_options(frame)
    for key, options in ((SECTORS, list(sectors)), (TAGS, tags), (TERRITORIES, places)):
        _keep_known(key, options)
    cols = st.columns([3, 2, 2, 2])
    search = cols[0].text_input(
        tr("common.search"),
        key=SEARCH,
        placeholder=tr("actors.search_placeholder"),
        icon=":material/search:",
        persist_state="session",
    )
    chosen_sectors = cols[1].multiselect(
        tr("field.sector"), list(sectors), format_func=sectors.__getitem__, key=SECTORS,
        placeholder=tr("common.all"), persist_state="session",
    )  # fmt: skip
    chosen_tags = cols[2].multiselect(
        tr("field.tags"), tags, key=TAGS, placeholder=tr("common.all"), persist_state="session"
    )
    chosen_places = cols[3].multiselect(
        tr("field.territory"), places, key=TERRITORIES, placeholder=tr("common.all"),
        persist_state="session",
    )  # fmt: skip
    return ActorFilter(search, tuple(chosen_sectors), tuple(chosen_tags), tuple(chosen_places))


def choose_view(*, editable: bool) -> str:
    """Which list to show: the registry, quick edits (if ``editable``), or deleted actors."""
    icons = {"table": ":material/table_view:", "quick": ":material/edit_note:",
             "deleted": ":material/delete:"}  # fmt: skip
    views = VIEWS if editable else tuple(v for v in VIEWS if v != "quick")
    if st.session_state.get(VIEW) not in views:
        st.session_state[VIEW] = "table"
    chosen = st.segmented_control(
        tr("actors.view"),
        views,
        format_func={v: f"{icons[v]} {tr(f'actors.view.{v}')}" for v in views}.__getitem__,
        key=VIEW,
        required=True,
        label_visibility="collapsed",
        persist_state="session",
    )
    return str(chosen or "table")


def _column_config(program: ProgramInfo) -> dict[str, Any]:
    cc = st.column_config
    names, colours = sector_chips(program, state.lang())
    return {
        "name": cc.TextColumn(tr("field.name"), width=400, pinned=True),
        "sector": cc.MultiselectColumn(tr("field.sector"), options=names, color=colours, width=210),
        "engagement": cc.TextColumn(tr("field.engagement_current"), width=140),
        "assessed_on": cc.DateColumn(tr("actors.last_assessed"), format="DD/MM/YYYY", width=110),
        "territory": cc.TextColumn(tr("field.territory"), width=160),
        "tags": cc.ListColumn(tr("field.tags"), width=220),
        "confidentiality": cc.TextColumn(tr("field.confidentiality"), width=120),
        "last_verified": cc.DateColumn(tr("field.last_verified"), format="DD/MM/YYYY", width=110),
    }


#: The registry's columns shown at first (they fit a laptop, with room for most names
#: whole: half the demo programs' names are longer than 38 characters); the rest, the
#: territory included, behind "more columns".
MAIN_COLUMNS = ("name", "sector", "engagement", "assessed_on")


def actor_table(shown: pd.DataFrame, history: pd.DataFrame, program: ProgramInfo) -> None:
    """The registry table; clicking a row opens that actor's detail below."""
    if shown.empty:
        st.info(tr("common.no_rows"), icon=":material/filter_alt_off:")
        return
    rows = actor_rows(shown, history, program, state.lang())
    event = fitted_table(
        rows,
        _column_config(program),
        MAIN_COLUMNS,
        key=TABLE,
        on_select="rerun",
        selection_mode="single-row",
        height=min(38 + 35 * len(rows), 560),
    )
    picked = [int(rows["id"].iloc[i]) for i in event.selection.rows if i < len(rows)]
    # Follow the table only when its selection changes, so the chooser below still works.
    if picked and st.session_state.get(_TABLE_PICK) != picked[0]:
        st.session_state[state.SELECTED_ACTOR] = picked[0]
    st.session_state[_TABLE_PICK] = picked[0] if picked else None


def choose_actor(frame: pd.DataFrame) -> int | None:
    """The actor whose detail is shown: picked here or by clicking a table row."""
    names = dict(zip(frame["id"].astype(int), frame["name"], strict=True))
    remembered = st.session_state.get(state.SELECTED_ACTOR)
    st.session_state[CHOOSER] = remembered if remembered in names else None
    chosen = st.selectbox(
        tr("actors.detail.choose"),
        options=list(names),
        format_func=names.__getitem__,
        key=CHOOSER,
        placeholder=tr("actors.detail.placeholder"),
        on_change=_remember_choice,
    )
    return int(chosen) if chosen is not None else None


def _remember_choice() -> None:
    st.session_state[state.SELECTED_ACTOR] = st.session_state.get(CHOOSER)


def deleted_actors(
    deleted: pd.DataFrame,
    total: int,
    history: pd.DataFrame,
    program: ProgramInfo,
    *,
    restore: bool,
) -> None:
    """Deleted actors (``total`` before filtering), history kept, and a way to restore one."""
    st.caption(tr("actors.deleted.help"))
    if deleted.empty:
        message = "actors.deleted.none_filtered" if total else "actors.deleted.none"
        st.info(tr(message), icon=":material/delete_sweep:")
        return
    rows = actor_rows(deleted, history, program, state.lang())
    st.dataframe(
        rows,
        key="actors.deleted_table",
        column_config=_column_config(program),
        column_order=["name", "sector", "territory", "tags", "confidentiality"],
        hide_index=True,
    )
    if not restore:
        return
    names = dict(zip(deleted["id"].astype(int), deleted["name"], strict=True))
    cols = st.columns([3, 1], vertical_alignment="bottom")
    cols[0].selectbox(
        tr("actors.deleted.choose"), list(names), format_func=names.__getitem__,
        key=RESTORE_CHOICE,
    )  # fmt: skip
    cols[1].button(tr("common.restore"), key=RESTORE, icon=":material/restore_from_trash:",
                   on_click=_restore)  # fmt: skip
    error = forms.pop_error(RESTORE)
    if error is not None:
        show_error(error)


def _restore() -> None:
    actor_id = st.session_state.get(RESTORE_CHOICE)
    if actor_id is None:
        return

    def save() -> str:
        info = actors.restore_actor(context.database(), context.current_user(), int(actor_id))
        st.session_state[state.SELECTED_ACTOR] = info.id
        st.session_state[VIEW] = "table"
        return tr("actors.restored", name=info.name)

    forms.run_save(RESTORE, save)
