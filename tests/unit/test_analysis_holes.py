"""Burt's effective size and constraint against networkx's per-actor definitions."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from engagement.analysis.holes import constraint_by_actor, effective_size_by_actor


def weighted(G: nx.Graph, seed: int) -> nx.Graph:
    rnd = random.Random(seed)
    for u, v in G.edges:
        G[u][v]["strength"] = rnd.randint(1, 3)
    return G


def same(ours: dict, theirs: dict, nodes: object = None) -> None:
    for v in nodes or theirs:  # type: ignore[attr-defined]
        if math.isnan(theirs[v]):
            assert math.isnan(ours[v]), v
        else:
            assert ours[v] == pytest.approx(theirs[v], abs=1e-9), v


@pytest.mark.parametrize(
    "G",
    [
        nx.florentine_families_graph(),
        nx.karate_club_graph(),
        weighted(nx.karate_club_graph(), 1),
        weighted(nx.gnp_random_graph(60, 0.08, seed=2, directed=True), 2),
    ],
    ids=["florentine", "karate", "karate-weighted", "directed-weighted"],
)
def test_match_networkx_definitions(G: nx.Graph) -> None:
    weight = "strength" if any("strength" in d for *_, d in G.edges(data=True)) else None
    same(constraint_by_actor(G, weight), nx.constraint(G, weight=weight))
    # networkx's per-actor loop is the definition (its vectorised shortcut is not, when
    # weighted); it leaves out actors with incoming ties only, which we do define.
    with_out_ties = [v for v in G if G.degree(v) and (not G.is_directed() or G.out_degree(v))]
    same(
        effective_size_by_actor(G, weight),
        nx.effective_size(G, nodes=list(G), weight=weight),
        with_out_ties,
    )


def test_star_centre_is_the_broker() -> None:
    G = nx.star_graph(4)
    size, constraint = effective_size_by_actor(G), constraint_by_actor(G)
    assert size[0] == 4 and constraint[0] == pytest.approx(0.25)
    assert size[1] == 1 and constraint[1] == pytest.approx(1.0)


def test_an_actor_with_only_incoming_ties_has_one_contact() -> None:
    G = nx.DiGraph([("a", "b")])
    assert effective_size_by_actor(G)["b"] == 1.0


def test_isolated_actors_are_not_defined_and_empty_graph_is_empty() -> None:
    G = nx.Graph([(1, 2)])
    G.add_node(3)
    assert math.isnan(effective_size_by_actor(G)[3])
    assert math.isnan(constraint_by_actor(G)[3])
    assert effective_size_by_actor(nx.Graph()) == {}
    assert constraint_by_actor(nx.Graph()) == {}
