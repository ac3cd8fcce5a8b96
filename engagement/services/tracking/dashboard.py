"""The stage dashboard: is the coalition being built? Figures per stage and overall.

Definitions (the same in the app, the ``report`` command and the tests):

- activities: live activities held, by type;
- citizens involved: the sum of the activities' anonymous headcounts;
- organisations participating: distinct live actors who attended at least one activity;
- facilitators active: distinct facilitator names across the activities;
- inputs received, and answered (a final response with its reasoning written down);
- commitments: live commitments by status.

Per-stage figures count what belongs to that stage (activities and commitments by their
stage; inputs by their stage, or their activity's). The loaders read each table once;
the figures are pure functions of the frames, so they can be tested on built histories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from engagement.frameworks import quadrant
from engagement.model import ProgramInfo
from engagement.services.registry.programs import get_program
from engagement.services.tracking import activities, commitments, inputs
from engagement.services.tracking.tasks import tasks_frame
from engagement.storage.db import Database
from engagement.storage.models import Actor, Assessment
from engagement.tracking import Figures
from engagement.values import CommitmentStatus


@dataclass(frozen=True)
class TrackingFrames:
    """What the dashboard is computed from: one read of each table."""

    activities: pd.DataFrame
    attendance: pd.DataFrame
    inputs: pd.DataFrame
    commitments: pd.DataFrame


def tracking_frames(
    db: Database, program_id: int, *, today: dt.date | None = None
) -> TrackingFrames:
    return TrackingFrames(
        activities=activities.activities_frame(db, program_id),
        attendance=activities.attendance_frame(db, program_id),
        inputs=inputs.inputs_frame(db, program_id),
        commitments=commitments.commitments_frame(db, program_id, today=today),
    )


def figures(frames: TrackingFrames, stage_id: int | None = None) -> Figures:
    """The dashboard figures of one stage (or of the whole program when ``stage_id`` is None).

    Examples
    --------
    >>> empty = TrackingFrames(
    ...     pd.DataFrame(columns=activities.ACTIVITY_COLUMNS),
    ...     pd.DataFrame(columns=activities.ATTENDANCE_COLUMNS),
    ...     pd.DataFrame(columns=inputs.INPUT_COLUMNS),
    ...     pd.DataFrame(columns=commitments.COMMITMENT_COLUMNS),
    ... )
    >>> f = figures(empty)
    >>> (f.activities, f.citizens_involved, f.organisations_participating, f.answered_share)
    (0, 0, 0, None)
    """
    acts, present = frames.activities, frames.attendance
    received, promised = frames.inputs, frames.commitments
    if stage_id is not None:
        acts = acts[acts["stage_id"] == stage_id]
        present = present[present["stage_id"] == stage_id]
        received = received[received["stage_id"] == stage_id]
        promised = promised[promised["stage_id"] == stage_id]
    by_type = acts["activity_type_key"].value_counts().sort_index()
    facilitators = {name for names in acts["facilitators"] for name in (names or ())}
    by_status = promised["status"].value_counts()
    return Figures(
        activities=len(acts),
        activities_by_type={str(k): int(v) for k, v in by_type.items()},
        citizens_involved=int(pd.to_numeric(acts["headcount"]).sum()),
        organisations_participating=int(present["actor_id"].nunique()),
        facilitators_active=len(facilitators),
        inputs_received=len(received),
        inputs_answered=int(received["answered"].astype(bool).sum()),
        commitments={s: int(by_status.get(s, 0)) for s in CommitmentStatus.values()},
    )


def stage_figures(frames: TrackingFrames, stage_ids: list[int]) -> dict[int, Figures]:
    return {sid: figures(frames, sid) for sid in stage_ids}


MONTH_COLUMNS = ["month", "activities", "citizens_involved", "organisations_participating"]


def monthly_series(frames: TrackingFrames, stage_id: int | None = None) -> pd.DataFrame:
    """Activities and participation per calendar month (months without any included)."""
    acts, present = frames.activities, frames.attendance
    if stage_id is not None:
        acts = acts[acts["stage_id"] == stage_id]
        present = present[present["stage_id"] == stage_id]
    if acts.empty:
        return pd.DataFrame(columns=MONTH_COLUMNS)
    months = pd.PeriodIndex(pd.to_datetime(acts["held_on"]), freq="M")
    # Unknown headcounts (None) count as nothing, never as an error or a zero row.
    grouped = acts.assign(month=months, headcount=pd.to_numeric(acts["headcount"])).groupby("month")
    series = pd.DataFrame(
        {
            "activities": grouped.size(),
            "citizens_involved": grouped["headcount"].sum().astype("int64"),
        }
    )
    if present.empty:
        series["organisations_participating"] = 0
    else:
        present_months = pd.PeriodIndex(pd.to_datetime(present["held_on"]), freq="M")
        orgs = present.assign(month=present_months).groupby("month")["actor_id"].nunique()
        series["organisations_participating"] = orgs.reindex(series.index).fillna(0)
    full = pd.period_range(series.index.min(), series.index.max(), freq="M")
    series = series.reindex(full, fill_value=0).astype("int64")
    series.index.name = "month"
    series = series.reset_index()
    series["month"] = series["month"].dt.to_timestamp()
    return series[MONTH_COLUMNS]


def engagement_history(db: Database, program_id: int) -> pd.DataFrame:
    """Each live actor's assessments (actor, stage, current engagement), oldest first."""
    stmt = (
        select(Assessment.actor_id, Assessment.stage_id, Assessment.engagement_current)
        .join(Actor, Assessment.actor_id == Actor.id)
        .where(Actor.program_id == program_id, Actor.deleted_at.is_(None))
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    with db.reading() as session:
        rows = [tuple(r) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=["actor_id", "stage_id", "engagement_current"])


def engagement_by_stage(history: pd.DataFrame) -> pd.DataFrame:
    """Actors at each current engagement level per stage (latest assessment in the stage)."""
    columns = ["stage_id", "engagement_current", "actors"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    latest = history.drop_duplicates(["stage_id", "actor_id"], keep="last")
    counts = latest.groupby(["stage_id", "engagement_current"]).size().reset_index(name="actors")
    return counts[columns].astype("int64")


STALE_COLUMNS = ["actor_id", "name", "power", "interest", "last_activity", "days_since"]


def stale_key_players(
    db: Database, program_id: int, *, today: dt.date | None = None, days: int | None = None
) -> pd.DataFrame:
    """Key players (high power, high interest) with no activity attended in ``days`` days.

    ``days`` defaults to the program's setting; actors who never attended come first.
    """
    today = today or dt.date.today()
    program = get_program(db, program_id)
    days = program.stale_days if days is None else days
    present = activities.attendance_frame(db, program_id)
    return stale_from(latest_scores(db, program_id), present, program.power_threshold, days, today)


def latest_scores(db: Database, program_id: int) -> pd.DataFrame:
    """Each assessed live actor's latest power and interest (``id``, ``name``, scores)."""
    stmt = (
        select(Actor.id, Actor.name, Assessment.power, Assessment.interest)
        .join(Assessment, Assessment.actor_id == Actor.id)
        .where(Actor.program_id == program_id, Actor.deleted_at.is_(None))
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    with db.reading() as session:
        rows = [tuple(r) for r in session.execute(stmt)]
    frame = pd.DataFrame(rows, columns=["id", "name", "power", "interest"])
    return frame.drop_duplicates("id", keep="last").sort_values("name").reset_index(drop=True)


def stale_from(
    actors: pd.DataFrame, present: pd.DataFrame, threshold: int, days: int, today: dt.date
) -> pd.DataFrame:
    assessed = actors.dropna(subset=["power", "interest"])
    mask = [
        quadrant(int(p), int(i), threshold).value == "manage_closely"
        for p, i in zip(assessed["power"], assessed["interest"], strict=True)
    ]
    key = assessed.loc[pd.Series(mask, index=assessed.index, dtype=bool)]
    last = present.groupby("actor_id")["held_on"].max() if not present.empty else pd.Series()
    rows = []
    for actor_id, name, power, interest in zip(
        key["id"], key["name"], key["power"], key["interest"], strict=True
    ):
        seen = last.get(actor_id)
        since = (today - seen).days if seen is not None else None
        if since is None or since > days:
            rows.append([int(actor_id), name, int(power), int(interest), seen, since])
    frame = pd.DataFrame(rows, columns=STALE_COLUMNS)
    order = frame["days_since"].fillna(10**9).sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


@dataclass(frozen=True)
class Dashboard:
    overall: Figures
    stages: dict[int, Figures]
    monthly: pd.DataFrame
    engagement: pd.DataFrame
    overdue_tasks: int
    overdue_commitments: int
    stalled_commitments: int
    awaiting_inputs: int


def dashboard(
    db: Database, program_id: int, *, stage_id: int | None = None, today: dt.date | None = None
) -> Dashboard:
    """Everything the stage dashboard shows, for the program or one stage."""

    today = today or dt.date.today()
    program = get_program(db, program_id)
    frames = tracking_frames(db, program_id, today=today)
    history = engagement_history(db, program_id)
    tasks = tasks_frame(db, program_id, today=today)
    return dashboard_from(program, frames, history, tasks, stage_id=stage_id)


def history_from(assessments: pd.DataFrame) -> pd.DataFrame:
    """:func:`engagement_history` from an assessments frame of live actors."""
    ordered = assessments.sort_values(["assessed_on", "id"], kind="stable")
    frame = ordered[["actor_id", "stage_id", "engagement_current"]].reset_index(drop=True)
    return frame.astype("int64") if not frame.empty else frame


def latest_scores_from(actors: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """:func:`latest_scores` from an actors frame and an assessments frame."""
    ordered = assessments.sort_values(["assessed_on", "id"], kind="stable")
    names = dict(zip(actors["id"], actors["name"], strict=True))
    rows = [
        (int(a), names[a], int(p), int(i))
        for a, p, i in zip(ordered["actor_id"], ordered["power"], ordered["interest"], strict=True)
        if a in names
    ]
    frame = pd.DataFrame(rows, columns=["id", "name", "power", "interest"])
    return frame.drop_duplicates("id", keep="last").sort_values("name").reset_index(drop=True)


def dashboard_from(
    program: ProgramInfo,
    frames: TrackingFrames,
    history: pd.DataFrame,
    tasks: pd.DataFrame,
    *,
    stage_id: int | None = None,
) -> Dashboard:
    """:func:`dashboard` from frames already read (and already filtered for the reader)."""
    promised = frames.commitments
    received = frames.inputs
    if stage_id is not None:
        promised = promised[promised["stage_id"] == stage_id]
        received = received[received["stage_id"] == stage_id]
    return Dashboard(
        overall=figures(frames, stage_id),
        stages=stage_figures(frames, [s.id for s in program.stages]),
        monthly=monthly_series(frames, stage_id),
        engagement=engagement_by_stage(history),
        overdue_tasks=int(tasks["overdue"].astype(bool).sum()),
        overdue_commitments=int(promised["overdue"].astype(bool).sum()),
        stalled_commitments=int(promised["stalled"].astype(bool).sum()),
        awaiting_inputs=int((~received["answered"].astype(bool)).sum()),
    )
