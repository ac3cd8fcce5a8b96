"""Record assessments of several actors on one screen: the grid a mentor fills in live.

One row per chosen actor, pre-filled with its latest scores. A row is recorded when the
user changed any of its values or ticked "Record"; every recorded row becomes a new,
dated assessment (never an overwrite).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from engagement.errors import Problem, ValidationFailed
from engagement.frameworks import EngagementLevel, ParticipationLevel
from engagement.i18n import describe_problem, has, t
from engagement.model import AssessmentInput, ProgramInfo
from engagement.services.access.permissions import Action, allowed
from engagement.ui import context, state
from engagement.ui.i18n import label, tr

_GRID_ACTORS = "assess.grid_actors"
_GRID_ROUND = "assess.grid_round"
_SAVED = "assess.saved"

SCORES = (
    "power",
    "interest",
    "legitimacy",
    "urgency",
    "engagement_current",
    "engagement_desired",
    "participation_target",
)
EDITABLE = (*SCORES, "note")
_INTS = ("power", "interest", "engagement_current", "engagement_desired", "participation_target")


def engagement_name(level: Any, lang: str) -> str:
    """ "4 · Apoya" for a level 1–5; empty for a missing value."""
    if pd.isna(level):
        return ""
    return f"{int(level)} · {t(EngagementLevel(int(level)).key, lang)}"


def participation_name(level: Any, lang: str) -> str:
    if pd.isna(level):
        return ""
    return f"{int(level)} · {t(ParticipationLevel(int(level)).key, lang)}"


def latest_by_actor(history: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """The newest assessment of each actor (history comes oldest first), by actor id."""
    newest = history.drop_duplicates("actor_id", keep="last")
    return {
        int(row["actor_id"]): {str(k): v for k, v in row.items()}
        for row in newest.to_dict("records")
    }


def grid_frame(
    actors: pd.DataFrame, history: pd.DataFrame, actor_ids: Sequence[int], program: ProgramInfo
) -> pd.DataFrame:
    """One row per chosen actor (numbered from 1 as the user sees them), latest scores filled."""
    lang = state.lang()
    sectors = {s.id: s.label(lang) for s in program.sectors}
    stages = {s.id: s.label(lang) for s in program.stages}
    latest = latest_by_actor(history)
    chosen = actors[actors["id"].isin(list(actor_ids))].sort_values("name")
    rows: list[dict[str, Any]] = []
    for actor in chosen.to_dict("records"):
        last = latest.get(int(actor["id"]))
        sector_id = actor["sector_id"]
        row: dict[str, Any] = {
            "actor_id": int(actor["id"]),
            "actor": actor["name"],
            "sector": "" if pd.isna(sector_id) else sectors.get(int(sector_id), ""),
            "last": _last_text(last, stages),
            "record": False,
        }
        for name in SCORES:
            row[name] = None if last is None else last[name]
        row["note"] = ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["actor_id", "actor", "sector", "last", "record", *EDITABLE])
    for name in _INTS:
        frame[name] = frame[name].astype("Int64")
    for name in ("legitimacy", "urgency", "record"):
        frame[name] = frame[name].fillna(False).astype(bool)
    frame["note"] = frame["note"].astype(str)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _last_text(last: dict[str, Any] | None, stages: dict[int, str]) -> str:
    if last is None:
        return tr("assessments.never")
    day = last["assessed_on"]
    return f"{day:%d/%m/%Y} · {stages.get(int(last['stage_id']), '')}"


def _score_column(field: str) -> Any:
    return st.column_config.NumberColumn(
        tr(f"field.{field}"),
        help=tr(f"assessments.{field}.help"),
        min_value=1,
        max_value=5,
        step=1,
        format="%d",
        width=85,
    )


def _column_config() -> dict[str, Any]:
    lang = state.lang()
    levels = [int(v) for v in EngagementLevel]
    spectrum = [int(v) for v in ParticipationLevel]
    participation_help = (
        tr("field.participation_target")
        + "\n\n"
        + "\n".join(
            f"- **{t(p.key, lang)}**: {t(p.key + '.help', lang)}" for p in ParticipationLevel
        )
    )
    column = st.column_config
    return {
        "actor_id": None,
        "actor": column.TextColumn(tr("field.actor"), disabled=True, pinned=True, width=220),
        "sector": column.TextColumn(tr("field.sector"), disabled=True, width="medium"),
        "last": column.TextColumn(tr("assessments.col.last"), disabled=True, width="medium"),
        "record": column.CheckboxColumn(
            tr("assessments.col.record"), help=tr("assessments.col.record.help"), width=95
        ),
        "power": _score_column("power"),
        "interest": _score_column("interest"),
        "legitimacy": column.CheckboxColumn(
            tr("assessments.col.legitimacy"), help=tr("assessments.legitimacy.help"), width=105
        ),
        "urgency": column.CheckboxColumn(
            tr("assessments.col.urgency"), help=tr("assessments.urgency.help"), width=105
        ),
        "engagement_current": column.SelectboxColumn(
            tr("assessments.col.engagement_current"),
            help=tr("field.engagement_current"),
            options=levels,
            format_func=lambda v: engagement_name(v, lang),
            width=140,
        ),
        "engagement_desired": column.SelectboxColumn(
            tr("assessments.col.engagement_desired"),
            help=tr("field.engagement_desired"),
            options=levels,
            format_func=lambda v: engagement_name(v, lang),
            width=140,
        ),
        "participation_target": column.SelectboxColumn(
            tr("assessments.col.participation_target"),
            options=spectrum,
            format_func=lambda v: participation_name(v, lang),
            help=participation_help,
            width=140,
        ),
        "note": column.TextColumn(tr("field.note"), max_chars=5000, width="medium"),
    }


def render_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """The editable grid; edits are dropped when the set of actors changes."""
    actor_ids = tuple(int(i) for i in frame["actor_id"])
    if st.session_state.get(_GRID_ACTORS) != actor_ids:
        reset_grid()
        st.session_state[_GRID_ACTORS] = actor_ids
    edited: pd.DataFrame = st.data_editor(
        frame,
        key=grid_key(),
        column_config=_column_config(),
        column_order=("actor", "record", *EDITABLE, "last", "sector"),
        num_rows="fixed",
        width="stretch",
        height=min(len(frame), 20) * 36 + 40,
        row_height=36,
    )
    return edited


def grid_key() -> str:
    """The grid's widget key. It changes to start a fresh grid: the browser keeps a
    widget's edits on its side, so clearing its state alone would bring them back."""
    return f"assess.grid.{st.session_state.get(_GRID_ROUND, 0)}"


def reset_grid() -> None:
    """Start a fresh grid (after the edits were recorded, or for other actors)."""
    st.session_state.pop(grid_key(), None)
    st.session_state[_GRID_ROUND] = int(st.session_state.get(_GRID_ROUND, 0)) + 1


def saved(message: str) -> None:
    """Keep a "recorded" message to show under the grid after the rerun."""
    st.session_state[_SAVED] = message


def show_saved() -> None:
    message = st.session_state.pop(_SAVED, None)
    if isinstance(message, str):
        st.success(message, icon=":material/check_circle:")


def _same(a: Any, b: Any) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return bool(a == b)


def rows_to_record(original: pd.DataFrame, edited: pd.DataFrame) -> list[int]:
    """Grid row numbers the user changed or ticked, in order."""
    rows = []
    for row in original.index:
        changed = any(_same(original.at[row, c], edited.at[row, c]) is False for c in SCORES)
        note = str(edited.at[row, "note"] or "").strip()
        if changed or note or bool(edited.at[row, "record"]):
            rows.append(int(row))
    return rows


def _int_or_raw(value: Any) -> Any:
    """Whole numbers as int; anything else passes through for the service to refuse."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, float) and not value.is_integer():
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def assessment_inputs(
    edited: pd.DataFrame, rows: Sequence[int], stage_id: int, assessed_on: dt.date, assessor: str
) -> list[AssessmentInput]:
    """What to record: one new assessment per chosen grid row."""
    items = []
    for row in rows:
        values = edited.loc[row]
        ints = {name: _int_or_raw(values[name]) for name in _INTS}
        items.append(
            AssessmentInput(
                actor_id=int(values["actor_id"]),
                stage_id=stage_id,
                assessed_on=assessed_on,
                legitimacy=bool(values["legitimacy"]),
                urgency=bool(values["urgency"]),
                assessor=assessor.strip(),
                note=str(values["note"] or "").strip(),
                **ints,
            )
        )
    return items


def describe_row_problem(problem: Problem, row: int, actor: str, lang: str) -> str:
    """ "Fila 3 (Actor), «Poder»: es obligatorio." A missing score reads as required."""
    if problem.code == "out_of_range" and problem.params.get("value") is None:
        problem = Problem(problem.field, "required", {}, problem.sheet, problem.row)
    if problem.row is None:
        return describe_problem(problem, lang)
    field_key = f"field.{problem.field}"
    column = t(field_key, lang) if has(field_key, lang) else problem.field
    cause = describe_problem(Problem(problem.field, problem.code, problem.params), lang)
    cause = cause.split(": ", 1)[1] if ": " in cause else cause
    return t("assessments.where_row", lang, row=row, actor=actor, column=column) + f": {cause}"


def show_row_problems(error: ValidationFailed, grid: pd.DataFrame, rows: Sequence[int]) -> None:
    """Problems of a multi-row save, each naming the grid row and the actor."""
    lang = state.lang()
    lines = []
    for problem in error.problems:
        index = (problem.row or 1) - 1
        row = rows[index] if 0 <= index < len(rows) else index + 1
        actor = str(grid.at[row, "actor"]) if row in grid.index else ""
        lines.append(f"- {describe_row_problem(problem, row, actor, lang)}")
    message = tr("assessments.not_saved", count=len(error.problems))
    st.error(message + "\n\n" + "\n".join(lines), icon=":material/error:")


def read_only_reason(program_id: int) -> str | None:
    """Why this user may not record assessments here (a catalog key), or None."""
    if state.presentation():
        return "assessments.read_only.presentation"
    if not allowed(context.current_user(), program_id, Action.ASSESS):
        return "assessments.read_only.role"
    return None


def stage_index(program: ProgramInfo, history: pd.DataFrame) -> int:
    """Default stage: the first one not closed; when all are closed, the newest used."""
    open_stages = [i for i, s in enumerate(program.stages) if s.closed_on is None]
    if open_stages:
        return open_stages[0]
    ids = [s.id for s in program.stages]
    if not history.empty:
        newest = int(history.sort_values(["assessed_on", "id"]).iloc[-1]["stage_id"])
        if newest in ids:
            return ids.index(newest)
    return max(len(ids) - 1, 0)


def closed_stage_note(program: ProgramInfo, stage_id: int) -> None:
    """Recording in a closed stage is allowed (late notes happen) but said plainly."""
    stage = program.stage(stage_id)
    if stage.closed_on is not None:
        st.caption(tr("assessments.stage_closed", day=f"{stage.closed_on:%d/%m/%Y}"))


def choose_actors(actors: pd.DataFrame, program: ProgramInfo) -> list[int]:
    """Actors picked by name, plus every actor of the picked sectors."""
    names = dict(zip(actors["id"].astype(int), actors["name"], strict=True))
    sector_names = {s.id: label(s) for s in program.sectors}
    left, right = st.columns([3, 2])
    picked = left.multiselect(
        tr("assessments.pick_actors"),
        options=list(names),
        format_func=names.__getitem__,
        key="assess.actors",
        placeholder=tr("assessments.pick_actors.placeholder"),
    )
    sectors = right.multiselect(
        tr("assessments.pick_sectors"),
        options=list(sector_names),
        format_func=sector_names.__getitem__,
        key="assess.sectors",
        placeholder=tr("assessments.pick_sectors.placeholder"),
    )
    in_sectors = actors.loc[actors["sector_id"].isin(sectors), "id"].astype(int).tolist()
    return sorted(set(picked) | set(in_sectors))
