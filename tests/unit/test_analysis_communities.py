"""Louvain communities: reproducible, complete, and right on Zachary's karate club."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from engagement.analysis.communities import communities, community_by_actor
from engagement.analysis.graph import coalition_graph


def faction_agreement(G: nx.Graph, parts: list[set[int]]) -> float:
    """Share of members who are in the majority faction of their community."""
    club = nx.get_node_attributes(G, "club")
    agree = sum(
        max(sum(club[v] == side for v in p) for side in ("Mr. Hi", "Officer")) for p in parts
    )
    return agree / len(G)


@pytest.mark.parametrize("weighted", [True, False])
def test_karate_club_communities_follow_the_two_factions(weighted: bool) -> None:
    G = nx.karate_club_graph()
    parts = communities(G, weighted=weighted)
    assert faction_agreement(G, parts) >= 0.9
    # Asked for coarser groups, Louvain finds the split itself.
    two = communities(G, weighted=weighted, resolution=0.5)
    assert len(two) == 2
    assert faction_agreement(G, two) >= 32 / 34


def test_same_data_same_communities_and_numbers() -> None:
    G = nx.karate_club_graph()
    assert communities(G) == communities(nx.karate_club_graph())
    numbers = community_by_actor(G)
    assert sorted(set(numbers.values())) == list(range(1, len(communities(G)) + 1))
    sizes = [sum(1 for c in numbers.values() if c == k) for k in sorted(set(numbers.values()))]
    assert sizes == sorted(sizes, reverse=True)


def test_every_actor_is_in_one_community_isolated_ones_alone() -> None:
    G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    G.add_node("alone")
    parts = communities(G)
    assert sorted(len(p) for p in parts) == [1, 3, 4]
    assert {"alone"} in parts
    assert communities(nx.Graph()) == []
    assert communities(nx.empty_graph(["x"])) == [{"x"}]


def test_conflict_ties_do_not_make_a_community() -> None:
    actors = pd.DataFrame({"id": [1, 2, 3, 4]})
    ties = pd.DataFrame(
        {
            "source": [1, 3, 2],
            "target": [2, 4, 3],
            "negative": [False, False, True],
            "directed": [False, False, False],
            "strength": [3, 3, 3],
        }
    )
    parts = communities(coalition_graph(actors, ties))
    assert sorted(sorted(p) for p in parts) == [[1, 2], [3, 4]]


LOUVAIN_GRAPHS = {
    "karate": nx.karate_club_graph,
    "les-miserables": nx.les_miserables_graph,
    "scale-free": lambda: nx.barabasi_albert_graph(400, 3, seed=2),
    "sparse-random": lambda: nx.gnp_random_graph(250, 0.02, seed=5),
    "caves": lambda: nx.connected_caveman_graph(8, 5),
}


@pytest.mark.parametrize("name", LOUVAIN_GRAPHS)
@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_same_communities_as_networkx_louvain(name: str, seed: int, resolution: float) -> None:
    G = LOUVAIN_GRAPHS[name]()
    for weight in ("weight", None):
        if weight is not None:
            nx.set_edge_attributes(G, {e: 1 + (hash(e) % 3) for e in G.edges}, "strength")
            theirs = nx.community.louvain_communities(
                G, weight="strength", resolution=resolution, seed=seed
            )
        else:
            theirs = nx.community.louvain_communities(
                G, weight=None, resolution=resolution, seed=seed
            )
        ours = communities(G, seed=seed, resolution=resolution, weighted=weight is not None)
        assert sorted(map(sorted, ours)) == sorted(map(sorted, theirs))
