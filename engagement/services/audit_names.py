"""Names for the ids in the audit trail: which actor, sector, stage or activity it was.

The trail stores ids (an actor's ``sector_id`` went from 3 to 5; the change was to
relationship 17). A mentor reading it needs "Sector: Academia → Sector privado" and
"Municipalidad → ONU-Hábitat". Deleted rows keep their names here: the trail outlives
them. An id that no longer names anything (a removed list entry) stays as ``#id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.model import ProgramInfo
from engagement.storage.access_models import UserAccount
from engagement.storage.models import (
    Activity,
    Actor,
    Assessment,
    Commitment,
    EvidenceItem,
    FollowUpTask,
    Input,
    Milestone,
    Relationship,
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
_TITLE_LIMIT = 80


@dataclass(frozen=True)
class AuditNames:
    """Every name the trail of one program may refer to, in one language."""

    actors: dict[int, str] = field(default_factory=dict)
    terms: dict[str, dict[int, str]] = field(default_factory=dict)
    titles: dict[str, dict[int, str]] = field(default_factory=dict)
    ties: dict[int, tuple[int, int]] = field(default_factory=dict)
    assessed: dict[int, int] = field(default_factory=dict)

    def actor(self, actor_id: Any) -> str:
        return self.actors.get(actor_id, f"#{actor_id}") if isinstance(actor_id, int) else ""

    def value(self, name: str, value: Any) -> Any:
        """``value`` of field ``name`` with ids written as names."""
        if not isinstance(value, int) or isinstance(value, bool):
            return value
        if name in ACTOR_FIELDS:
            return self.actor(value)
        if name in self.terms:
            return self.terms[name].get(value, f"#{value}")
        if name in TITLED_FIELDS:
            return self.titles.get(TITLED_FIELDS[name], {}).get(value, f"#{value}")
        return value

    def changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """``{field: [old, new]}`` with the ids in both values written as names."""
        readable: dict[str, Any] = {}
        for name, value in changes.items():
            if isinstance(value, list) and len(value) == 2:
                readable[name] = [self.value(name, v) for v in value]
            else:
                readable[name] = self.value(name, value)
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


def _pairs(session: Session, key: Any, value: Any, where: Any) -> dict[int, str]:
    return {int(k): str(v) for k, v in session.execute(select(key, value).where(where))}
