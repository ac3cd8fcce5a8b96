"""Engagement tracking as the signed-in user may see it, through the read layer.

Each function reads :func:`engagement.ui.context.view`: the services' read layer
applies what this user may see and keeps every result per data version in its own
cache, so the dashboard's rerun cost does not grow with the size of the program.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from engagement.analysis.movement import Comparison
from engagement.services.tracking import changes, dashboard
from engagement.tracking import ChecklistItem, SnapshotInfo
from engagement.ui.context import view


def as_of(program_id: int) -> dt.date:
    """The day figures are computed for: today, or the end of a program that has ended."""
    return view(program_id).as_of


def table(program_id: int, what: str) -> pd.DataFrame:
    """A tracking table (activities, attendance, tasks, inputs, waiting, commitments,
    evidence, stale, co_participation, deleted_activities) as this user may see it."""
    return view(program_id).table(what)


def board(program_id: int, stage_id: int | None) -> dashboard.Dashboard:
    return view(program_id).dashboard(stage_id)


def checklist(program_id: int) -> list[ChecklistItem]:
    return view(program_id).checklist()


def changes_since(program_id: int, since: dt.date) -> changes.Changes:
    return view(program_id).changes_since(since)


def last_mentoring_call(program_id: int) -> dt.date | None:
    return view(program_id).last_mentoring_call()


def snapshot_list(program_id: int) -> list[SnapshotInfo]:
    return view(program_id).snapshots()


def comparison(program_id: int, before: int, after: int | None) -> Comparison:
    return view(program_id).comparison(before, after)


def frozen(program_id: int, snapshot_id: int | None) -> dict[str, Any]:
    """A snapshot's frozen data, or the program now (``snapshot_id`` None)."""
    return view(program_id).frozen(snapshot_id)


def coalition_counts(program_id: int) -> tuple[int, int]:
    """Live actors and live ties this user may see."""
    return view(program_id).counts()
