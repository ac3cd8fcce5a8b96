"""Commitments: what the program promised, who answers for it, milestones and status.

A commitment is overdue when it is still open or in progress after its due date, and
stalled when nothing about it (its fields or a milestone) changed for the program's
staleness period (``Program.stale_days``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engagement.errors import NotFound, Problem, ValidationFailed
from engagement.model import Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require
from engagement.services.concurrency import check_version
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import Actor, Stage
from engagement.storage.queries import tracking as stored
from engagement.storage.tracking_models import (
    Activity,
    Commitment,
    CommitmentActivity,
    CommitmentActor,
    CommitmentInput,
    Input,
    Milestone,
)
from engagement.text import clean_name
from engagement.tracking import CommitmentInfo, MilestoneInput
from engagement.tracking import CommitmentInput as CommitmentValues
from engagement.values import OPEN_COMMITMENTS, CommitmentStatus

_FIELDS = stored.COMMITMENT_FIELDS


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
        before = _audit_values(stored.commitment_values(session, row))
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


def progress_of(milestone_progress: list[int], status: str) -> int:
    """Mean milestone progress; without milestones, 100 when done, else 0."""
    if milestone_progress:
        return round(sum(milestone_progress) / len(milestone_progress))
    return 100 if status == "done" else 0


def _info(session: Session, row: Commitment) -> CommitmentInfo:
    return commitment_info(
        row.id, row.program_id, row.version, stored.commitment_values(session, row)
    )


def commitment_info(
    commitment_id: int, program_id: int, version: int, values: CommitmentValues
) -> CommitmentInfo:
    """A commitment's record: its values and its progress (:func:`progress_of`)."""
    return CommitmentInfo(
        id=commitment_id,
        program_id=program_id,
        **asdict(values) | {"milestones": values.milestones},
        progress=progress_of([m.progress for m in values.milestones], values.status),
        version=version,
    )


def _live(session: Session, commitment_id: int) -> Commitment:
    row = session.get(Commitment, commitment_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(entity="commitment", key=commitment_id)
    return row


#: Columns of a program's commitments as the read layer hands them out.
COMMITMENT_COLUMNS = [
    "id", "title", "description", "stage_id", "responsible_id", "responsible",
    "co_responsible", "start_on", "due_on", "status", "progress", "milestones",
    "activities", "inputs", "last_update", "overdue", "stalled", "version",
]  # fmt: skip


def commitment_rows(promised: pd.DataFrame, today: dt.date, stale_days: int) -> pd.DataFrame:
    """The commitments (:func:`engagement.storage.queries.tracking.commitments_frame`)
    with ``progress`` (:func:`progress_of`), ``overdue`` (open or in progress after the
    due date) and ``stalled`` (open, and nothing changed in ``stale_days`` days)."""
    active = [s in OPEN_COMMITMENTS for s in promised["status"]]
    rows = promised.assign(
        progress=[
            progress_of(list(p), s)
            for p, s in zip(promised["milestone_progress"], promised["status"], strict=True)
        ],
        overdue=[
            a and due is not None and not pd.isna(due) and due < today
            for a, due in zip(active, promised["due_on"], strict=True)
        ],
        stalled=[
            a and (today - last.date()).days > stale_days
            for a, last in zip(active, promised["last_update"], strict=True)
        ],
    )
    return rows[COMMITMENT_COLUMNS]
