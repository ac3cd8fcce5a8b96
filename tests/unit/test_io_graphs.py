"""Gephi files: no None values, one type per attribute, every value kept."""

from __future__ import annotations

import datetime as dt
import io

import networkx as nx
import pytest

from engagement.io.graphs import gexf_bytes, graph, graphml_bytes


def sample() -> nx.MultiDiGraph:
    return graph(
        [
            ("1", {"label": "Alcaldía", "power": 5, "budget": 120000, "verified": None}),
            ("2", {"label": "Red", "budget": 5000.5, "since": dt.date(2024, 1, 2)}),
            ("3", {"label": "Radio", "budget": "n/d", "restricted": True}),
        ],
        [
            ("1", "2", "10", {"strength": 3, "note": None, "negative": False}),
            ("1", "2", "11", {"strength": 1.5, "note": "dos vínculos"}),
        ],
        "Xela",
    )


def test_values_are_cleaned() -> None:
    g = sample()
    assert "verified" not in g.nodes["1"]  # None is left out
    assert g.nodes["2"]["since"] == "2024-01-02"
    # budget mixes int, float and text: text everywhere; strength mixes int and float.
    assert {g.nodes[n]["budget"] for n in g} == {"120000", "5000.5", "n/d"}
    assert {d["strength"] for _s, _t, d in g.edges(data=True)} == {3.0, 1.5}
    assert g.number_of_edges("1", "2") == 2


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_files_read_back(fmt: str) -> None:
    g = sample()
    data = (
        gexf_bytes(g, creator="Tejido", modified=dt.date(2024, 5, 1))
        if fmt == "gexf"
        else graphml_bytes(g)
    )
    back = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(io.BytesIO(data))
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 2
    labels = {d.get("label") for _n, d in back.nodes(data=True)}
    assert labels == {"Alcaldía", "Red", "Radio"}
    assert b"None" not in data
