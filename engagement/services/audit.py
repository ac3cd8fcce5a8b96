"""The audit trail: who changed what, when, field by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from engagement.model import Principal
from engagement.storage.base import utcnow
from engagement.storage.bulk import executemany, json_text
from engagement.storage.models import AuditEntry, Program

_PLAIN = frozenset({str, int, float, bool, type(None)})


def json_safe(value: Any) -> Any:
    """Dates and tuples as JSON-safe values, so that old → new survives storage."""
    if type(value) in _PLAIN:  # most values: checked first, an import has many
        return value
    if type(value) is dict:  # and most changes: a plain dict, before the ABC check
        return {str(k): v if type(v) in _PLAIN else json_safe(v) for k, v in value.items()}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): v if type(v) in _PLAIN else json_safe(v) for k, v in value.items()}
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field-level differences ``{field: [old, new]}`` for the fields in ``new``."""
    changes: dict[str, list[Any]] = {}
    for name, value in new.items():
        before, after = json_safe(old.get(name)), json_safe(value)
        if before != after:
            changes[name] = [before, after]
    return changes


def record(
    session: Session,
    by: Principal,
    program_id: int | None,
    entity: str,
    entity_id: int,
    action: str,
    changes: Mapping[str, Any] | None = None,
    batch_id: int | None = None,
) -> None:
    """Add one audit entry and bump the program's data version in the same transaction."""
    session.add(
        AuditEntry(
            username=by.username,
            program_id=program_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            changes=json_safe(dict(changes or {})),
            batch_id=batch_id,
        )
    )
    if program_id is not None:
        session.execute(
            update(Program)
            .where(Program.id == program_id)
            .values(data_version=Program.data_version + 1)
            .execution_options(synchronize_session=False)
        )


#: :meth:`BatchLog.note`'s shape, for the writers that take it.
Note = Callable[[str, int, str, Mapping[str, Any]], None]


class BatchLog:
    """The audit entries of one import batch, collected while its rows are written.

    An import writes thousands of rows: their entries go in with one ``executemany``
    (:meth:`write`), which also bumps the program's data version once, in the same
    transaction.
    """

    def __init__(self, by: Principal, program_id: int, batch_id: int) -> None:
        #: The time of every entry, and the import's ``updated_at``.
        self.at = utcnow()
        self.entries: list[dict[str, Any]] = []
        self._common = {
            "at": self.at,
            "username": by.username,
            "program_id": program_id,
            "batch_id": batch_id,
        }

    def note(self, entity: str, entity_id: int, action: str, changes: Mapping[str, Any]) -> None:
        """One entry: ``changes`` is made JSON-safe here."""
        self.entries.append(
            {
                **self._common,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                # As JSON text already: the entries of a big import stay out of the
                # garbage collector's way (see bulk.executemany).
                "changes": json_text(json_safe(changes)),
            }
        )

    def write(self, session: Session) -> None:
        entries = cast(Table, AuditEntry.__table__)
        executemany(session.connection(), entries, self.entries, encoded={"changes"})
        session.execute(
            update(Program)
            .where(Program.id == self._common["program_id"])
            .values(data_version=Program.data_version + 1)
            .execution_options(synchronize_session=False)
        )


class SoftDeletable(Protocol):
    """A program's row that is hidden instead of deleted (actors, activities, inputs...)."""

    id: int
    program_id: int
    deleted_at: dt.datetime | None


def mark_deleted(
    session: Session, by: Principal, row: SoftDeletable, entity: str, *, deleted: bool
) -> None:
    """Hide (``deleted=True``) or restore ``row`` and record it in the audit trail."""
    row.deleted_at = utcnow() if deleted else None
    session.flush()
    action = "delete" if deleted else "restore"
    audit_changes = {"deleted": [not deleted, deleted]}
    record(session, by, row.program_id, entity, row.id, action, audit_changes)


def last_change(session: Session, entity: str, entity_id: int) -> AuditEntry | None:
    """The newest audit entry of one record (names who changed it and when)."""
    return session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()


def describe_changes(
    changes: Mapping[str, Any],
    field_label: Callable[[str], str] = str,
    value_text: Callable[[Any], str] = str,
) -> str:
    """``{field: [old, new]}`` as one line: ``name: A → B; tags: [] → [x]``."""
    parts = []
    for key, value in changes.items():
        field = field_label(key)
        if isinstance(value, list) and len(value) == 2:
            old, new = ("∅" if v in (None, "", [], {}) else value_text(v) for v in value)
            parts.append(f"{field}: {old} → {new}")
        elif value not in (None, "", [], {}):
            # A new record's empty fields say nothing: left out.
            parts.append(f"{field}: {value_text(value)}")
    return "; ".join(parts)
