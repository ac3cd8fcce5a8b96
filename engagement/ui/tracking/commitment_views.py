"""Commitments: the list with overdue and stalled flags, the add and edit form (with
milestones, co-responsible actors, linked activities and inputs), status and progress."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from engagement.model import ProgramInfo
from engagement.services.tracking import commitments
from engagement.tracking import CommitmentInfo, CommitmentInput, MilestoneInput
from engagement.ui import context, forms
from engagement.ui.editor_state import edited_rows
from engagement.ui.fit import fitted_table
from engagement.ui.i18n import label, tr
from engagement.ui.markup import escape_markdown
from engagement.ui.tracking.activity_forms import as_date, on_save
from engagement.values import CommitmentStatus

ADD = "commitments.add"
EDIT = "commitments.edit"
SELECTED = "commitments.selected"
_FIELDS = (
    "title",
    "description",
    "stage_id",
    "responsible_id",
    "co_responsible_ids",
    "start_on",
    "due_on",
    "status",
    "activity_ids",
    "input_ids",
)


def _status(value: str) -> str:
    return tr(f"tracking.commitment_status.{value}")


def commitments_table(frame: pd.DataFrame, program: ProgramInfo) -> None:
    stages = {s.id: label(s) for s in program.stages}
    flags = [
        " ".join(
            f
            for f, on in ((tr("commitments.flag.overdue"), o), (tr("commitments.flag.stalled"), s))
            if on
        )
        for o, s in zip(frame["overdue"], frame["stalled"], strict=True)
    ]
    view = pd.DataFrame(
        {
            tr("field.title"): frame["title"],
            tr("field.responsible_id"): frame["responsible"],
            tr("field.stage"): [
                stages.get(int(s), "") if pd.notna(s) else "" for s in frame["stage_id"]
            ],
            tr("field.due_on"): frame["due_on"],
            tr("field.status"): [_status(s) for s in frame["status"]],
            tr("field.progress"): frame["progress"],
            tr("commitments.flags"): flags,
        }
    )
    cc = st.column_config
    config = {
        tr("field.title"): cc.TextColumn(width=290, pinned=True),
        tr("field.responsible_id"): cc.TextColumn(width=200),
        tr("field.due_on"): cc.DateColumn(format="DD/MM/YYYY", width=100),
        tr("field.status"): cc.TextColumn(width=110),
        tr("field.progress"): cc.ProgressColumn(
            min_value=0, max_value=100, format="%d %%", width=120
        ),
        tr("commitments.flags"): cc.TextColumn(width=150),
        tr("field.stage"): cc.TextColumn(width=180),
    }
    fitted_table(view, config, list(config)[:5], key="commitments.table")


def _values(info: CommitmentInfo | None, program: ProgramInfo) -> dict[str, Any]:
    if info is None:
        current = next((s.id for s in program.stages if s.closed_on is None), None)
        return {
            "title": "",
            "description": "",
            "stage_id": current,
            "responsible_id": None,
            "co_responsible_ids": [],
            "start_on": None,
            "due_on": None,
            "status": "open",
            "activity_ids": [],
            "input_ids": [],
        }
    return {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in ((k, getattr(info, k)) for k in _FIELDS)
    }


def commitment_form(
    form: str, program: ProgramInfo, info: CommitmentInfo | None, choices: dict[str, dict[int, str]]
) -> None:
    """Add (``info`` None) or edit a commitment with its milestones, in one save."""
    values = _values(info, program)
    marker = (info.id, info.version) if info else "new"
    forms.load_widgets(f"{form}.loaded", marker, {f"{form}.{k}": v for k, v in values.items()})
    base = [
        {"id": m.id, "title": m.title, "due_on": m.due_on, "progress": m.progress}
        for m in (info.milestones if info else ())
    ]
    round_ = st.session_state.get(f"{form}.round", 0)
    editor = f"{form}.milestones." + (f"{info.id}.{info.version}" if info else str(round_))

    def save() -> str:
        get = st.session_state.get
        rows = [r for r in edited_rows(base, get(editor)) if r.get("title") or r.get("id")]
        milestones = tuple(
            MilestoneInput(
                str(r.get("title") or ""),
                as_date(r.get("due_on")),
                int(r.get("progress") or 0),
                int(r["id"]) if r.get("id") is not None else None,
            )
            for r in rows
        )
        values: dict[str, Any] = {k: get(f"{form}.{k}") for k in _FIELDS}
        for k in ("co_responsible_ids", "activity_ids", "input_ids"):
            values[k] = tuple(values[k] or ())
        item = CommitmentInput(**values, milestones=milestones)
        db, user = context.database(), context.current_user()
        if info is None:
            saved = commitments.add_commitment(db, user, program.id, item)
            st.session_state[f"{form}.round"] = st.session_state.get(f"{form}.round", 0) + 1
            st.session_state.pop(f"{form}.loaded", None)
            st.session_state[SELECTED] = saved.id
            return tr("commitments.added", title=saved.title)
        saved = commitments.update_commitment(db, user, info.id, item, info.version)
        return tr("commitments.saved", title=saved.title)

    actors, stages = choices["actors"], {s.id: label(s) for s in program.stages}
    statuses = {s: _status(s) for s in CommitmentStatus.values()}
    with st.form(form, enter_to_submit=False):
        st.text_input(tr("field.title"), key=f"{form}.title")
        forms.field_feedback(form, "title")
        st.text_area(tr("field.description"), key=f"{form}.description", height=80)
        a, b, c = st.columns(3)
        a.selectbox(
            tr("field.stage"),
            list(stages),
            format_func=stages.__getitem__,
            index=None,
            placeholder=tr("pages.choose"),
            key=f"{form}.stage_id",
        )
        b.selectbox(
            tr("field.status"),
            list(CommitmentStatus.values()),
            format_func=statuses.__getitem__,
            key=f"{form}.status",
        )
        c.selectbox(
            tr("field.responsible_id"),
            list(actors),
            format_func=actors.__getitem__,
            index=None,
            placeholder=tr("pages.choose"),
            key=f"{form}.responsible_id",
        )
        st.multiselect(
            tr("field.co_responsible"),
            list(actors),
            format_func=actors.__getitem__,
            placeholder=tr("pages.choose_many"),
            key=f"{form}.co_responsible_ids",
        )
        a, b = st.columns(2)
        a.date_input(tr("field.start_on"), value=None, format="DD/MM/YYYY", key=f"{form}.start_on")
        b.date_input(tr("field.due_on"), value=None, format="DD/MM/YYYY", key=f"{form}.due_on")
        forms.field_feedback(form, "due_on", "start_on", "actor", "status")
        a, b = st.columns(2)
        a.multiselect(
            tr("commitments.linked_activities"),
            list(choices["activities"]),
            format_func=choices["activities"].__getitem__,
            placeholder=tr("pages.choose_many"),
            key=f"{form}.activity_ids",
        )
        b.multiselect(
            tr("commitments.linked_inputs"),
            list(choices["inputs"]),
            format_func=choices["inputs"].__getitem__,
            placeholder=tr("pages.choose_many"),
            key=f"{form}.input_ids",
        )
        st.markdown(f"**{tr('commitments.milestones')}**")
        st.data_editor(
            pd.DataFrame(base, columns=["id", "title", "due_on", "progress"]),
            key=editor,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "id": None,
                "title": st.column_config.TextColumn(tr("field.milestone"), required=True),
                "due_on": st.column_config.DateColumn(tr("field.due_on"), format="DD/MM/YYYY"),
                "progress": st.column_config.NumberColumn(
                    tr("field.progress"), min_value=0, max_value=100, step=5, default=0
                ),
            },
        )
        forms.field_feedback(form, "milestone", "progress")
        forms.form_feedback(
            form, ("title", "due_on", "start_on", "actor", "status", "milestone", "progress")
        )
        st.form_submit_button(
            tr("common.save"), type="primary", icon=":material/save:", on_click=on_save(form, save)
        )


def choose_commitment(frame: pd.DataFrame) -> int | None:
    names = {int(i): str(t) for i, t in zip(frame["id"], frame["title"], strict=True)}
    if st.session_state.get(SELECTED) not in names:
        st.session_state[SELECTED] = None
    return st.selectbox(
        tr("commitments.choose"),
        list(names),
        format_func=names.__getitem__,
        index=None,
        key=SELECTED,
        placeholder=tr("commitments.choose_placeholder"),
    )


def detail(info: CommitmentInfo, row: dict[str, Any], choices: dict[str, dict[int, str]]) -> None:
    st.subheader(escape_markdown(info.title))
    cols = st.columns(3)
    cols[0].metric(tr("field.status"), _status(info.status))
    cols[1].metric(tr("field.progress"), f"{info.progress} %")
    cols[2].metric(tr("field.due_on"), f"{info.due_on:%d/%m/%Y}" if info.due_on else "—")
    if row.get("overdue"):
        st.error(tr("commitments.overdue_note"), icon=":material/event_busy:")
    if row.get("stalled"):
        st.warning(
            tr("commitments.stalled_note", date=f"{row['last_update']:%d/%m/%Y}"),
            icon=":material/hourglass_empty:",
        )
    if info.description:
        st.text(info.description)
    people = [choices["actors"].get(info.responsible_id or -1, "")] + [
        choices["actors"].get(i, "") for i in info.co_responsible_ids
    ]
    if any(people):
        st.caption(
            tr("commitments.people", names=escape_markdown(", ".join(p for p in people if p)))
        )
    for kind, ids in (("activities", info.activity_ids), ("inputs", info.input_ids)):
        if ids:
            st.caption(
                tr(f"commitments.linked_{kind}")
                + ": "
                + escape_markdown("; ".join(choices[kind].get(i, str(i)) for i in ids))
            )
    for m in info.milestones:
        st.progress(
            m.progress / 100,
            text=f"{escape_markdown(m.title)} · {m.progress} %"
            + (f" · {m.due_on:%d/%m/%Y}" if m.due_on else ""),
        )


def delete_controls(info: CommitmentInfo) -> None:
    sure = st.checkbox(tr("commitments.delete_confirm"), key=f"commitments.delete_sure.{info.id}")

    def delete() -> str:
        commitments.delete_commitment(context.database(), context.current_user(), info.id)
        st.session_state[SELECTED] = None
        return tr("commitments.deleted", title=info.title)

    st.button(
        tr("common.delete"),
        key="commitments.delete",
        icon=":material/delete:",
        disabled=not sure,
        on_click=on_save("commitments.delete", delete),
    )
    forms.form_feedback("commitments.delete", ())
