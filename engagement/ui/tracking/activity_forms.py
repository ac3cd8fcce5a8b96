"""Log an activity quickly (with attendees and follow-up tasks) and edit it later.

The same widgets serve both forms (``activities.log`` and ``activities.edit``); saving
runs in the submit callback and each problem shows under its field or near the button.
Attendees and tasks are typed into small tables (``st.data_editor``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from engagement.frameworks import ParticipationLevel
from engagement.model import ProgramInfo
from engagement.services.tracking import activities
from engagement.tracking import (
    ActivityInfo,
    ActivityInput,
    Attendee,
    TaskInput,
)
from engagement.ui import context, forms
from engagement.ui.editor_state import edited_rows, filled
from engagement.ui.i18n import label, tr
from engagement.values import AgeGroup, AttendanceRole, Gender, Sentiment

LOG = "activities.log"
EDIT = "activities.edit"


def _k(form: str, name: str) -> str:
    return f"{form}.{name}"


def on_save(form: str, save: Callable[[], str | None]) -> Callable[[], None]:
    """A button callback that runs ``save`` and keeps its error for the next run."""

    def run() -> None:
        forms.run_save(form, save)

    return run


def blank(program: ProgramInfo) -> dict[str, Any]:
    """Empty values of the log form; the stage is the current one (first not closed)."""
    current = next((s.id for s in program.stages if s.closed_on is None), program.stages[-1].id)
    values: dict[str, Any] = {
        "title": "",
        "activity_type_id": program.activity_types[0].id,
        "stage_id": current,
        "held_on": dt.date.today(),
        "start_time": None,
        "end_time": None,
        "place": "",
        "facilitators": [],
        "participation_target": None,
        "participation_reached": None,
        "headcount": 0,
        "tags": [],
        "summary": "",
        "agreements": "",
    }
    values |= {f"gender.{g}": 0 for g in Gender.values()} | {
        f"age.{a}": 0 for a in AgeGroup.values()
    }
    return values


def values_of(info: ActivityInfo) -> dict[str, Any]:
    detail = info.headcount_detail
    values: dict[str, Any] = {
        name: getattr(info, name)
        for name in (
            "title",
            "activity_type_id",
            "stage_id",
            "held_on",
            "start_time",
            "end_time",
            "place",
            "participation_target",
            "participation_reached",
            "headcount",
            "summary",
            "agreements",
        )
    }
    values |= {"facilitators": list(info.facilitators), "tags": list(info.tags)}
    values |= {f"gender.{g}": int(detail.get("gender", {}).get(g, 0)) for g in Gender.values()}
    values |= {f"age.{a}": int(detail.get("age", {}).get(a, 0)) for a in AgeGroup.values()}
    return values


def _level(value: int | None) -> str:
    return "—" if value is None else tr(ParticipationLevel(value).key)


def activity_widgets(
    form: str, program: ProgramInfo, facilitators: list[str], tags: list[str]
) -> None:
    """The activity's fields (inside an ``st.form``), each problem under its widget."""
    types = {t.id: label(t) for t in program.activity_types}
    stages = {s.id: label(s) for s in program.stages}
    st.text_input(tr("field.title"), key=_k(form, "title"), max_chars=300)
    forms.field_feedback(form, "title")
    a, b, c = st.columns(3)
    a.selectbox(
        tr("field.activity_type"),
        list(types),
        format_func=types.__getitem__,
        key=_k(form, "activity_type_id"),
    )
    b.selectbox(
        tr("field.stage"), list(stages), format_func=stages.__getitem__, key=_k(form, "stage_id")
    )
    c.date_input(
        tr("field.held_on"), format="DD/MM/YYYY", key=_k(form, "held_on"), max_value=dt.date.today()
    )
    forms.field_feedback(form, "activity_type", "stage", "held_on")
    a, b, c = st.columns(3)
    a.time_input(tr("field.start_time"), key=_k(form, "start_time"), step=900)
    b.time_input(tr("field.end_time"), key=_k(form, "end_time"), step=900)
    c.text_input(tr("field.place"), key=_k(form, "place"))
    forms.field_feedback(form, "end_time", "place")
    chosen = st.session_state.get(_k(form, "facilitators")) or []
    st.multiselect(
        tr("field.facilitators"),
        list(dict.fromkeys([*facilitators, *chosen])),
        key=_k(form, "facilitators"),
        accept_new_options=True,
        placeholder=tr("tracking.log.type_names"),
    )
    levels: list[int | None] = [None, *[int(level) for level in ParticipationLevel]]
    level_names = {level: _level(level) for level in levels}
    a, b, c = st.columns(3)
    a.selectbox(
        tr("field.participation_target"),
        levels,
        format_func=level_names.__getitem__,
        key=_k(form, "participation_target"),
        placeholder=tr("tracking.log.no_level"),
    )
    b.selectbox(
        tr("field.participation_reached"),
        levels,
        format_func=level_names.__getitem__,
        key=_k(form, "participation_reached"),
        placeholder=tr("tracking.log.no_level"),
    )
    c.number_input(
        tr("field.headcount"),
        min_value=0,
        max_value=activities.MAX_HEADCOUNT,
        step=1,
        key=_k(form, "headcount"),
        help=tr("tracking.log.headcount_help"),
    )
    forms.field_feedback(form, "participation_target", "participation_reached", "headcount")
    with st.expander(tr("tracking.log.breakdown")):
        cols = st.columns(len(Gender.values()))
        for col, g in zip(cols, Gender.values(), strict=True):
            col.number_input(
                tr(f"tracking.gender.{g}"), min_value=0, step=1, key=_k(form, f"gender.{g}")
            )
        cols = st.columns(len(AgeGroup.values()))
        for col, a_ in zip(cols, AgeGroup.values(), strict=True):
            col.number_input(
                tr(f"tracking.age.{a_}"), min_value=0, step=1, key=_k(form, f"age.{a_}")
            )
        forms.field_feedback(form, "headcount.gender", "headcount.age", "headcount_detail")
    chosen_tags = st.session_state.get(_k(form, "tags")) or []
    st.multiselect(
        tr("field.tags"),
        list(dict.fromkeys([*tags, *chosen_tags])),
        key=_k(form, "tags"),
        accept_new_options=True,
        placeholder=tr("tracking.log.type_names"),
    )
    st.text_area(tr("field.summary"), key=_k(form, "summary"), height=90)
    st.text_area(tr("field.agreements"), key=_k(form, "agreements"), height=90)
    forms.field_feedback(form, "summary", "agreements")


def _labels(prefix: str, keys: tuple[str, ...]) -> dict[str, str]:
    return {k: tr(f"{prefix}.{k}") for k in keys}


def attendee_rows(info: ActivityInfo | None, names: dict[int, str]) -> list[dict[str, Any]]:
    roles, moods = (
        _labels("tracking.role", AttendanceRole.values()),
        _labels("tracking.sentiment", Sentiment.values()),
    )
    if info is None:
        return []
    return [
        {
            "actor": names.get(a.actor_id, str(a.actor_id)),
            "role": roles[a.role],
            "sentiment": moods.get(a.sentiment or "", None),
        }
        for a in info.attendees
    ]


def attendee_editor(form: str, key: str, rows: list[dict[str, Any]], names: dict[int, str]) -> None:
    roles, moods = (
        _labels("tracking.role", AttendanceRole.values()),
        _labels("tracking.sentiment", Sentiment.values()),
    )
    frame = pd.DataFrame(rows, columns=["actor", "role", "sentiment"])
    st.markdown(f"**{tr('tracking.log.attendees')}**")
    st.caption(tr("tracking.log.attendees_help"))
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "actor": st.column_config.SelectboxColumn(
                tr("field.actor"), options=sorted(names.values()), required=True
            ),
            "role": st.column_config.SelectboxColumn(
                tr("field.role"), options=list(roles.values()), default=roles["participant"]
            ),
            "sentiment": st.column_config.SelectboxColumn(
                tr("field.sentiment"), options=list(moods.values())
            ),
        },
    )
    forms.field_feedback(form, "actor", "role", "sentiment")


def read_attendees(key: str, base: list[dict[str, Any]], names: dict[int, str]) -> list[Attendee]:
    ids = {name: actor_id for actor_id, name in names.items()}
    roles = {v: k for k, v in _labels("tracking.role", AttendanceRole.values()).items()}
    moods = {v: k for k, v in _labels("tracking.sentiment", Sentiment.values()).items()}
    rows = filled(edited_rows(base, st.session_state.get(key)), "actor")
    return [
        Attendee(
            ids.get(r["actor"], -1),
            roles.get(r.get("role") or "", "participant"),
            moods.get(r.get("sentiment") or ""),
        )
        for r in rows
    ]


def task_editor(form: str, key: str) -> None:
    frame = pd.DataFrame(
        {
            "title": pd.Series(dtype="str"),
            "owner": pd.Series(dtype="str"),
            "due_on": pd.Series(dtype="object"),
        }
    )
    st.markdown(f"**{tr('tracking.log.tasks')}**")
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn(tr("field.task.title")),
            "owner": st.column_config.TextColumn(tr("field.owner")),
            "due_on": st.column_config.DateColumn(tr("field.due_on"), format="DD/MM/YYYY"),
        },
    )
    forms.field_feedback(form, "task.title", "task.owner", "task.due_on")


def read_tasks(key: str) -> list[TaskInput]:
    rows = [
        r
        for r in edited_rows([], st.session_state.get(key))
        if any(v not in (None, "") for v in r.values())
    ]
    return [
        TaskInput(str(r["title"]), str(r.get("owner") or ""), as_date(r.get("due_on")))
        for r in rows
    ]


def as_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def read_activity(form: str) -> ActivityInput:
    def get(name: str) -> Any:
        return st.session_state.get(_k(form, name))

    detail: dict[str, dict[str, int]] = {}
    for part, keys in (("gender", Gender.values()), ("age", AgeGroup.values())):
        counts = {k: int(get(f"{part}.{k}") or 0) for k in keys}
        if any(counts.values()):
            detail[part] = counts
    return ActivityInput(
        activity_type_id=int(get("activity_type_id")),
        stage_id=int(get("stage_id")),
        title=get("title") or "",
        held_on=get("held_on"),
        start_time=get("start_time"),
        end_time=get("end_time"),
        place=get("place") or "",
        facilitators=tuple(get("facilitators") or ()),
        participation_target=get("participation_target"),
        participation_reached=get("participation_reached"),
        # An empty box is an unknown headcount (e.g. an imported Decidim meeting), not 0.
        headcount=None if get("headcount") is None else int(get("headcount")),
        headcount_detail=detail,
        tags=tuple(get("tags") or ()),
        summary=get("summary") or "",
        agreements=get("agreements") or "",
    )


def _round(form: str) -> int:
    value = st.session_state.setdefault(_k(form, "round"), 0)
    return int(value)


def log_form(
    program: ProgramInfo, names: dict[int, str], facilitators: list[str], tags: list[str]
) -> None:
    """Quick logging of an activity with attendees and follow-up tasks, in one save."""
    if _k(LOG, "title") not in st.session_state:
        forms.reset_widgets({_k(LOG, n): v for n, v in blank(program).items()})
    n = _round(LOG)
    attendees_key, tasks_key = _k(LOG, f"attendees.{n}"), _k(LOG, f"tasks.{n}")

    def save() -> str:
        item = read_activity(LOG)
        info = activities.record_activity(
            context.database(),
            context.current_user(),
            program.id,
            item,
            read_attendees(attendees_key, [], names),
            read_tasks(tasks_key),
        )
        forms.reset_widgets(
            {_k(LOG, k): v for k, v in blank(program).items()} | {_k(LOG, "round"): n + 1}
        )
        st.session_state["activities.selected"] = info.id
        return tr("tracking.log.saved", title=info.title, count=len(info.attendees))

    with st.form(LOG, enter_to_submit=False):
        activity_widgets(LOG, program, facilitators, tags)
        attendee_editor(LOG, attendees_key, [], names)
        task_editor(LOG, tasks_key)
        forms.form_feedback(LOG, _SHOWN)
        st.form_submit_button(
            tr("tracking.log.save"),
            type="primary",
            icon=":material/save:",
            on_click=on_save(LOG, save),
        )


_SHOWN = (
    "title", "activity_type", "stage", "held_on", "end_time", "place", "participation_target",
    "participation_reached", "headcount", "headcount.gender", "headcount.age",
    "headcount_detail", "summary", "agreements", "actor", "role", "sentiment", "task.title",
    "task.owner", "task.due_on",
)  # fmt: skip


def edit_form(
    program: ProgramInfo,
    info: ActivityInfo,
    names: dict[int, str],
    facilitators: list[str],
    tags: list[str],
) -> None:
    """Edit an activity and its attendance; refused if someone saved it meanwhile."""
    forms.load_widgets(
        _k(EDIT, "loaded"),
        (info.id, info.version),
        {_k(EDIT, k): v for k, v in values_of(info).items()},
    )
    base = attendee_rows(info, names)
    editor = _k(EDIT, f"attendees.{info.id}.{info.version}")

    def save() -> str:
        saved = activities.update_activity(
            context.database(),
            context.current_user(),
            info.id,
            read_activity(EDIT),
            read_attendees(editor, base, names),
            info.version,
        )
        return tr("tracking.edit.saved", title=saved.title)

    with st.form(EDIT, enter_to_submit=False):
        activity_widgets(EDIT, program, facilitators, tags)
        attendee_editor(EDIT, editor, base, names)
        forms.form_feedback(EDIT, _SHOWN)
        st.form_submit_button(
            tr("common.save"),
            type="primary",
            icon=":material/save:",
            on_click=on_save(EDIT, save),
        )
