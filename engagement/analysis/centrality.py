"""Centrality of actors: degree, betweenness, closeness, two-step reach, eigenvector, PageRank.

All measures are exact at every size. Betweenness is rustworkx's parallel Brandes;
closeness and two-step reach come from one bit-parallel breadth-first search (64 start
actors per machine word), which is much faster than one search per actor. Hop-based
measures (betweenness, closeness, reach) ignore strength; eigenvector and PageRank
weight ties by strength. Only positive ties count (see :mod:`engagement.analysis.graph`).
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable

import networkx as nx
import numpy as np
import numpy.typing as npt
import rustworkx as rx
from scipy.sparse import csr_array, diags_array
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

from engagement.analysis import offload
from engagement.analysis.graph import FloatArray, IndexedGraph, IntArray, indexed_graph


class AnalysisWarning(UserWarning):
    """A measure was returned with a caveat (for instance an approximation)."""


class EigenvectorNotConverged(AnalysisWarning):
    """Neither power iteration nor Lanczos converged; the last estimate is returned."""


def degree_by_actor(G: nx.Graph) -> dict[Hashable, tuple[int, int]]:
    """In- and out-degree of each actor: distinct actors tied to it and from it.

    An undirected tie counts both ways, so in an undirected graph both equal the degree.

    Examples
    --------
    >>> G = nx.florentine_families_graph()
    >>> degree_by_actor(G)["Medici"]
    (6, 6)
    >>> degree_by_actor(nx.DiGraph([("a", "b"), ("c", "b")]))["b"]
    (2, 0)
    """
    ig = indexed_graph(G, weight=None)
    indeg, outdeg = degree_arrays(ig)
    return {v: (i, o) for v, i, o in zip(ig.nodes, indeg.tolist(), outdeg.tolist(), strict=True)}


def degree_arrays(ig: IndexedGraph) -> tuple[IntArray, IntArray]:
    return np.bincount(ig.target, minlength=ig.n), np.bincount(ig.source, minlength=ig.n)


def betweenness_by_actor(G: nx.Graph) -> dict[Hashable, float]:
    """Normalized betweenness: share of shortest paths between others that pass through v.

    Exact (Brandes) at every size, computed by rustworkx in parallel. For an undirected
    graph the result equals ``nx.betweenness_centrality(G)``; for a directed one,
    ``nx.betweenness_centrality(G)`` on the positive arcs.

    Examples
    --------
    >>> b = betweenness_by_actor(nx.florentine_families_graph())
    >>> max(b, key=b.get), round(b["Medici"], 3)
    ('Medici', 0.522)

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of
       Mathematical Sociology 25(2), 163-177, 2001.
    """
    ig = indexed_graph(G, weight=None)
    return dict(zip(ig.nodes, betweenness_array(ig).tolist(), strict=True))


def rustworkx_digraph(ig: IndexedGraph) -> rx.PyDiGraph:
    graph = rx.PyDiGraph(multigraph=False)
    graph.add_nodes_from(range(ig.n))
    graph.add_edges_from_no_data(list(zip(ig.source.tolist(), ig.target.tolist(), strict=True)))
    return graph


def betweenness_array(ig: IndexedGraph) -> FloatArray:
    return offload.betweenness_of_arcs(ig.n, ig.source, ig.target)


def closeness_by_actor(G: nx.Graph) -> dict[Hashable, float]:
    """Closeness: how few steps v needs to reach the actors it can reach.

    Uses outward distances and the Wasserman-Faust correction for graphs that are not
    connected: ``(r - 1) / sum_of_distances * (r - 1) / (n - 1)`` where ``r`` counts the
    actors v can reach, itself included. Equals
    ``nx.closeness_centrality(G.reverse(), wf_improved=True)``.

    Examples
    --------
    >>> c = closeness_by_actor(nx.florentine_families_graph())
    >>> round(c["Medici"], 3)
    0.56
    >>> closeness_by_actor(nx.empty_graph(1))
    {0: 0.0}
    """
    ig = indexed_graph(G, weight=None)
    profile = distance_profile(ig)
    return dict(zip(ig.nodes, closeness_array(profile, ig.n).tolist(), strict=True))


def two_step_reach_by_actor(G: nx.Graph) -> dict[Hashable, float]:
    """Share of the other actors that v reaches in one or two steps along its ties.

    Examples
    --------
    >>> r = two_step_reach_by_actor(nx.path_graph(4))
    >>> [round(r[v], 3) for v in range(4)]
    [0.667, 1.0, 1.0, 0.667]
    """
    ig = indexed_graph(G, weight=None)
    within_two = distance_profile(ig)[2]
    share = within_two / (ig.n - 1) if ig.n > 1 else np.zeros(ig.n)
    return dict(zip(ig.nodes, share.tolist(), strict=True))


def closeness_array(profile: tuple[FloatArray, FloatArray, FloatArray], n: int) -> FloatArray:
    distance_sum, reached, _ = profile
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(distance_sum > 0, reached / distance_sum, 0.0)
    return value * (reached / (n - 1)) if n > 1 else np.zeros(n)


def distance_profile(
    ig: IndexedGraph, *, memory_bytes: int = 64_000_000
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per actor: sum of outward distances, actors reached, actors within two steps.

    A breadth-first search from every actor at once, 64 targets per machine word: the
    bits at v after level L are the actors v reaches within L steps. Targets are taken in
    blocks so that the working set stays under about ``memory_bytes``.

    Examples
    --------
    >>> dist, reached, within_two = distance_profile(indexed_graph(nx.path_graph(4)))
    >>> dist.tolist(), reached.tolist(), within_two.tolist()
    ([6.0, 4.0, 4.0, 6.0], [3.0, 3.0, 3.0, 3.0], [2.0, 3.0, 3.0, 2.0])
    """
    n = ig.n
    totals = np.zeros((3, n), dtype=np.float64)
    if n == 0:
        return totals[0], totals[1], totals[2]
    words = (n + 63) // 64
    block = max(1, min(words, memory_bytes // (8 * max(ig.source.size, n))))
    search = _BlockSearch(ig)
    for first_word in range(0, words, block):
        search.run(first_word, min(block, words - first_word), totals)
    return totals[0], totals[1], totals[2]


class _BlockSearch:
    """Breadth-first search from a block of targets, pulling or pushing bits per level.

    Pull (every actor ORs the frontier bits of all its successors) costs one pass over
    all arcs and needs no sorting: used while the frontier is large. Push (only the
    actors in the frontier send bits to their predecessors) is cheaper when it is small,
    as on long chains.
    """

    def __init__(self, ig: IndexedGraph) -> None:
        self.n = ig.n
        self.pred_indptr, self.preds = ig.predecessors_csr()
        succ_indptr, self.succ = ig.successors_csr()
        self.senders = np.flatnonzero(np.diff(succ_indptr) > 0)
        self.starts = succ_indptr[self.senders]

    def run(self, first_word: int, width: int, totals: FloatArray) -> None:
        n = self.n
        targets = np.arange(first_word * 64, min(n, (first_word + width) * 64))
        visited = np.zeros((n, width), dtype=np.uint64)
        local = targets - first_word * 64
        bits = np.left_shift(np.uint64(1), (local % 64).astype(np.uint64))
        visited[targets, local // 64] = bits
        active, frontier = targets, visited[targets]
        level = 0
        while active.size:
            level += 1
            counts = self.pred_indptr[active + 1] - self.pred_indptr[active]
            if not counts.any():
                break
            if 4 * counts.sum() > self.succ.size:
                receivers, gathered = self._pull(active, frontier, width)
            else:
                receivers, gathered = self._push(active, frontier, counts)
            new = gathered & ~visited[receivers]
            found = np.bitwise_count(new).sum(axis=1, dtype=np.int64)
            keep = found > 0
            active, frontier = receivers[keep], new[keep]
            visited[active] |= frontier
            totals[0, active] += level * found[keep]
            totals[1, active] += found[keep]
            if level <= 2:
                totals[2, active] += found[keep]

    def _pull(
        self, active: IntArray, frontier: npt.NDArray[np.uint64], width: int
    ) -> tuple[IntArray, npt.NDArray[np.uint64]]:
        full = np.zeros((self.n, width), dtype=np.uint64)
        full[active] = frontier
        return self.senders, np.bitwise_or.reduceat(full[self.succ], self.starts, axis=0)

    def _push(
        self, active: IntArray, frontier: npt.NDArray[np.uint64], counts: IntArray
    ) -> tuple[IntArray, npt.NDArray[np.uint64]]:
        owner = np.repeat(np.arange(active.size), counts)
        offsets = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
        receivers = self.preds[self.pred_indptr[active][owner] + offsets]
        order = np.argsort(receivers, kind="stable")
        receivers, owner = receivers[order], owner[order]
        unique, first = np.unique(receivers, return_index=True)
        return unique, np.bitwise_or.reduceat(frontier[owner], first, axis=0)


def eigenvector_by_actor(
    G: nx.Graph, *, weight: str | None = "strength", max_iter: int = 1000, tol: float = 1e-8
) -> dict[Hashable, float]:
    """Eigenvector centrality on the undirected positive ties, weighted by strength.

    An actor scores high when tied to actors who themselves score high. Directions are
    ignored: in a directed map that is not strongly connected the directed version gives
    zero to most actors. Computed by shifted power iteration; if that does not converge
    in ``max_iter`` steps, by Lanczos (ARPACK); if neither converges, the last estimate is
    returned with an :class:`EigenvectorNotConverged` warning, never an error. In a
    disconnected graph, actors outside the component with the largest eigenvalue score
    about 0, as the definition implies. Scaled to unit Euclidean norm, like networkx.

    Examples
    --------
    >>> e = eigenvector_by_actor(nx.florentine_families_graph())
    >>> max(e, key=e.get), round(e["Medici"], 3)
    ('Medici', 0.43)
    >>> eigenvector_by_actor(nx.empty_graph(2))
    {0: 0.0, 1: 0.0}
    """
    ig = indexed_graph(G, weight=weight)
    return dict(zip(ig.nodes, eigenvector_array(ig, max_iter, tol).tolist(), strict=True))


def _symmetric(ig: IndexedGraph) -> csr_array:
    A = ig.adjacency(weighted=True)
    return A.maximum(A.T).tocsr()


def eigenvector_array(ig: IndexedGraph, max_iter: int, tol: float) -> FloatArray:
    if ig.source.size == 0:
        return np.zeros(ig.n)
    A = _symmetric(ig)
    x = np.ones(ig.n) / ig.n
    for _ in range(max_iter):
        last = x
        x = last + A @ last  # shift by I: converges on bipartite graphs too
        x /= np.linalg.norm(x)
        if np.abs(x - last).sum() < ig.n * tol:
            return _signed(x)
    try:
        _, vectors = eigsh(A.astype(np.float64), k=1, which="LA", maxiter=max_iter * 10)
        return _signed(vectors[:, 0])
    except (ArpackNoConvergence, ArpackError):
        warnings.warn(EigenvectorNotConverged("eigenvector"), stacklevel=3)
        return _signed(x)


def _signed(x: FloatArray) -> FloatArray:
    x = np.abs(np.where(np.abs(x) < 1e-12, 0.0, x))
    norm = np.linalg.norm(x)
    return x / norm if norm > 0 else x


def pagerank_by_actor(
    G: nx.Graph,
    *,
    alpha: float = 0.85,
    weight: str | None = "strength",
    max_iter: int = 100,
    tol: float = 1e-06,
) -> dict[Hashable, float]:
    """PageRank along the direction of positive ties, weighted by strength.

    Same definition as ``nx.pagerank`` (uniform teleport, dangling actors spread
    evenly). If ``max_iter`` steps do not reach ``tol``, the last estimate is returned
    (PageRank with alpha < 1 converges geometrically, so this only happens when the
    limit is set very low).

    Examples
    --------
    >>> p = pagerank_by_actor(nx.florentine_families_graph())
    >>> max(p, key=p.get), round(sum(p.values()), 6)
    ('Medici', 1.0)
    """
    ig = indexed_graph(G, weight=weight)
    values = pagerank_array(ig, alpha, max_iter, tol)
    return dict(zip(ig.nodes, values.tolist(), strict=True))


def pagerank_array(ig: IndexedGraph, alpha: float, max_iter: int, tol: float) -> FloatArray:
    n = ig.n
    if n == 0:
        return np.zeros(0)
    A = ig.adjacency(weighted=True)
    out = np.asarray(A.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        scale = np.where(out > 0, 1.0 / out, 0.0)
    M = (diags_array(scale) @ A).T.tocsr()
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (M @ last + last[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    result: FloatArray = x / x.sum()
    return result
