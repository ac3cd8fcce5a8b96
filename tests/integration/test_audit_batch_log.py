"""An import's audit entries: collected as rows are written, inserted together, one
data-version bump; each entry names who, when, what and the batch (undo reads them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from engagement.model import Principal
from engagement.services import audit
from engagement.services.registry import programs
from engagement.storage.db import Database
from engagement.storage.models import AuditEntry, ImportBatch, Program

ANA = Principal("ana")


def test_a_batch_log_writes_every_entry_with_its_batch_and_bumps_the_version_once(
    db: Database,
) -> None:
    program = programs.create_program(db, ANA, "Tejido Tepic")
    with db.writing() as session:
        before = session.scalar(select(Program.data_version).where(Program.id == program.id))
        batch = ImportBatch(program_id=program.id, username="ana", filename="x.zip", layout="t")
        session.add(batch)
        session.flush()
        log = audit.BatchLog(ANA, program.id, batch.id)
        log.note("activity", 7, "create", {"held_on": dt.date(2024, 5, 10), "tags": ("a",)})
        log.note("activity", 7, "update", {"title": ["Foro", "Foro vecinal"]})
        log.write(session)
        batch_id = batch.id
    with db.reading() as session:
        entries = session.execute(
            select(
                AuditEntry.entity,
                AuditEntry.entity_id,
                AuditEntry.action,
                AuditEntry.changes,
                AuditEntry.username,
                AuditEntry.program_id,
                AuditEntry.at,
            )
            .where(AuditEntry.batch_id == batch_id)
            .order_by(AuditEntry.id)
        ).all()
        after = session.scalar(select(Program.data_version).where(Program.id == program.id))
    assert [(e.entity, e.entity_id, e.action) for e in entries] == [
        ("activity", 7, "create"),
        ("activity", 7, "update"),
    ]
    assert entries[0].changes == {"held_on": "2024-05-10", "tags": ["a"]}
    assert entries[1].changes == {"title": ["Foro", "Foro vecinal"]}
    assert {(e.username, e.program_id) for e in entries} == {("ana", program.id)}
    assert {e.at.replace(tzinfo=None) for e in entries} == {log.at.replace(tzinfo=None)}
    assert after == before + 1
