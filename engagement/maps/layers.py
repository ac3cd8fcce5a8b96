"""Extra layers the map can draw over the ties: co-participation.

Co-participation ties link actors who attended the same activities (weight: activities
shared, see :func:`engagement.analysis.coparticipation.co_participation`). They are a
picture of the attendance record, not relationships: drawn only between actors already
on the map, never stored, never part of the layout or of the network measures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from engagement.i18n import t

#: A grey darker than ordinary ties, drawn dotted: it reads as "derived", not "declared".
CO_PARTICIPATION_COLOUR = "#5D6D7E"
#: vis-network dash pattern (dash, gap) in pixels: short dashes read as dots.
CO_PARTICIPATION_DASHES = (2, 5)
MIN_WIDTH, MAX_WIDTH = 1.5, 5.5


@dataclass(frozen=True)
class CoTie:
    """One undirected co-participation tie between two actors on the map."""

    source: int
    target: int
    #: Activities both actors attended.
    weight: int
    width: float
    title: str

    @property
    def key(self) -> str:
        """An edge id that never collides with a relationship's (integer) id."""
        return f"co:{self.source}-{self.target}"


def co_width(weight: int) -> float:
    """Line width for ``weight`` shared activities: one is thin, five or more the widest.

    Examples
    --------
    >>> [co_width(w) for w in (1, 2, 5, 40)]
    [1.5, 2.5, 5.5, 5.5]
    """
    return min(MIN_WIDTH + (max(weight, 1) - 1), MAX_WIDTH)


def co_participation_layer(
    ties: pd.DataFrame, shown: Iterable[int], names: Mapping[int, str], lang: str
) -> tuple[CoTie, ...]:
    """The co-participation ties among the ``shown`` actors, heaviest first.

    ``ties`` has columns ``source``, ``target`` and ``weight``; a pair with an actor not
    shown (filtered out, capped, or not visible to this user) is left out. ``names``
    gives the names the map shows (stand-ins in presentation mode) for the tooltips,
    which are plain text.

    Examples
    --------
    >>> ties = pd.DataFrame({"source": [1, 1], "target": [2, 3], "weight": [2, 1]})
    >>> layer = co_participation_layer(ties, {1, 2}, {1: "Ana", 2: "Bea"}, "en")
    >>> [(c.source, c.target, c.weight, c.width) for c in layer]
    [(1, 2, 2, 2.5)]
    >>> layer[0].title
    'Ana — Bea\\n2 shared activities'
    """
    visible = set(shown)
    found: list[CoTie] = []
    rows = zip(ties["source"], ties["target"], ties["weight"], strict=True)
    for source, target, weight in rows:
        a, b, n = int(source), int(target), int(weight)
        if a == b or n < 1 or a not in visible or b not in visible:
            continue
        a, b = min(a, b), max(a, b)
        shared = t("network.tip.shared", lang, count=n)
        title = f"{names.get(a, str(a))} — {names.get(b, str(b))}\n{shared}"
        found.append(CoTie(a, b, n, co_width(n), title))
    return tuple(sorted(found, key=lambda c: (-c.weight, c.source, c.target)))
