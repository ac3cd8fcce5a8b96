"""Introduction paths: never through conflict, fewest steps first, strong ties preferred."""

from __future__ import annotations

import random

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.analysis.graph import coalition_graph
from engagement.analysis.paths import cheapest_chains, introduction_paths

NAMES = ["Municipalidad", "ONU-Hábitat", "Embajada", "Prensa", "Cámara", "ONG", "Aislado"]


def coalition(ties: list[tuple[str, str, int, bool]]) -> nx.DiGraph:
    """Ties as (source, target, strength, conflict); undirected, like 'collaborates'."""
    actors = pd.DataFrame({"id": range(len(NAMES)), "name": NAMES})
    index = {name: i for i, name in enumerate(NAMES)}
    frame = pd.DataFrame(
        [
            {
                "source": index[s],
                "target": index[t],
                "strength": w,
                "negative": c,
                "directed": False,
            }
            for s, t, w, c in ties
        ]
    )
    return coalition_graph(actors, frame)


def named(G: nx.DiGraph, source: str, target: str, k: int = 3) -> list[list[str]]:
    index = {name: i for i, name in enumerate(NAMES)}
    chains = introduction_paths(G, index[source], index[target], k=k)
    return [[NAMES[v] for v in chain.actors] for chain in chains]


def test_never_through_a_conflict_tie() -> None:
    G = coalition(
        [
            ("Municipalidad", "Prensa", 3, True),  # conflict: no way through
            ("Prensa", "Embajada", 3, False),
            ("Municipalidad", "ONG", 1, False),
            ("ONG", "Cámara", 1, False),
            ("Cámara", "Embajada", 1, False),
        ]
    )
    assert named(G, "Municipalidad", "Embajada") == [["Municipalidad", "ONG", "Cámara", "Embajada"]]


def test_a_pair_with_a_conflict_is_avoided_even_if_also_positively_tied() -> None:
    G = coalition(
        [
            ("Municipalidad", "Prensa", 3, False),
            ("Municipalidad", "Prensa", 1, True),
            ("Prensa", "Embajada", 3, False),
        ]
    )
    assert named(G, "Municipalidad", "Embajada") == []


def test_strong_ties_preferred_among_equally_short_chains() -> None:
    G = coalition(
        [
            ("Municipalidad", "Prensa", 1, False),
            ("Prensa", "Embajada", 3, False),
            ("Municipalidad", "ONU-Hábitat", 3, False),
            ("ONU-Hábitat", "Embajada", 3, False),
            ("Municipalidad", "ONG", 2, False),
            ("ONG", "Embajada", 3, False),
        ]
    )
    chains = introduction_paths(G, 0, 2)
    assert [NAMES[c.actors[1]] for c in chains] == ["ONU-Hábitat", "ONG", "Prensa"]
    assert [c.weakest for c in chains] == [3, 2, 1]
    assert chains[0].strengths == (3, 3) and chains[0].steps == 2


def test_fewer_steps_win_over_stronger_ties() -> None:
    G = coalition(
        [
            ("Municipalidad", "Prensa", 1, False),
            ("Prensa", "Embajada", 1, False),
            ("Municipalidad", "ONU-Hábitat", 3, False),
            ("ONU-Hábitat", "ONG", 3, False),
            ("ONG", "Embajada", 3, False),
        ]
    )
    assert named(G, "Municipalidad", "Embajada") == [
        ["Municipalidad", "Prensa", "Embajada"],
        ["Municipalidad", "ONU-Hábitat", "ONG", "Embajada"],
    ]


def test_directed_ties_work_both_ways_for_introductions_and_k_limits() -> None:
    G = nx.DiGraph()
    G.add_edge("a", "b", strength=2, positive=True, conflict=False)
    G.add_edge("c", "b", strength=2, positive=True, conflict=False)
    G.add_edge("a", "c", strength=1, positive=True, conflict=False)
    chains = introduction_paths(G, "c", "a", k=1)
    assert [c.actors for c in chains] == [("c", "a")]
    assert len(introduction_paths(G, "c", "a", k=5)) == 2


def test_no_chain_same_actor_and_unknown_actor() -> None:
    G = coalition([("Municipalidad", "Prensa", 3, False)])
    assert named(G, "Municipalidad", "Aislado") == []
    assert introduction_paths(G, 0, 0) == []
    with pytest.raises(nx.NodeNotFound):
        introduction_paths(G, 0, 99)


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(2, 40),
    seed=st.integers(0, 10_000),
    picks=st.lists(st.integers(0, 39), min_size=1, max_size=6),
)
def test_cheapest_chains_stop_early_with_dijkstras_answer(
    size: int, seed: int, picks: list[int]
) -> None:
    """Costs 1 + a small weakness term (as the briefing weighs ties): many equal costs,
    so the chains must also break ties as networkx does."""
    rng = random.Random(seed)
    G = nx.gnm_random_graph(size, rng.randint(0, 3 * size), seed=seed)
    for _, _, data in G.edges(data=True):
        data["cost"] = 1.0 + 0.01 * rng.choice([0, 0, 1, 2])
    targets = [p for p in picks if p != 0]
    cost, chains = cheapest_chains(G, 0, targets)
    full_cost, full_chains = nx.single_source_dijkstra(G, 0, weight="cost")
    reached = [t for t in targets if t in full_cost]
    assert list(cost) == list(dict.fromkeys(reached))
    assert cost == {t: full_cost[t] for t in reached}
    assert chains == {t: full_chains[t] for t in reached}
