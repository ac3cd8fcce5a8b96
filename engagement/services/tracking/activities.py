"""Activities and attendance: record a workshop with who came, edit it, delete, restore.

Every write takes the acting user, records an audit entry and bumps the program's data
version. Editing keeps history: the audit log holds each field's old and new value, and
attendance changes as the list before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import NotFound, Problem, ValidationFailed
from engagement.model import Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import (
    Action,
    can_see_restricted,
    require,
    require_activity_edit,
)
from engagement.services.concurrency import check_version
from engagement.services.tracking.tasks import insert_task, task_problems
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import Actor, Stage
from engagement.storage.queries import activities as stored
from engagement.storage.tracking_models import Activity, ActivityType, Attendance
from engagement.text import clean_name, split_multi
from engagement.tracking import (
    ActivityInfo,
    ActivityInput,
    Attendee,
    TaskInput,
)
from engagement.values import AgeGroup, AttendanceRole, Confidentiality, Gender, Sentiment

MAX_HEADCOUNT = 1_000_000
_DETAIL_KEYS = {"gender": Gender.values(), "age": AgeGroup.values()}


def clean_activity(item: ActivityInput) -> tuple[ActivityInput, list[Problem]]:
    """Normalise an activity's values and list every problem (nothing is raised)."""
    facilitators = tuple(split_multi("|".join(item.facilitators)))
    cleaned = replace(
        item,
        title=clean_name(item.title or ""),
        place=(item.place or "").strip(),
        facilitators=facilitators,
        tags=tuple(split_multi("|".join(item.tags))),
        summary=(item.summary or "").strip(),
        agreements=(item.agreements or "").strip(),
    )
    problems = validation.text_rule("title", cleaned.title, required=True, max_len=300)
    problems += validation.text_rule("place", cleaned.place, max_len=300)
    problems += validation.text_rule("summary", cleaned.summary, max_len=20000)
    problems += validation.text_rule("agreements", cleaned.agreements, max_len=20000)
    problems += [p for f in facilitators for p in validation.text_rule("facilitators", f)]
    if not isinstance(cleaned.held_on, dt.date):
        problems.append(Problem("held_on", "required"))
    else:
        problems += validation.date_rule("held_on", cleaned.held_on, not_future=True)
    if cleaned.start_time and cleaned.end_time and cleaned.end_time < cleaned.start_time:
        problems.append(Problem("end_time", "before_start"))
    for name in ("participation_target", "participation_reached"):
        if getattr(cleaned, name) is not None:
            problems += validation.int_rule(name, getattr(cleaned, name), 1, 5)
    if cleaned.headcount is not None:
        problems += validation.int_rule("headcount", cleaned.headcount, 0, MAX_HEADCOUNT)
    problems += _detail_problems(cleaned)
    return cleaned, problems


def _detail_problems(item: ActivityInput) -> list[Problem]:
    problems: list[Problem] = []
    for part, counts in (item.headcount_detail or {}).items():
        if part not in _DETAIL_KEYS or not isinstance(counts, dict):
            problems.append(Problem("headcount_detail", "not_in_list", {"value": part}))
            continue
        for key, n in counts.items():
            if key not in _DETAIL_KEYS[part]:
                problems.append(Problem("headcount_detail", "not_in_list", {"value": key}))
            else:
                problems += validation.int_rule(f"headcount.{key}", n, 0, MAX_HEADCOUNT)
        total = sum(n for n in counts.values() if isinstance(n, int))
        if isinstance(item.headcount, int) and total > item.headcount:
            problems.append(
                Problem(f"headcount.{part}", "detail_exceeds_total", {"total": item.headcount})
            )
    return problems


def attendee_problems(
    session: Session, program_id: int, attendees: Sequence[Attendee]
) -> list[Problem]:
    """Every problem of an attendance list: unknown actors, roles, sentiments, repeats."""
    problems: list[Problem] = []
    ids = {a.actor_id for a in attendees}
    live = set(
        session.scalars(
            select(Actor.id).where(
                Actor.id.in_(ids), Actor.program_id == program_id, Actor.deleted_at.is_(None)
            )
        )
    )
    seen: set[int] = set()
    for n, a in enumerate(attendees, start=1):
        if a.actor_id not in live:
            problems.append(Problem("actor", "unknown_actor", {"value": a.actor_id}, row=n))
        elif a.actor_id in seen:
            problems.append(Problem("actor", "repeated_attendee", {"value": a.actor_id}, row=n))
        seen.add(a.actor_id)
        if AttendanceRole.parse(a.role) is None:
            problems.append(Problem("role", "not_in_list", {"value": a.role}, row=n))
        if a.sentiment is not None and Sentiment.parse(a.sentiment) is None:
            problems.append(Problem("sentiment", "not_in_list", {"value": a.sentiment}, row=n))
    return problems


def _ref_problems(session: Session, program_id: int, item: ActivityInput) -> list[Problem]:
    problems = []
    kind = session.get(ActivityType, item.activity_type_id)
    if kind is None or kind.program_id != program_id:
        problems.append(Problem("activity_type", "not_in_list", {"value": item.activity_type_id}))
    stage = session.get(Stage, item.stage_id)
    if stage is None or stage.program_id != program_id:
        problems.append(Problem("stage", "not_in_list", {"value": item.stage_id}))
    return problems


def activity_fields(item: ActivityInput) -> dict[str, Any]:
    values = asdict(item)
    values["facilitators"] = list(item.facilitators)
    values["tags"] = list(item.tags)
    return values


def _attendance_list(attendees: Sequence[Attendee]) -> list[dict[str, Any]]:
    return [asdict(a) for a in sorted(attendees, key=lambda a: a.actor_id)]


def insert_activity(
    session: Session,
    by: Principal,
    program_id: int,
    item: ActivityInput,
    attendees: Sequence[Attendee] = (),
    batch_id: int | None = None,
) -> Activity:
    """Insert a validated activity with its attendance inside an open write transaction."""
    cleaned, problems = clean_activity(item)
    problems += _ref_problems(session, program_id, cleaned)
    problems += attendee_problems(session, program_id, attendees)
    if problems:
        raise ValidationFailed(problems)
    row = Activity(program_id=program_id, **activity_fields(cleaned))
    row.attendance = [Attendance(**asdict(a)) for a in attendees]
    session.add(row)
    session.flush()
    changes = activity_fields(cleaned) | {"attendees": _attendance_list(attendees)}
    audit.record(session, by, program_id, "activity", row.id, "create", changes, batch_id)
    return row


def record_activity(
    db: Database,
    by: Principal,
    program_id: int,
    item: ActivityInput,
    attendees: Sequence[Attendee] = (),
    tasks: Sequence[TaskInput] = (),
) -> ActivityInfo:
    """Record an activity, who attended and its follow-up tasks, all or nothing."""
    require(by, program_id, Action.RECORD_ACTIVITY)
    problems = [
        Problem(f"task.{p.field}", p.code, p.params, row=p.row)
        for n, task in enumerate(tasks, start=1)
        for p in task_problems(task, n)
    ]
    with db.writing() as session:
        try:
            row = insert_activity(session, by, program_id, item, attendees)
        except ValidationFailed as error:
            raise ValidationFailed(error.problems + problems) from None
        if problems:
            raise ValidationFailed(problems)
        for task in tasks:
            insert_task(session, by, row, task)
        return stored.activity_info(session, row)


def update_activity(
    db: Database,
    by: Principal,
    activity_id: int,
    item: ActivityInput,
    attendees: Sequence[Attendee] | None,
    expected_version: int | None,
) -> ActivityInfo:
    """Replace an activity's values (and, unless None, its attendance); audit the diff."""
    with db.writing() as session:
        row = _live(session, activity_id)
        require_activity_edit(session, by, row.program_id, row.id)
        check_version(session, "activity", row.id, row.title, row.version, expected_version)
        cleaned, problems = clean_activity(item)
        problems += _ref_problems(session, row.program_id, cleaned)
        if attendees is not None:
            attendees = [*attendees, *_unseen(session, by, row, attendees)]
            problems += attendee_problems(session, row.program_id, attendees)
        if problems:
            raise ValidationFailed(problems)
        # Attendance first: loading it must not flush a half-edited row (one version step).
        moved = _replace_attendance(row, attendees) if attendees is not None else {}
        new = activity_fields(cleaned)
        changes = audit.diff({k: getattr(row, k) for k in new}, new) | moved
        for key in changes.keys() - {"attendees"}:
            setattr(row, key, new[key])
        if changes:
            row.updated_at = utcnow()
            session.flush()
            audit.record(session, by, row.program_id, "activity", row.id, "update", changes)
        return stored.activity_info(session, row)


def _unseen(
    session: Session, by: Principal, row: Activity, attendees: Sequence[Attendee]
) -> list[Attendee]:
    """Attendees the editor may not see (restricted actors), kept as they are: an edit
    never removes what its author could not see."""
    if can_see_restricted(by, row.program_id):
        return []
    given = {a.actor_id for a in attendees}
    present = [a for a in row.attendance if a.actor_id not in given]
    restricted = set(
        session.scalars(
            select(Actor.id).where(
                Actor.id.in_([a.actor_id for a in present]),
                Actor.confidentiality == Confidentiality.RESTRICTED,
            )
        )
    )
    return [stored.attendee(a) for a in present if a.actor_id in restricted]


def _replace_attendance(row: Activity, attendees: Sequence[Attendee]) -> dict[str, Any]:
    before = _attendance_list([stored.attendee(a) for a in row.attendance])
    after = _attendance_list(attendees)
    if before == after:
        return {}
    wanted = {a.actor_id: a for a in attendees}
    for present in list(row.attendance):
        if present.actor_id not in wanted:
            row.attendance.remove(present)
    for present in row.attendance:
        present.role = AttendanceRole(wanted[present.actor_id].role)
        present.sentiment = Sentiment.parse(wanted[present.actor_id].sentiment)
    known = {a.actor_id for a in row.attendance}
    row.attendance.extend(Attendance(**asdict(a)) for a in attendees if a.actor_id not in known)
    return {"attendees": [before, after]}


def delete_activity(
    db: Database, by: Principal, activity_id: int, expected_version: int | None = None
) -> None:
    """Soft-delete: the activity, its attendance and tasks are kept and can be restored."""
    with db.writing() as session:
        row = _live(session, activity_id)
        require_activity_edit(session, by, row.program_id, row.id)
        check_version(session, "activity", row.id, row.title, row.version, expected_version)
        audit.mark_deleted(session, by, row, "activity", deleted=True)


def restore_activity(db: Database, by: Principal, activity_id: int) -> ActivityInfo:
    with db.writing() as session:
        row = session.get(Activity, activity_id)
        if row is None or row.deleted_at is None:
            raise NotFound(entity="activity", key=activity_id)
        require_activity_edit(session, by, row.program_id, row.id)
        audit.mark_deleted(session, by, row, "activity", deleted=False)
        return stored.activity_info(session, row)


def _live(session: Session, activity_id: int) -> Activity:
    row = session.get(Activity, activity_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(entity="activity", key=activity_id)
    return row
