"""The power/interest grid as plain values: placements, salience, engagement gaps, movement.

Every function here is pure: it takes the coalition frame of
:func:`engagement.services.coalition.tables.coalition_actors_from` (one row per live actor with its
current assessment, NA when never assessed) and the program's power threshold, and
returns DataFrames or dataclasses. Placement on the grid uses
:func:`engagement.frameworks.quadrant`; salience uses
:func:`engagement.frameworks.salience_of`; gaps and risks use
:func:`engagement.frameworks.engagement_gap` and :func:`engagement.frameworks.is_risk`.

Drawing coordinates
-------------------
Interest is the x axis and power the y axis. An actor with scores ``(p, i)`` owns the cell
``[i - 0.5, i + 0.5] x [p - 0.5, p + 0.5]``; the quadrant lines run at
``threshold - 0.5``, on cell borders. Actors sharing a cell are spread on a small grid
inside it (never beyond :data:`CELL_RADIUS` from the centre), so no marker hides another
and none is drawn across a quadrant line it does not belong to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from engagement import frameworks
from engagement.frameworks import Quadrant, SalienceClass

#: Largest distance, along either axis, from a cell's centre to a spread marker.
CELL_RADIUS = 0.4

PLACED_COLUMNS = [
    "id", "name", "sector", "tags", "territory", "power", "interest", "legitimacy",
    "urgency", "engagement_current", "engagement_desired", "participation_target",
    "assessed_on", "stage_id", "quadrant", "x", "y",
]  # fmt: skip


def is_assessed(actors: pd.DataFrame) -> pd.Series:
    """Which rows of a coalition frame carry a power and an interest score."""
    return actors["power"].notna() & actors["interest"].notna()


def filter_actors(
    actors: pd.DataFrame,
    *,
    sectors: Iterable[str] = (),
    tags: Iterable[str] = (),
    territories: Iterable[str] = (),
) -> pd.DataFrame:
    """Keep actors in any chosen sector, with any chosen tag, in any chosen territory.

    An empty choice does not filter. Filters combine with AND across kinds.
    """
    keep = pd.Series(True, index=actors.index)
    sector_set, tag_set, territory_set = set(sectors), set(tags), set(territories)
    if sector_set:
        keep &= actors["sector"].isin(sector_set)
    if tag_set:
        keep &= actors["tags"].map(lambda own: bool(tag_set.intersection(own or ())))
    if territory_set:
        keep &= actors["territory"].isin(territory_set)
    return actors[keep].reset_index(drop=True)


def tag_choices(actors: pd.DataFrame) -> list[str]:
    """Every tag used by the actors, sorted case-insensitively."""
    found = {tag for own in actors["tags"] for tag in (own or ())}
    return sorted(found, key=str.casefold)


def territory_choices(actors: pd.DataFrame) -> list[str]:
    """Every non-empty territory of the actors, sorted case-insensitively."""
    return sorted({t for t in actors["territory"] if isinstance(t, str) and t}, key=str.casefold)


def cell_offsets(n: int, radius: float = CELL_RADIUS) -> list[tuple[float, float]]:
    """Offsets of ``n`` markers sharing one cell: a centred square grid, row by row.

    Every offset lies within ``radius`` of the centre on both axes and all are distinct.

    Examples
    --------
    >>> cell_offsets(1)
    [(0.0, 0.0)]
    >>> cell_offsets(2)
    [(-0.2, 0.0), (0.2, 0.0)]
    """
    if n <= 0:
        return []
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    step = min(2 * radius / cols, 0.4)
    offsets: list[tuple[float, float]] = []
    for index in range(n):
        row, col = divmod(index, cols)
        in_row = min(cols, n - row * cols)
        dx = (col - (in_row - 1) / 2) * step
        dy = ((rows - 1) / 2 - row) * step
        offsets.append((round(dx, 6) + 0.0, round(dy, 6) + 0.0))
    return offsets


def spread_positions(scores: Sequence[tuple[int, int]]) -> list[tuple[float, float]]:
    """Drawing position ``(x, y)`` for each ``(power, interest)``, spread within its cell.

    Markers are spread in input order, so sorting the input (e.g. by name) makes the
    picture the same on every rerun.

    Examples
    --------
    >>> spread_positions([(5, 1), (5, 1), (2, 4)])
    [(0.8, 5.0), (1.2, 5.0), (4.0, 2.0)]
    """
    members: dict[tuple[int, int], list[int]] = {}
    for index, cell in enumerate(scores):
        members.setdefault(cell, []).append(index)
    positions: list[tuple[float, float]] = [(0.0, 0.0)] * len(scores)
    for (power, interest), indices in members.items():
        for index, (dx, dy) in zip(indices, cell_offsets(len(indices)), strict=True):
            positions[index] = (round(interest + dx, 6), round(power + dy, 6))
    return positions


def quadrant_at(x: float, y: float, threshold: int = frameworks.DEFAULT_THRESHOLD) -> Quadrant:
    """The quadrant a drawn point falls in (lines at ``threshold - 0.5``)."""
    line = threshold - 0.5
    high_power, high_interest = y >= line, x >= line
    if high_power:
        return Quadrant.MANAGE_CLOSELY if high_interest else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if high_interest else Quadrant.MONITOR


def place_actors(actors: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Assessed actors with their quadrant and spread drawing position, sorted by name.

    Actors without a power and interest score are left out (see :func:`is_assessed`).
    """
    placed = actors[is_assessed(actors)].copy()
    placed = placed.sort_values(["name", "id"], key=_casefold).reset_index(drop=True)
    scores = [(int(p), int(i)) for p, i in zip(placed["power"], placed["interest"], strict=True)]
    placed["quadrant"] = [frameworks.quadrant(p, i, threshold).value for p, i in scores]
    positions = spread_positions(scores)
    placed["x"] = [x for x, _ in positions]
    placed["y"] = [y for _, y in positions]
    return placed[PLACED_COLUMNS]


def quadrant_counts(placed: pd.DataFrame) -> dict[Quadrant, int]:
    """How many placed actors fall in each quadrant (every quadrant present)."""
    counts = placed["quadrant"].value_counts()
    return {q: int(counts.get(q.value, 0)) for q in Quadrant}


@dataclass(frozen=True)
class SalienceGroup:
    """One salience class with the actors in it."""

    salience: SalienceClass
    count: int
    members: tuple[str, ...]


def salience_summary(actors: pd.DataFrame, threshold: int) -> list[SalienceGroup]:
    """Every salience class (the seven plus non-stakeholder) with its count and members.

    Power is present when the power score is at or above ``threshold``; legitimacy and
    urgency as assessed. Actors never assessed are left out. Members are sorted by name.
    """
    assessed = actors[is_assessed(actors)].sort_values(["name", "id"], key=_casefold)
    found: dict[SalienceClass, list[str]] = {cls: [] for cls in SalienceClass}
    for row in assessed.to_dict("records"):
        cls = frameworks.salience_of(
            int(row["power"]), _flag(row["legitimacy"]), _flag(row["urgency"]), threshold
        )
        found[cls].append(str(row["name"]))
    return [SalienceGroup(cls, len(names), tuple(names)) for cls, names in found.items()]


GAP_COLUMNS = [
    "id", "name", "sector", "power", "interest", "quadrant", "engagement_current",
    "engagement_desired", "gap", "weighted_gap", "risk",
]  # fmt: skip


def engagement_gaps(actors: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Current vs desired engagement of every assessed actor, largest weighted gap first.

    The weighted gap is ``(desired - current) * power``; ties are broken by power (the
    more powerful actor first), then the plain gap, then name. ``risk`` marks high-power
    actors whose current level is Resistant (:func:`engagement.frameworks.is_risk`).
    """
    rated = actors[is_assessed(actors) & actors["engagement_current"].notna()]
    rated = rated[rated["engagement_desired"].notna()].copy()
    power = rated["power"].astype(int)
    current = rated["engagement_current"].astype(int)
    desired = rated["engagement_desired"].astype(int)
    rated["quadrant"] = [
        frameworks.quadrant(p, i, threshold).value
        for p, i in zip(power, rated["interest"].astype(int), strict=True)
    ]
    rated["gap"] = [frameworks.engagement_gap(c, d) for c, d in zip(current, desired, strict=True)]
    rated["weighted_gap"] = rated["gap"] * power
    rated["risk"] = [
        frameworks.is_risk(p, c, threshold) for p, c in zip(power, current, strict=True)
    ]
    rated["_key"] = rated["name"].str.casefold()
    rated = rated.sort_values(
        ["weighted_gap", "power", "gap", "_key", "id"], ascending=[False, False, False, True, True]
    )
    out = rated[GAP_COLUMNS].reset_index(drop=True)
    for column in ("power", "interest", "engagement_current", "engagement_desired", "gap"):
        out[column] = out[column].astype(int)
    out["weighted_gap"] = out["weighted_gap"].astype(int)
    out["risk"] = out["risk"].astype(bool)
    return out


class MoveStatus:
    """How an actor's place changed between the earlier point and now."""

    MOVED = "moved"  # changed quadrant
    SHIFTED = "shifted"  # power or interest changed, same quadrant
    ENGAGEMENT = "engagement"  # same place, engagement level changed
    SAME = "same"
    NEW = "new"  # not assessed at the earlier point

    #: Statuses drawn as an arrow (the actor's place changed).
    ARROWS = ("moved", "shifted")
    ORDER = ("moved", "shifted", "engagement", "new", "same")


MOVEMENT_COLUMNS = [
    "id", "name", "sector", "power_from", "interest_from", "quadrant_from", "x_from",
    "y_from", "power_to", "interest_to", "quadrant_to", "x_to", "y_to",
    "engagement_from", "engagement_to", "status",
]  # fmt: skip


def movement(earlier: pd.DataFrame, now: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """For each actor assessed now: where it stood earlier and where it stands now.

    ``earlier`` and ``now`` are coalition frames (e.g. the latest assessment within an
    earlier stage, or up to a date, and the current one). Both ends are spread within
    their own cells as on the grid. Status is ``moved`` (changed quadrant), ``shifted``
    (scores changed, same quadrant), ``same``, or ``new`` (no earlier assessment, no
    ``_from`` values). Sorted with movers first, then by name.
    """
    to = place_actors(now, threshold)
    before = {
        int(r["id"]): r
        for r in place_actors(earlier[earlier["id"].isin(to["id"])], threshold).to_dict("records")
    }
    rows: list[dict[str, Any]] = []
    for end in to.to_dict("records"):
        row: dict[str, Any] = {
            "id": int(end["id"]),
            "name": end["name"],
            "sector": end["sector"],
            "power_to": int(end["power"]),
            "interest_to": int(end["interest"]),
            "quadrant_to": end["quadrant"],
            "x_to": end["x"],
            "y_to": end["y"],
            "engagement_to": _int_or_none(end["engagement_current"]),
        }
        start = before.get(row["id"])
        if start is not None:
            row |= {
                "power_from": int(start["power"]),
                "interest_from": int(start["interest"]),
                "quadrant_from": start["quadrant"],
                "x_from": start["x"],
                "y_from": start["y"],
                "engagement_from": _int_or_none(start["engagement_current"]),
            }
        row["status"] = _status(row)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=MOVEMENT_COLUMNS)
    for column in ("power_from", "interest_from", "engagement_from", "engagement_to"):
        frame[column] = frame[column].astype("Int64")
    frame["_rank"] = frame["status"].map(MoveStatus.ORDER.index)
    frame["_key"] = frame["name"].str.casefold()
    frame = frame.sort_values(["_rank", "_key", "id"])
    return frame[MOVEMENT_COLUMNS].reset_index(drop=True)


def movement_counts(moves: pd.DataFrame) -> dict[str, int]:
    """How many actors have each status (every status present)."""
    counts = moves["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in MoveStatus.ORDER}


def _status(row: dict[str, Any]) -> str:
    if "power_from" not in row:
        return MoveStatus.NEW
    if row["quadrant_from"] != row["quadrant_to"]:
        return MoveStatus.MOVED
    if row["power_from"] != row["power_to"] or row["interest_from"] != row["interest_to"]:
        return MoveStatus.SHIFTED
    if row["engagement_from"] != row["engagement_to"]:
        return MoveStatus.ENGAGEMENT
    return MoveStatus.SAME


def _flag(value: Any) -> bool:
    return False if value is None or pd.isna(value) else bool(value)


def _int_or_none(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _casefold(column: pd.Series) -> pd.Series:
    return column.str.casefold() if column.name == "name" else column
