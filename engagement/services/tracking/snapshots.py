"""Snapshots: the program frozen at one moment, and what moved between two of them.

A snapshot keeps the live actors, each one's latest assessment (with its quadrant and
salience class under the threshold of the day), the live ties, and the network measures.
One is taken by hand or automatically when a stage is closed. Comparing two snapshots
(or a snapshot with now) lists actors who changed quadrant, salience class or engagement
level, measure changes and ties added or removed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select

from engagement.analysis.movement import MEASURES
from engagement.errors import DuplicateName, NotFound, ValidationFailed
from engagement.frameworks import quadrant, salience_of
from engagement.model import Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require
from engagement.services.coalition import network
from engagement.services.coalition import tables as coalition
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import Stage
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from engagement.storage.queries import tracking as stored
from engagement.storage.tracking_models import Snapshot
from engagement.text import clean_name
from engagement.tracking import SnapshotInfo

_SCORES = ("power", "interest", "legitimacy", "urgency", "engagement_current", "engagement_desired")


def _plain(value: Any) -> Any:
    """JSON-safe plain Python values (no numpy, no NA, rounded floats)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _network_measures(
    actors: pd.DataFrame, ties: pd.DataFrame, threshold: int
) -> list[dict[str, Any]]:
    table = network.actor_measures(network.build_coalition(actors, ties, threshold))
    wanted = ["id", *[m for m in MEASURES if m in table.columns]]
    return [{str(k): _plain(v) for k, v in row.items()} for row in table[wanted].to_dict("records")]


def frozen_from(actors: pd.DataFrame, ties: pd.DataFrame, threshold: int) -> dict[str, Any]:
    """The coalition as a snapshot keeps it (also "now" in comparisons), from the
    coalition's actors and ties (:mod:`engagement.services.coalition.tables`)."""
    frozen_actors, frozen_scores = [], []
    for row in actors.to_dict("records"):
        frozen_actors.append(
            {"id": int(row["id"]), "name": row["name"], "sector": _plain(row["sector"])}
        )
        if pd.isna(row["power"]):
            continue
        scores = {k: _plain(row[k]) for k in (*_SCORES, "stage_id", "assessed_on")}
        power, interest = int(row["power"]), int(row["interest"])
        legit, urgent = bool(row["legitimacy"]), bool(row["urgency"])
        scores |= {
            "actor_id": int(row["id"]),
            "quadrant": quadrant(power, interest, threshold).value,
            "salience": salience_of(power, legit, urgent, threshold).value,
        }
        frozen_scores.append(scores)
    tie_keys = ("source", "target", "tie_type", "strength", "directed", "negative")
    frozen_ties = [{k: _plain(t[k]) for k in tie_keys} for t in ties.to_dict("records")]
    return {
        "threshold": threshold,
        "actors": frozen_actors,
        "assessments": frozen_scores,
        "ties": frozen_ties,
        "measures": _network_measures(actors, ties, threshold),
    }


def take_snapshot(
    db: Database,
    by: Principal,
    program_id: int,
    name: str,
    *,
    note: str = "",
    stage_id: int | None = None,
    stage_closed: bool = False,
    as_of: dt.date | None = None,
) -> SnapshotInfo:
    """Freeze the program under a name unique in the program (as it was on ``as_of``)."""
    require(by, program_id, Action.EDIT_TRACKING)
    name = clean_name(name or "")
    problems = validation.text_rule("name", name, required=True)
    problems += validation.text_rule("note", note, max_len=5000)
    if problems:
        raise ValidationFailed(problems)
    data = _frozen(db, program_id, as_of)
    with db.writing() as session:
        clash = session.scalar(
            select(Snapshot.id).where(Snapshot.program_id == program_id, Snapshot.name == name)
        )
        if clash is not None:
            raise DuplicateName(entity="snapshot", name=name)
        row = Snapshot(
            program_id=program_id,
            name=name,
            # A snapshot dated in the past (as_of) is listed at that date.
            taken_at=dt.datetime.combine(as_of, dt.time(12)) if as_of else utcnow(),
            taken_by=by.username,
            stage_id=stage_id,
            stage_closed=stage_closed,
            note=note.strip(),
            data=data,
        )
        session.add(row)
        session.flush()
        fields = {"name": name, "stage_id": stage_id, "stage_closed": stage_closed}
        audit.record(session, by, program_id, "snapshot", row.id, "create", fields)
        return stored.snapshot_info(row)


def close_stage(
    db: Database,
    by: Principal,
    program_id: int,
    stage_id: int,
    closed_on: dt.date,
    snapshot_name: str,
    *,
    as_of: dt.date | None = None,
) -> SnapshotInfo:
    """Close a stage on a date and take the snapshot that marks it."""
    require(by, program_id, Action.MANAGE_PROGRAM)
    problems = validation.date_rule("closed_on", closed_on, not_future=True)
    if problems:
        raise ValidationFailed(problems)
    with db.writing() as session:
        stage = session.get(Stage, stage_id)
        if stage is None or stage.program_id != program_id:
            raise NotFound(entity="stage", key=stage_id)
        changes = audit.diff({"closed_on": stage.closed_on}, {"closed_on": closed_on})
        stage.closed_on = closed_on
        session.flush()
        audit.record(session, by, program_id, "stage", stage.id, "close", changes)
    return take_snapshot(
        db, by, program_id, snapshot_name, stage_id=stage_id, stage_closed=True, as_of=as_of
    )


def reopen_stage(db: Database, by: Principal, program_id: int, stage_id: int) -> None:
    require(by, program_id, Action.MANAGE_PROGRAM)
    with db.writing() as session:
        stage = session.get(Stage, stage_id)
        if stage is None or stage.program_id != program_id:
            raise NotFound(entity="stage", key=stage_id)
        if stage.closed_on is None:
            return
        changes = {"closed_on": [stage.closed_on.isoformat(), None]}
        stage.closed_on = None
        session.flush()
        audit.record(session, by, program_id, "stage", stage.id, "reopen", changes)


def delete_snapshot(db: Database, by: Principal, snapshot_id: int) -> None:
    with db.writing() as session:
        row = session.get(Snapshot, snapshot_id)
        if row is None:
            raise NotFound(entity="snapshot", key=snapshot_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        changes = {"name": [row.name, None]}
        audit.record(session, by, row.program_id, "snapshot", row.id, "delete", changes)
        session.delete(row)


def _frozen(db: Database, program_id: int, as_of: dt.date | None) -> dict[str, Any]:
    """The program now, frozen; ``as_of`` keeps the assessments made up to that date and
    the ties valid on it (the demo programs date their stage-closing snapshots so)."""
    with db.snapshot():
        threshold = stored_programs.get_program(db, program_id).power_threshold
        registry = stored_registry.actors_frame(db, program_id)
        history = stored_registry.assessments_frame(db, program_id)
        ties = stored_registry.relationships_frame(db, program_id)
    actors = coalition.coalition_actors_from(registry, history, as_of=as_of)
    return frozen_from(actors, coalition.coalition_ties_from(ties, on_date=as_of), threshold)


def frozen_measures(frozen: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The network measures of a frozen state's actors and ties: for a reader who may not
    see every actor, the measures of the network they see (computed again, so that a
    comparison never reflects a tie they cannot see)."""
    actors = pd.DataFrame(frozen.get("actors", []), columns=["id", "name", "sector"])
    ties = pd.DataFrame(
        frozen.get("ties", []),
        columns=["source", "target", "tie_type", "strength", "directed", "negative"],
    )
    return _network_measures(actors, ties, int(frozen.get("threshold", 3)))
