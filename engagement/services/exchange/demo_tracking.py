"""Engagement tracking of the demo programs: activities with attendance and tasks, inputs
and their responses, commitments, evidence, and the stage closings with their snapshots.

Written inside the demo program's transaction (:func:`fill_tracking`); the stage-closing
snapshots need the program committed and are taken right after (:func:`close_stages`),
each dated as of its closing so that comparing them shows the coalition moving.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.frameworks import ParticipationLevel
from engagement.i18n import t
from engagement.model import Principal
from engagement.services.tracking import activities, commitments, evidence, inputs, snapshots, tasks
from engagement.storage.db import Database
from engagement.storage.models import Actor, Stage
from engagement.storage.queries.programs import get_program
from engagement.storage.tracking_models import ActivityType, Input
from engagement.tracking import (
    ActivityInput,
    Attendee,
    CommitmentInput,
    EvidenceInput,
    InputInput,
    MilestoneInput,
    TaskInput,
)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _level(name: str | None) -> int | None:
    return int(ParticipationLevel[name.upper()]) if name else None


def fill_tracking(session: Session, by: Principal, pid: int, data: dict[str, Any]) -> None:
    """Write the demo's activities, inputs, commitments and evidence (same transaction)."""
    kinds = dict(
        session.execute(
            select(ActivityType.key, ActivityType.id).where(ActivityType.program_id == pid)
        ).all()
    )
    stages = dict(session.execute(select(Stage.key, Stage.id).where(Stage.program_id == pid)).all())
    actors = dict(
        session.execute(select(Actor.name, Actor.id).where(Actor.program_id == pid)).all()
    )
    ids: dict[str, int] = {}
    for a in data.get("activities", []):
        item = ActivityInput(
            activity_type_id=kinds[a["type"]],
            stage_id=stages[a["stage"]],
            title=a["title"],
            held_on=dt.date.fromisoformat(a["date"]),
            start_time=_time(a.get("start")),
            end_time=_time(a.get("end")),
            place=a.get("place", ""),
            facilitators=tuple(a.get("facilitators", ())),
            participation_target=_level(a.get("target")),
            participation_reached=_level(a.get("reached")),
            headcount=a["headcount"],
            headcount_detail=a.get("detail", {}),
            tags=tuple(a.get("tags", ())),
            summary=a.get("summary", ""),
            agreements=a.get("agreements", ""),
        )
        present = [Attendee(actors[n], role, mood) for n, role, mood in a.get("attendees", [])]
        row = activities.insert_activity(session, by, pid, item, present)
        ids[a["title"]] = row.id
        for title, owner, due, status in a.get("tasks", []):
            tasks.insert_task(session, by, row, TaskInput(title, owner, _day(due), status))
    _fill_inputs(session, by, pid, data, actors, ids)
    for c in data.get("commitments", []):
        input_ids = session.scalars(
            select(Input.id).where(Input.program_id == pid, Input.text.in_(c.get("inputs", [])))
        ).all()
        promise = CommitmentInput(
            title=c["title"],
            description=c.get("description", ""),
            stage_id=stages.get(c.get("stage", "")),
            responsible_id=actors.get(c.get("responsible", "")),
            co_responsible_ids=tuple(actors[n] for n in c.get("co_responsible", [])),
            start_on=_day(c.get("start")),
            due_on=_day(c.get("due")),
            status=c.get("status", "open"),
            activity_ids=tuple(ids[a] for a in c.get("activities", [])),
            input_ids=tuple(input_ids),
            milestones=tuple(MilestoneInput(m, _day(d), p) for m, d, p in c.get("milestones", [])),
        )
        commitments.insert_commitment(session, by, pid, promise)
    for e in data.get("evidence", []):
        item_ = EvidenceInput(
            e["title"], dt.date.fromisoformat(e["date"]), e["kind"], e.get("url", "")
        )
        evidence.insert_evidence(session, by, pid, item_)


def _fill_inputs(
    session: Session,
    by: Principal,
    pid: int,
    data: dict[str, Any],
    actors: dict[str, int],
    ids: dict[str, int],
) -> None:
    for i in data.get("inputs", []):
        item = InputInput(
            text=i["text"],
            received_on=dt.date.fromisoformat(i["date"]),
            actor_id=actors.get(i["actor"]) if i.get("actor") else None,
            topic=i.get("topic", ""),
            activity_id=ids.get(i.get("activity", "")),
        )
        row = inputs.insert_input(session, by, pid, item)
        if i.get("response"):
            inputs.apply_response(
                session, by, row, i["response"], i.get("reasoning", ""), _day(i.get("responded_on"))
            )


def close_stages(db: Database, by: Principal, pid: int, data: dict[str, Any]) -> None:
    """Close the demo's finished stages, each with its snapshot as of the closing date."""
    stages = {s.key: s for s in get_program(db, pid).stages}
    for closing in data.get("stage_closings", []):
        stage = stages[closing["stage"]]
        day = dt.date.fromisoformat(closing["date"])
        name = t("snapshots.close_name", "es", stage=stage.label_es, date=f"{day:%d/%m/%Y}")
        snapshots.close_stage(db, by, pid, stage.id, day, name, as_of=day)
