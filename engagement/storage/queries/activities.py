"""Activities' rows: activities, who attended, follow-up tasks, as frames and records."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.errors import NotFound
from engagement.storage.db import Database
from engagement.storage.models import Actor
from engagement.storage.queries.audit import creator
from engagement.storage.tracking_models import Activity, ActivityType, Attendance, FollowUpTask
from engagement.tracking import ActivityInfo, Attendee, TaskInfo


def get_activity(db: Database, activity_id: int) -> ActivityInfo:
    with db.reading() as session:
        row = session.get(Activity, activity_id)
        if row is None:
            raise NotFound(entity="activity", key=activity_id)
        return activity_info(session, row)


def attendee(a: Attendance) -> Attendee:
    return Attendee(actor_id=a.actor_id, role=a.role, sentiment=a.sentiment)


def activity_info(session: Session, row: Activity) -> ActivityInfo:
    return ActivityInfo(
        id=row.id,
        program_id=row.program_id,
        activity_type_id=row.activity_type_id,
        activity_type_key=row.activity_type.key,
        stage_id=row.stage_id,
        title=row.title,
        held_on=row.held_on,
        start_time=row.start_time,
        end_time=row.end_time,
        place=row.place,
        facilitators=tuple(row.facilitators or ()),
        participation_target=row.participation_target,
        participation_reached=row.participation_reached,
        headcount=row.headcount,
        headcount_detail=dict(row.headcount_detail or {}),
        tags=tuple(row.tags or ()),
        summary=row.summary,
        agreements=row.agreements,
        attendees=tuple(sorted((attendee(a) for a in row.attendance), key=lambda a: a.actor_id)),
        version=row.version,
        deleted=row.deleted_at is not None,
        created_by=creator(session, "activity", row.id) or "",
    )


ACTIVITY_COLUMNS = [
    "id", "title", "activity_type_id", "activity_type_key", "forum", "stage_id", "held_on",
    "start_time", "end_time", "place", "facilitators", "participation_target",
    "participation_reached", "headcount", "headcount_detail", "tags", "summary", "agreements",
    "attendees", "version",
]  # fmt: skip


def activities_frame(db: Database, program_id: int, *, deleted: bool = False) -> pd.DataFrame:
    """Live activities (or only deleted ones), newest first, with the number of attendees."""
    counts = (
        select(Attendance.activity_id, func.count().label("n"))
        .join(Actor, Attendance.actor_id == Actor.id)
        .where(Actor.deleted_at.is_(None))
        .group_by(Attendance.activity_id)
        .subquery()
    )
    stmt = (
        select(Activity, ActivityType.key, ActivityType.forum, counts.c.n)
        .join(ActivityType, Activity.activity_type_id == ActivityType.id)
        .outerjoin(counts, counts.c.activity_id == Activity.id)
        .where(Activity.program_id == program_id)
        .where(Activity.deleted_at.is_not(None) if deleted else Activity.deleted_at.is_(None))
        .order_by(Activity.held_on.desc(), Activity.id.desc())
    )
    with db.reading() as session:
        rows = [
            {c: getattr(a, c) for c in ACTIVITY_COLUMNS if hasattr(a, c)}
            | {"activity_type_key": key, "forum": bool(forum), "attendees": int(n or 0)}
            for a, key, forum, n in session.execute(stmt)
        ]
    return pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)


ATTENDANCE_COLUMNS = [
    "activity_id", "actor_id", "actor", "role", "sentiment", "held_on", "stage_id",
    "activity_type_id",
]  # fmt: skip


def attendance_frame(db: Database, program_id: int, activity_id: int | None = None) -> pd.DataFrame:
    """Attendance at live activities by live actors (of one activity, or of all)."""
    stmt = (
        select(
            Attendance.activity_id,
            Attendance.actor_id,
            Actor.name,
            Attendance.role,
            Attendance.sentiment,
            Activity.held_on,
            Activity.stage_id,
            Activity.activity_type_id,
        )
        .join(Activity, Attendance.activity_id == Activity.id)
        .join(Actor, Attendance.actor_id == Actor.id)
        .where(
            Activity.program_id == program_id,
            Activity.deleted_at.is_(None),
            Actor.deleted_at.is_(None),
        )
        .order_by(Activity.held_on, Attendance.activity_id, Attendance.id)
    )
    if activity_id is not None:
        stmt = stmt.where(Attendance.activity_id == activity_id)
    with db.reading() as session:
        rows = session.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=ATTENDANCE_COLUMNS)


#: Columns of :func:`tasks_frame`: the task's fields and its activity's title.
TASK_COLUMNS = [
    "id", "activity_id", "activity", "title", "owner", "due_on", "status", "done_on",
    "version",
]  # fmt: skip


def tasks_frame(db: Database, program_id: int) -> pd.DataFrame:
    """Tasks of live activities, earliest due first."""
    stmt = (
        select(FollowUpTask, Activity.title)
        .join(Activity, FollowUpTask.activity_id == Activity.id)
        .where(FollowUpTask.program_id == program_id, Activity.deleted_at.is_(None))
        .order_by(FollowUpTask.due_on.is_(None), FollowUpTask.due_on, FollowUpTask.id)
    )
    with db.reading() as session:
        rows = [
            asdict(task_info(task)) | {"activity": title} for task, title in session.execute(stmt)
        ]
    return pd.DataFrame(rows, columns=TASK_COLUMNS)


def task_info(task: FollowUpTask) -> TaskInfo:
    return TaskInfo(
        id=task.id,
        activity_id=task.activity_id,
        title=task.title,
        owner=task.owner,
        due_on=task.due_on,
        status=task.status,
        done_on=task.done_on,
        version=task.version,
    )
