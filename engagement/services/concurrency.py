"""Optimistic concurrency: saving over a newer version is refused, never silent."""

from __future__ import annotations

from sqlalchemy.orm import Session

from engagement.errors import StaleEdit
from engagement.services import audit


def check_version(
    session: Session, entity: str, entity_id: int, name: str, current: int, expected: int | None
) -> None:
    """Raise StaleEdit naming who changed the record and when, if it moved on."""
    if expected is None or current == expected:
        return
    last = audit.last_change(session, entity, entity_id)
    raise StaleEdit(
        entity=entity,
        name=name,
        changed_by=last.username if last else "?",
        changed_at=last.at.strftime("%Y-%m-%d %H:%M") if last else "?",
    )
