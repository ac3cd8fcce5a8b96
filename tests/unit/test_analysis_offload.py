"""Betweenness in the helper process: the same numbers, and the same numbers without it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from engagement.analysis import offload
from engagement.analysis.graph import indexed_graph
from engagement.analysis.measures import measures_table

ROOT = Path(__file__).resolve().parents[2]


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


def expected(G: nx.DiGraph, nodes: list[object]) -> list[float]:
    found = nx.betweenness_centrality(G, normalized=True)
    return [found[v] for v in nodes]


def test_large_graph_is_computed_in_the_helper_with_the_same_numbers() -> None:
    G = large_graph()
    ig = indexed_graph(G, weight=None)
    pending = offload.submit(ig.n, ig.source, ig.target)
    assert pending is not None, "a large graph goes to the helper"
    helped = offload.betweenness(ig.n, ig.source, ig.target, pending)
    assert np.allclose(helped, expected(G, ig.nodes))
    # The helper answers one request after another.
    again = offload.submit(ig.n, ig.source, ig.target)
    assert again is not None
    assert np.allclose(offload.betweenness(ig.n, ig.source, ig.target, again), helped)


def test_small_graph_stays_in_this_process() -> None:
    ig = indexed_graph(nx.florentine_families_graph(), weight=None)
    assert offload.submit(ig.n, ig.source, ig.target) is None
    assert offload._helper is None


def test_a_failed_answer_falls_back_to_the_same_numbers() -> None:
    ig = indexed_graph(large_graph(), weight=None)
    broken: Future[np.ndarray] = Future()
    broken.set_exception(RuntimeError("helper died"))
    result = offload.betweenness(ig.n, ig.source, ig.target, broken)
    here = offload.betweenness_of_arcs(ig.n, ig.source, ig.target)
    assert np.allclose(result, here, rtol=1e-12, atol=0)
    assert offload.submit(ig.n, ig.source, ig.target) is None, "no second try after a failure"


def test_a_killed_helper_falls_back_to_the_same_numbers() -> None:
    G = large_graph()
    ig = indexed_graph(G, weight=None)
    first = offload.submit(ig.n, ig.source, ig.target)
    assert first is not None and offload._helper is not None
    offload.betweenness(ig.n, ig.source, ig.target, first)
    offload._helper.process.kill()
    offload._helper.process.wait()
    pending = offload.submit(ig.n, ig.source, ig.target)
    assert np.allclose(
        offload.betweenness(ig.n, ig.source, ig.target, pending), expected(G, ig.nodes)
    )
    assert offload._disabled and offload._helper is None


def test_a_helper_that_cannot_start_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(offload.subprocess, "Popen", refuse)
    G = large_graph()
    table = measures_table(G)
    assert np.allclose(table["betweenness"].to_numpy(), expected(G, list(table.index)))
    assert offload._disabled


def test_measures_table_uses_the_helper_on_large_graphs() -> None:
    G = large_graph()
    table = measures_table(G)
    assert offload._helper is not None, "the helper was started"
    assert np.allclose(table["betweenness"].to_numpy(), expected(G, list(table.index)))


def test_the_helper_never_runs_the_program_that_started_it(tmp_path: Path) -> None:
    """As Streamlit runs app.py as ``__main__``: the helper must not import it again."""
    marker = tmp_path / "imported-again"
    script = tmp_path / "app_like.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import pathlib
            if __name__ != "__main__":
                pathlib.Path({str(marker)!r}).write_text("the helper ran me")
            else:
                import networkx as nx
                from engagement.analysis import offload
                from engagement.analysis.measures import measures_table
                G = nx.gnm_random_graph(offload.MIN_ACTORS + 10, 3000, seed=1, directed=True)
                measures_table(G)
                assert offload._helper is not None and not offload._disabled
                print("ok")
            """
        ),
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert not marker.exists()


def test_serve_answers_each_request_and_stops_at_the_end(tmp_path: Path) -> None:
    import io

    ig = indexed_graph(nx.florentine_families_graph(), weight=None)
    request = np.array([ig.n, ig.source.size], dtype=np.int64).tobytes()
    request += ig.source.tobytes() + ig.target.tobytes()
    answers = io.BytesIO()
    offload.serve(io.BytesIO(request * 2), answers)
    values = np.frombuffer(answers.getvalue(), dtype=np.float64)
    assert values.size == 2 * ig.n
    medici = ig.nodes.index("Medici")
    assert round(float(values[medici]), 3) == round(float(values[ig.n + medici]), 3) == 0.522
