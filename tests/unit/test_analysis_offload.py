"""Betweenness in the helper process: the same numbers, and the same numbers without it."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future

import networkx as nx
import numpy as np
import pytest

from engagement.analysis import offload
from engagement.analysis.graph import indexed_graph
from engagement.analysis.measures import measures_table


@pytest.fixture(autouse=True)
def fresh_helper() -> Iterator[None]:
    offload.shutdown()
    offload._disabled = False
    yield
    offload.shutdown()
    offload._disabled = False


def large_graph() -> nx.DiGraph:
    G = nx.gnm_random_graph(offload.MIN_ACTORS + 50, 4 * offload.MIN_ACTORS, seed=3, directed=True)
    return G


def test_large_graph_is_computed_in_the_helper_with_the_same_numbers() -> None:
    ig = indexed_graph(large_graph(), weight=None)
    pending = offload.submit(ig.n, ig.source, ig.target)
    assert pending is not None, "a large graph goes to the helper"
    helped = offload.betweenness(ig.n, ig.source, ig.target, pending)
    here = offload.betweenness_of_arcs(ig.n, ig.source, ig.target)
    assert np.allclose(helped, here, rtol=1e-12, atol=0)  # rustworkx sums in parallel
    expected = nx.betweenness_centrality(large_graph(), normalized=True)
    assert np.allclose(helped, [expected[v] for v in ig.nodes])


def test_small_graph_stays_in_this_process() -> None:
    ig = indexed_graph(nx.florentine_families_graph(), weight=None)
    assert offload.submit(ig.n, ig.source, ig.target) is None
    assert offload._pool is None


def test_a_dead_helper_falls_back_to_the_same_numbers() -> None:
    ig = indexed_graph(large_graph(), weight=None)
    broken: Future[np.ndarray] = Future()
    broken.set_exception(RuntimeError("helper died"))
    result = offload.betweenness(ig.n, ig.source, ig.target, broken)
    here = offload.betweenness_of_arcs(ig.n, ig.source, ig.target)
    assert np.allclose(result, here, rtol=1e-12, atol=0)
    assert offload.submit(ig.n, ig.source, ig.target) is None, "no second try after a failure"


def test_a_helper_that_cannot_start_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(offload, "ProcessPoolExecutor", refuse)
    G = large_graph()
    table = measures_table(G)
    expected = nx.betweenness_centrality(G, normalized=True)
    assert np.allclose(table["betweenness"].to_numpy(), [expected[v] for v in table.index])
    assert offload._disabled


def test_measures_table_uses_the_helper_on_large_graphs() -> None:
    G = large_graph()
    table = measures_table(G)
    assert offload._pool is not None, "the helper was started"
    expected = nx.betweenness_centrality(G, normalized=True)
    assert np.allclose(table["betweenness"].to_numpy(), [expected[v] for v in table.index])
