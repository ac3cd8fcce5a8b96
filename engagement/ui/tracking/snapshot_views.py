"""Snapshots: take one, close a stage (which takes one), list them, compare two (or one
with now) as tables and as a movement chart on the power/interest grid."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from engagement.analysis import grid
from engagement.analysis.movement import MEASURES, Comparison, coalition_frame
from engagement.charts import grid as grid_charts
from engagement.frameworks import EngagementLevel
from engagement.model import ProgramInfo
from engagement.services.tracking import snapshots
from engagement.tracking import SnapshotInfo
from engagement.ui import context, forms, state
from engagement.ui.coalition.grid_chart import program_sector_colours, sector_names
from engagement.ui.i18n import label, tr
from engagement.ui.tracking.activity_forms import on_save

TAKE = "snapshots.take"
CLOSE = "snapshots.close"
BEFORE, AFTER = "snapshots.before", "snapshots.after"
NOW = 0


def take_form(program_id: int) -> None:
    def save() -> str:
        name = st.session_state.get(f"{TAKE}.name") or ""
        note = st.session_state.get(f"{TAKE}.note") or ""
        snapshots.take_snapshot(
            context.database(), context.current_user(), program_id, name, note=note
        )
        forms.reset_widgets({f"{TAKE}.name": "", f"{TAKE}.note": ""})
        return tr("snapshots.taken", name=name.strip())

    with st.form(TAKE, enter_to_submit=False):
        st.text_input(
            tr("snapshots.name"), key=f"{TAKE}.name", placeholder=tr("snapshots.name_hint")
        )
        forms.field_feedback(TAKE, "name")
        st.text_area(tr("field.note"), key=f"{TAKE}.note", height=70)
        forms.form_feedback(TAKE, ("name",))
        st.form_submit_button(
            tr("snapshots.take"),
            type="primary",
            icon=":material/photo_camera:",
            on_click=on_save(TAKE, save),
        )


def close_form(program: ProgramInfo) -> None:
    """Close a stage on a date; a snapshot named after it is taken at once."""
    open_stages = {s.id: label(s) for s in program.stages if s.closed_on is None}
    if not open_stages:
        st.caption(tr("snapshots.all_closed"))
        return

    def save() -> str:
        stage_id = int(st.session_state[f"{CLOSE}.stage_id"])
        day = st.session_state.get(f"{CLOSE}.closed_on") or dt.date.today()
        name = tr("snapshots.close_name", stage=open_stages[stage_id], date=f"{day:%d/%m/%Y}")
        snapshots.close_stage(
            context.database(), context.current_user(), program.id, stage_id, day, name
        )
        return tr("snapshots.closed", stage=open_stages[stage_id], name=name)

    with st.form(CLOSE, enter_to_submit=False):
        a, b = st.columns(2)
        a.selectbox(
            tr("field.stage"),
            list(open_stages),
            format_func=open_stages.__getitem__,
            key=f"{CLOSE}.stage_id",
        )
        b.date_input(
            tr("field.closed_on"),
            value=dt.date.today(),
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            key=f"{CLOSE}.closed_on",
        )
        forms.form_feedback(CLOSE, ())
        st.form_submit_button(
            tr("snapshots.close"), icon=":material/flag:", on_click=on_save(CLOSE, save)
        )


def snapshot_table(found: list[SnapshotInfo], program: ProgramInfo) -> None:
    stages = {s.id: label(s) for s in program.stages}
    view = pd.DataFrame(
        {
            tr("snapshots.name"): [s.name for s in found],
            tr("snapshots.taken_at"): [s.taken_at for s in found],
            tr("snapshots.taken_by"): [s.taken_by for s in found],
            tr("snapshots.stage_closed"): [
                stages.get(s.stage_id or -1, "") if s.stage_closed else "" for s in found
            ],
            tr("snapshots.actors"): [s.actors for s in found],
            tr("snapshots.ties"): [s.ties for s in found],
            tr("field.note"): [s.note for s in found],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        key="snapshots.table",
        column_config={
            tr("snapshots.taken_at"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")
        },
    )


def snapshot_label(snapshot: SnapshotInfo) -> str:
    """The name with the day it was taken, unless the name already says it (stage closes)."""
    day = f"{snapshot.taken_at:%d/%m/%Y}"
    return snapshot.name if day in snapshot.name else f"{snapshot.name} ({day})"


def choose_pair(found: list[SnapshotInfo]) -> tuple[int, int | None]:
    names = {s.id: snapshot_label(s) for s in found}
    after_names = {NOW: tr("snapshots.now"), **names}
    a, b = st.columns(2)
    before = a.selectbox(
        tr("snapshots.before"),
        list(names),
        format_func=names.__getitem__,
        index=min(1, len(names) - 1) if len(names) > 1 else 0,
        key=BEFORE,
    )
    after = b.selectbox(
        tr("snapshots.after"), list(after_names), format_func=after_names.__getitem__, key=AFTER
    )
    return int(before), (None if after == NOW else int(after))


def counts_row(found: Comparison) -> None:
    counts = found.counts()
    keys = (
        "quadrant_changed",
        "salience_changed",
        "engagement_changed",
        "actors_added",
        "ties_added",
        "ties_removed",
    )
    # Three to a row: six side by side would cut their names at a laptop's width.
    for row in (keys[:3], keys[3:]):
        for col, key in zip(st.columns(len(row)), row, strict=True):
            col.metric(tr(f"snapshots.count.{key}"), counts[key])


def movement_chart(
    program: ProgramInfo, before: dict[str, object], after: dict[str, object]
) -> None:
    threshold = program.power_threshold
    moves = grid.movement(coalition_frame(before), coalition_frame(after), threshold)
    if moves.empty:
        st.info(tr("snapshots.no_assessed"), icon=":material/info:")
        return
    figure = grid_charts.movement_figure(
        moves,
        threshold=threshold,
        lang=state.lang(),
        sector_names=sector_names(program),
        sector_colours=program_sector_colours(program),
    )
    st.plotly_chart(
        figure,
        key="snapshots.movement",
        theme=None,
        config=grid_charts.chart_config(tr("snapshots.png_filename")),
    )


def _names(value: object, prefix: str) -> str:
    return tr(f"{prefix}.{value}") if isinstance(value, str) and value else "—"


def moved_table(found: Comparison) -> None:
    moved = found.moved
    if moved.empty:
        st.caption(tr("snapshots.nobody_moved"))
        return

    def level(value: Any) -> str:
        return "—" if value is None or pd.isna(value) else tr(EngagementLevel(int(value)).key)

    view = pd.DataFrame(
        {
            tr("field.actor"): moved["name"],
            tr("snapshots.quadrant"): [
                f"{_names(a, 'quadrant')} → {_names(b, 'quadrant')}"
                for a, b in zip(moved["quadrant_before"], moved["quadrant_after"], strict=True)
            ],
            tr("snapshots.salience"): [
                f"{_names(a, 'salience')} → {_names(b, 'salience')}"
                for a, b in zip(moved["salience_before"], moved["salience_after"], strict=True)
            ],
            tr("snapshots.engagement"): [
                f"{level(a)} → {level(b)}"
                for a, b in zip(moved["engagement_before"], moved["engagement_after"], strict=True)
            ],
        }
    )
    st.dataframe(view, hide_index=True, key="snapshots.moved")


def measures_table(found: Comparison) -> None:
    if found.measures.empty:
        st.caption(tr("snapshots.no_measure_changes"))
        return
    columns = {"name": tr("field.actor")} | {
        f"{m}_change": tr(f"snapshots.measure.{m}") for m in MEASURES
    }
    view = found.measures[list(columns)].rename(columns=columns)
    st.dataframe(
        view,
        hide_index=True,
        key="snapshots.measures",
        column_config={
            c: st.column_config.NumberColumn(format="%+.3f") for c in list(columns.values())[1:]
        },
    )


def ties_tables(found: Comparison, program: ProgramInfo) -> None:
    types = {t.key: label(t) for t in program.tie_types}
    for name, frame in (("added", found.ties_added), ("removed", found.ties_removed)):
        st.markdown(f"**{tr(f'snapshots.ties_{name}', count=len(frame))}**")
        if frame.empty:
            continue
        view = pd.DataFrame(
            {
                tr("snapshots.from"): frame["source_name"],
                tr("snapshots.to"): frame["target_name"],
                tr("snapshots.tie_type"): [types.get(k, k) for k in frame["tie_type"]],
            }
        )
        st.dataframe(view, hide_index=True, key=f"snapshots.ties_{name}")


def delete_form(found: list[SnapshotInfo]) -> None:
    names = {s.id: s.name for s in found}
    chosen = st.selectbox(
        tr("snapshots.delete_which"),
        list(names),
        format_func=names.__getitem__,
        key="snapshots.delete_id",
    )
    sure = st.checkbox(tr("snapshots.delete_confirm"), key="snapshots.delete_sure")

    def delete() -> str:
        snapshots.delete_snapshot(context.database(), context.current_user(), int(chosen))
        return tr("snapshots.deleted", name=names[int(chosen)])

    st.button(
        tr("common.delete"),
        key="snapshots.delete",
        icon=":material/delete:",
        disabled=not sure,
        on_click=on_save("snapshots.delete", delete),
    )
    forms.form_feedback("snapshots.delete", ())
