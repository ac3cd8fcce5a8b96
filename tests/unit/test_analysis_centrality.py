"""Centrality measures against networkx and the reference networks, and the hard cases."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest
from scipy.sparse.linalg import ArpackNoConvergence

from engagement.analysis import centrality
from engagement.analysis.graph import indexed_graph


def with_strengths(G: nx.Graph, seed: int = 0) -> nx.Graph:
    rnd = random.Random(seed)
    for u, v in G.edges:
        G[u][v]["strength"] = rnd.randint(1, 3)
    return G


GRAPHS = {
    "florentine": lambda: nx.florentine_families_graph(),
    "karate": lambda: nx.karate_club_graph(),
    "directed": lambda: nx.gnp_random_graph(70, 0.05, seed=3, directed=True),
    "disconnected": lambda: nx.disjoint_union(nx.path_graph(5), nx.cycle_graph(7)),
}


def test_florentine_medici_lead_betweenness() -> None:
    b = centrality.betweenness_by_actor(nx.florentine_families_graph())
    ranked = sorted(b, key=b.get, reverse=True)
    assert ranked[:2] == ["Medici", "Guadagni"]
    assert round(b["Medici"], 3) == 0.522
    assert round(b["Guadagni"], 3) == 0.255


@pytest.mark.parametrize("name", GRAPHS)
def test_betweenness_closeness_pagerank_match_networkx(name: str) -> None:
    G = with_strengths(GRAPHS[name]())
    ours = centrality.betweenness_by_actor(G)
    theirs = nx.betweenness_centrality(G)
    assert ours == pytest.approx(theirs, abs=1e-12)
    outward = G.reverse() if G.is_directed() else G
    assert centrality.closeness_by_actor(G) == pytest.approx(
        nx.closeness_centrality(outward, wf_improved=True), abs=1e-12
    )
    assert centrality.pagerank_by_actor(G) == pytest.approx(
        nx.pagerank(G, weight="strength"), abs=1e-6
    )


@pytest.mark.parametrize("name", ["florentine", "karate", "directed"])
def test_eigenvector_matches_networkx_on_the_undirected_ties(name: str) -> None:
    G = with_strengths(GRAPHS[name]())
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, w in G.edges(data="strength"):  # the strongest tie either way, as ours
        if not U.has_edge(u, v) or U[u][v]["strength"] < w:
            U.add_edge(u, v, strength=w)
    largest = U.subgraph(max(nx.connected_components(U), key=len))
    theirs = nx.eigenvector_centrality_numpy(U, weight="strength")
    ours = centrality.eigenvector_by_actor(G)
    for v in largest:
        assert ours[v] == pytest.approx(theirs[v], abs=1e-6)


def test_two_step_reach_counts_one_and_two_steps_outward() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    assert centrality.two_step_reach_by_actor(G) == pytest.approx(
        {"a": 2 / 3, "b": 2 / 3, "c": 1 / 3, "d": 0.0}
    )


def test_distance_profile_is_the_same_in_small_memory_blocks() -> None:
    ig = indexed_graph(nx.barabasi_albert_graph(300, 3, seed=1), weight=None)
    whole = centrality.distance_profile(ig)
    blocks = centrality.distance_profile(ig, memory_bytes=1)  # one 64-actor word at a time
    for a, b in zip(whole, blocks, strict=True):
        assert np.array_equal(a, b)
    lengths = dict(nx.all_pairs_shortest_path_length(nx.barabasi_albert_graph(300, 3, seed=1)))
    assert whole[0][7] == sum(lengths[7].values())


def test_degree_counts_directions_and_undirected_ties_both_ways() -> None:
    G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "a")])
    assert centrality.degree_by_actor(G) == {"a": (1, 1), "b": (2, 1), "c": (0, 1)}
    assert centrality.degree_by_actor(nx.path_graph(3))[1] == (2, 2)


@pytest.mark.parametrize(
    "measure",
    [
        centrality.betweenness_by_actor,
        centrality.closeness_by_actor,
        centrality.two_step_reach_by_actor,
        centrality.eigenvector_by_actor,
        centrality.pagerank_by_actor,
        centrality.degree_by_actor,
    ],
)
def test_empty_and_single_node_graphs(measure: object) -> None:
    assert measure(nx.Graph()) == {}  # type: ignore[operator]
    single = measure(nx.empty_graph(["solo"]))  # type: ignore[operator]
    assert list(single) == ["solo"]
    value = single["solo"]
    assert value in ((0, 0), 0.0, 1.0)  # PageRank of a lone actor is 1


def test_disconnected_graph_gives_finite_values_everywhere() -> None:
    G = nx.disjoint_union(nx.complete_graph(4), nx.path_graph(3))
    G.add_node("isolated")
    for measure in (
        centrality.betweenness_by_actor,
        centrality.closeness_by_actor,
        centrality.eigenvector_by_actor,
        centrality.pagerank_by_actor,
        centrality.two_step_reach_by_actor,
    ):
        values = measure(G)
        assert set(values) == set(G)
        assert all(math.isfinite(v) for v in values.values())
    closeness = centrality.closeness_by_actor(G)
    assert closeness["isolated"] == 0.0
    eigen = centrality.eigenvector_by_actor(G)
    assert eigen[0] > 0.4 and eigen[5] == pytest.approx(0.0, abs=1e-6)


def test_eigenvector_falls_back_to_lanczos_when_power_iteration_stalls() -> None:
    G = nx.florentine_families_graph()
    stalled = centrality.eigenvector_by_actor(G, max_iter=1)
    assert stalled == pytest.approx(nx.eigenvector_centrality_numpy(G), abs=1e-6)


def test_eigenvector_never_crashes_when_nothing_converges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ArpackNoConvergence("no", np.zeros(0), np.zeros((0, 0)))

    monkeypatch.setattr(centrality, "eigsh", refuse)
    G = nx.florentine_families_graph()
    with pytest.warns(centrality.EigenvectorNotConverged):
        estimate = centrality.eigenvector_by_actor(G, max_iter=2)
    assert set(estimate) == set(G)
    assert all(math.isfinite(v) and v >= 0 for v in estimate.values())
    assert math.isclose(math.fsum(v * v for v in estimate.values()), 1.0)


def test_bipartite_graph_converges_thanks_to_the_shift() -> None:
    G = nx.complete_bipartite_graph(3, 5)
    values = centrality.eigenvector_by_actor(G)
    assert values == pytest.approx(nx.eigenvector_centrality_numpy(G), abs=1e-6)


@pytest.mark.parametrize(
    "G",
    [
        nx.lollipop_graph(12, 150),  # long tail: the frontier shrinks, bits are pushed
        nx.gnp_random_graph(150, 0.03, seed=4, directed=True),
        nx.path_graph(130, create_using=nx.DiGraph),
    ],
    ids=["lollipop", "directed", "directed-chain"],
)
def test_distance_profile_equals_breadth_first_search(
    G: nx.Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    pushes = []
    original = centrality._BlockSearch._push

    def counting(self: object, *args: object) -> object:
        pushes.append(1)
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(centrality._BlockSearch, "_push", counting)
    ig = indexed_graph(G, weight=None)
    dist, reached, within_two = centrality.distance_profile(ig, memory_bytes=1)
    for i, v in enumerate(ig.nodes):
        lengths = nx.single_source_shortest_path_length(G, v)
        assert dist[i] == sum(lengths.values())
        assert reached[i] == len(lengths) - 1
        assert within_two[i] == sum(1 for d in lengths.values() if 1 <= d <= 2)
    assert pushes  # both ways of spreading bits were exercised
