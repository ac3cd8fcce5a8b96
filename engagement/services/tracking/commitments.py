"""Commitments: what the program promised, who answers for it, milestones and status.

A commitment is overdue when it is still open or in progress after its due date, and
stalled when nothing about it (its fields or a milestone) changed for the program's
staleness period (``Program.stale_days``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from engagement.errors import NotFound, Problem, ValidationFailed
from engagement.model import Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require
from engagement.services.concurrency import check_version
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import (
    Activity,
    Actor,
    Commitment,
    CommitmentActivity,
    CommitmentActor,
    CommitmentInput,
    Input,
    Milestone,
    Program,
    Stage,
)
from engagement.text import clean_name
from engagement.tracking import CommitmentInfo, MilestoneInput
from engagement.tracking import CommitmentInput as CommitmentValues
from engagement.values import OPEN_COMMITMENTS, CommitmentStatus

_FIELDS = ("title", "description", "stage_id", "responsible_id", "start_on", "due_on", "status")


def clean_commitment(item: CommitmentValues) -> tuple[CommitmentValues, list[Problem]]:
    co = tuple(dict.fromkeys(i for i in item.co_responsible_ids if i != item.responsible_id))
    milestones = tuple(replace(m, title=clean_name(m.title or "")) for m in item.milestones)
    cleaned = replace(
        item,
        title=clean_name(item.title or ""),
        description=(item.description or "").strip(),
        co_responsible_ids=co,
        activity_ids=tuple(dict.fromkeys(item.activity_ids)),
        input_ids=tuple(dict.fromkeys(item.input_ids)),
        milestones=milestones,
    )
    problems = validation.text_rule("title", cleaned.title, required=True, max_len=300)
    problems += validation.text_rule("description", cleaned.description, max_len=20000)
    problems += validation.date_rule("start_on", cleaned.start_on)
    problems += validation.date_rule("due_on", cleaned.due_on)
    problems += validation.date_order_rule(cleaned.start_on, cleaned.due_on, "due_on")
    if CommitmentStatus.parse(cleaned.status) is None:
        problems.append(Problem("status", "not_in_list", {"value": cleaned.status}))
    for n, m in enumerate(milestones, start=1):
        found = validation.text_rule("milestone", m.title, required=True, max_len=300)
        found += validation.int_rule("progress", m.progress, 0, 100)
        found += validation.date_rule("due_on", m.due_on)
        problems += [Problem(p.field, p.code, p.params, row=n) for p in found]
    return cleaned, problems


def _ref_problems(session: Session, program_id: int, item: CommitmentValues) -> list[Problem]:
    problems: list[Problem] = []
    actor_ids = {item.responsible_id, *item.co_responsible_ids} - {None}
    live = set(
        session.scalars(
            select(Actor.id).where(
                Actor.id.in_(actor_ids), Actor.program_id == program_id, Actor.deleted_at.is_(None)
            )
        )
    )
    problems += [Problem("actor", "unknown_actor", {"value": i}) for i in actor_ids - live]
    for field, model, ids in (
        ("activity", Activity, set(item.activity_ids)),
        ("input", Input, set(item.input_ids)),
    ):
        found = set(
            session.scalars(
                select(model.id).where(model.id.in_(ids), model.program_id == program_id)
            )
        )
        problems += [Problem(field, "not_in_list", {"value": i}) for i in ids - found]
    if item.stage_id is not None:
        stage = session.get(Stage, item.stage_id)
        if stage is None or stage.program_id != program_id:
            problems.append(Problem("stage", "not_in_list", {"value": item.stage_id}))
    return problems


def _validated(session: Session, program_id: int, item: CommitmentValues) -> CommitmentValues:
    cleaned, problems = clean_commitment(item)
    problems += _ref_problems(session, program_id, cleaned)
    if problems:
        raise ValidationFailed(problems)
    return cleaned


def _audit_values(item: CommitmentValues) -> dict[str, object]:
    values = {k: getattr(item, k) for k in _FIELDS}
    values["co_responsible_ids"] = sorted(item.co_responsible_ids)
    values["activity_ids"] = sorted(item.activity_ids)
    values["input_ids"] = sorted(item.input_ids)
    values["milestones"] = [[m.title, m.due_on, m.progress] for m in item.milestones]
    return values


def insert_commitment(
    session: Session, by: Principal, program_id: int, item: CommitmentValues
) -> Commitment:
    cleaned = _validated(session, program_id, item)
    row = Commitment(program_id=program_id, **{k: getattr(cleaned, k) for k in _FIELDS})
    session.add(row)
    session.flush()
    _set_links(session, row.id, cleaned)
    row.milestones = [
        Milestone(title=m.title, due_on=m.due_on, progress=m.progress, position=i)
        for i, m in enumerate(cleaned.milestones)
    ]
    session.flush()
    changes = _audit_values(cleaned)
    audit.record(session, by, program_id, "commitment", row.id, "create", changes)
    return row


def add_commitment(
    db: Database, by: Principal, program_id: int, item: CommitmentValues
) -> CommitmentInfo:
    require(by, program_id, Action.EDIT_TRACKING)
    with db.writing() as session:
        return _info(session, insert_commitment(session, by, program_id, item))


def update_commitment(
    db: Database,
    by: Principal,
    commitment_id: int,
    item: CommitmentValues,
    expected_version: int | None,
) -> CommitmentInfo:
    """Replace a commitment's values, links and milestones (kept by id); audit the diff."""
    with db.writing() as session:
        row = _live(session, commitment_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        check_version(session, "commitment", row.id, row.title, row.version, expected_version)
        cleaned = _validated(session, row.program_id, item)
        before = _audit_values(_values(session, row))
        changes = audit.diff(before, _audit_values(cleaned))
        if not changes:
            return _info(session, row)
        for key in _FIELDS:
            setattr(row, key, getattr(cleaned, key))
        _set_links(session, row.id, cleaned)
        _set_milestones(row, cleaned.milestones)
        row.updated_at = utcnow()
        session.flush()
        audit.record(session, by, row.program_id, "commitment", row.id, "update", changes)
        return _info(session, row)


def set_status(
    db: Database, by: Principal, commitment_id: int, status: str, expected_version: int | None
) -> CommitmentInfo:
    with db.writing() as session:
        row = _live(session, commitment_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        check_version(session, "commitment", row.id, row.title, row.version, expected_version)
        if CommitmentStatus.parse(status) is None:
            raise ValidationFailed([Problem("status", "not_in_list", {"value": status})])
        if status != row.status:
            changes = {"status": [row.status, status]}
            row.status = CommitmentStatus(status)
            session.flush()
            audit.record(session, by, row.program_id, "commitment", row.id, "update", changes)
        return _info(session, row)


def set_milestone_progress(
    db: Database, by: Principal, milestone_id: int, progress: int
) -> CommitmentInfo:
    """Move one milestone's progress (0–100 %)."""
    problems = validation.int_rule("progress", progress, 0, 100)
    if problems:
        raise ValidationFailed(problems)
    with db.writing() as session:
        milestone = session.get(Milestone, milestone_id)
        if milestone is None:
            raise NotFound(entity="milestone", key=milestone_id)
        row = _live(session, milestone.commitment_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        if milestone.progress != progress:
            changes = {"progress": [milestone.progress, progress], "milestone": milestone.title}
            milestone.progress = progress
            session.flush()
            audit.record(session, by, row.program_id, "milestone", milestone.id, "update", changes)
        return _info(session, row)


def delete_commitment(db: Database, by: Principal, commitment_id: int) -> None:
    with db.writing() as session:
        row = _live(session, commitment_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        audit.mark_deleted(session, by, row, "commitment", deleted=True)


def restore_commitment(db: Database, by: Principal, commitment_id: int) -> CommitmentInfo:
    with db.writing() as session:
        row = session.get(Commitment, commitment_id)
        if row is None or row.deleted_at is None:
            raise NotFound(entity="commitment", key=commitment_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        audit.mark_deleted(session, by, row, "commitment", deleted=False)
        return _info(session, row)


def get_commitment(db: Database, commitment_id: int) -> CommitmentInfo:
    with db.reading() as session:
        row = session.get(Commitment, commitment_id)
        if row is None:
            raise NotFound(entity="commitment", key=commitment_id)
        return _info(session, row)


def _set_links(session: Session, commitment_id: int, item: CommitmentValues) -> None:
    for model, column, ids in (
        (CommitmentActor, CommitmentActor.actor_id, item.co_responsible_ids),
        (CommitmentActivity, CommitmentActivity.activity_id, item.activity_ids),
        (CommitmentInput, CommitmentInput.input_id, item.input_ids),
    ):
        session.execute(delete(model).where(model.commitment_id == commitment_id))
        session.add_all(model(commitment_id=commitment_id, **{column.key: i}) for i in ids)


def _set_milestones(row: Commitment, wanted: tuple[MilestoneInput, ...]) -> None:
    existing = {m.id: m for m in row.milestones}
    kept: list[Milestone] = []
    for position, m in enumerate(wanted):
        milestone = existing.get(m.id) if m.id is not None else None
        if milestone is None:
            milestone = Milestone(title=m.title)
        milestone.title, milestone.due_on = m.title, m.due_on
        milestone.progress, milestone.position = m.progress, position
        kept.append(milestone)
    row.milestones = kept


def _linked(session: Session, model: type, column: str, commitment_id: int) -> tuple[int, ...]:
    stmt = select(getattr(model, column)).where(model.commitment_id == commitment_id)  # type: ignore[attr-defined]
    return tuple(sorted(session.scalars(stmt)))


def _values(session: Session, row: Commitment) -> CommitmentValues:
    return CommitmentValues(
        **{k: getattr(row, k) for k in _FIELDS},
        co_responsible_ids=_linked(session, CommitmentActor, "actor_id", row.id),
        activity_ids=_linked(session, CommitmentActivity, "activity_id", row.id),
        input_ids=_linked(session, CommitmentInput, "input_id", row.id),
        milestones=tuple(
            MilestoneInput(title=m.title, due_on=m.due_on, progress=m.progress, id=m.id)
            for m in row.milestones
        ),
    )


def progress_of(milestone_progress: list[int], status: str) -> int:
    """Mean milestone progress; without milestones, 100 when done, else 0."""
    if milestone_progress:
        return round(sum(milestone_progress) / len(milestone_progress))
    return 100 if status == "done" else 0


def _info(session: Session, row: Commitment) -> CommitmentInfo:
    values = _values(session, row)
    return CommitmentInfo(
        id=row.id,
        program_id=row.program_id,
        **asdict(values) | {"milestones": values.milestones},
        progress=progress_of([m.progress for m in values.milestones], row.status),
        version=row.version,
    )


def _live(session: Session, commitment_id: int) -> Commitment:
    row = session.get(Commitment, commitment_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(entity="commitment", key=commitment_id)
    return row


COMMITMENT_COLUMNS = [
    "id", "title", "description", "stage_id", "responsible_id", "responsible",
    "co_responsible", "start_on", "due_on", "status", "progress", "milestones",
    "activities", "inputs", "last_update", "overdue", "stalled", "version",
]  # fmt: skip


def commitments_frame(
    db: Database, program_id: int, *, today: dt.date | None = None
) -> pd.DataFrame:
    """Live commitments, earliest due first, flagged ``overdue`` and ``stalled``.

    Links and milestones are read in one query each, whatever the number of commitments.
    """
    today = today or dt.date.today()
    with db.reading() as session:
        stale_days = session.scalar(select(Program.stale_days).where(Program.id == program_id))
        names = dict(
            session.execute(
                select(Actor.id, Actor.name).where(Actor.program_id == program_id)
            ).all()
        )
        stmt = (
            select(Commitment)
            .where(Commitment.program_id == program_id, Commitment.deleted_at.is_(None))
            .order_by(Commitment.due_on.is_(None), Commitment.due_on, Commitment.id)
        )
        promised = list(session.scalars(stmt))
        links = _links_by_commitment(session, program_id)
        steps = _milestones_by_commitment(session, program_id)
        rows = [
            _frame_row(row, links, steps.get(row.id, []), names, today, stale_days or 45)
            for row in promised
        ]
    return pd.DataFrame(rows, columns=COMMITMENT_COLUMNS)


def _links_by_commitment(session: Session, program_id: int) -> dict[str, dict[int, list[int]]]:
    found: dict[str, dict[int, list[int]]] = {}
    for name, model, column in (
        ("co_responsible", CommitmentActor, CommitmentActor.actor_id),
        ("activities", CommitmentActivity, CommitmentActivity.activity_id),
        ("inputs", CommitmentInput, CommitmentInput.input_id),
    ):
        stmt = (
            select(model.commitment_id, column)
            .join(Commitment, Commitment.id == model.commitment_id)
            .where(Commitment.program_id == program_id)
            .order_by(model.commitment_id, column)
        )
        by_commitment: dict[int, list[int]] = {}
        for commitment_id, linked in session.execute(stmt):
            by_commitment.setdefault(commitment_id, []).append(linked)
        found[name] = by_commitment
    return found


def _milestones_by_commitment(
    session: Session, program_id: int
) -> dict[int, list[tuple[int, dt.datetime]]]:
    stmt = (
        select(Milestone.commitment_id, Milestone.progress, Milestone.updated_at)
        .join(Commitment, Commitment.id == Milestone.commitment_id)
        .where(Commitment.program_id == program_id)
    )
    found: dict[int, list[tuple[int, dt.datetime]]] = {}
    for commitment_id, progress, updated_at in session.execute(stmt):
        found.setdefault(commitment_id, []).append((progress, updated_at))
    return found


def _frame_row(
    row: Commitment,
    links: dict[str, dict[int, list[int]]],
    steps: list[tuple[int, dt.datetime]],
    names: dict[int, str],
    today: dt.date,
    stale_days: int,
) -> dict[str, object]:
    last = max([row.updated_at, *(updated for _p, updated in steps)])
    active = row.status in OPEN_COMMITMENTS
    return {
        **{k: getattr(row, k) for k in _FIELDS},
        "id": row.id,
        "responsible": names.get(row.responsible_id, "") if row.responsible_id else "",
        "co_responsible": [names.get(i, "") for i in links["co_responsible"].get(row.id, [])],
        "progress": progress_of([p for p, _u in steps], row.status),
        "milestones": len(steps),
        "activities": len(links["activities"].get(row.id, [])),
        "inputs": len(links["inputs"].get(row.id, [])),
        "last_update": last,
        "overdue": active and row.due_on is not None and row.due_on < today,
        "stalled": active and (today - last.date()).days > stale_days,
        "version": row.version,
    }


def milestones_frame(db: Database, commitment_id: int) -> pd.DataFrame:
    stmt = (
        select(Milestone.id, Milestone.title, Milestone.due_on, Milestone.progress)
        .where(Milestone.commitment_id == commitment_id)
        .order_by(Milestone.position, Milestone.id)
    )
    with db.reading() as session:
        rows = [tuple(r) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=["id", "title", "due_on", "progress"])


def commitment_counts(db: Database, program_id: int) -> dict[str, int]:
    """Live commitments by status (every status present, zero when none)."""
    stmt = (
        select(Commitment.status, func.count())
        .where(Commitment.program_id == program_id, Commitment.deleted_at.is_(None))
        .group_by(Commitment.status)
    )
    with db.reading() as session:
        found = dict(session.execute(stmt).all())
    return {status.value: int(found.get(status, 0)) for status in CommitmentStatus}
