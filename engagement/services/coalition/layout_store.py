"""The stored map layout of a program: positions, pinned actors, and what they were
computed for (read by the map service and by the read layer, which reads it with the
rest of the program in one transaction)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.analysis.layout import Positions
from engagement.storage.models import MapLayout, MapPosition


@dataclass(frozen=True)
class StoredLayout:
    positions: Positions
    pinned: frozenset[int]
    revision: int


#: Bumped when the layout algorithm changes, so that stored layouts are computed again
#: once (2: communities drawn apart).
LAYOUT_VERSION = 2


def graph_fingerprint(ids: list[int], pairs: list[tuple[int, int]]) -> str:
    """A hash of the actors and (undirected) ties, and of the layout algorithm's version:
    what the stored layout depends on (its communities are a function of the graph).

    Examples
    --------
    >>> graph_fingerprint([1, 2], [(1, 2)]) == graph_fingerprint([2, 1], [(2, 1)])
    True
    """
    edges = sorted({(min(a, b), max(a, b)) for a, b in pairs})
    text = f"{LAYOUT_VERSION}|{sorted(ids)}|{edges}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def stored_layout(session: Session, program_id: int, revision: int) -> StoredLayout:
    rows = session.execute(
        select(MapPosition.actor_id, MapPosition.x, MapPosition.y, MapPosition.pinned).where(
            MapPosition.program_id == program_id
        )
    ).all()
    return StoredLayout(
        positions={int(a): (float(x), float(y)) for a, x, y, _ in rows},
        pinned=frozenset(int(a) for a, _, _, p in rows if p),
        revision=revision,
    )


def read_layout(session: Session, program_id: int) -> tuple[str, StoredLayout] | None:
    """The stored layout and the graph fingerprint it was computed for, if any."""
    row = session.get(MapLayout, program_id)
    if row is None:
        return None
    return row.fingerprint, stored_layout(session, program_id, row.revision)
