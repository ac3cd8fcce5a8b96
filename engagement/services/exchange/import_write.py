"""Write a checked import plan in bulk, inside the caller's transaction.

Rows go in with SQLAlchemy Core ``executemany`` (``INSERT … RETURNING`` where ids are
needed), and so do their audit entries: one per written row, naming who, when and what
(the values created, or field-level old → new), all tied to the import batch so that it
can be undone. The program's data version is bumped once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from engagement.model import Principal
from engagement.services import audit
from engagement.services.exchange.import_model import NewTerm, Plan, Ref, RowUpdate
from engagement.services.registry.terms import new_term
from engagement.storage.base import utcnow
from engagement.storage.bulk import executemany, insert_ids
from engagement.storage.models import Actor, Assessment, AuditEntry, Program, Relationship

ACTOR_TABLE: Table = Actor.__table__  # type: ignore[assignment]
TIE_TABLE: Table = Relationship.__table__  # type: ignore[assignment]
SCORE_TABLE: Table = Assessment.__table__  # type: ignore[assignment]
AUDIT_TABLE: Table = AuditEntry.__table__  # type: ignore[assignment]

_ACTOR_DEFAULTS: dict[str, Any] = {
    "sector_id": None,
    "description": "",
    "tags": [],
    "territory": "",
    "website": "",
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "consent_to_contact": False,
    "confidentiality": "normal",
    "last_verified": None,
    "custom_fields": {},
    "external_id": None,
}
_TIE_DEFAULTS: dict[str, Any] = {
    "directed": True,
    "strength": 2,
    "valid_from": None,
    "valid_to": None,
    "source_info": "",
    "note": "",
    "tags": [],
    "external_id": None,
}


#: The fields that may hold a :class:`Ref` to something the import creates.
_REFERENCES = frozenset({"sector_id", "source_id", "target_id", "tie_type_id", "actor_id"})
ACTOR_SUMMARY = ("name", "sector_id", "external_id")
TIE_SUMMARY = ("source_id", "target_id", "tie_type_id", "directed", "strength", "external_id")
SCORE_SUMMARY = ("actor_id", "stage_id", "assessed_on", "power", "interest")


class Writer:
    """Writes one plan for one acting user, as one batch."""

    def __init__(self, session: Session, by: Principal, program_id: int, batch_id: int) -> None:
        self.session, self.by, self.program_id, self.batch_id = session, by, program_id, batch_id
        self.now = utcnow()
        self.refs: dict[Ref, int] = {}
        self.audit: list[dict[str, Any]] = []

    def write(self, plan: Plan) -> None:
        self._terms(plan.new_terms)
        self._insert_actors(plan.actor_inserts)
        self._update(ACTOR_TABLE, "actor", plan.actor_updates)
        self._insert_ties(plan.tie_inserts)
        self._update(TIE_TABLE, "relationship", plan.tie_updates)
        self._insert_assessments(plan.assessment_inserts)
        if self.audit:
            executemany(self.session.connection(), AUDIT_TABLE, self.audit)
        self.session.execute(
            update(Program)
            .where(Program.id == self.program_id)
            .values(data_version=Program.data_version + 1)
            .execution_options(synchronize_session=False)
        )

    def _resolved(self, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        for name in _REFERENCES.intersection(values):
            value = values[name]
            if isinstance(value, Ref):
                out[name] = self.refs[value]
        return out

    def _log(self, entity: str, entity_id: int, action: str, changes: dict[str, Any]) -> None:
        self.audit.append(
            {
                "at": self.now,
                "username": self.by.username,
                "program_id": self.program_id,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "changes": changes,
                "batch_id": self.batch_id,
            }
        )

    def _terms(self, new_terms: dict[Ref, NewTerm]) -> None:
        for ref, entry in new_terms.items():
            term = new_term(
                self.session,
                self.by,
                self.program_id,
                entry.kind,
                entry.label_es,
                entry.label_en,
                key=entry.slug,
                batch_id=self.batch_id,
            )
            self.refs[ref] = term.id

    def _insert_actors(self, inserts: list[dict[str, Any]]) -> None:
        rows = []
        for values in inserts:
            row = _ACTOR_DEFAULTS | self._resolved(values)
            rows.append(row | self.stamps)
        ids = insert_ids(self.session, ACTOR_TABLE, rows)
        for actor_id, values, row in zip(ids, inserts, rows, strict=True):
            self.refs[Ref("actor", values["name_key"])] = actor_id
            self._log("actor", actor_id, "create", _summary(row, ACTOR_SUMMARY))

    def _insert_ties(self, inserts: list[dict[str, Any]]) -> None:
        start = _TIE_DEFAULTS | self.stamps
        rows = [start | self._resolved(values) for values in inserts]
        for actor_id, row in zip(insert_ids(self.session, TIE_TABLE, rows), rows, strict=True):
            self._log("relationship", actor_id, "create", _summary(row, TIE_SUMMARY))

    def _insert_assessments(self, inserts: list[dict[str, Any]]) -> None:
        rows = [
            self._resolved(values) | {"created_at": self.now, "created_by": self.by.username}
            for values in inserts
        ]
        for score_id, row in zip(insert_ids(self.session, SCORE_TABLE, rows), rows, strict=True):
            self._log("assessment", score_id, "create", _summary(row, SCORE_SUMMARY))

    @property
    def stamps(self) -> dict[str, Any]:
        return {
            "program_id": self.program_id,
            "created_at": self.now,
            "updated_at": self.now,
            "deleted_at": None,
            "version": 1,
        }

    def _update(
        self,
        table: Table,
        entity: str,
        updates: list[RowUpdate],
    ) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for change in updates:
            resolved = self._resolved(change.values)
            groups[tuple(sorted(resolved))].append({"_id": change.row_id, **resolved})
            diff = {
                k: [old, audit.json_safe(resolved[k])] for k, (old, _new) in change.changes.items()
            }
            self._log(entity, change.row_id, "update", diff)
        for names, rows in groups.items():
            stmt = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values(
                    {n: bindparam(n) for n in names}
                    | {"version": table.c.version + 1, "updated_at": self.now}
                )
            )
            self.session.connection().execute(stmt, rows)


def _summary(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The identifying values of a created row (the row itself holds the rest, and any
    later change records its old value, so nothing the import wrote is lost)."""
    out = {}
    for name in fields:
        value = row.get(name)
        if value is not None:
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out
