"""What changed since a date ("since the last mentoring call"), drawn from the audit log.

Categories: new actors, assessments recorded (with the quadrant and engagement move
against the actor's previous assessment), activities, responses to inputs, commitments
(and their milestones).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from engagement.frameworks import quadrant
from engagement.i18n import DEFAULT_LANGUAGE
from engagement.services import assessments, audit
from engagement.services.audit_names import audit_names
from engagement.services.programs import get_program
from engagement.storage.db import Database
from engagement.storage.models import Activity, ActivityType

CATEGORIES = ("new_actors", "assessments", "activities", "responses", "commitments")
ENTRY_COLUMNS = ["at", "username", "category", "entity", "entity_id", "action", "label", "detail"]
_MENTORING = "mentoring_session"


@dataclass(frozen=True)
class Changes:
    since: dt.date
    counts: dict[str, int]
    entries: pd.DataFrame


def category_of(entity: str, action: str) -> str | None:
    """The dashboard category of one audit entry, or None when it is not reported."""
    if entity == "actor" and action == "create":
        return "new_actors"
    if entity == "assessment" and action == "create":
        return "assessments"
    if entity == "activity":
        return "activities"
    if entity == "input" and action == "respond":
        return "responses"
    if entity in ("commitment", "milestone"):
        return "commitments"
    return None


def last_mentoring_call(
    db: Database, program_id: int, *, today: dt.date | None = None
) -> dt.date | None:
    """Date of the latest mentoring session held on or before ``today``."""
    today = today or dt.date.today()
    stmt = (
        select(Activity.held_on)
        .join(ActivityType, Activity.activity_type_id == ActivityType.id)
        .where(
            Activity.program_id == program_id,
            Activity.deleted_at.is_(None),
            ActivityType.key == _MENTORING,
            Activity.held_on <= today,
        )
        .order_by(Activity.held_on.desc())
        .limit(1)
    )
    with db.reading() as session:
        return session.scalar(stmt)


def changes_since(db: Database, program_id: int, since: dt.date) -> Changes:
    """Reported changes recorded on or after ``since`` (start of that day), newest first."""
    start = dt.datetime.combine(since, dt.time.min)
    log = audit.audit_log(db, program_id, since=start, limit=20000)
    log["category"] = [category_of(e, a) for e, a in zip(log["entity"], log["action"], strict=True)]
    log = log[log["category"].notna()].copy()
    # Reported entities are named by themselves (actor, title...), never by a list entry,
    # so the language of the names does not matter here.
    with db.reading() as session:
        names = audit_names(session, get_program(db, program_id), DEFAULT_LANGUAGE)
    moves = _assessment_moves(db, program_id)
    log["label"] = [
        names.subject(e, int(i)) for e, i in zip(log["entity"], log["entity_id"], strict=True)
    ]
    log["detail"] = [
        moves.get(int(i), "") if e == "assessment" else ""
        for e, i in zip(log["entity"], log["entity_id"], strict=True)
    ]
    counts = log.drop_duplicates(["category", "entity", "entity_id"])["category"].value_counts()
    return Changes(
        since=since,
        counts={c: int(counts.get(c, 0)) for c in CATEGORIES},
        entries=log[ENTRY_COLUMNS].reset_index(drop=True),
    )


def _assessment_moves(db: Database, program_id: int) -> dict[int, str]:
    """For each assessment: "quadrant_a>quadrant_b;engagement a>b" against the previous."""
    threshold = get_program(db, program_id).power_threshold
    history = assessments.assessments_frame(db, program_id)
    moves: dict[int, str] = {}
    previous: dict[int, tuple[str, int]] = {}
    columns = ["id", "actor_id", "power", "interest", "engagement_current"]
    for aid, actor_id, power, interest, level in history[columns].itertuples(index=False):
        now = (quadrant(int(power), int(interest), threshold).value, int(level))
        before = previous.get(int(actor_id))
        if before is not None and before != now:
            moves[int(aid)] = f"{before[0]}>{now[0]};{before[1]}>{now[1]}"
        previous[int(actor_id)] = now
    return moves
