"""The activity list, one activity's detail, its follow-up tasks and its deletion."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from engagement.frameworks import ParticipationLevel
from engagement.model import ProgramInfo
from engagement.services.tracking import activities, tasks
from engagement.text import name_key
from engagement.tracking import ActivityInfo, TaskInput
from engagement.ui import context, forms
from engagement.ui.editor_state import edited_rows
from engagement.ui.fit import fitted_table
from engagement.ui.i18n import label, tr
from engagement.ui.markup import escape_markdown
from engagement.ui.tracking.activity_forms import as_date, on_save
from engagement.values import TaskStatus

SELECTED = "activities.selected"
TASKS = "activities.tasks"


def filters(program: ProgramInfo) -> tuple[str, list[int], list[int]]:
    a, b, c = st.columns([2, 2, 2])
    search = a.text_input(tr("common.search"), key="activities.search")
    types = {t.id: label(t) for t in program.activity_types}
    stages = {s.id: label(s) for s in program.stages}
    kinds = b.multiselect(
        tr("field.activity_type"),
        list(types),
        format_func=types.__getitem__,
        key="activities.types",
        placeholder=tr("common.all"),
    )
    chosen = c.multiselect(
        tr("field.stage"),
        list(stages),
        format_func=stages.__getitem__,
        key="activities.stages",
        placeholder=tr("common.all"),
    )
    return search, kinds, chosen


def filtered(frame: pd.DataFrame, search: str, kinds: list[int], stages: list[int]) -> pd.DataFrame:
    shown = frame
    if search.strip():
        wanted = name_key(search)
        shown = shown[[wanted in name_key(t) for t in shown["title"]]]
    if kinds:
        shown = shown[shown["activity_type_id"].isin(kinds)]
    if stages:
        shown = shown[shown["stage_id"].isin(stages)]
    return shown


def _level(value: Any) -> str:
    return "" if value is None or pd.isna(value) else tr(ParticipationLevel(int(value)).key)


def activity_table(frame: pd.DataFrame, program: ProgramInfo) -> None:
    types = {t.id: label(t) for t in program.activity_types}
    stages = {s.id: label(s) for s in program.stages}
    view = pd.DataFrame(
        {
            tr("field.held_on"): frame["held_on"],
            tr("field.title"): frame["title"],
            tr("field.activity_type"): [types.get(int(i), "") for i in frame["activity_type_id"]],
            tr("field.stage"): [stages.get(int(i), "") for i in frame["stage_id"]],
            tr("field.headcount"): frame["headcount"],
            tr("tracking.list.attendees"): frame["attendees"],
            tr("field.participation_reached"): [_level(v) for v in frame["participation_reached"]],
        }
    )
    cc = st.column_config
    config = {
        tr("field.held_on"): cc.DateColumn(format="DD/MM/YYYY", width=100),
        tr("field.title"): cc.TextColumn(width=310, pinned=True),
        tr("field.activity_type"): cc.TextColumn(width=150),
        tr("field.stage"): cc.TextColumn(width=165),
        tr("field.headcount"): cc.NumberColumn(width=125),  # the whole "Headcount (total)"
        tr("tracking.list.attendees"): cc.NumberColumn(width=110),
        tr("field.participation_reached"): cc.TextColumn(width=170),
    }
    fitted_table(view, config, list(config)[:5], key="activities.table")


def choose_activity(frame: pd.DataFrame) -> int | None:
    options = [int(i) for i in frame["id"]]
    names = {
        int(i): f"{d:%d/%m/%Y} · {t}"
        for i, d, t in zip(frame["id"], frame["held_on"], frame["title"], strict=True)
    }
    if st.session_state.get(SELECTED) not in names:
        st.session_state[SELECTED] = None
    return st.selectbox(
        tr("tracking.list.choose"),
        options,
        format_func=names.__getitem__,
        index=None,
        key=SELECTED,
        placeholder=tr("tracking.list.choose_placeholder"),
    )


def detail(info: ActivityInfo, program: ProgramInfo, names: dict[int, str]) -> None:
    kind = next((label(t) for t in program.activity_types if t.id == info.activity_type_id), "")
    stage = label(program.stage(info.stage_id))
    st.subheader(escape_markdown(info.title))
    when = f"{info.held_on:%d/%m/%Y}"
    if info.start_time:
        when += f" {info.start_time:%H:%M}" + (f"–{info.end_time:%H:%M}" if info.end_time else "")
    st.caption(" · ".join(escape_markdown(p) for p in (kind, stage, when, info.place) if p))
    cols = st.columns(3)
    cols[0].metric(tr("field.headcount"), info.headcount)
    cols[1].metric(tr("tracking.list.attendees"), len(info.attendees))
    reached = _level(info.participation_reached) or "—"
    target = _level(info.participation_target) or "—"
    cols[2].metric(
        tr("field.participation_reached"),
        reached,
        delta=tr("tracking.detail.target", level=target),
        delta_color="off",
    )
    if info.facilitators:
        st.markdown(
            f"**{tr('field.facilitators')}:** " + escape_markdown(", ".join(info.facilitators))
        )
    for name in ("summary", "agreements"):
        text = getattr(info, name)
        if text:
            st.markdown(f"**{tr(f'field.{name}')}**")
            st.text(text)
    if info.attendees:
        rows = [
            {
                tr("field.actor"): names.get(a.actor_id, str(a.actor_id)),
                tr("field.role"): tr(f"tracking.role.{a.role}"),
                tr("field.sentiment"): tr(f"tracking.sentiment.{a.sentiment or 'none'}"),
            }
            for a in info.attendees
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="activities.attendance")
    else:
        st.caption(tr("tracking.detail.no_attendees"))
    if info.created_by:
        st.caption(tr("tracking.detail.recorded_by", user=info.created_by))


def task_panel(info: ActivityInfo, frame: pd.DataFrame, *, editable: bool = True) -> None:
    """Follow-up tasks: change status, owner or due date; add new ones; overdue flagged.
    Without ``editable`` (a reader), the same table, read only."""
    st.markdown(f"**{tr('tracking.log.tasks')}**")
    statuses = {s: tr(f"tracking.task_status.{s}") for s in TaskStatus.values()}
    own = frame[frame["activity_id"] == info.id]
    base = [
        {
            "title": r["title"],
            "owner": r["owner"],
            "due_on": r["due_on"],
            "status": statuses[r["status"]],
            "overdue": "⚠️" if r["overdue"] else "",
        }
        for r in own.to_dict("records")
    ]
    if not editable:
        _read_only_tasks(base)
        return
    key = f"{TASKS}.{info.id}.{int(own['version'].sum()) if len(own) else 0}.{len(own)}"
    st.data_editor(
        pd.DataFrame(base, columns=["title", "owner", "due_on", "status", "overdue"]),
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        disabled=["overdue"],
        column_config={
            "title": st.column_config.TextColumn(tr("field.task.title"), required=True),
            "owner": st.column_config.TextColumn(tr("field.owner")),
            "due_on": st.column_config.DateColumn(tr("field.due_on"), format="DD/MM/YYYY"),
            "status": st.column_config.SelectboxColumn(
                tr("field.status"), options=list(statuses.values()), default=statuses["open"]
            ),
            "overdue": st.column_config.TextColumn(tr("tracking.tasks.overdue"), width="small"),
        },
    )
    forms.form_feedback(TASKS, ())
    st.button(
        tr("tracking.tasks.save"),
        key=f"{TASKS}.save",
        icon=":material/task_alt:",
        on_click=on_save(TASKS, lambda: _save_tasks(info, own, base, key, statuses)),
    )


def _read_only_tasks(base: list[dict[str, Any]]) -> None:
    if not base:
        st.caption(tr("pages.no_tasks"))
        return
    columns = ("title", "owner", "due_on", "status", "overdue")
    labels = ("field.task.title", "field.owner", "field.due_on", "field.status",
              "tracking.tasks.overdue")  # fmt: skip
    table = pd.DataFrame(base, columns=list(columns))
    table.columns = [tr(k) for k in labels]
    st.dataframe(
        table,
        hide_index=True,
        key=f"{TASKS}.read",
        column_config={tr("field.due_on"): st.column_config.DateColumn(format="DD/MM/YYYY")},
    )


def _save_tasks(
    info: ActivityInfo,
    own: pd.DataFrame,
    base: list[dict[str, Any]],
    key: str,
    statuses: dict[str, str],
) -> str:
    back = {v: k for k, v in statuses.items()}
    edits = st.session_state.get(key) or {}
    db, user = context.database(), context.current_user()
    rows = edited_rows(base, {"edited_rows": edits.get("edited_rows", {})})
    for index in edits.get("edited_rows") or {}:
        record, row = own.iloc[int(index)], rows[int(index)]
        item = TaskInput(
            str(row["title"] or ""),
            str(row["owner"] or ""),
            as_date(row["due_on"]),
            back.get(row["status"], "open"),
        )
        tasks.update_task(db, user, int(record["id"]), item, int(record["version"]))
    added = [
        TaskInput(
            str(r.get("title") or ""),
            str(r.get("owner") or ""),
            as_date(r.get("due_on")),
            back.get(r.get("status") or "", "open"),
        )
        for r in edits.get("added_rows") or []
    ]
    if added:
        tasks.add_tasks(db, user, info.id, added)
    for index in edits.get("deleted_rows") or []:
        tasks.delete_task(db, user, int(own.iloc[int(index)]["id"]))
    return tr("tracking.tasks.saved")


def delete_controls(info: ActivityInfo) -> None:
    sure = st.checkbox(tr("tracking.delete.confirm"), key=f"activities.delete_sure.{info.id}")

    def delete() -> str:
        activities.delete_activity(
            context.database(), context.current_user(), info.id, info.version
        )
        st.session_state[SELECTED] = None
        return tr("tracking.delete.done", title=info.title)

    st.button(
        tr("common.delete"),
        key="activities.delete",
        icon=":material/delete:",
        disabled=not sure,
        on_click=on_save("activities.delete", delete),
    )
    forms.form_feedback("activities.delete", ())


def deleted_list(frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    with st.expander(f"{tr('common.deleted_items')} ({len(frame)})", icon=":material/delete:"):
        for record in frame.to_dict("records"):
            cols = st.columns([4, 1])
            cols[0].write(f"{record['held_on']:%d/%m/%Y} · {escape_markdown(record['title'])}")
            cols[1].button(
                tr("common.restore"),
                key=f"activities.restore.{record['id']}",
                on_click=on_save("activities.restore", partial(_restore, int(record["id"]))),
            )
        forms.form_feedback("activities.restore", ())


def _restore(activity_id: int) -> str:
    info = activities.restore_activity(context.database(), context.current_user(), activity_id)
    return tr("tracking.delete.restored", title=info.title)
