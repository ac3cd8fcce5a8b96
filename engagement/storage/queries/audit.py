"""The audit trail's rows: entries of a program, who created a record, and the records
dated by their own day (activities held, inputs received and answered)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.storage.db import Database
from engagement.storage.models import AuditEntry
from engagement.storage.tracking_models import Activity, Input


def audit_log(
    db: Database,
    program_id: int,
    *,
    username: str | None = None,
    entity: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """Audit entries of a program, newest first (``since`` inclusive, ``until`` exclusive)."""
    stmt = select(AuditEntry).where(AuditEntry.program_id == program_id)
    if username:
        stmt = stmt.where(AuditEntry.username == username)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if since:
        stmt = stmt.where(AuditEntry.at >= since)
    if until:
        stmt = stmt.where(AuditEntry.at < until)
    stmt = stmt.order_by(AuditEntry.id.desc()).limit(limit)
    with db.reading() as session:
        rows = [
            {
                "id": e.id,
                "at": e.at,
                "username": e.username,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "action": e.action,
                "changes": e.changes,
                "batch_id": e.batch_id,
            }
            for e in session.scalars(stmt)
        ]
    columns = ["id", "at", "username", "entity", "entity_id", "action", "changes", "batch_id"]
    return pd.DataFrame(rows, columns=columns)


def creator(session: Session, entity: str, entity_id: int) -> str | None:
    """Who created a record, from its first audit entry (facilitators edit their own)."""
    return session.scalar(
        select(AuditEntry.username)
        .where(
            AuditEntry.entity == entity,
            AuditEntry.entity_id == entity_id,
            AuditEntry.action == "create",
        )
        .limit(1)
    )


#: Columns of :func:`activities_held`.
HELD_COLUMNS = ["id", "held_on", "created_by"]
#: Columns of :func:`inputs_dated`.
DATED_INPUT_COLUMNS = ["id", "received_on", "created_by", "responded_on", "responded_by"]


def _creators(session: Session, program_id: int, entity: str) -> dict[int, str]:
    found = session.execute(
        select(AuditEntry.entity_id, AuditEntry.username).where(
            AuditEntry.program_id == program_id,
            AuditEntry.entity == entity,
            AuditEntry.action == "create",
        )
    )
    return {int(i): str(who) for i, who in found}


def activities_held(db: Database, program_id: int, since: dt.date) -> pd.DataFrame:
    """Live activities held on or after ``since``, with who recorded each."""
    with db.reading() as session:
        who = _creators(session, program_id, "activity")
        held = session.execute(
            select(Activity.id, Activity.held_on).where(
                Activity.program_id == program_id,
                Activity.deleted_at.is_(None),
                Activity.held_on >= since,
            )
        ).all()
    rows = [(int(i), day, who.get(int(i), "")) for i, day in held]
    return pd.DataFrame(rows, columns=HELD_COLUMNS)


def inputs_dated(db: Database, program_id: int) -> pd.DataFrame:
    """Every live input's day received and day answered, with who recorded it and who
    answered."""
    with db.reading() as session:
        who = _creators(session, program_id, "input")
        found = session.execute(
            select(Input.id, Input.received_on, Input.responded_on, Input.responded_by).where(
                Input.program_id == program_id, Input.deleted_at.is_(None)
            )
        ).all()
    rows = [(int(i), got, who.get(int(i), ""), done, by) for i, got, done, by in found]
    return pd.DataFrame(rows, columns=DATED_INPUT_COLUMNS)
