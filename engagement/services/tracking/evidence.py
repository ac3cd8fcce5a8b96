"""Evidence items: what the program published about the process, when, and where (OGP 2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

from sqlalchemy.orm import Session

from engagement.errors import NotFound, Problem, ValidationFailed
from engagement.model import Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require
from engagement.storage.db import Database
from engagement.storage.tracking_models import Activity, Commitment, EvidenceItem
from engagement.text import clean_name
from engagement.tracking import EvidenceInput
from engagement.values import EvidenceKind


def clean_evidence(item: EvidenceInput) -> tuple[EvidenceInput, list[Problem]]:
    url = validation.normalise_website(item.url or "")
    cleaned = replace(item, title=clean_name(item.title or ""), url=url)
    problems = validation.text_rule("title", cleaned.title, required=True, max_len=300)
    if url:
        problems += [Problem("url", p.code, p.params) for p in validation.website_rule(url)]
    if not isinstance(cleaned.published_on, dt.date):
        problems.append(Problem("published_on", "required"))
    else:
        problems += validation.date_rule("published_on", cleaned.published_on, not_future=True)
    if EvidenceKind.parse(cleaned.kind) is None:
        problems.append(Problem("kind", "not_in_list", {"value": cleaned.kind}))
    return cleaned, problems


def add_evidence(db: Database, by: Principal, program_id: int, item: EvidenceInput) -> int:
    require(by, program_id, Action.EDIT_TRACKING)
    with db.writing() as session:
        return insert_evidence(session, by, program_id, item)


def insert_evidence(session: Session, by: Principal, program_id: int, item: EvidenceInput) -> int:
    """Check and add an evidence item inside an open write transaction; its id."""
    cleaned, problems = clean_evidence(item)
    if cleaned.activity_id is not None:
        activity = session.get(Activity, cleaned.activity_id)
        if activity is None or activity.program_id != program_id:
            problems.append(Problem("activity", "not_in_list", {"value": cleaned.activity_id}))
    if cleaned.commitment_id is not None:
        promise = session.get(Commitment, cleaned.commitment_id)
        if promise is None or promise.program_id != program_id:
            problems.append(Problem("commitment", "not_in_list", {"value": cleaned.commitment_id}))
    if problems:
        raise ValidationFailed(problems)
    row = EvidenceItem(program_id=program_id, **asdict(cleaned))
    session.add(row)
    session.flush()
    audit.record(session, by, program_id, "evidence_item", row.id, "create", asdict(cleaned))
    return row.id


def delete_evidence(db: Database, by: Principal, evidence_id: int) -> None:
    with db.writing() as session:
        row = session.get(EvidenceItem, evidence_id)
        if row is None or row.deleted_at is not None:
            raise NotFound(entity="evidence_item", key=evidence_id)
        require(by, row.program_id, Action.EDIT_TRACKING)
        audit.mark_deleted(session, by, row, "evidence_item", deleted=True)
