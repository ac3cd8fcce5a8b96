"""Coalition balance: who supports and who opposes, weighted by power; and the gaps.

Supporters are actors whose current engagement is Supportive or Leading; opponents are
Resistant; Unaware and Neutral actors are neither. Each actor weighs its power score
(1-5) from its assessment; actors never assessed are counted but weigh nothing.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import combinations
from numbers import Integral

import networkx as nx
import pandas as pd

from engagement.frameworks import DEFAULT_THRESHOLD, EngagementLevel, Quadrant, quadrant

SUPPORT_LEVELS = frozenset({EngagementLevel.SUPPORTIVE, EngagementLevel.LEADING})
OPPOSITION_LEVELS = frozenset({EngagementLevel.RESISTANT})

BALANCE_COLUMNS = [
    "actors",
    "assessed",
    "supporters",
    "opponents",
    "others",
    "support_power",
    "opposition_power",
    "other_power",
    "balance",
]


def stance(engagement_current: object) -> str | None:
    """``"support"``, ``"opposition"``, ``"other"``, or None when not assessed.

    Examples
    --------
    >>> stance(4), stance(2), stance(3), stance(None)
    ('support', 'opposition', 'other', None)
    """
    if engagement_current is None or pd.isna(engagement_current):  # type: ignore[call-overload]
        return None
    level = int(engagement_current)  # type: ignore[call-overload]
    if level in SUPPORT_LEVELS:
        return "support"
    return "opposition" if level in OPPOSITION_LEVELS else "other"


def coalition_balance(actors: pd.DataFrame, *, by: str | None = "sector") -> pd.DataFrame:
    """Support against opposition, weighted by power, per group (or overall).

    Parameters
    ----------
    actors : DataFrame
        One row per actor with ``power`` and ``engagement_current`` (NA when not
        assessed) and the ``by`` column.
    by : str or None
        Column to group by (actors with no value form the group None); None for one
        overall row indexed ``"all"``.

    Returns
    -------
    DataFrame
        One row per group with the counts of actors, assessed actors, supporters,
        opponents and others, their summed power, and ``balance`` = (support power -
        opposition power) / assessed power, from -1 (all opposed) to 1 (all support);
        NaN when nobody in the group is assessed.

    Examples
    --------
    >>> actors = pd.DataFrame({"sector": ["city", "city", "ngo"], "power": [5, 2, 3],
    ...                        "engagement_current": [4, 2, 3]})
    >>> coalition_balance(actors, by=None).loc["all", ["support_power", "balance"]].tolist()
    [5.0, 0.3]
    >>> coalition_balance(actors)["balance"].round(3).to_dict()
    {'city': 0.429, 'ngo': 0.0}
    """
    power = pd.to_numeric(actors["power"], errors="coerce").astype("float64")
    # object dtype: a column with no assessment at all (nullable Int64, all NA) must not
    # turn the stances into a nullable integer column whose comparisons yield NA.
    kind = actors["engagement_current"].map(stance).astype(object)
    assessed = kind.notna() & power.notna()
    weighted = power.where(assessed, 0.0)
    parts = pd.DataFrame(
        {
            "group": "all" if by is None else actors[by].astype(object),
            "actors": 1,
            "assessed": assessed.astype(int),
            "supporters": kind.isin(["support"]).astype(int),
            "opponents": kind.isin(["opposition"]).astype(int),
            "others": kind.isin(["other"]).astype(int),
            "support_power": weighted.where(kind.isin(["support"]), 0.0),
            "opposition_power": weighted.where(kind.isin(["opposition"]), 0.0),
            "other_power": weighted.where(kind.isin(["other"]), 0.0),
        }
    )
    table = parts.groupby("group", dropna=False, sort=True).sum()
    if by is None:  # the overall row exists even for a program with no actors yet
        table = table.reindex(["all"], fill_value=0)
    total = table["support_power"] + table["opposition_power"] + table["other_power"]
    table["balance"] = (table["support_power"] - table["opposition_power"]) / total.where(total > 0)
    table.index.name = by
    return table[BALANCE_COLUMNS]


def sector_gaps(G: nx.Graph, *, group: str = "sector") -> pd.DataFrame:
    """Pairs of groups (sectors) with no tie at all between any of their actors.

    Any tie counts, conflicts included: the gap is the absence of any relationship.
    Only groups with at least one actor are paired; actors without a group are left out.

    Returns
    -------
    DataFrame
        Columns ``group_a``, ``group_b`` (sorted), ``actors_a``, ``actors_b``.

    Examples
    --------
    >>> G = nx.Graph([(1, 2)])
    >>> G.add_nodes_from([(1, {"sector": "city"}), (2, {"sector": "ngo"}),
    ...                   (3, {"sector": "press"})])
    >>> sector_gaps(G)[["group_a", "group_b"]].values.tolist()
    [['city', 'press'], ['ngo', 'press']]
    """
    label = {v: G.nodes[v].get(group) for v in G}
    sizes: dict[Hashable, int] = {}
    for value in label.values():
        if value is not None:
            sizes[value] = sizes.get(value, 0) + 1
    linked = {
        frozenset((label[u], label[v]))
        for u, v in G.edges
        if label[u] is not None and label[v] is not None and label[u] != label[v]
    }
    rows = [
        (a, b, sizes[a], sizes[b])
        for a, b in combinations(sorted(sizes, key=str), 2)
        if frozenset((a, b)) not in linked
    ]
    return pd.DataFrame(rows, columns=["group_a", "group_b", "actors_a", "actors_b"])


def unlinked_key_players(G: nx.Graph, *, threshold: int = DEFAULT_THRESHOLD) -> list[Hashable]:
    """Key players (high power and high interest) with no positive tie to any supporter.

    A key player is in the "manage closely" quadrant at the program's ``threshold``.
    Key players who already support the program are part of the coalition and are not
    listed. A tie counts in either direction; a conflict tie is not a way in. Node attributes
    ``power``, ``interest`` and ``engagement_current`` are read from ``G``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("mayor", {"power": 5, "interest": 4, "engagement_current": 3}),
    ...                   ("ngo", {"power": 2, "interest": 5, "engagement_current": 4}),
    ...                   ("bank", {"power": 5, "interest": 5, "engagement_current": 2})])
    >>> G.add_edge("mayor", "ngo")
    >>> unlinked_key_players(G)
    ['bank']
    """
    supporters = {
        v for v, level in G.nodes(data="engagement_current") if stance(level) == "support"
    }
    reached: set[Hashable] = set()
    for u, v, data in G.edges(data=True):
        if data.get("positive", True):
            if v in supporters:
                reached.add(u)
            if u in supporters:
                reached.add(v)
    return [
        v
        for v in G
        if _is_key_player(G.nodes[v], threshold) and v not in reached and v not in supporters
    ]


def _is_key_player(attributes: dict[str, object], threshold: int) -> bool:
    power, interest = attributes.get("power"), attributes.get("interest")
    if not isinstance(power, Integral) or not isinstance(interest, Integral):
        return False
    return quadrant(int(power), int(interest), threshold) is Quadrant.MANAGE_CLOSELY
