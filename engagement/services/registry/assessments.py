"""Dated assessments of actors: never overwritten; "current" means the latest."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.orm import Session

from engagement.errors import Problem, ValidationFailed
from engagement.model import AssessmentInput, Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require
from engagement.storage.db import Database
from engagement.storage.models import Actor, Assessment, Stage

SCORES = ("power", "interest", "engagement_current", "engagement_desired", "participation_target")


def assessment_problems(item: AssessmentInput, row: int | None = None) -> list[Problem]:
    """Every problem of one assessment; ``row`` numbers it for multi-actor entry."""
    problems: list[Problem] = []
    for name in SCORES:
        problems += validation.int_rule(name, getattr(item, name), 1, 5)
    problems += validation.date_rule("assessed_on", item.assessed_on, not_future=True)
    problems += validation.text_rule("note", item.note, max_len=5000)
    problems += validation.text_rule("assessor", item.assessor, max_len=200)
    return [Problem(p.field, p.code, p.params, p.sheet, row) for p in problems] if row else problems


def _check_refs(
    session: Session, program_id: int, item: AssessmentInput, row: int | None
) -> list[Problem]:
    problems = []
    actor = session.get(Actor, item.actor_id)
    if actor is None or actor.program_id != program_id or actor.deleted_at is not None:
        problems.append(Problem("actor", "unknown_actor", {"value": item.actor_id}, row=row))
    stage = session.get(Stage, item.stage_id)
    if stage is None or stage.program_id != program_id:
        problems.append(Problem("stage", "not_in_list", {"value": item.stage_id}, row=row))
    return problems


def insert_assessment(
    session: Session,
    by: Principal,
    program_id: int,
    item: AssessmentInput,
    batch_id: int | None = None,
) -> Assessment:
    require(by, program_id, Action.ASSESS)
    problems = assessment_problems(item) + _check_refs(session, program_id, item, None)
    if problems:
        raise ValidationFailed(problems)
    row = Assessment(**asdict(item), created_by=by.username)
    session.add(row)
    session.flush()
    audit.record(session, by, program_id, "assessment", row.id, "create", asdict(item), batch_id)
    return row


def record_assessments(
    db: Database, by: Principal, program_id: int, items: list[AssessmentInput]
) -> list[int]:
    """Record several assessments at once: all are written, or none (problems name the row)."""
    require(by, program_id, Action.ASSESS)
    problems = [p for i, item in enumerate(items, start=1) for p in assessment_problems(item, i)]
    if problems:
        raise ValidationFailed(problems)
    with db.writing() as session:
        problems = [
            p
            for i, it in enumerate(items, start=1)
            for p in _check_refs(session, program_id, it, i)
        ]
        if problems:
            raise ValidationFailed(problems)
        return [insert_assessment(session, by, program_id, item).id for item in items]
