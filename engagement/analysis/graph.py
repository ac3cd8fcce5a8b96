"""The coalition as a graph, and the indexed form the fast algorithms share.

One node per actor (the actor id), one arc per ordered pair of actors with at least one
tie. An undirected tie (collaborates, conflict) becomes two arcs, one each way. Parallel
ties of different types between the same pair are merged into one arc that records:

``strength``
    the strongest positive tie (1 weak, 2 medium, 3 strong), 0 if none;
``positive``
    True when at least one non-conflict tie runs this way;
``conflict``
    True when at least one conflict (negative) tie joins the pair;
``ties``
    how many ties were merged.

Conflict ties are not channels: influence, information and introductions do not flow
through them. So every structural measure (centrality, reach, communities, holes,
brokerage) is computed on the positive arcs only; conflicts are counted apart.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import csr_array

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Actor columns copied onto the nodes when present in the actors frame.
NODE_ATTRIBUTES = (
    "name",
    "sector",
    "power",
    "interest",
    "engagement_current",
    "engagement_desired",
)


def coalition_graph(actors: pd.DataFrame, ties: pd.DataFrame) -> nx.DiGraph:
    """Build the coalition graph from the coalition frames.

    Parameters
    ----------
    actors : DataFrame
        One row per actor with at least an ``id`` column (see
        ``engagement.services.coalition.tables.coalition_actors_from``); ``name``,
        ``sector`` and the assessment scores are copied onto the nodes, missing values
        as None.
    ties : DataFrame
        One row per tie with ``source``, ``target``, ``negative``, ``directed`` and
        ``strength`` (``coalition_ties``). Ties naming an actor that is not in ``actors``
        and self-ties are ignored.

    Returns
    -------
    networkx.DiGraph
        Nodes are actor ids; arcs carry ``strength``, ``positive``, ``conflict`` and
        ``ties`` (see the module docstring).

    Examples
    --------
    >>> actors = pd.DataFrame({"id": [1, 2, 3], "name": ["A", "B", "C"]})
    >>> ties = pd.DataFrame({"source": [1, 2], "target": [2, 3], "negative": [False, True],
    ...                      "directed": [True, False], "strength": [3, 1]})
    >>> G = coalition_graph(actors, ties)
    >>> sorted(G.edges(data="conflict"))
    [(1, 2, False), (2, 3, True), (3, 2, True)]
    >>> G[1][2]["strength"], G.nodes[3]["name"]
    (3, 'C')
    """
    G = nx.DiGraph()
    G.add_nodes_from(_node_rows(actors))
    arcs = _merged_arcs(ties, set(G))
    G.add_edges_from(
        (s, t, {"strength": w, "positive": p, "conflict": c, "ties": k})
        for s, t, w, p, c, k in zip(
            arcs["source"].tolist(),
            arcs["target"].tolist(),
            arcs["strength"].tolist(),
            arcs["positive"].tolist(),
            arcs["conflict"].tolist(),
            arcs["ties"].tolist(),
            strict=True,
        )
    )
    return G


def _node_rows(actors: pd.DataFrame) -> list[tuple[int, dict[str, Any]]]:
    columns = [c for c in NODE_ATTRIBUTES if c in actors.columns]
    values = [
        [
            None if missing else x
            for x, missing in zip(actors[c].tolist(), actors[c].isna().tolist(), strict=True)
        ]
        for c in columns
    ]
    ids = actors["id"].astype("int64").tolist()
    return (
        [
            (node, dict(zip(columns, row, strict=True)))
            for node, row in zip(ids, zip(*values, strict=True), strict=True)
        ]
        if columns
        else [(node, {}) for node in ids]
    )


def _merged_arcs(ties: pd.DataFrame, nodes: set[int]) -> pd.DataFrame:
    columns = ["source", "target", "strength", "positive", "conflict", "ties"]
    if ties.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "source": ties["source"].astype("int64"),
            "target": ties["target"].astype("int64"),
            "negative": ties["negative"].fillna(False).astype(bool),
            "directed": ties["directed"].fillna(True).astype(bool),
            "strength": ties["strength"].fillna(1).astype("int64"),
        }
    )
    known = frame["source"].isin(nodes) & frame["target"].isin(nodes)
    frame = frame[known & (frame["source"] != frame["target"])]
    # A conflict is mutual whatever its stored direction: both sides are at odds.
    both_ways = ~frame["directed"] | frame["negative"]
    back = frame[both_ways].rename(columns={"source": "target", "target": "source"})
    arcs = pd.concat([frame, back], ignore_index=True)
    arcs["positive"] = ~arcs["negative"]
    arcs["strength"] = arcs["strength"].where(arcs["positive"], 0)
    merged = arcs.groupby(["source", "target"], sort=True).agg(
        strength=("strength", "max"),
        positive=("positive", "any"),
        conflict=("negative", "any"),
        ties=("strength", "size"),
    )
    return merged.reset_index()[columns]


@dataclass(frozen=True)
class IndexedGraph:
    """Positive arcs as integer arrays: the shared input of the vectorised algorithms.

    ``nodes[i]`` is the node at index ``i``; ``source[k] -> target[k]`` is arc ``k`` with
    weight ``weight[k]``. Arcs are unique and sorted by (source, target).
    """

    nodes: list[Hashable]
    source: IntArray
    target: IntArray
    weight: FloatArray

    @property
    def n(self) -> int:
        return len(self.nodes)

    def adjacency(self, weighted: bool = False) -> csr_array:
        """Sparse n x n adjacency; entry (i, j) is the arc weight (or 1)."""
        data = self.weight if weighted else np.ones(self.source.size)
        return csr_array((data, (self.source, self.target)), shape=(self.n, self.n))

    def successors_csr(self) -> tuple[IntArray, IntArray]:
        """``(indptr, indices)`` so that the successors of i are indices[indptr[i]:indptr[i+1]]."""
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.source, minlength=self.n), out=indptr[1:])
        return indptr, self.target

    def predecessors_csr(self) -> tuple[IntArray, IntArray]:
        order = np.lexsort((self.source, self.target))
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.target, minlength=self.n), out=indptr[1:])
        return indptr, self.source[order]


def indexed_graph(G: nx.Graph, weight: str | None = "strength") -> IndexedGraph:
    """Index the positive arcs of ``G`` (both ways for an undirected graph).

    An edge counts as positive unless its ``positive`` attribute is False, so plain
    networkx graphs are taken whole. A missing ``weight`` attribute counts as 1.

    Examples
    --------
    >>> ig = indexed_graph(nx.path_graph(3))
    >>> ig.nodes, ig.source.tolist(), ig.target.tolist()
    ([0, 1, 2], [0, 1, 1, 2], [1, 0, 2, 1])
    """
    nodes = list(G)
    position = {node: i for i, node in enumerate(nodes)}
    rows = [
        (position[u], position[v], 1.0 if weight is None else float(d.get(weight, 1) or 0))
        for u, v, d in G.edges(data=True)
        if d.get("positive", True) and u != v
    ]
    if rows:
        array = np.array(rows, dtype=np.float64)
        src, dst, w = array[:, 0].astype(np.int64), array[:, 1].astype(np.int64), array[:, 2]
    else:
        src = dst = np.zeros(0, dtype=np.int64)
        w = np.zeros(0, dtype=np.float64)
    if not G.is_directed():
        src, dst, w = np.concatenate([src, dst]), np.concatenate([dst, src]), np.tile(w, 2)
    order = np.lexsort((dst, src))
    return IndexedGraph(nodes, src[order], dst[order], w[order])


def acquaintance_graph(G: nx.Graph) -> nx.Graph:
    """Undirected graph of who knows whom through positive ties, never through conflict.

    Two actors are joined when a positive tie links them in either direction and no
    conflict tie does; the edge keeps the strongest ``strength``. Used for communities,
    eigenvector centrality and introduction paths, where ties work both ways.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", strength=1, positive=True, conflict=False)
    >>> G.add_edge("b", "a", strength=3, positive=True, conflict=False)
    >>> G.add_edge("b", "c", strength=0, positive=False, conflict=True)
    >>> U = acquaintance_graph(G)
    >>> list(U.edges(data="strength")), sorted(U)
    ([('a', 'b', 3)], ['a', 'b', 'c'])
    """
    U = nx.Graph()
    U.add_nodes_from(G)
    nodes = list(G)
    pairs = _acquaintance_pairs(G)
    rows = zip(pairs["a"].tolist(), pairs["b"].tolist(), pairs["strength"].tolist(), strict=True)
    U.add_weighted_edges_from(((nodes[i], nodes[j], w) for i, j, w in rows), weight="strength")
    return U


def acquaintance_edges(G: nx.Graph) -> list[tuple[int, int, Any]]:
    """The edges of :func:`acquaintance_graph` as ``(i, j, strength)``, without the graph.

    ``i`` and ``j`` are positions in ``list(G)``; the edges come in the order
    ``acquaintance_graph(G).edges(data="strength")`` lists them (by the position of
    their first end, then in the order the ties first appear in ``G``), so algorithms
    that depend on edge order give the same result from either.

    Examples
    --------
    >>> G = nx.DiGraph([("b", "a", {"strength": 2}), ("a", "c", {"strength": 1})])
    >>> list(G), acquaintance_edges(G)
    (['b', 'a', 'c'], [(0, 1, 2), (1, 2, 1)])
    """
    # networkx lists each edge from its first end in node order, keeping insertion order.
    pairs = _acquaintance_pairs(G).sort_values("a", kind="stable")
    return list(
        zip(pairs["a"].tolist(), pairs["b"].tolist(), pairs["strength"].tolist(), strict=True)
    )


def _acquaintance_pairs(G: nx.Graph) -> pd.DataFrame:
    """Columns a, b (positions in ``list(G)``, a <= b) and strength, in first-tie order."""
    position = index_of(list(G))
    rows = [
        (
            position[u],
            position[v],
            d.get("strength", 1),
            d.get("positive", True),
            bool(d.get("conflict", False)),
        )
        for u, v, d in G.edges(data=True)
        if u != v
    ]
    frame = pd.DataFrame(rows, columns=["u", "v", "strength", "positive", "conflict"])
    first = frame["u"] <= frame["v"]
    frame["a"], frame["b"] = (
        frame["u"].where(first, frame["v"]),
        frame["v"].where(first, frame["u"]),
    )
    frame["strength"] = frame["strength"].where(frame["positive"], 0)
    pairs = frame.groupby(["a", "b"], sort=False).agg(
        conflict=("conflict", "any"), positive=("positive", "any"), strength=("strength", "max")
    )
    return pairs[pairs["positive"] & ~pairs["conflict"]].reset_index()[["a", "b", "strength"]]


def conflict_counts(G: nx.Graph) -> dict[Hashable, int]:
    """Number of actors each actor has a conflict tie with.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2, {"conflict": True}), (2, 1, {"conflict": True}), (2, 3, {})])
    >>> conflict_counts(G)
    {1: 1, 2: 1, 3: 0}
    """
    at_odds: dict[Hashable, set[Hashable]] = {node: set() for node in G}
    for u, v, c in G.edges(data="conflict"):
        if c:
            at_odds[u].add(v)
            at_odds[v].add(u)
    return {node: len(others) for node, others in at_odds.items()}


def index_of(nodes: Sequence[Hashable]) -> dict[Hashable, int]:
    return {node: i for i, node in enumerate(nodes)}
