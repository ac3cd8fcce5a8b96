"""Undo an import: remove what it created, set back what it changed.

The Decidim keys (``decidim_link``) of the records it created are removed with them.

An undo is refused when anything the import wrote was changed since (by a person or a
later import) or is used by a record the import did not create (a tie added by hand to
an imported actor, say): undoing then would silently destroy later work.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Table,
    Time,
    delete,
    false,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from engagement.errors import ImportAlreadyUndone, ImportUndoBlocked, NotFound
from engagement.model import Principal
from engagement.services.access.permissions import Action, require
from engagement.storage.base import Base, utcnow
from engagement.storage.db import Database
from engagement.storage.models import AuditEntry, DecidimLink, ImportBatch, Program
from engagement.text import name_key

_CHUNK = 5000


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(ids)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _table(name: str) -> Table | None:
    table = Base.metadata.tables.get(name)
    return table if isinstance(table, Table) else None


def undo_import(db: Database, by: Principal, batch_id: int) -> None:
    """Take back everything import ``batch_id`` wrote, in one transaction."""
    with db.writing() as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFound(entity="import", key=batch_id)
        require(by, batch.program_id, Action.IMPORT)
        if batch.undone_at is not None:
            raise ImportAlreadyUndone(batch=batch_id, at=batch.undone_at.strftime("%Y-%m-%d %H:%M"))
        entries = session.execute(
            select(
                AuditEntry.id,
                AuditEntry.entity,
                AuditEntry.entity_id,
                AuditEntry.action,
                AuditEntry.changes,
            )
            .where(AuditEntry.batch_id == batch_id)
            .order_by(AuditEntry.id)
        ).all()
        created: dict[str, set[int]] = defaultdict(set)
        updated: list[tuple[str, int, dict[str, Any]]] = []
        for _id, entity, entity_id, action, changes in entries:
            if action == "create":
                created[entity].add(entity_id)
            elif action == "update":
                updated.append((entity, entity_id, changes))
        last = max((e[0] for e in entries), default=0)
        _check_untouched(session, batch_id, last, created, updated)
        _check_unused(session, created)
        _revert(session, by, batch, created, updated)


def _check_untouched(
    session: Session,
    batch_id: int,
    last: int,
    created: dict[str, set[int]],
    updated: list[tuple[str, int, dict[str, Any]]],
) -> None:
    undone = (
        select(ImportBatch.id)
        .where(or_(ImportBatch.undone_at.is_not(None), ImportBatch.id == batch_id))
        .scalar_subquery()
    )
    touched: dict[str, set[int]] = defaultdict(set)
    for entity, ids in created.items():
        touched[entity] |= ids
    for entity, entity_id, _changes in updated:
        touched[entity].add(entity_id)
    for entity, ids in touched.items():
        for chunk in _chunks(ids):
            later = session.execute(
                select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.username, AuditEntry.at)
                .where(
                    AuditEntry.entity == entity,
                    AuditEntry.entity_id.in_(chunk),
                    AuditEntry.id > last,
                    # Later imports that were undone themselves changed nothing.
                    or_(AuditEntry.batch_id.is_(None), AuditEntry.batch_id.not_in(undone)),
                )
                .order_by(AuditEntry.id)
                .limit(1)
            ).first()
            if later is not None:
                raise ImportUndoBlocked(
                    entity=entity,
                    key=_display(session, entity, later.entity_id),
                    changed_by=later.username,
                    changed_at=later.at.strftime("%Y-%m-%d %H:%M"),
                )


def _check_unused(session: Session, created: dict[str, set[int]]) -> None:
    """No row the import did not create may point at a row it created."""
    for entity, ids in created.items():
        parent = _table(entity)
        if parent is None:
            continue
        for child in Base.metadata.sorted_tables:
            for fk in child.foreign_keys:
                if fk.column.table is not parent or fk.parent.table is not child:
                    continue
                own = created.get(child.name, set())
                for chunk in _chunks(ids):
                    stmt = select(fk.parent).where(fk.parent.in_(chunk))
                    if "id" not in child.c:
                        # A link row (no id of its own, deleted with either end): it blocks
                        # only when its other end was not written by this import.
                        stmt = stmt.where(_other_end_kept(child, fk, created))
                    elif own:
                        stmt = stmt.where(child.c.id.not_in(sorted(own)))
                    found = session.execute(stmt.limit(1)).scalar()
                    if found is not None:
                        raise ImportUndoBlocked(
                            entity=entity,
                            key=_display(session, entity, found),
                            changed_by="",
                            changed_at="",
                        )


def _other_end_kept(child: Table, fk: Any, created: dict[str, set[int]]) -> Any:
    others = [
        other.parent.not_in(sorted(created.get(other.column.table.name, set())) or [-1])
        for other in child.foreign_keys
        if other is not fk
    ]
    return or_(*others) if others else false()


def _display(session: Session, entity: str, entity_id: int) -> str:
    table = _table(entity)
    if table is not None:
        for column in ("name", "label_es", "title"):
            if column in table.c:
                value = session.execute(
                    select(table.c[column]).where(table.c.id == entity_id)
                ).scalar()
                if value:
                    return str(value)
    return str(entity_id)


def _revert(
    session: Session,
    by: Principal,
    batch: ImportBatch,
    created: dict[str, set[int]],
    updated: list[tuple[str, int, dict[str, Any]]],
) -> None:
    now = utcnow()
    log: list[dict[str, Any]] = []

    def note(entity: str, entity_id: int, changes: dict[str, Any]) -> None:
        log.append(
            {
                "at": now,
                "username": by.username,
                "program_id": batch.program_id,
                "entity": entity,
                "entity_id": entity_id,
                "action": "undo_import",
                "changes": changes,
                "batch_id": batch.id,
            }
        )

    for entity, entity_id, changes in reversed(updated):
        table = _table(entity)
        if table is None:
            continue
        old = {k: _typed(table, k, pair[0]) for k, pair in changes.items() if k in table.c}
        if "name" in old and "name_key" in table.c:
            old["name_key"] = name_key(old["name"])
        values = dict(old)
        if "version" in table.c:
            values["version"] = table.c.version + 1
        if "updated_at" in table.c:
            values["updated_at"] = now
        session.execute(update(table).where(table.c.id == entity_id).values(values))
        note(entity, entity_id, {k: [pair[1], pair[0]] for k, pair in changes.items()})
    for table in reversed(Base.metadata.sorted_tables):
        ids = created.get(table.name)
        if not ids:
            continue
        for chunk in _chunks(ids):
            session.execute(delete(table).where(table.c.id.in_(chunk)))
            # A Decidim key names its record by entity and id (no foreign key): it goes
            # with the record, so that the next download brings the row in afresh.
            session.execute(
                delete(DecidimLink).where(
                    DecidimLink.entity == table.name, DecidimLink.entity_id.in_(chunk)
                )
            )
        for entity_id in sorted(ids):
            note(table.name, entity_id, {"deleted": [False, True]})
    if log:
        session.execute(insert(AuditEntry), log)
    batch.undone_at = now
    session.execute(
        update(Program)
        .where(Program.id == batch.program_id)
        .values(data_version=Program.data_version + 1)
        .execution_options(synchronize_session=False)
    )


def _typed(table: Table, column: str, value: Any) -> Any:
    """An audit value (JSON-safe) back in the column's own type."""
    kind = table.c[column].type
    if value is None:
        return None
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Time):
        return dt.time.fromisoformat(value)
    return value
