"""Introduction paths: who can introduce one actor to another."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count, islice, pairwise

import networkx as nx

from engagement.analysis.graph import acquaintance_graph

STRONGEST = 3


@dataclass(frozen=True)
class IntroductionPath:
    """A chain of acquaintances from one actor to another.

    ``actors`` runs from the source to the target; ``strengths[i]`` is the strength of
    the tie between ``actors[i]`` and ``actors[i + 1]`` (1 weak, 2 medium, 3 strong).
    """

    actors: tuple[Hashable, ...]
    strengths: tuple[int, ...]

    @property
    def intermediaries(self) -> tuple[Hashable, ...]:
        return self.actors[1:-1]

    @property
    def weakest(self) -> int:
        """The strength of the weakest tie: a chain is as strong as its weakest link."""
        return min(self.strengths)

    @property
    def steps(self) -> int:
        return len(self.strengths)


def introduction_paths(
    G: nx.Graph, source: Hashable, target: Hashable, *, k: int = 3
) -> list[IntroductionPath]:
    """Up to ``k`` shortest chains of positive ties from ``source`` to ``target``.

    Ties count in either direction (an introduction needs acquaintance, not a flow),
    and no chain ever uses a pair of actors joined by a conflict tie. Chains come
    fewest steps first; among chains with the same number of steps, the one with
    stronger ties (smaller total of ``3 - strength``) comes first. Ties are broken by
    the order of the nodes in ``G``, so the answer is reproducible.

    Parameters
    ----------
    G : networkx graph
        The coalition graph, or any graph (a missing ``strength`` counts as strong).
    source, target : node
        The actor who wants to reach, and the actor to reach.
    k : int
        How many chains at most.

    Returns
    -------
    list of IntroductionPath
        Empty when no chain exists or ``source == target``.

    Raises
    ------
    networkx.NodeNotFound
        If ``source`` or ``target`` is not in ``G``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("City", "UN", strength=3)
    >>> G.add_edge("UN", "Embassy", strength=3)
    >>> G.add_edge("City", "Press", strength=1)
    >>> G.add_edge("Press", "Embassy", strength=3)
    >>> [p.actors for p in introduction_paths(G, "City", "Embassy")]
    [('City', 'UN', 'Embassy'), ('City', 'Press', 'Embassy')]
    """
    for node in (source, target):
        if node not in G:
            raise nx.NodeNotFound(f"actor {node!r} is not in the graph")
    if source == target or k < 1:
        return []
    U = acquaintance_graph(G)
    # Each step costs 1; weakness adds less than one step over the whole chain, so
    # fewer steps always win and strength decides between equally short chains.
    epsilon = 1.0 / (2 * STRONGEST * max(len(U), 2))
    for _, _, data in U.edges(data=True):
        data["cost"] = 1.0 + epsilon * (STRONGEST - _strength(data))
    try:
        chains = list(islice(nx.shortest_simple_paths(U, source, target, weight="cost"), k))
    except nx.NetworkXNoPath:
        return []
    return [
        IntroductionPath(tuple(chain), tuple(_strength(U[a][b]) for a, b in pairwise(chain)))
        for chain in chains
    ]


def _strength(data: dict[str, object]) -> int:
    value = data.get("strength", STRONGEST)
    return int(value) if isinstance(value, int | float) and value > 0 else STRONGEST


def cheapest_chains(
    G: nx.Graph, source: Hashable, targets: Collection[Hashable], *, weight: str = "cost"
) -> tuple[dict[Hashable, float], dict[Hashable, list[Hashable]]]:
    """The cheapest chains from ``source`` to those of ``targets`` it can reach.

    The answer of ``nx.single_source_dijkstra(G, source, weight=weight)`` restricted to
    ``targets`` (the same costs and the same chains, ties broken alike), but the search
    stops once every target is reached: on a large program the doors of a key player are
    a few steps away, and the rest of the map need not be searched.

    Parameters
    ----------
    G : networkx graph
        Undirected, every edge with a non-negative ``weight``.
    source : node
    targets : collection of nodes
        Nodes not in ``G`` are never reached.

    Returns
    -------
    (cost, chains)
        For each target reached: the cost of its cheapest chain, and the chain from
        ``source`` to it.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("City", "UN", cost=1.0)
    >>> G.add_edge("UN", "Embassy", cost=1.0)
    >>> G.add_edge("City", "Press", cost=1.5)
    >>> cheapest_chains(G, "City", ["Embassy", "Nobody"])
    ({'Embassy': 2.0}, {'Embassy': ['City', 'UN', 'Embassy']})
    """
    wanted = {t for t in targets if t in G}
    done: dict[Hashable, float] = {}
    seen: dict[Hashable, float] = {source: 0.0}
    before: dict[Hashable, Hashable] = {}
    order = count()
    fringe: list[tuple[float, int, Hashable]] = [(0, next(order), source)]
    # networkx's own adjacency dicts: its read-only views cost more than the search.
    adjacency = G._adj
    while fringe and wanted:
        cost, _, node = heappop(fringe)
        if node in done:
            continue
        done[node] = cost
        wanted.discard(node)
        for other, data in adjacency[node].items():
            further = cost + data.get(weight, 1)
            if other not in done and (other not in seen or further < seen[other]):
                seen[other] = further
                before[other] = node
                heappush(fringe, (further, next(order), other))
    reached = [t for t in targets if t in done]
    return {t: done[t] for t in reached}, {t: _chain(before, source, t) for t in reached}


def _chain(before: dict[Hashable, Hashable], source: Hashable, target: Hashable) -> list[Hashable]:
    chain = [target]
    while chain[-1] != source:
        chain.append(before[chain[-1]])
    return chain[::-1]
