"""The program's editable lists: add, rename, reorder, remove, and match by name.

A name matches an entry when it equals, ignoring case, accents and spaces, the entry's
key, its Spanish or English label or one of its aliases: files may use either language.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Literal, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.errors import DuplicateName, InUse, NotFound, Problem, ValidationFailed
from engagement.model import Principal, Term
from engagement.services import audit
from engagement.services.access.permissions import Action, require
from engagement.storage.db import Database
from engagement.storage.models import Actor, Assessment, Relationship, Sector, Stage, TieType
from engagement.storage.queries.programs import term_info
from engagement.storage.tracking_models import Activity, ActivityType, Commitment, Input
from engagement.text import clean_name, name_key

Kind = Literal["stage", "sector", "tie_type", "activity_type"]
_MODELS: dict[str, type[Stage] | type[Sector] | type[TieType] | type[ActivityType]] = {
    "stage": Stage,
    "sector": Sector,
    "tie_type": TieType,
    "activity_type": ActivityType,
}


def term_names(term: Term) -> set[str]:
    return {name_key(n) for n in (term.key, term.label_es, term.label_en, *term.aliases) if n}


def match_term(terms: Sequence[Term], name: str) -> Term | None:
    """The entry that ``name`` designates, in either language, or None."""
    wanted = name_key(name)
    if not wanted:
        return None
    return next((term for term in terms if wanted in term_names(term)), None)


def _words(folded: str) -> set[str]:
    return set(re.findall(r"\w+", folded))


def similar_term(terms: Sequence[Term], name: str) -> str | None:
    """The name of an entry that ``name`` (not on the list) looks like, or None.

    Alike: the same words in another order ("Ciudadano o ciudadana" and "Ciudadana o
    ciudadano"), the words of one within the other's ("Organismo multilateral" and
    "Organismo multilateral / agencia ONU"), or a near spelling ("Sociedad civl").
    """
    wanted = name_key(name)
    for term in terms:
        for label in dict.fromkeys((term.label_es, term.label_en, *term.aliases)):
            if label and _alike(wanted, name_key(label)):
                return label if label in (term.label_es, term.label_en) else term.label_es
    return None


def _alike(one: str, other: str) -> bool:
    words, theirs = _words(one), _words(other)
    fewer = words if len(words) <= len(theirs) else theirs
    if words and words == theirs:
        return True
    if (words < theirs or theirs < words) and any(len(w) >= 4 for w in fewer):
        return True
    return difflib.SequenceMatcher(None, one, other).ratio() >= 0.85


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name_key(name)).strip("_")[:80] or "item"


TermRow = Stage | Sector | TieType | ActivityType


def _rows(session: Session, kind: Kind, program_id: int) -> list[TermRow]:
    model = _MODELS[kind]
    stmt = select(model).where(model.program_id == program_id).order_by(model.position, model.id)
    return list(cast("Sequence[TermRow]", session.scalars(stmt).all()))


def _terms(session: Session, kind: Kind, program_id: int) -> list[Term]:
    return [term_info(r) for r in _rows(session, kind, program_id)]


def new_term(
    session: Session,
    by: Principal,
    program_id: int,
    kind: Kind,
    label_es: str,
    label_en: str = "",
    *,
    negative: bool = False,
    directed: bool = True,
    forum: bool = False,
    batch_id: int | None = None,
    key: str | None = None,
) -> Term:
    """Add an entry inside an open write transaction (used by imports too).

    ``key`` fixes the entry's key when it is free (else one is made from the name).
    """
    label_es, label_en = clean_name(label_es), clean_name(label_en) or clean_name(label_es)
    if not label_es:
        raise ValidationFailed([Problem("label_es", "required")])
    existing = _terms(session, kind, program_id)
    for label in (label_es, label_en):
        if match_term(existing, label) is not None:
            raise DuplicateName(entity=kind, name=label)
    keys = {term.key for term in existing}
    base = key or slug(label_es)
    key, n = base, 2
    while key in keys:
        key, n = f"{base}_{n}", n + 1
    model = _MODELS[kind]
    extra: dict[str, bool] = {}
    if kind == "tie_type":
        extra = {"negative": negative, "directed": directed}
    elif kind == "activity_type":
        extra = {"forum": forum}
    position = max((term.position for term in existing), default=-1) + 1
    row = model(
        program_id=program_id,
        key=key,
        label_es=label_es,
        label_en=label_en,
        aliases=[],
        position=position,
        **extra,
    )
    session.add(row)
    session.flush()
    fields = {"key": key, "label_es": label_es, "label_en": label_en, **extra}
    audit.record(session, by, program_id, kind, row.id, "create", fields, batch_id)
    return term_info(row)


def add_term(
    db: Database,
    by: Principal,
    program_id: int,
    kind: Kind,
    label_es: str,
    label_en: str = "",
    *,
    negative: bool = False,
    directed: bool = True,
    forum: bool = False,
) -> Term:
    require(by, program_id, Action.MANAGE_PROGRAM)
    with db.writing() as session:
        return new_term(
            session,
            by,
            program_id,
            kind,
            label_es,
            label_en,
            negative=negative,
            directed=directed,
            forum=forum,
        )


def update_term(
    db: Database,
    by: Principal,
    program_id: int,
    kind: Kind,
    term_id: int,
    *,
    label_es: str,
    label_en: str,
    negative: bool | None = None,
    directed: bool | None = None,
    forum: bool | None = None,
    aliases: Sequence[str] | None = None,
) -> Term:
    """Rename an entry (both languages) and its other names (``aliases``, when given);
    for tie and activity types, change its flags."""
    require(by, program_id, Action.MANAGE_PROGRAM)
    label_es, label_en = clean_name(label_es), clean_name(label_en) or clean_name(label_es)
    problems = _label_problems(label_es, label_en, aliases)
    if problems:
        raise ValidationFailed(problems)
    with db.writing() as session:
        row = _get(session, kind, program_id, term_id)
        others = [term for term in _terms(session, kind, program_id) if term.id != term_id]
        names = [label_es, label_en, *(aliases or ())]
        for label in names:
            if match_term(others, label) is not None:
                raise DuplicateName(entity=kind, name=label)
        new: dict[str, str | bool | list[str]] = {"label_es": label_es, "label_en": label_en}
        if aliases is not None:
            new["aliases"] = _clean_aliases(aliases, label_es, label_en)
        if isinstance(row, TieType):
            flags = {"negative": negative, "directed": directed}
            new |= {k: v for k, v in flags.items() if v is not None}
        if isinstance(row, ActivityType) and forum is not None:
            new["forum"] = forum
        changes = audit.diff({k: getattr(row, k) for k in new}, new)
        for k, v in new.items():
            setattr(row, k, v)
        if changes:
            audit.record(session, by, program_id, kind, term_id, "update", changes)
        session.flush()
        return term_info(row)


def _label_problems(label_es: str, label_en: str, aliases: Sequence[str] | None) -> list[Problem]:
    problems = [] if label_es else [Problem("label_es", "required")]
    for field, value in (("label_es", label_es), ("label_en", label_en)):
        if len(value) > 200:
            problems.append(Problem(field, "too_long", {"max": 200}))
    if any(len(clean_name(a)) > 200 for a in aliases or ()):
        problems.append(Problem("aliases", "too_long", {"max": 200}))
    return problems


def _clean_aliases(aliases: Sequence[str], *labels: str) -> list[str]:
    """Trimmed, without repeats and without the labels themselves, in the given order."""
    seen = {name_key(label) for label in labels}
    kept: list[str] = []
    for alias in (clean_name(a) for a in aliases):
        if alias and name_key(alias) not in seen:
            seen.add(name_key(alias))
            kept.append(alias)
    return kept


def move_term(
    db: Database, by: Principal, program_id: int, kind: Kind, term_id: int, offset: int
) -> list[Term]:
    """Move an entry up (offset < 0) or down the list; returns the new order."""
    require(by, program_id, Action.MANAGE_PROGRAM)
    with db.writing() as session:
        rows = _rows(session, kind, program_id)
        index = next((i for i, r in enumerate(rows) if r.id == term_id), None)
        if index is None:
            raise NotFound(entity=kind, key=term_id)
        target = max(0, min(len(rows) - 1, index + offset))
        rows.insert(target, rows.pop(index))
        for position, row in enumerate(rows):
            row.position = position
        audit.record(session, by, program_id, kind, term_id, "move", {"position": [index, target]})
        session.flush()
        return [term_info(r) for r in rows]


def remove_term(db: Database, by: Principal, program_id: int, kind: Kind, term_id: int) -> None:
    """Remove an entry that nothing uses; refuse with InUse otherwise."""
    require(by, program_id, Action.MANAGE_PROGRAM)
    with db.writing() as session:
        row = _get(session, kind, program_id, term_id)
        uses = _usage(session, kind, term_id)
        if uses:
            raise InUse(entity=kind, name=row.label_es, count=uses)
        if kind == "stage" and len(_terms(session, kind, program_id)) == 1:
            raise InUse(entity=kind, name=row.label_es, count=0)
        audit.record(
            session, by, program_id, kind, term_id, "delete", {"label_es": [row.label_es, None]}
        )
        session.delete(row)


def _usage(session: Session, kind: Kind, term_id: int) -> int:
    columns = {
        "stage": (Assessment.stage_id, Activity.stage_id, Input.stage_id, Commitment.stage_id),
        "sector": (Actor.sector_id,),
        "tie_type": (Relationship.tie_type_id,),
        "activity_type": (Activity.activity_type_id,),
    }[kind]
    return sum(
        session.scalar(select(func.count()).where(column == term_id)) or 0 for column in columns
    )


def _get(session: Session, kind: Kind, program_id: int, term_id: int) -> TermRow:
    row = cast("TermRow | None", session.get(_MODELS[kind], term_id, with_for_update=True))
    if row is None or row.program_id != program_id:
        raise NotFound(entity=kind, key=term_id)
    return row
