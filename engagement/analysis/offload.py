"""Exact betweenness in a helper process, so the other measures are computed meanwhile.

rustworkx computes betweenness on its own worker threads but keeps the interpreter lock
for the whole call, so no Python thread can run while it works: in one process the other
measures could only come before or after it. One long-lived helper process (started
with ``forkserver``, never ``fork``: the app server is multithreaded) computes it while
this process computes the rest. The helper imports only this module (numpy, rustworkx)
and, as every ``multiprocessing`` child does, re-imports a script run as ``__main__``
(never a ``python -m`` module), so such scripts keep their ``if __name__ ==
"__main__"`` guard.

If the helper cannot be started or dies, :func:`betweenness` computes here instead:
slower, the same numbers. Small graphs are always computed here, where the round trip
would cost more than it saves.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
import rustworkx as rx

log = logging.getLogger(__name__)

#: Below this many actors betweenness is computed in this process.
MIN_ACTORS = 800

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_disabled = False


def betweenness_of_arcs(
    n: int, source: npt.NDArray[np.int64], target: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Normalized exact betweenness of nodes ``0..n-1`` of the directed graph of the arcs.

    Examples
    --------
    >>> betweenness_of_arcs(3, np.array([0, 1]), np.array([1, 2])).tolist()
    [0.0, 0.5, 0.0]
    """
    if n < 3 or source.size == 0:
        return np.zeros(n)
    graph = rx.PyDiGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    graph.add_edges_from_no_data(list(zip(source.tolist(), target.tolist(), strict=True)))
    result = rx.digraph_betweenness_centrality(graph, normalized=True)
    return np.array([result[i] for i in range(n)], dtype=np.float64)


def submit(
    n: int, source: npt.NDArray[np.int64], target: npt.NDArray[np.int64]
) -> Future[npt.NDArray[np.float64]] | None:
    """Start the betweenness in the helper; ``None`` when it is computed here instead."""
    if n < MIN_ACTORS:
        return None
    pool = _helper()
    if pool is None:
        return None
    try:
        return pool.submit(betweenness_of_arcs, n, source, target)
    except Exception as error:  # a broken or shut-down pool: compute here from now on
        _give_up(error)
        return None


def betweenness(
    n: int,
    source: npt.NDArray[np.int64],
    target: npt.NDArray[np.int64],
    pending: Future[npt.NDArray[np.float64]] | None,
) -> npt.NDArray[np.float64]:
    """The result of :func:`submit`, or the same numbers computed here."""
    if pending is not None:
        try:
            return pending.result()
        except Exception as error:  # the helper died or could not start
            _give_up(error)
    return betweenness_of_arcs(n, source, target)


def _helper() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _disabled:
            return None
        if _pool is None:
            try:
                context: Any = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__])
                _pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            except (OSError, ValueError) as error:
                _give_up_locked(error)
                return None
        return _pool


def _give_up(error: BaseException) -> None:
    with _lock:
        _give_up_locked(error)


def _give_up_locked(error: BaseException) -> None:
    global _pool, _disabled
    log.warning("betweenness helper unavailable, computing in this process: %s", error)
    _disabled = True
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def shutdown() -> None:
    """Stop the helper; a later :func:`submit` starts a new one (Python stops it at exit)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None
