"""The stage dashboard: is the coalition being built? Figures per stage and overall.

Definitions (the same in the app, the ``report`` command and the tests):

- activities: live activities held, by type;
- citizens involved: the sum of the activities' anonymous headcounts;
- organisations participating: distinct live actors who attended at least one activity;
- facilitators active: distinct facilitator names across the activities;
- inputs received, and answered (a final response with its reasoning written down);
- commitments: live commitments by status.

Per-stage figures count what belongs to that stage (activities and commitments by their
stage; inputs by their stage, or their activity's). The read layer
(:mod:`engagement.services.view`) reads each table once and hands over what its reader
may see; the figures are pure functions of the frames, so they can be tested on built
histories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from engagement.frameworks import quadrant
from engagement.model import ProgramInfo
from engagement.tracking import Figures
from engagement.values import CommitmentStatus


@dataclass(frozen=True)
class TrackingFrames:
    """What the dashboard is computed from: one read of each table."""

    activities: pd.DataFrame
    attendance: pd.DataFrame
    inputs: pd.DataFrame
    commitments: pd.DataFrame


def figures(frames: TrackingFrames, stage_id: int | None = None) -> Figures:
    """The dashboard figures of one stage (or of the whole program when ``stage_id`` is None).

    Examples
    --------
    >>> from engagement.services.tracking import commitments, inputs
    >>> from engagement.storage.queries.activities import ACTIVITY_COLUMNS, ATTENDANCE_COLUMNS
    >>> empty = TrackingFrames(
    ...     pd.DataFrame(columns=ACTIVITY_COLUMNS),
    ...     pd.DataFrame(columns=ATTENDANCE_COLUMNS),
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


def engagement_by_stage(history: pd.DataFrame) -> pd.DataFrame:
    """Actors at each current engagement level per stage (latest assessment in the stage)."""
    columns = ["stage_id", "engagement_current", "actors"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    latest = history.drop_duplicates(["stage_id", "actor_id"], keep="last")
    counts = latest.groupby(["stage_id", "engagement_current"]).size().reset_index(name="actors")
    return counts[columns].astype("int64")


STALE_COLUMNS = ["actor_id", "name", "power", "interest", "last_activity", "days_since"]


def stale_from(
    actors: pd.DataFrame, present: pd.DataFrame, threshold: int, days: int, today: dt.date
) -> pd.DataFrame:
    """Key players (high power, high interest; ``actors`` with their latest scores) who
    attended no activity (of ``present``) in the last ``days`` days up to ``today``;
    those who never attended come first."""
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


def history_from(assessments: pd.DataFrame) -> pd.DataFrame:
    """Each actor's assessments (actor, stage, current engagement), oldest first, from
    an assessments frame of live actors."""
    ordered = assessments.sort_values(["assessed_on", "id"], kind="stable")
    frame = ordered[["actor_id", "stage_id", "engagement_current"]].reset_index(drop=True)
    return frame.astype("int64") if not frame.empty else frame


def latest_scores_from(actors: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """Each assessed actor's latest power and interest (``id``, ``name``, scores), from an
    actors frame and an assessments frame."""
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
    """Everything the stage dashboard shows, for the program or one stage, from frames
    already read (and already filtered for the reader: the read layer calls this)."""
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
