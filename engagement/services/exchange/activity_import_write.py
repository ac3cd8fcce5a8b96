"""Apply an activity import: check the plan again inside the write transaction, then
write it as one ImportBatch with an audit entry per row (all or nothing).

The plan and the preview are made by :mod:`engagement.services.exchange.activity_import`; this
module depends on it, never the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from engagement.errors import Problem, ValidationFailed
from engagement.io.activity_sheets import ActivityFile
from engagement.model import Principal
from engagement.services import audit
from engagement.services.access.permissions import Action, require
from engagement.services.exchange.activity_import import (
    ActivityImportOutcome,
    ActivityPlan,
    Key,
    make_plan,
)
from engagement.services.registry.actors import insert_actor
from engagement.services.tracking.activities import activity_fields
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import ImportBatch
from engagement.storage.queries.programs import get_program
from engagement.storage.tracking_models import Activity, Attendance
from engagement.text import name_key
from engagement.values import AttendanceRole, Sentiment


def write_plan(
    session: Session,
    by: Principal,
    program_id: int,
    files: Sequence[ActivityFile],
    plan: ActivityPlan,
) -> ActivityImportOutcome:
    counts = plan.counts()
    batch = ImportBatch(
        program_id=program_id,
        username=by.username,
        filename=", ".join(f.name for f in files)[:500],
        layout="activities",
        formats=sorted({f.file_format for f in files}),
        summary={o: counts[o] for o in ("new", "updated", "unchanged")}
        | {"new_actors": list(plan.missing_actors)},
    )
    session.add(batch)
    session.flush()
    log = audit.BatchLog(by, program_id, batch.id)
    actor_ids = {
        name_key(name): insert_actor(session, by, program_id, {"name": name}, batch.id).id
        for name in plan.missing_actors
    }
    ids = _write_activities(session, program_id, plan, log.note)
    _write_attendance(session, plan, ids, actor_ids, log.note)
    log.write(session)
    return ActivityImportOutcome(batch.id, counts, list(plan.missing_actors))


def _write_activities(
    session: Session, program_id: int, plan: ActivityPlan, note: audit.Note
) -> dict[Key, int]:
    ids: dict[Key, int] = {}
    for planned in plan.activities:
        if planned.existing_id is None:
            row = Activity(program_id=program_id, **activity_fields(planned.item))
            session.add(row)
            session.flush()
            note("activity", row.id, "create", activity_fields(planned.item))
            ids[planned.key] = row.id
            continue
        ids[planned.key] = planned.existing_id
        if planned.changes:
            existing = session.get(Activity, planned.existing_id)
            assert existing is not None
            fields = activity_fields(planned.item)
            for key in planned.changes:
                setattr(existing, key, fields[key])
            existing.updated_at = utcnow()
            session.flush()
            note("activity", existing.id, "update", planned.changes)
    return ids


def _write_attendance(
    session: Session,
    plan: ActivityPlan,
    ids: dict[Key, int],
    actor_ids: dict[str, int],
    note: audit.Note,
) -> None:
    new_rows: list[Attendance] = []
    for planned in plan.attendance:
        activity_id = ids.get(planned.activity, planned.activity_id)
        actor_id = planned.actor_id or actor_ids[name_key(planned.actor)]
        if planned.existing_id is None:
            row = Attendance(
                activity_id=activity_id,
                actor_id=actor_id,
                role=planned.role,
                sentiment=planned.sentiment,
            )
            session.add(row)
            new_rows.append(row)
        elif planned.changes:
            present = session.get(Attendance, planned.existing_id)
            assert present is not None
            present.role = AttendanceRole(planned.role)
            present.sentiment = Sentiment.parse(planned.sentiment)
            note("attendance", present.id, "update", planned.changes)
    session.flush()
    for row in new_rows:
        changes = {"activity_id": row.activity_id, "actor_id": row.actor_id, "role": row.role}
        note("attendance", row.id, "create", changes | {"sentiment": row.sentiment})


def apply_activity_import(
    db: Database,
    by: Principal,
    program_id: int,
    files: Sequence[ActivityFile],
    *,
    create_missing: bool = False,
) -> ActivityImportOutcome:
    """Write the import in one transaction, or nothing (ValidationFailed)."""
    require(by, program_id, Action.RECORD_ACTIVITY)
    if create_missing:
        require(by, program_id, Action.ADD_ACTOR)
    program = get_program(db, program_id)
    with db.writing() as session:
        plan = make_plan(session, program, files)
        problems = list(plan.problems)
        if not create_missing:
            problems += [
                Problem("actor", "unknown_actor", {"value": n}) for n in plan.missing_actors
            ]
        if problems:
            raise ValidationFailed(problems)
        return write_plan(session, by, program_id, files, plan)
