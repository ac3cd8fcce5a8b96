"""The demo programs' history dated as it happened.

Loading a demo writes every record in a few seconds, so the audit trail would say that
all 54 actors, every tie and every assessment were recorded today, and "since the last
mentoring call" would count them all as new. Each audit entry of a freshly loaded demo is
moved to the illustrative date of what it records: an assessment to its date, an activity
to the day it was held, a response to the day it was given, an actor to its first
assessment (or its first tie, or the program's start), and so on. The snapshots taken
when a stage was closed are dated at the closing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engagement.storage.db import Database
from engagement.storage.models import Actor, Assessment, AuditEntry, Program, Relationship, Stage
from engagement.storage.tracking_models import (
    Activity,
    Commitment,
    EvidenceItem,
    FollowUpTask,
    Input,
    Snapshot,
)

#: The hour given to a backdated entry (the illustrative data carry days, not times).
NOON = dt.time(12, 0)


def date_demo_history(db: Database, program_id: int) -> int:
    """Move the audit entries of the demo program ``program_id`` to the dates of what
    they record; returns how many entries were dated."""
    with db.writing() as session:
        dates = _record_dates(session, program_id)
        entries = session.execute(
            select(AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action)
            .where(AuditEntry.program_id == program_id)
        ).all()  # fmt: skip
        moved = 0
        for entry_id, entity, entity_id, action in entries:
            day = dates.get((entity, action), {}).get(entity_id) or dates.get(
                (entity, "create"), {}
            ).get(entity_id)
            if day is None:
                continue
            at = dt.datetime.combine(day, NOON)
            session.execute(update(AuditEntry).where(AuditEntry.id == entry_id).values(at=at))
            moved += 1
        for snapshot_id, day in dates.get(("snapshot", "create"), {}).items():
            at = dt.datetime.combine(day, NOON)
            session.execute(update(Snapshot).where(Snapshot.id == snapshot_id).values(taken_at=at))
    return moved


def _pairs(session: Session, key: object, value: object, where: object) -> dict[int, dt.date]:
    rows = session.execute(select(key, value).where(where))  # type: ignore[call-overload]
    return {int(k): v for k, v in rows if v is not None}


def _record_dates(session: Session, pid: int) -> dict[tuple[str, str], dict[int, dt.date]]:
    """(entity, action) -> {record id: the date it happened}."""
    start = session.scalar(select(Program.start_date).where(Program.id == pid)) or dt.date.today()
    assessed = {
        int(i): day
        for i, day in session.execute(
            select(Assessment.id, Assessment.assessed_on)
            .join(Actor, Assessment.actor_id == Actor.id)
            .where(Actor.program_id == pid)
        )
    }
    held = _pairs(session, Activity.id, Activity.held_on, Activity.program_id == pid)
    actor_days = _actor_days(session, pid, start)
    ties = {
        int(i): valid or max(actor_days.get(s, start), actor_days.get(t, start))
        for i, s, t, valid in session.execute(
            select(Relationship.id, Relationship.source_id, Relationship.target_id,
                   Relationship.valid_from).where(Relationship.program_id == pid)
        )
    }  # fmt: skip
    tasks = {
        int(i): held[int(a)]
        for i, a in session.execute(
            select(FollowUpTask.id, FollowUpTask.activity_id).where(FollowUpTask.program_id == pid)
        )
        if a is not None and int(a) in held
    }
    closed = _pairs(session, Stage.id, Stage.closed_on, Stage.program_id == pid)
    snapshots = {
        int(i): closed[int(s)]
        for i, s in session.execute(
            select(Snapshot.id, Snapshot.stage_id).where(Snapshot.program_id == pid)
        )
        if s is not None and int(s) in closed
    }
    commitments = _pairs(session, Commitment.id, Commitment.start_on, Commitment.program_id == pid)
    return {
        ("program", "create"): {pid: start},
        ("actor", "create"): actor_days,
        ("relationship", "create"): ties,
        ("assessment", "create"): assessed,
        ("activity", "create"): held,
        ("follow_up_task", "create"): tasks,
        ("input", "create"): _pairs(session, Input.id, Input.received_on, Input.program_id == pid),
        ("input", "respond"): _pairs(
            session, Input.id, Input.responded_on, Input.program_id == pid
        ),
        ("commitment", "create"): {
            int(i): commitments.get(int(i), start)
            for i in session.scalars(select(Commitment.id).where(Commitment.program_id == pid))
        },
        ("evidence_item", "create"): _pairs(
            session, EvidenceItem.id, EvidenceItem.published_on, EvidenceItem.program_id == pid
        ),
        ("stage", "close"): closed,
        ("snapshot", "create"): snapshots,
    }


def _actor_days(session: Session, pid: int, start: dt.date) -> dict[int, dt.date]:
    """Each actor's first appearance: its first assessment, else its first dated tie,
    else the program's start."""
    first: dict[int, dt.date] = {}
    rows = session.execute(
        select(Assessment.actor_id, Assessment.assessed_on)
        .join(Actor, Assessment.actor_id == Actor.id)
        .where(Actor.program_id == pid)
    )
    for actor_id, day in rows:
        first[int(actor_id)] = min(day, first.get(int(actor_id), day))
    ties = session.execute(
        select(Relationship.source_id, Relationship.target_id, Relationship.valid_from).where(
            Relationship.program_id == pid, Relationship.valid_from.is_not(None)
        )
    )
    for source, target, valid_from in ties:
        for actor_id in (int(source), int(target)):
            if actor_id not in first and valid_from is not None:
                first[actor_id] = valid_from
    actors = session.scalars(select(Actor.id).where(Actor.program_id == pid))
    return {int(a): first.get(int(a), start) for a in actors}
