"""Engagement tracking's rows: inputs, commitments, evidence and snapshots of a program."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import NotFound
from engagement.storage.db import Database
from engagement.storage.models import Actor
from engagement.storage.tracking_models import (
    Activity,
    Commitment,
    CommitmentActivity,
    CommitmentActor,
    CommitmentInput,
    EvidenceItem,
    Input,
    Milestone,
    Snapshot,
)
from engagement.tracking import CommitmentInput as CommitmentValues
from engagement.tracking import InputInfo, MilestoneInput, SnapshotInfo

#: A commitment's own fields.
COMMITMENT_FIELDS = (
    "title", "description", "stage_id", "responsible_id", "start_on", "due_on", "status",
)  # fmt: skip


def input_info(row: Input) -> InputInfo:
    return InputInfo(
        id=row.id,
        program_id=row.program_id,
        text=row.text,
        received_on=row.received_on,
        actor_id=row.actor_id,
        topic=row.topic,
        activity_id=row.activity_id,
        stage_id=row.stage_id,
        response=row.response,
        reasoning=row.reasoning,
        responded_on=row.responded_on,
        responded_by=row.responded_by,
        version=row.version,
    )


#: Columns of :func:`inputs_frame`: the input's fields, who raised it, its activity.
INPUT_COLUMNS = [
    "id", "received_on", "text", "actor_id", "actor", "topic", "activity_id", "activity",
    "stage_id", "response", "reasoning", "responded_on", "responded_by", "version",
]  # fmt: skip


def inputs_frame(db: Database, program_id: int) -> pd.DataFrame:
    """Live inputs, newest first; ``actor`` is empty for anonymous ones."""
    stmt = (
        select(Input, Actor.name, Activity.title)
        .outerjoin(Actor, Input.actor_id == Actor.id)
        .outerjoin(Activity, Input.activity_id == Activity.id)
        .where(Input.program_id == program_id, Input.deleted_at.is_(None))
        .order_by(Input.received_on.desc(), Input.id.desc())
    )
    with db.reading() as session:
        rows = [
            asdict(input_info(row)) | {"actor": name or "", "activity": title or ""}
            for row, name, title in session.execute(stmt)
        ]
    return pd.DataFrame(rows, columns=INPUT_COLUMNS)


EVIDENCE_COLUMNS = [
    "id", "published_on", "kind", "title", "url", "activity_id", "commitment_id",
]  # fmt: skip


def evidence_frame(db: Database, program_id: int) -> pd.DataFrame:
    """Live evidence items, newest first."""
    stmt = (
        select(EvidenceItem)
        .where(EvidenceItem.program_id == program_id, EvidenceItem.deleted_at.is_(None))
        .order_by(EvidenceItem.published_on.desc(), EvidenceItem.id.desc())
    )
    with db.reading() as session:
        rows = [{c: getattr(e, c) for c in EVIDENCE_COLUMNS} for e in session.scalars(stmt)]
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


#: Columns of :func:`commitments_frame`: the commitment's fields, the names of who answers
#: for it, its milestones' progress, how many activities and inputs it links, and when
#: it or a milestone last changed.
COMMITMENT_COLUMNS = [
    "id", "title", "description", "stage_id", "responsible_id", "responsible",
    "co_responsible", "start_on", "due_on", "status", "milestone_progress", "milestones",
    "activities", "inputs", "last_update", "version",
]  # fmt: skip


def commitments_frame(db: Database, program_id: int) -> pd.DataFrame:
    """Live commitments, earliest due first.

    Links and milestones are read in one query each, whatever the number of commitments.
    """
    stmt = (
        select(Commitment, Actor.name)
        .outerjoin(Actor, Actor.id == Commitment.responsible_id)
        .where(Commitment.program_id == program_id, Commitment.deleted_at.is_(None))
        .order_by(Commitment.due_on.is_(None), Commitment.due_on, Commitment.id)
    )
    with db.reading() as session:
        promised = session.execute(stmt).all()
        co = _co_responsible(session, program_id)
        counts = {
            name: _link_counts(session, program_id, model)
            for name, model in (("activities", CommitmentActivity), ("inputs", CommitmentInput))
        }
        steps = _milestones(session, program_id)
        rows = [_commitment_row(row, name, co, counts, steps) for row, name in promised]
    return pd.DataFrame(rows, columns=COMMITMENT_COLUMNS)


def _commitment_row(
    row: Commitment,
    responsible: str | None,
    co: dict[int, list[str]],
    counts: dict[str, dict[int, int]],
    steps: dict[int, list[tuple[int, dt.datetime]]],
) -> dict[str, Any]:
    progress = [p for p, _at in steps.get(row.id, [])]
    changed = [at for _p, at in steps.get(row.id, [])]
    return {k: getattr(row, k) for k in COMMITMENT_FIELDS} | {
        "id": row.id,
        "responsible": responsible or "",
        "co_responsible": co.get(row.id, []),
        "milestone_progress": progress,
        "milestones": len(progress),
        "activities": counts["activities"].get(row.id, 0),
        "inputs": counts["inputs"].get(row.id, 0),
        "last_update": max([row.updated_at, *changed]),
        "version": row.version,
    }


def _co_responsible(session: Session, program_id: int) -> dict[int, list[str]]:
    stmt = (
        select(CommitmentActor.commitment_id, Actor.name)
        .join(Commitment, Commitment.id == CommitmentActor.commitment_id)
        .join(Actor, Actor.id == CommitmentActor.actor_id)
        .where(Commitment.program_id == program_id)
        .order_by(CommitmentActor.commitment_id, CommitmentActor.actor_id)
    )
    found: dict[int, list[str]] = {}
    for commitment_id, name in session.execute(stmt):
        found.setdefault(commitment_id, []).append(name)
    return found


def _link_counts(session: Session, program_id: int, model: Any) -> dict[int, int]:
    stmt = (
        select(model.commitment_id)
        .join(Commitment, Commitment.id == model.commitment_id)
        .where(Commitment.program_id == program_id)
    )
    found: dict[int, int] = {}
    for (commitment_id,) in session.execute(stmt):
        found[commitment_id] = found.get(commitment_id, 0) + 1
    return found


def _milestones(session: Session, program_id: int) -> dict[int, list[tuple[int, dt.datetime]]]:
    stmt = (
        select(Milestone.commitment_id, Milestone.progress, Milestone.updated_at)
        .join(Commitment, Commitment.id == Milestone.commitment_id)
        .where(Commitment.program_id == program_id)
    )
    found: dict[int, list[tuple[int, dt.datetime]]] = {}
    for commitment_id, progress, updated_at in session.execute(stmt):
        found.setdefault(commitment_id, []).append((progress, updated_at))
    return found


def commitment_values(session: Session, row: Commitment) -> CommitmentValues:
    """A commitment row's values, its links and milestones included (read in ``session``)."""

    def linked(model: Any, column: str) -> tuple[int, ...]:
        stmt = select(getattr(model, column)).where(model.commitment_id == row.id)
        return tuple(sorted(session.scalars(stmt)))

    return CommitmentValues(
        **{k: getattr(row, k) for k in COMMITMENT_FIELDS},
        co_responsible_ids=linked(CommitmentActor, "actor_id"),
        activity_ids=linked(CommitmentActivity, "activity_id"),
        input_ids=linked(CommitmentInput, "input_id"),
        milestones=tuple(
            MilestoneInput(title=m.title, due_on=m.due_on, progress=m.progress, id=m.id)
            for m in row.milestones
        ),
    )


def get_commitment(db: Database, commitment_id: int) -> tuple[int, int, CommitmentValues]:
    """A commitment's program, version and values (live or deleted).

    Raises
    ------
    NotFound
        If there is no such commitment.
    """
    with db.reading() as session:
        row = session.get(Commitment, commitment_id)
        if row is None:
            raise NotFound(entity="commitment", key=commitment_id)
        return row.program_id, row.version, commitment_values(session, row)


def snapshot_info(row: Snapshot) -> SnapshotInfo:
    data = row.data or {}
    return SnapshotInfo(
        id=row.id,
        name=row.name,
        taken_at=row.taken_at,
        taken_by=row.taken_by,
        stage_id=row.stage_id,
        stage_closed=row.stage_closed,
        note=row.note,
        actors=len(data.get("actors", [])),
        ties=len(data.get("ties", [])),
    )


def snapshots(db: Database, program_id: int) -> list[tuple[SnapshotInfo, dict[str, Any]]]:
    """The program's snapshots, newest first, each with its frozen data, in one query."""
    stmt = (
        select(Snapshot)
        .where(Snapshot.program_id == program_id)
        .order_by(Snapshot.taken_at.desc(), Snapshot.id.desc())
    )
    with db.reading() as session:
        return [(snapshot_info(row), dict(row.data or {})) for row in session.scalars(stmt)]
