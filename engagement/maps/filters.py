"""Which actors and ties the map shows: sector, tie type, strength, tags, date, ego view."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

#: Sector filter value for actors without a sector.
NO_SECTOR = "__none__"


@dataclass(frozen=True)
class MapFilters:
    """The user's choice of what to show. Empty tuples mean "all".

    Hashable, so a view can be cached per filter.
    """

    sectors: tuple[str, ...] = ()
    tie_types: tuple[str, ...] = ()
    min_strength: int = 1
    tags: tuple[str, ...] = ()
    on_date: dt.date | None = None
    ego_actor: int | None = None
    ego_steps: int = 1


def filter_coalition(
    actors: pd.DataFrame, ties: pd.DataFrame, filters: MapFilters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The actors and ties to draw.

    Actors are kept by sector and tags; ties by type, minimum strength and validity on
    ``on_date``, and only between kept actors. An actor whose ties are all filtered out
    stays on the map (alone). With ``ego_actor``, only that actor and those within
    ``ego_steps`` ties of it (either direction, over the kept ties) remain.

    Examples
    --------
    >>> actors = pd.DataFrame({"id": [1, 2, 3], "sector": ["a", "b", None], "tags": [(), (), ()]})
    >>> ties = pd.DataFrame({"source": [1, 2], "target": [2, 3], "tie_type": ["x", "y"],
    ...                      "strength": [3, 1], "valid_from": [None, None],
    ...                      "valid_to": [None, None]})
    >>> kept, links = filter_coalition(actors, ties, MapFilters(min_strength=2))
    >>> kept["id"].tolist(), links["target"].tolist()
    ([1, 2, 3], [2])
    >>> kept, _ = filter_coalition(actors, ties, MapFilters(ego_actor=3, ego_steps=1))
    >>> kept["id"].tolist()
    [2, 3]
    """
    keep = pd.Series(True, index=actors.index)
    if filters.sectors:
        sector = actors["sector"].map(lambda s: NO_SECTOR if _missing(s) else s)
        keep &= sector.isin(filters.sectors)
    if filters.tags:
        wanted = set(filters.tags)
        keep &= actors["tags"].map(lambda tags: bool(wanted.intersection(tags or ())))
    actors = actors[keep]
    ids = set(actors["id"].tolist())
    links = ties[ties["source"].isin(ids) & ties["target"].isin(ids)]
    if filters.tie_types:
        links = links[links["tie_type"].isin(filters.tie_types)]
    if filters.min_strength > 1:
        links = links[links["strength"] >= filters.min_strength]
    if filters.on_date is not None:
        links = links[_valid_on(links, filters.on_date)]
    if filters.ego_actor is not None:
        near = ego_network(filters.ego_actor, _pairs(links), filters.ego_steps)
        actors = actors[actors["id"].isin(near)]
        links = links[links["source"].isin(near) & links["target"].isin(near)]
    return actors.reset_index(drop=True), links.reset_index(drop=True)


def ego_network(centre: int, ties: Iterable[tuple[int, int]], steps: int) -> set[int]:
    """``centre`` and every actor within ``steps`` ties of it, ignoring direction.

    Examples
    --------
    >>> sorted(ego_network(1, [(1, 2), (2, 3), (3, 4)], 2))
    [1, 2, 3]
    >>> ego_network(9, [(1, 2)], 3)
    {9}
    """
    neighbours: dict[int, set[int]] = {}
    for a, b in ties:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    seen = {centre}
    frontier: deque[tuple[int, int]] = deque([(centre, 0)])
    while frontier:
        node, depth = frontier.popleft()
        if depth == steps:
            continue
        for other in neighbours.get(node, ()):
            if other not in seen:
                seen.add(other)
                frontier.append((other, depth + 1))
    return seen


def _pairs(ties: pd.DataFrame) -> list[tuple[int, int]]:
    return list(zip(ties["source"].astype(int), ties["target"].astype(int), strict=True))


def _valid_on(ties: pd.DataFrame, day: dt.date) -> pd.Series:
    starts = ties["valid_from"].map(lambda d: _missing(d) or d <= day)
    ends = ties["valid_to"].map(lambda d: _missing(d) or d >= day)
    return starts.astype(bool) & ends.astype(bool)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, tuple | list) and bool(pd.isna(value)))
