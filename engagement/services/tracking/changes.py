"""What changed since a date ("since the last mentoring call").

Categories: new actors, assessments recorded (with the quadrant and engagement move
against the actor's previous assessment), activities, inputs received, responses to
inputs, commitments (and their milestones).

Each entry says which date placed it after the call (``basis``): activities count by
the day they were held, inputs by the day they were received, responses by the day
they were given (so an old workshop typed in today is not "new", and one held yesterday
but logged last week is); everything else (new actors, assessments, commitments and
edits of any record) counts by when it was recorded, from the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from engagement.frameworks import quadrant
from engagement.i18n import DEFAULT_LANGUAGE
from engagement.services import audit
from engagement.services.audit_names import audit_names
from engagement.services.registry import assessments
from engagement.services.registry.programs import get_program
from engagement.storage.db import Database
from engagement.storage.models import Activity, ActivityType, AuditEntry, Input

CATEGORIES = ("new_actors", "assessments", "activities", "inputs", "responses", "commitments")
ENTRY_COLUMNS = [
    "at", "basis", "username", "category", "entity", "entity_id", "action", "label", "detail",
]  # fmt: skip
#: Audit entries replaced by the record's own date: (entity, action) -> basis.
OWN_DATES = {
    ("activity", "create"): "held_on",
    ("input", "create"): "received_on",
    ("input", "respond"): "responded_on",
}
#: Basis of entries placed by the audit trail's time.
RECORDED = "recorded"
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
    if entity == "input" and action == "create":
        return "inputs"
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
    """Reported changes on or after ``since`` (start of that day), newest first."""
    start = dt.datetime.combine(since, dt.time.min)
    log = audit.audit_log(db, program_id, since=start, limit=20000)
    log["category"] = [category_of(e, a) for e, a in zip(log["entity"], log["action"], strict=True)]
    own_dated = [(e, a) in OWN_DATES for e, a in zip(log["entity"], log["action"], strict=True)]
    log = log[log["category"].notna() & ~pd.Series(own_dated, index=log.index, dtype=bool)].copy()
    log["basis"] = RECORDED
    log = pd.concat([log, _dated_records(db, program_id, since)], ignore_index=True)
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
    log["at"] = pd.to_datetime(log["at"])
    log = log.sort_values("at", ascending=False, kind="stable")
    return Changes(
        since=since,
        counts={c: int(counts.get(c, 0)) for c in CATEGORIES},
        entries=log[ENTRY_COLUMNS].reset_index(drop=True),
    )


def _dated_records(db: Database, program_id: int, since: dt.date) -> pd.DataFrame:
    """Activities held, inputs received and responses given on or after ``since``, each
    at its own date, with who recorded it."""
    rows: list[dict[str, object]] = []
    with db.reading() as session:
        creators = {
            (entity, int(i)): who
            for entity, i, who in session.execute(
                select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.username).where(
                    AuditEntry.program_id == program_id,
                    AuditEntry.entity.in_(("activity", "input")),
                    AuditEntry.action == "create",
                )
            )
        }
        held = session.execute(
            select(Activity.id, Activity.held_on).where(
                Activity.program_id == program_id,
                Activity.deleted_at.is_(None),
                Activity.held_on >= since,
            )
        )
        for i, day in held:
            rows.append(
                _row(
                    day,
                    "held_on",
                    creators.get(("activity", i), ""),
                    "activities",
                    "activity",
                    i,
                    "create",
                )
            )
        inputs = session.execute(
            select(Input.id, Input.received_on, Input.responded_on, Input.responded_by).where(
                Input.program_id == program_id, Input.deleted_at.is_(None)
            )
        )
        for i, received, responded, by in inputs:
            if received >= since:
                who = creators.get(("input", i), "")
                rows.append(_row(received, "received_on", who, "inputs", "input", i, "create"))
            if responded is not None and responded >= since:
                rows.append(_row(responded, "responded_on", by, "responses", "input", i, "respond"))
    return pd.DataFrame(rows, columns=["at", "basis", "username", "category", "entity",
                                       "entity_id", "action"])  # fmt: skip


def _row(
    day: dt.date, basis: str, who: str, category: str, entity: str, entity_id: int, action: str
) -> dict[str, object]:
    return {
        "at": dt.datetime.combine(day, dt.time.min), "basis": basis, "username": who,
        "category": category, "entity": entity, "entity_id": int(entity_id), "action": action,
    }  # fmt: skip


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
