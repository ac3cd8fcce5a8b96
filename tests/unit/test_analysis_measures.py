"""The coalition graph, the all-measures table, and the analysis docstring examples."""

from __future__ import annotations

import doctest
import importlib
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from engagement.analysis.graph import (
    acquaintance_graph,
    coalition_graph,
    conflict_counts,
    indexed_graph,
)
from engagement.analysis.measures import MEASURE_COLUMNS, measures_table

ANALYSIS_MODULES = [
    "graph",
    "centrality",
    "holes",
    "brokerage",
    "communities",
    "measures",
    "paths",
    "balance",
    "louvain",
    "offload",
]


@pytest.mark.parametrize("name", ANALYSIS_MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"engagement.analysis.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


def tie(s: int, t: int, *, negative: bool = False, directed: bool = True, w: int = 2) -> dict:
    return {"source": s, "target": t, "negative": negative, "directed": directed, "strength": w}


def test_coalition_graph_merges_parallel_ties_and_marks_conflicts() -> None:
    actors = pd.DataFrame(
        {"id": [1, 2, 3], "name": ["A", "B", "C"], "sector": ["city", None, "ngo"]}
    )
    ties = pd.DataFrame(
        [
            tie(1, 2, w=1),
            tie(1, 2, w=3, directed=False),  # collaborates: both ways
            tie(2, 3, negative=True, w=2),  # conflict stored one way: both sides at odds
            tie(3, 9),  # unknown actor: ignored
            tie(3, 3),  # self-tie: ignored
        ]
    )
    G = coalition_graph(actors, ties)
    assert sorted(G.edges) == [(1, 2), (2, 1), (2, 3), (3, 2)]
    assert G[1][2] == {"strength": 3, "positive": True, "conflict": False, "ties": 2}
    assert G[2][1]["strength"] == 3
    assert G[2][3] == {"strength": 0, "positive": False, "conflict": True, "ties": 1}
    assert G.nodes[2]["sector"] is None and G.nodes[3]["name"] == "C"
    assert conflict_counts(G) == {1: 0, 2: 1, 3: 1}
    assert list(acquaintance_graph(G).edges) == [(1, 2)]
    ig = indexed_graph(G)
    assert list(zip(ig.source.tolist(), ig.target.tolist(), strict=True)) == [(0, 1), (1, 0)]


def test_empty_frames_give_an_empty_graph_and_table() -> None:
    actors = pd.DataFrame({"id": pd.Series([], dtype="int64")})
    ties = pd.DataFrame(columns=["source", "target", "negative", "directed", "strength"])
    G = coalition_graph(actors, ties)
    assert len(G) == 0
    table = measures_table(G)
    assert table.empty and list(table.columns) == MEASURE_COLUMNS


def test_one_actor() -> None:
    table = measures_table(nx.empty_graph(["solo"]))
    row = table.loc["solo"]
    assert row[["in_degree", "out_degree", "degree", "brokerage_total"]].tolist() == [0, 0, 0, 0]
    assert row["betweenness"] == 0 and row["closeness"] == 0 and row["reach_two_steps"] == 0
    assert row["pagerank"] == pytest.approx(1.0) and row["community"] == 1
    assert math.isnan(row["effective_size"]) and math.isnan(row["constraint"])


def test_disconnected_map_with_conflicts_and_isolated_actors() -> None:
    actors = pd.DataFrame({"id": range(1, 9), "sector": ["a", "a", "b", "b", "c", "c", None, "a"]})
    ties = pd.DataFrame(
        [
            tie(1, 2, directed=False),
            tie(2, 3, directed=False),
            tie(3, 1),
            tie(4, 5, directed=False),
            tie(5, 6),
            tie(6, 4, negative=True),
            tie(7, 6),
        ]
    )
    table = measures_table(coalition_graph(actors, ties))
    assert list(table.index) == list(range(1, 9))
    numeric = table.drop(columns=["effective_size", "constraint"]).to_numpy(dtype=float)
    assert np.isfinite(numeric).all()
    assert table.loc[8, "degree"] == 0 and math.isnan(table.loc[8, "constraint"])
    assert table.loc[4, "conflicts"] == 1 and table.loc[6, "conflicts"] == 1
    assert table.loc[5, "betweenness"] > 0  # 4 reaches 6 only through 5 (6-4 is a conflict)
    assert table.loc[[1, 2, 3], "community"].nunique() == 1
    assert table.loc[1, "community"] != table.loc[4, "community"]
    assert table["pagerank"].sum() == pytest.approx(1.0)


def test_table_agrees_with_the_single_measure_functions() -> None:
    G = nx.karate_club_graph()
    nx.set_node_attributes(
        G, {v: "hi" if d == "Mr. Hi" else "off" for v, d in G.nodes(data="club")}, "sector"
    )
    table = measures_table(G)
    assert table["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(G))
    assert table["degree"].to_dict() == dict(G.degree)
    assert table["constraint"].to_dict() == pytest.approx(nx.constraint(G))
    assert table["brokerage_total"].sum() > 0
