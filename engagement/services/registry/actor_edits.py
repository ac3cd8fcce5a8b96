"""Quick edits of several actors at once: all are saved, or none."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engagement.errors import ActorNotFound, Problem, ValidationFailed
from engagement.model import Principal
from engagement.services.concurrency import check_version
from engagement.services.registry.actors import change_actor
from engagement.storage.db import Database
from engagement.storage.models import Actor


@dataclass(frozen=True)
class ActorChange:
    """New values for some fields of one actor, as seen at ``expected_version``.

    ``row`` is the actor's row number in the table the user edited, so that problems
    can name it.
    """

    actor_id: int
    changes: dict[str, Any]
    expected_version: int | None
    row: int | None = None


def apply_actor_changes(db: Database, by: Principal, items: Sequence[ActorChange]) -> int:
    """Save every change in one transaction; return how many actors changed.

    Raises StaleEdit (naming who and when) if any actor was saved by someone else since
    it was read, ValidationFailed with every problem numbered by row, or DuplicateActor;
    in each case nothing is written.
    """
    problems: list[Problem] = []
    changed = 0
    with db.writing() as session:
        for item in items:
            row = session.get(Actor, item.actor_id)
            if row is None or row.deleted_at is not None:
                raise ActorNotFound(key=row.name if row else item.actor_id)
            check_version(session, "actor", row.id, row.name, row.version, item.expected_version)
            try:
                changed += bool(change_actor(session, by, row, item.changes))
            except ValidationFailed as error:
                problems += [dataclasses.replace(p, row=item.row) for p in error.problems]
        if problems:
            raise ValidationFailed(problems)
    return changed
