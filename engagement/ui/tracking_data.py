"""Cached reads of engagement tracking, keyed by the program's data version.

Each function is recomputed once after a change in the program and then served from the
cache, so the dashboard's rerun cost does not grow with the size of the program. Results
are plain frames and dataclasses (safe to cache and to share between users).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import func, select

from engagement.config import load_settings
from engagement.services import (
    activities,
    changes,
    commitments,
    dashboard,
    evidence,
    inputs,
    ogp,
    snapshots,
    tasks,
)
from engagement.services.movement import Comparison
from engagement.storage.models import Actor, Relationship
from engagement.tracking import ChecklistItem
from engagement.ui.context import program, program_version
from engagement.ui.database import _database


def _url() -> str:
    return load_settings().database_url


def as_of(program_id: int) -> dt.date:
    """The day figures are computed for: today, or the end of a program that has ended."""
    return _as_of(_url(), program_id, program_version(program_id), dt.date.today())


@st.cache_data(show_spinner=False, max_entries=64)
def _as_of(url: str, program_id: int, version: int, today: dt.date) -> dt.date:
    return ogp.evaluation_date(program(program_id), today)


@st.cache_data(show_spinner=False, max_entries=128)
def _table(url: str, program_id: int, version: int, what: str, today: dt.date) -> pd.DataFrame:
    db = _database(url)
    loaders: dict[str, Any] = {
        "activities": lambda: activities.activities_frame(db, program_id),
        "deleted_activities": lambda: activities.activities_frame(db, program_id, deleted=True),
        "attendance": lambda: activities.attendance_frame(db, program_id),
        "tasks": lambda: tasks.tasks_frame(db, program_id, today=today),
        "inputs": lambda: inputs.inputs_frame(db, program_id),
        "waiting": lambda: inputs.awaiting_response(db, program_id, today=today),
        "commitments": lambda: commitments.commitments_frame(db, program_id, today=today),
        "evidence": lambda: evidence.evidence_frame(db, program_id),
        "stale": lambda: dashboard.stale_key_players(db, program_id, today=today),
        "co_participation": lambda: activities.co_participation_ties(db, program_id),
    }
    frame: pd.DataFrame = loaders[what]()
    return frame


def table(program_id: int, what: str) -> pd.DataFrame:
    """A cached tracking table (activities, attendance, tasks, inputs, waiting,
    commitments, evidence, stale, co_participation, deleted_activities); a copy."""
    version = program_version(program_id)
    return _table(_url(), program_id, version, what, as_of(program_id)).copy()


@st.cache_data(show_spinner=False, max_entries=64)
def _board(
    url: str, program_id: int, version: int, stage_id: int | None, today: dt.date
) -> dashboard.Dashboard:
    return dashboard.dashboard(_database(url), program_id, stage_id=stage_id, today=today)


def board(program_id: int, stage_id: int | None) -> dashboard.Dashboard:
    version = program_version(program_id)
    return _board(_url(), program_id, version, stage_id, as_of(program_id))


@st.cache_data(show_spinner=False, max_entries=64)
def _checklist(url: str, program_id: int, version: int, today: dt.date) -> list[ChecklistItem]:
    return ogp.checklist(_database(url), program_id, today=today)


def checklist(program_id: int) -> list[ChecklistItem]:
    return _checklist(_url(), program_id, program_version(program_id), as_of(program_id))


@st.cache_data(show_spinner=False, max_entries=64)
def _changes(url: str, program_id: int, version: int, since: dt.date) -> changes.Changes:
    return changes.changes_since(_database(url), program_id, since)


def changes_since(program_id: int, since: dt.date) -> changes.Changes:
    return _changes(_url(), program_id, program_version(program_id), since)


@st.cache_data(show_spinner=False, max_entries=64)
def _last_call(url: str, program_id: int, version: int, today: dt.date) -> dt.date | None:
    return changes.last_mentoring_call(_database(url), program_id, today=today)


def last_mentoring_call(program_id: int) -> dt.date | None:
    return _last_call(_url(), program_id, program_version(program_id), as_of(program_id))


@st.cache_data(show_spinner=False, max_entries=64)
def _snapshots(url: str, program_id: int, version: int) -> list[snapshots.SnapshotInfo]:
    return snapshots.list_snapshots(_database(url), program_id)


def snapshot_list(program_id: int) -> list[snapshots.SnapshotInfo]:
    return _snapshots(_url(), program_id, program_version(program_id))


@st.cache_data(show_spinner=False, max_entries=16)
def _comparison(
    url: str, program_id: int, version: int, before: int, after: int | None
) -> Comparison:
    return snapshots.compare_snapshots(_database(url), program_id, before, after)


def comparison(program_id: int, before: int, after: int | None) -> Comparison:
    return _comparison(_url(), program_id, program_version(program_id), before, after)


@st.cache_data(show_spinner=False, max_entries=16)
def _frozen(url: str, program_id: int, version: int, snapshot_id: int | None) -> dict[str, Any]:
    db = _database(url)
    if snapshot_id is None:
        return snapshots.frozen_state(db, program_id)
    return snapshots.snapshot_data(db, snapshot_id)


def frozen(program_id: int, snapshot_id: int | None) -> dict[str, Any]:
    """A snapshot's frozen data, or the program now (``snapshot_id`` None)."""
    return _frozen(_url(), program_id, program_version(program_id), snapshot_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _counts(url: str, program_id: int, version: int) -> tuple[int, int]:

    with _database(url).reading() as session:
        actors = session.scalar(
            select(func.count()).where(Actor.program_id == program_id, Actor.deleted_at.is_(None))
        )
        ties = session.scalar(
            select(func.count()).where(
                Relationship.program_id == program_id, Relationship.deleted_at.is_(None)
            )
        )
    return int(actors or 0), int(ties or 0)


def coalition_counts(program_id: int) -> tuple[int, int]:
    """Live actors and live ties of the program (cheap: two counts, cached)."""
    return _counts(_url(), program_id, program_version(program_id))
