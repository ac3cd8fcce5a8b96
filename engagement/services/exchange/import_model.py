"""The typed plan of an import, and the snapshot of the program it is matched against.

A plan holds rows to insert (column → value), rows to update (:class:`RowUpdate`) and
list entries to add (:class:`NewTerm`); references to what the import itself creates
stay symbolic (:class:`Ref`) until the write resolves them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import Problem
from engagement.model import ImportSummary, Term
from engagement.storage.models import Actor, Assessment, Relationship, Sector, Stage, TieType
from engagement.storage.queries.programs import term_info
from engagement.text import name_key

_ACTOR_DATA = (
    "name", "sector_id", "description", "tags", "territory", "website", "contact_name",
    "contact_email", "contact_phone", "consent_to_contact", "confidentiality", "last_verified",
    "custom_fields", "external_id",
)  # fmt: skip
_TIE_DATA = (
    "source_id", "target_id", "tie_type_id", "directed", "strength", "valid_from", "valid_to",
    "source_info", "note", "tags", "external_id",
)  # fmt: skip
_SCORE_DATA = (
    "assessed_on", "assessor", "power", "interest", "legitimacy", "urgency",
    "engagement_current", "engagement_desired", "participation_target", "note",
)  # fmt: skip


class Ref(NamedTuple):
    """Something the import creates: a list entry (``sector``, ``tie_type``) or an actor.

    A named tuple: hashed in C, as tens of thousands are looked up while writing.
    """

    kind: str
    key: str


TermKind = Literal["sector", "tie_type"]
#: The key of the tie type given to ties whose row names none (``Vínculo``/``Connection``).
DEFAULT_TIE_TYPE_KEY = "vinculo"


@dataclass(frozen=True)
class NewTerm:
    """A list entry the import adds, under its names in both languages."""

    kind: TermKind
    label_es: str
    label_en: str
    #: The entry's key, when it must be a fixed one (the default tie type's).
    slug: str | None = None


@dataclass(frozen=True)
class RowUpdate:
    """An existing row the import changes: the new values, and field → [old, new]."""

    row_id: int
    values: dict[str, Any]
    changes: dict[str, list[Any]]


#: Column → value of a row to insert (the columns of ``actor``, ``relationship``…).
Row = dict[str, Any]


@dataclass
class Plan:
    summary: ImportSummary = field(default_factory=ImportSummary)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    #: Notices the user should read before importing: a column or a name that looks
    #: like one Tejido knows (a misspelling would otherwise lose data or add a twin).
    warnings: list[Problem] = field(default_factory=list)
    #: The list entries to add, by the reference the rows use.
    new_terms: dict[Ref, NewTerm] = field(default_factory=dict)
    actor_inserts: list[Row] = field(default_factory=list)
    actor_updates: list[RowUpdate] = field(default_factory=list)
    tie_inserts: list[Row] = field(default_factory=list)
    tie_updates: list[RowUpdate] = field(default_factory=list)
    assessment_inserts: list[Row] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)
    updated_actors: list[str] = field(default_factory=list)

    def count(self, outcome: str, entity: str, n: int = 1) -> None:
        table: dict[str, int] = getattr(self.summary, outcome)
        table[entity] = table.get(entity, 0) + n

    @property
    def added_terms(self) -> dict[str, list[str]]:
        """kind → the names of the entries to add, as the file writes them."""
        out: dict[str, list[str]] = {}
        for term in self.new_terms.values():
            out.setdefault(term.kind, []).append(term.label_es)
        return out


_SPACES = re.compile(r"\s+")


@cache
def _combining() -> dict[int, None]:
    """Combining marks of the Basic Multilingual Plane, for ``str.translate``."""
    return {cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))}


def fold(name: str) -> str:
    """:func:`engagement.text.name_key`, faster: imports fold tens of thousands of names."""
    if name.isascii():
        return _SPACES.sub(" ", name).strip().casefold()
    decomposed = unicodedata.normalize("NFKD", name)
    if max(decomposed) > "\uffff":
        return name_key(name)
    return _SPACES.sub(" ", decomposed.translate(_combining())).strip().casefold()


@dataclass
class Snapshot:
    """The program as the plan sees it."""

    sectors: list[Term]
    tie_types: list[Term]
    stages: list[Term]
    actors: dict[int, dict[str, Any]]
    ties: dict[int, dict[str, Any]]
    assessment_keys: set[tuple[Any, ...]]


def snapshot(session: Session, program_id: int) -> Snapshot:
    def terms(model: type[Sector] | type[TieType] | type[Stage]) -> list[Term]:
        stmt = select(model).where(model.program_id == program_id).order_by(model.position)
        rows = cast("Sequence[Sector | TieType | Stage]", session.scalars(stmt).all())
        return [term_info(r) for r in rows]

    a = Actor.__table__.c
    actor_stmt = select(a.id, a.name_key, *(a[k] for k in _ACTOR_DATA)).where(
        a.program_id == program_id, a.deleted_at.is_(None)
    )
    r = Relationship.__table__.c
    tie_stmt = select(r.id, *(r[k] for k in _TIE_DATA)).where(
        r.program_id == program_id, r.deleted_at.is_(None)
    )
    s = Assessment.__table__.c
    score_stmt = (
        select(s.actor_id, s.stage_id, *(s[k] for k in _SCORE_DATA))
        .join(Actor.__table__, a.id == s.actor_id)
        .where(a.program_id == program_id)
    )
    return Snapshot(
        sectors=terms(Sector),
        tie_types=terms(TieType),
        stages=terms(Stage),
        actors={row.id: dict(row._mapping) for row in session.execute(actor_stmt)},
        ties={row.id: dict(row._mapping) for row in session.execute(tie_stmt)},
        assessment_keys={score_key(dict(row._mapping)) for row in session.execute(score_stmt)},
    )


def score_key(values: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two assessments the same (an actor may be a :class:`Ref`)."""
    return tuple(values[k] for k in ("actor_id", "stage_id", *_SCORE_DATA))
