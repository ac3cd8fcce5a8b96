"""Privacy of neighbours' data: who sees what, presentation mode, and one person's data.

- Restricted actors and personal contact fields are shown only to leads and mentors
  (:func:`engagement.services.access.permissions.can_see_restricted`).
- Presentation mode (a screen shared in a meeting, a printed map) hides the names and
  contact data of individual citizens, not of organisations: each becomes "Persona 3".
- For one person: :func:`person_report` gathers everything held about them;
  :func:`erase_person` erases their personal data on request. The audit trail stays
  consistent: it records an erasure and its earlier entries lose the erased values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select

from engagement.errors import ActorNotFound
from engagement.model import Principal
from engagement.services import audit
from engagement.services.access import permissions
from engagement.services.access.permissions import Action
from engagement.storage.db import Database
from engagement.storage.models import Actor, Assessment, AuditEntry, Relationship

PERSONAL_FIELDS = ("contact_name", "contact_email", "contact_phone")
#: Sector keys whose actors are people, not organisations.
PERSON_SECTORS = frozenset({"citizen"})
#: What an erased value becomes, in the record and in the audit trail.
ERASED = "[—]"
#: Fields that can identify a person, erased on request.
ERASABLE = ("name", "description", "website", *PERSONAL_FIELDS)


def visible_actors(
    actors: pd.DataFrame,
    *,
    see_restricted: bool,
    presentation: bool,
    person_label: str,
    names: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """The actors frame as this viewer may see it (a new frame; the input is untouched).

    In presentation mode citizens take the stand-ins in ``names`` (see
    :func:`stand_in_names`), or else are numbered among the rows of ``actors``.
    """
    shown = actors.copy()
    if not see_restricted:
        shown = shown[shown["confidentiality"] != "restricted"].reset_index(drop=True)
    if not see_restricted or presentation:
        for field in PERSONAL_FIELDS:
            if field in shown:
                shown[field] = ""
    if presentation:
        aliases = person_aliases(shown, person_label) if names is None else names
        shown["name"] = _renamed(shown["id"], shown["name"], aliases)
    return shown


def stand_in_names(actors: pd.DataFrame, *, see_restricted: bool, label: str) -> dict[int, str]:
    """The stand-ins that every page, map and export of a program shows to one viewer.

    ``actors`` holds all the program's actors, live and deleted: numbering citizens among
    all those the viewer may see means that a deletion, a filter or the page shown never
    renumbers them ("Persona 2" on the map is "Persona 2" in the table and the export).
    """
    seen = actors if see_restricted else actors[actors["confidentiality"] != "restricted"]
    return person_aliases(seen, label)


def person_aliases(actors: pd.DataFrame, label: str) -> dict[int, str]:
    """Stable stand-in names for individual citizens: "Persona 1", "Persona 2", … by id."""
    people = actors[actors["sector_key"].isin(PERSON_SECTORS)].sort_values("id")
    return {int(i): f"{label} {n}" for n, i in enumerate(people["id"], start=1)}


def rename_actors(
    frame: pd.DataFrame, names: Mapping[int, str], columns: Mapping[str, str]
) -> pd.DataFrame:
    """Replace actor names in ``frame`` (``{name column: id column}``) by ``names``."""
    renamed = frame.copy()
    for name_col, id_col in columns.items():
        if name_col in renamed and id_col in renamed:
            renamed[name_col] = _renamed(renamed[id_col], renamed[name_col], names)
    return renamed


def _renamed(ids: pd.Series, current: pd.Series, names: Mapping[int, str]) -> pd.Series:
    """``current`` with the names in ``names`` put in by id; its dtype kept.

    (``ids.map(names).fillna(current)`` warns when no id is in ``names``: the mapped
    column is then all-NaN floats, which pandas will not fill with text.)
    """
    values = [names.get(i, name) for i, name in zip(ids, current, strict=True)]
    return pd.Series(values, index=current.index, dtype=current.dtype, name=current.name)


def person_report(db: Database, by: Principal, actor_id: int) -> dict[str, Any]:
    """Everything held about one actor (a person), for a data-subject request."""
    with db.reading() as session:
        row = session.get(Actor, actor_id)
        if row is None:
            raise ActorNotFound(key=actor_id)
        permissions.require(by, row.program_id, Action.VIEW_RESTRICTED)
        fields = {c.name: audit.json_safe(getattr(row, c.name)) for c in Actor.__table__.columns}
        scores = session.scalars(select(Assessment).where(Assessment.actor_id == actor_id))
        ties = session.scalars(
            select(Relationship).where(
                (Relationship.source_id == actor_id) | (Relationship.target_id == actor_id)
            )
        )
        trail = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "actor", AuditEntry.entity_id == actor_id)
            .order_by(AuditEntry.id)
        )
        return {
            "actor": fields,
            "assessments": [_plain(a) for a in scores],
            "relationships": [_plain(r) for r in ties],
            "audit": [
                {"at": e.at.isoformat(), "by": e.username, "action": e.action, "changes": e.changes}
                for e in trail
            ],
        }


def _plain(row: Any) -> dict[str, Any]:
    return {c.name: audit.json_safe(getattr(row, c.name)) for c in row.__table__.columns}


def erase_person(db: Database, by: Principal, actor_id: int) -> None:
    """Erase a person's identifying data; their assessments and ties stay, anonymous.

    The actor keeps its id (so the program's history still adds up) under the name
    "[—] <id>". Earlier audit entries of the actor lose the erased values; a new entry
    records the erasure itself, listing the fields but not their values.
    """
    with db.writing() as session:
        row = session.get(Actor, actor_id, with_for_update=True)
        if row is None:
            raise ActorNotFound(key=actor_id)
        permissions.require(by, row.program_id, Action.MANAGE_PROGRAM)
        erased = [f for f in ERASABLE if getattr(row, f)]
        for field in ERASABLE:
            setattr(row, field, "")
        row.name = f"{ERASED} {row.id}"
        row.name_key = row.name.lower()
        row.consent_to_contact = False
        row.custom_fields = {}
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "actor", AuditEntry.entity_id == row.id)
        )
        for entry in entries:
            entry.changes = _scrub(entry.changes)
        session.flush()
        audit.record(session, by, row.program_id, "actor", row.id, "erase", {"erased": erased})


def _scrub(changes: dict[str, Any]) -> dict[str, Any]:
    scrubbed: dict[str, Any] = {}
    for field, value in changes.items():
        if field in ERASABLE or field == "custom_fields":
            scrubbed[field] = [ERASED, ERASED] if isinstance(value, list) else ERASED
        else:
            scrubbed[field] = value
    return scrubbed
