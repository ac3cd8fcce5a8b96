"""Follow-up tasks from activities: who does what by when; overdue ones are flagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pandas as pd
from sqlalchemy.orm import Session

from engagement.errors import NotFound, Problem, ValidationFailed
from engagement.model import Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import require_activity_edit
from engagement.services.concurrency import check_version
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored
from engagement.storage.tracking_models import Activity, FollowUpTask
from engagement.text import clean_name
from engagement.tracking import TaskInfo, TaskInput
from engagement.values import OPEN_TASKS, TaskStatus


def task_problems(item: TaskInput, row: int | None = None) -> list[Problem]:
    problems = validation.text_rule(
        "title", clean_name(item.title or ""), required=True, max_len=300
    )
    problems += validation.text_rule("owner", item.owner)
    problems += validation.date_rule("due_on", item.due_on)
    if TaskStatus.parse(item.status) is None:
        problems.append(Problem("status", "not_in_list", {"value": item.status}))
    return [Problem(p.field, p.code, p.params, row=row) for p in problems]


def insert_task(
    session: Session, by: Principal, activity: Activity, item: TaskInput, row: int | None = None
) -> FollowUpTask:
    problems = task_problems(item, row)
    if problems:
        raise ValidationFailed(problems)
    fields = asdict(item) | {"title": clean_name(item.title), "owner": item.owner.strip()}
    task = FollowUpTask(program_id=activity.program_id, activity_id=activity.id, **fields)
    if item.status == "done":
        task.done_on = dt.date.today()
    session.add(task)
    session.flush()
    changes = fields | {"activity_id": activity.id}
    audit.record(session, by, activity.program_id, "follow_up_task", task.id, "create", changes)
    return task


def add_tasks(
    db: Database, by: Principal, activity_id: int, items: list[TaskInput]
) -> list[TaskInfo]:
    """Add follow-up tasks to an activity, all or none (problems name the row)."""
    problems = [p for n, item in enumerate(items, start=1) for p in task_problems(item, n)]
    if problems:
        raise ValidationFailed(problems)
    with db.writing() as session:
        activity = session.get(Activity, activity_id)
        if activity is None or activity.deleted_at is not None:
            raise NotFound(entity="activity", key=activity_id)
        require_activity_edit(session, by, activity.program_id, activity.id)
        return [stored.task_info(insert_task(session, by, activity, item)) for item in items]


def update_task(
    db: Database, by: Principal, task_id: int, item: TaskInput, expected_version: int | None
) -> TaskInfo:
    """Change a task; marking it done records the day it was done."""
    problems = task_problems(item)
    if problems:
        raise ValidationFailed(problems)
    with db.writing() as session:
        task = session.get(FollowUpTask, task_id)
        if task is None:
            raise NotFound(entity="follow_up_task", key=task_id)
        require_activity_edit(session, by, task.program_id, task.activity_id)
        check_version(
            session, "follow_up_task", task.id, task.title, task.version, expected_version
        )
        new = asdict(item) | {"title": clean_name(item.title), "owner": item.owner.strip()}
        if item.status == "done" and task.status != "done":
            new["done_on"] = dt.date.today()
        elif item.status != "done":
            new["done_on"] = None
        changes = audit.diff({k: getattr(task, k) for k in new}, new)
        for key in changes:
            setattr(task, key, new[key])
        if changes:
            session.flush()
            audit.record(session, by, task.program_id, "follow_up_task", task.id, "update", changes)
        return stored.task_info(task)


def delete_task(db: Database, by: Principal, task_id: int) -> None:
    with db.writing() as session:
        task = session.get(FollowUpTask, task_id)
        if task is None:
            raise NotFound(entity="follow_up_task", key=task_id)
        require_activity_edit(session, by, task.program_id, task.activity_id)
        changes = {"title": [task.title, None]}
        audit.record(session, by, task.program_id, "follow_up_task", task.id, "delete", changes)
        session.delete(task)


def is_overdue(status: str, due_on: dt.date | None, today: dt.date) -> bool:
    """Open or in progress after its due date (the due day itself is not late)."""
    return status in OPEN_TASKS and due_on is not None and due_on < today


#: Columns of a program's tasks as the read layer hands them out.
TASK_COLUMNS = [*stored.TASK_COLUMNS[:-1], "overdue", "version"]


def with_overdue(tasks: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The tasks (:func:`engagement.storage.queries.activities.tasks_frame`) with
    ``overdue``: open or in progress after the due date."""
    flagged = tasks.assign(
        overdue=[
            is_overdue(s, d, today) for s, d in zip(tasks["status"], tasks["due_on"], strict=True)
        ]
    )
    return flagged[TASK_COLUMNS]
