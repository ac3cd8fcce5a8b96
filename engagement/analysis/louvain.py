"""Louvain community detection on plain lists, step for step as networkx does it.

``nx.community.louvain_communities`` spends about half of its time outside the
algorithm proper: rebuilding graphs and recomputing modularity through networkx views.
This is the same method (Blondel et al. 2008) with the same visiting order, gain
formula, tie-breaking and stopping rule, on integer-indexed adjacency dicts, so it
returns the same communities for the same seed, in roughly half the time.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

Adjacency = list[dict[int, float]]


def louvain_labels(
    n: int,
    edges: Iterable[tuple[int, int, float]],
    *,
    seed: int,
    resolution: float = 1.0,
    threshold: float = 1e-7,
) -> list[int]:
    """Community label of each node 0..n-1 (labels are arbitrary integers).

    Parameters
    ----------
    n : int
        Number of nodes.
    edges : iterable of (int, int, float)
        Undirected weighted edges, in the order networkx would list them; a repeated
        pair adds up.
    seed : int
        Seed of the random visiting order.
    resolution, threshold : float
        As in ``nx.community.louvain_communities``.

    Examples
    --------
    >>> labels = louvain_labels(6, [(0, 1, 1), (1, 2, 1), (0, 2, 1), (3, 4, 1),
    ...                             (4, 5, 1), (3, 5, 1), (2, 3, 1)], seed=1)
    >>> labels[0] == labels[1] == labels[2] != labels[3] == labels[4] == labels[5]
    True

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding
       of communities in large networks", J. Stat. Mech. P10008, 2008.
    """
    adjacency: Adjacency = [{} for _ in range(n)]
    for u, v, w in edges:
        _add(adjacency, u, v, w)
    members = [[u] for u in range(n)]
    m = _size(adjacency)
    if m == 0:
        return list(range(n))
    rng = random.Random(seed)
    modularity = _modularity(adjacency, list(range(n)), m, resolution)
    found, improved = _one_level(adjacency, m, resolution, rng)
    best = members
    while True:
        best = _merge(members, found)
        if not improved:
            break
        new = _modularity(adjacency, found, m, resolution)
        if new - modularity <= threshold:
            break
        modularity = new
        adjacency, members = _aggregate(adjacency, found), best
        found, improved = _one_level(adjacency, m, resolution, rng)
        if not improved:
            break
    labels = [0] * n
    for label, group in enumerate(best):
        for node in group:
            labels[node] = label
    return labels


def _add(adjacency: Adjacency, u: int, v: int, w: float) -> None:
    row = adjacency[u]
    row[v] = row.get(v, 0.0) + w
    if u != v:
        adjacency[v][u] = row[v]


def _size(adjacency: Adjacency) -> float:
    """Total edge weight, each edge once (as ``Graph.size(weight=...)``)."""
    total = sum(w for u, row in enumerate(adjacency) for v, w in row.items() if v >= u)
    return float(total)


def _degrees(adjacency: Adjacency) -> list[float]:
    """Weighted degree; a self-loop counts twice, as in networkx."""
    return [sum(row.values()) + row.get(u, 0.0) for u, row in enumerate(adjacency)]


def _one_level(
    adjacency: Adjacency, m: float, resolution: float, rng: random.Random
) -> tuple[list[int], bool]:
    """Move nodes to the neighbouring community with the best modularity gain until none
    moves; returns the community of each node and whether any node moved."""
    degrees = _degrees(adjacency)
    totals = list(degrees)
    community = list(range(len(adjacency)))
    neighbours = [[(v, w) for v, w in row.items() if v != u] for u, row in enumerate(adjacency)]
    order = list(range(len(adjacency)))
    rng.shuffle(order)
    denominator = 2 * m**2  # the same double networkx computes inline
    improved, moves = False, 1
    while moves > 0:
        moves = 0
        for u in order:
            own = community[u]
            weights: dict[int, float] = {}
            get = weights.get
            for v, w in neighbours[u]:
                c = community[v]
                weights[c] = get(c, 0.0) + w
            if own not in weights:
                weights[own] = 0.0
            degree = degrees[u]
            totals[own] -= degree
            remove_cost = -weights[own] / m + resolution * (totals[own] * degree) / denominator
            best_gain, best = 0.0, own
            for c, w in weights.items():
                gain = remove_cost + w / m - resolution * (totals[c] * degree) / denominator
                if gain > best_gain:
                    best_gain, best = gain, c
            totals[best] += degree
            if best != own:
                community[u] = best
                improved = True
                moves += 1
    return community, improved


def _merge(members: list[list[int]], community: list[int]) -> list[list[int]]:
    """Original nodes of each non-empty community, communities in label order."""
    groups: dict[int, list[int]] = {}
    for node in sorted(range(len(community)), key=community.__getitem__):
        groups.setdefault(community[node], []).extend(members[node])
    return [groups[c] for c in sorted(groups)]


def _modularity(adjacency: Adjacency, community: list[int], m: float, resolution: float) -> float:
    degrees = _degrees(adjacency)
    degree_sum = sum(degrees)
    inside: dict[int, float] = {}
    totals: dict[int, float] = {}
    for u, row in enumerate(adjacency):
        c = community[u]
        totals[c] = totals.get(c, 0.0) + degrees[u]
        for v, w in row.items():
            if v >= u and community[v] == c:
                inside[c] = inside.get(c, 0.0) + w
    half = degree_sum / 2
    return sum(
        inside.get(c, 0.0) / half - resolution * total * total / degree_sum**2
        for c, total in totals.items()
    )


def _aggregate(adjacency: Adjacency, community: list[int]) -> Adjacency:
    """One node per community; edges listed in networkx's order so ties break the same."""
    labels = {c: i for i, c in enumerate(sorted(set(community)))}
    merged: Adjacency = [{} for _ in labels]
    seen: set[int] = set()
    for u, row in enumerate(adjacency):
        for v, w in row.items():
            if v not in seen:
                _add(merged, labels[community[u]], labels[community[v]], w)
        seen.add(u)
    return merged
