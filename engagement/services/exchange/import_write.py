"""Write a checked import plan in bulk, inside the caller's transaction.

Rows go in with SQLAlchemy Core ``executemany`` (``INSERT … RETURNING`` where ids are
needed), and so do their audit entries: one per written row, naming who, when and what
(the values created, or field-level old → new), all tied to the import batch so that it
can be undone. The program's data version is bumped once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engagement.model import Principal
from engagement.services import audit
from engagement.services.exchange.import_model import NewTerm, Plan, Ref, RowUpdate
from engagement.services.registry.terms import new_term
from engagement.storage.base import utcnow
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

    def _insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert rows; their new ids, in order."""
        if not rows:
            return []
        if self.session.get_bind().dialect.name != "sqlite":
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(self.session.execute(stmt, list(rows)).scalars())
        # SQLite: a plain executemany is cheaper than INSERT … RETURNING in batches. The
        # write lock (BEGIN IMMEDIATE) is held, so the rows above the highest id before the
        # insert are exactly ours, in insertion order.
        before = self.session.scalar(select(func.max(table.c.id))) or 0
        executemany(self.session.connection(), table, rows)
        found = list(
            self.session.scalars(select(table.c.id).where(table.c.id > before).order_by(table.c.id))
        )
        if len(found) != len(rows):
            raise RuntimeError(f"{table.name}: inserted {len(rows)} rows, found {len(found)}")
        return found

    def _insert_actors(self, inserts: list[dict[str, Any]]) -> None:
        rows = []
        for values in inserts:
            row = _ACTOR_DEFAULTS | self._resolved(values)
            rows.append(row | self.stamps)
        ids = self._insert(ACTOR_TABLE, rows)
        for actor_id, values, row in zip(ids, inserts, rows, strict=True):
            self.refs[Ref("actor", values["name_key"])] = actor_id
            self._log("actor", actor_id, "create", _summary(row, ACTOR_SUMMARY))

    def _insert_ties(self, inserts: list[dict[str, Any]]) -> None:
        start = _TIE_DEFAULTS | self.stamps
        rows = [start | self._resolved(values) for values in inserts]
        for actor_id, row in zip(self._insert(TIE_TABLE, rows), rows, strict=True):
            self._log("relationship", actor_id, "create", _summary(row, TIE_SUMMARY))

    def _insert_assessments(self, inserts: list[dict[str, Any]]) -> None:
        rows = [
            self._resolved(values) | {"created_at": self.now, "created_by": self.by.username}
            for values in inserts
        ]
        for score_id, row in zip(self._insert(SCORE_TABLE, rows), rows, strict=True):
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


def executemany(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``INSERT`` many rows (all with the same keys) through the driver's executemany.

    The same as Core's ``conn.execute(insert(table), rows)``, every value converted by its
    column type's own bind processor, minus Core's per-row bookkeeping; a value that is
    the same object in every row (the import's time, user, program) is converted once.
    """
    if not rows:
        return
    dialect = conn.dialect
    marks = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if marks is None:
        conn.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    first = rows[0]
    varying: list[tuple[int, str, Any]] = []
    template: list[Any] = []
    for index, name in enumerate(names):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if all(row[name] is first[name] for row in rows):
            value = first[name]
            template.append(process(value) if process else value)
        else:
            template.append(None)
            varying.append((index, name, process))
    params = []
    for row in rows:
        values = list(template)
        for index, name, process in varying:
            value = row[name]
            values[index] = process(value) if process else value
        params.append(tuple(values))
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "  # noqa: S608
        f"({', '.join(quote(n) for n in names)}) VALUES ({', '.join([marks] * len(names))})"
    )
    conn.exec_driver_sql(sql, params)


def _summary(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The identifying values of a created row (the row itself holds the rest, and any
    later change records its old value, so nothing the import wrote is lost)."""
    out = {}
    for name in fields:
        value = row.get(name)
        if value is not None:
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out
