"""Names for the ids in the audit trail: which actor, sector, stage or activity it was.

The trail stores ids (an actor's ``sector_id`` went from 3 to 5; the change was to
relationship 17). A mentor reading it needs "Sector: Academia → Sector privado" and
"Municipalidad → ONU-Hábitat". Deleted rows keep their names here: the trail outlives
them. An id that no longer names anything (a removed list entry) stays as ``#id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.frameworks import EngagementLevel, ParticipationLevel
from engagement.i18n import t
from engagement.model import ProgramInfo
from engagement.storage.access_models import UserAccount
from engagement.storage.models import Actor, Assessment, Relationship
from engagement.storage.tracking_models import (
    Activity,
    Commitment,
    EvidenceItem,
    FollowUpTask,
    Input,
    Milestone,
    Snapshot,
)
from engagement.text import shorten

#: Fields holding an actor's id.
ACTOR_FIELDS = frozenset({"actor_id", "source_id", "target_id", "responsible_id"})
#: Fields holding the id of an entry of one of the program's lists -> that list's entity.
TERM_FIELDS = {
    "stage_id": "stage",
    "sector_id": "sector",
    "tie_type_id": "tie_type",
    "activity_type_id": "activity_type",
}
#: Fields holding the id of a titled record -> that record's entity.
TITLED_FIELDS = {"activity_id": "activity", "commitment_id": "commitment"}
#: Fields holding a list of ids -> the entity they name ("actor" for actors).
ID_LIST_FIELDS = {
    "co_responsible_ids": "actor",
    "activity_ids": "activity",
    "input_ids": "input",
}
#: Fields holding a level of a framework's scale, by number.
LEVEL_FIELDS: dict[str, type[EngagementLevel] | type[ParticipationLevel]] = {
    "engagement_current": EngagementLevel,
    "engagement_desired": EngagementLevel,
    "participation_target": ParticipationLevel,
    "participation_reached": ParticipationLevel,
}
#: (entity, field) holding a code of a fixed value list -> the catalog prefix of its names.
CODED_FIELDS = {
    ("membership", "role"): "role",
    ("commitment", "status"): "tracking.commitment_status",
    ("follow_up_task", "status"): "tracking.task_status",
    ("input", "response"): "tracking.response",
    ("evidence_item", "kind"): "tracking.evidence_kind",
    ("actor", "confidentiality"): "confidentiality",
}
_TITLE_LIMIT = 80


@dataclass(frozen=True)
class AuditNames:
    """Every name the trail of one program may refer to, in one language."""

    actors: dict[int, str] = field(default_factory=dict)
    terms: dict[str, dict[int, str]] = field(default_factory=dict)
    titles: dict[str, dict[int, str]] = field(default_factory=dict)
    ties: dict[int, tuple[int, int]] = field(default_factory=dict)
    assessed: dict[int, int] = field(default_factory=dict)
    lang: str = "es"

    def actor(self, actor_id: Any) -> str:
        return self.actors.get(actor_id, f"#{actor_id}") if isinstance(actor_id, int) else ""

    def value(self, name: str, value: Any, entity: str = "") -> Any:
        """``value`` of field ``name`` as a reader writes it: ids as names, codes of
        value lists by their names, attendees, milestones and headcounts in words."""
        if (entity, name) in CODED_FIELDS and isinstance(value, str) and value:
            return t(f"{CODED_FIELDS[entity, name]}.{value}", self.lang)
        if name in ID_LIST_FIELDS and isinstance(value, list):
            return ", ".join(str(self._named(ID_LIST_FIELDS[name], v)) for v in value)
        if name == "attendees":
            return "; ".join(self._attendee(a) for a in _items(value))
        if name == "milestones" and isinstance(value, list):
            return "; ".join(self._milestone(m) for m in _milestones(value))
        if name == "headcount_detail" and isinstance(value, dict):
            return self._headcount(value)
        if not isinstance(value, int) or isinstance(value, bool):
            return value
        if name in LEVEL_FIELDS:
            return t(LEVEL_FIELDS[name](value).key, self.lang)
        if name in ACTOR_FIELDS:
            return self.actor(value)
        if name in self.terms:
            return self.terms[name].get(value, f"#{value}")
        if name in TITLED_FIELDS:
            return self._named(TITLED_FIELDS[name], value)
        return value

    def _named(self, entity: str, entity_id: Any) -> str:
        if entity == "actor":
            return self.actor(entity_id)
        return self.titles.get(entity, {}).get(entity_id, f"#{entity_id}")

    def _attendee(self, item: Any) -> str:
        if not isinstance(item, dict):
            return str(item)
        words = [t(f"tracking.role.{item['role']}", self.lang)] if item.get("role") else []
        if item.get("sentiment"):
            words.append(t(f"tracking.sentiment.{item['sentiment']}", self.lang))
        who = self.actor(item.get("actor_id"))
        return f"{who} ({', '.join(words)})" if words else who

    def _milestone(self, item: list[Any]) -> str:
        title, due, progress = [*item, None, None, None][:3]
        day = _day(due)
        details = [d for d in (day, f"{progress} %" if progress is not None else "") if d]
        return f"{title} ({', '.join(details)})" if details else str(title)

    def _headcount(self, detail: dict[str, Any]) -> str:
        parts = [
            f"{t(f'tracking.{group}.{key}', self.lang)} {count}"
            for group in ("gender", "age")
            for key, count in (detail.get(group) or {}).items()
        ]
        return ", ".join(parts)

    def changes(
        self, changes: Mapping[str, Any], entity: str = "", action: str = "update"
    ) -> dict[str, Any]:
        """``{field: [old, new]}`` with ids and codes in both values written as names.

        A record's creation stores plain values (a list is the value itself, not an
        old/new pair); other actions store ``[old, new]`` pairs. Lists come out as text.
        """
        readable: dict[str, Any] = {}
        for name, value in changes.items():
            if action not in _PLAIN_ACTIONS and isinstance(value, list) and len(value) == 2:
                readable[name] = [_text(self.value(name, v, entity)) for v in value]
            else:
                readable[name] = _text(self.value(name, value, entity))
        return readable

    def subject(self, entity: str, entity_id: int) -> str:
        """What an entry is about: the actor's name, "A → B" for a tie, a title..."""
        if entity == "actor":
            return self.actor(entity_id)
        if entity == "relationship" and entity_id in self.ties:
            source, target = self.ties[entity_id]
            return f"{self.actor(source)} → {self.actor(target)}"
        if entity == "assessment" and entity_id in self.assessed:
            return self.actor(self.assessed[entity_id])
        if entity in self.titles and entity_id in self.titles[entity]:
            return self.titles[entity][entity_id]
        return f"#{entity_id}"


def audit_names(session: Session, program: ProgramInfo, lang: str) -> AuditNames:
    """All the names of ``program`` (deleted rows included) in ``lang``."""
    pid = program.id
    lists = {
        "stage_id": program.stages,
        "sector_id": program.sectors,
        "tie_type_id": program.tie_types,
        "activity_type_id": program.activity_types,
    }
    terms = {name: {t.id: t.label(lang) for t in entries} for name, entries in lists.items()}
    titles: dict[str, dict[int, str]] = {
        "activity": _pairs(session, Activity.id, Activity.title, Activity.program_id == pid),
        "commitment": _pairs(
            session, Commitment.id, Commitment.title, Commitment.program_id == pid
        ),
        "evidence_item": _pairs(
            session, EvidenceItem.id, EvidenceItem.title, EvidenceItem.program_id == pid
        ),
        "snapshot": _pairs(session, Snapshot.id, Snapshot.name, Snapshot.program_id == pid),
        "follow_up_task": _pairs(
            session, FollowUpTask.id, FollowUpTask.title, FollowUpTask.program_id == pid
        ),
        "milestone": dict(
            session.execute(
                select(Milestone.id, Milestone.title)
                .join(Commitment, Milestone.commitment_id == Commitment.id)
                .where(Commitment.program_id == pid)
            ).all()
        ),
        "input": {
            i: shorten(topic or text, _TITLE_LIMIT)
            for i, topic, text in session.execute(
                select(Input.id, Input.topic, Input.text).where(Input.program_id == pid)
            ).all()
        },
        "membership": dict(session.execute(select(UserAccount.id, UserAccount.username)).all()),
        "program": {pid: program.name},
    } | {entity: terms[name] for name, entity in TERM_FIELDS.items()}
    return AuditNames(
        lang=lang,
        actors=_pairs(session, Actor.id, Actor.name, Actor.program_id == pid),
        terms=terms,
        titles=titles,
        ties={
            i: (s, t)
            for i, s, t in session.execute(
                select(Relationship.id, Relationship.source_id, Relationship.target_id).where(
                    Relationship.program_id == pid
                )
            ).all()
        },
        assessed=dict(
            session.execute(
                select(Assessment.id, Assessment.actor_id)
                .join(Actor, Assessment.actor_id == Actor.id)
                .where(Actor.program_id == pid)
            ).all()
        ),
    )


#: Actions whose entry holds plain values rather than ``[old, new]`` pairs.
_PLAIN_ACTIONS = frozenset({"create", "erase"})


def _text(value: Any) -> Any:
    """A list (tags, facilitators) as "a, b"; anything else unchanged."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _milestones(value: list[Any]) -> list[list[Any]]:
    """One milestone is ``[title, due, progress]``; several are a list of those."""
    if value and all(isinstance(m, list) for m in value):
        return value
    return [value] if value else []


def _day(value: Any) -> str:
    try:
        return f"{dt.date.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return str(value or "")


def _pairs(session: Session, key: Any, value: Any, where: Any) -> dict[int, str]:
    return {int(k): str(v) for k, v in session.execute(select(key, value).where(where))}
