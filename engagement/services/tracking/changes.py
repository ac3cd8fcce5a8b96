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

from engagement.frameworks import quadrant
from engagement.services.audit_names import AuditNames

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


def last_mentoring_call(acts: pd.DataFrame, today: dt.date) -> dt.date | None:
    """Date of the latest mentoring session (of an activities frame) held on or before
    ``today``."""
    held = acts.loc[(acts["activity_type_key"] == _MENTORING) & (acts["held_on"] <= today)]
    return max(held["held_on"]) if not held.empty else None


def changes_since(
    log: pd.DataFrame,
    held: pd.DataFrame,
    received: pd.DataFrame,
    names: AuditNames,
    moves: dict[int, str],
    since: dt.date,
) -> Changes:
    """Reported changes on or after ``since`` (start of that day), newest first.

    ``log`` holds the program's audit entries since then, ``held`` the activities held
    since then and ``received`` every input's own days
    (:mod:`engagement.storage.queries.audit`); ``names`` names their subjects and
    ``moves`` says how each assessment moved (:func:`assessment_moves`).
    """
    log = log.copy()
    log["category"] = [category_of(e, a) for e, a in zip(log["entity"], log["action"], strict=True)]
    own_dated = [(e, a) in OWN_DATES for e, a in zip(log["entity"], log["action"], strict=True)]
    log = log[log["category"].notna() & ~pd.Series(own_dated, index=log.index, dtype=bool)].copy()
    log["basis"] = RECORDED
    log = pd.concat([log, _dated_records(held, received, since)], ignore_index=True)
    # Reported entities are named by themselves (actor, title...), never by a list entry,
    # so the language of the names does not matter here.
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


def _dated_records(held: pd.DataFrame, received: pd.DataFrame, since: dt.date) -> pd.DataFrame:
    """Activities held, inputs received and responses given on or after ``since``, each
    at its own date, with who recorded it."""
    rows = [
        _row(day, "held_on", who, "activities", "activity", i, "create")
        for i, day, who in zip(held["id"], held["held_on"], held["created_by"], strict=True)
        if day >= since
    ]
    for i, got, who, done, by in received[
        ["id", "received_on", "created_by", "responded_on", "responded_by"]
    ].itertuples(index=False):
        if got >= since:
            rows.append(_row(got, "received_on", who, "inputs", "input", i, "create"))
        if done is not None and not pd.isna(done) and done >= since:
            rows.append(_row(done, "responded_on", by, "responses", "input", i, "respond"))
    return pd.DataFrame(rows, columns=["at", "basis", "username", "category", "entity",
                                       "entity_id", "action"])  # fmt: skip


def _row(
    day: dt.date, basis: str, who: str, category: str, entity: str, entity_id: int, action: str
) -> dict[str, object]:
    return {
        "at": dt.datetime.combine(day, dt.time.min), "basis": basis, "username": who,
        "category": category, "entity": entity, "entity_id": int(entity_id), "action": action,
    }  # fmt: skip


def assessment_moves(history: pd.DataFrame, threshold: int) -> dict[int, str]:
    """For each assessment (of an assessments frame, oldest first): "quadrant_a>quadrant_b;
    engagement a>b" against the actor's previous one, when it moved."""
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
