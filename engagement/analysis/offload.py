"""Exact betweenness in a helper process, so the other measures are computed meanwhile.

rustworkx computes betweenness on its own worker threads but keeps the interpreter lock
for the whole call, so no Python thread can run while it works: in one process the other
measures could only come before or after it. One long-lived helper process computes it
while this process computes the rest.

The helper is ``python -m engagement.analysis.offload``: it imports only this module
(numpy, rustworkx) and never the program that started it. (``multiprocessing`` would
re-import the parent's ``__main__``, and inside a Streamlit script run that is the app
itself.) Requests and answers are raw arrays over its stdin and stdout; a thread of this
process writes each request and waits for its answer, without holding the interpreter
lock, and requests are answered one at a time.

If the helper cannot be started or dies, :func:`betweenness` computes here instead:
slower, the same numbers. Small graphs are always computed here, where the round trip
would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
import rustworkx as rx

log = logging.getLogger(__name__)

#: Below this many actors betweenness is computed in this process.
MIN_ACTORS = 800

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

_lock = threading.Lock()
_helper: _Helper | None = None
_disabled = False


def betweenness_of_arcs(n: int, source: Ints, target: Ints) -> Floats:
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


def submit(n: int, source: Ints, target: Ints) -> Future[Floats] | None:
    """Start the betweenness in the helper; ``None`` when it is computed here instead."""
    if n < MIN_ACTORS:
        return None
    helper = _running_helper()
    if helper is None:
        return None
    try:
        return helper.submit(n, source, target)
    except Exception as error:  # shut down meanwhile: compute here from now on
        _give_up(error)
        return None


def betweenness(n: int, source: Ints, target: Ints, pending: Future[Floats] | None) -> Floats:
    """The result of :func:`submit`, or the same numbers computed here."""
    if pending is not None:
        try:
            return pending.result()
        except Exception as error:  # the helper died or could not start
            _give_up(error)
    return betweenness_of_arcs(n, source, target)


class _Helper:
    """The helper process and the thread that talks to it."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        # A fixed command: this interpreter running this module (no user input).
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=root,
            env=dict(os.environ, PYTHONPATH=path),
        )
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tejido-betweenness")

    def submit(self, n: int, source: Ints, target: Ints) -> Future[Floats]:
        return self.thread.submit(self._ask, n, source, target)

    def _ask(self, n: int, source: Ints, target: Ints) -> Floats:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        header = np.array([n, source.size], dtype=np.int64)
        for part in (header, source.astype(np.int64), target.astype(np.int64)):
            stdin.write(part.tobytes())
        stdin.flush()
        answer = _read_exactly(stdout, 8 * n)
        if answer is None:
            raise RuntimeError(f"the betweenness helper stopped (exit {self.process.poll()})")
        return np.frombuffer(answer, dtype=np.float64).copy()

    def close(self) -> None:
        self.thread.shutdown(wait=False, cancel_futures=True)
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):  # already gone: nothing left to flush
                self.process.stdin.close()  # the helper stops at the end of its input
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _running_helper() -> _Helper | None:
    global _helper
    with _lock:
        if _disabled:
            return None
        if _helper is None:
            try:
                _helper = _Helper()
            except OSError as error:
                _give_up_locked(error)
                return None
        return _helper


def _give_up(error: BaseException) -> None:
    with _lock:
        _give_up_locked(error)


def _give_up_locked(error: BaseException) -> None:
    global _helper, _disabled
    log.warning("betweenness helper unavailable, computing in this process: %s", error)
    _disabled = True
    if _helper is not None:
        _helper.close()
        _helper = None


def shutdown() -> None:
    """Stop the helper; a later :func:`submit` starts a new one."""
    global _helper
    with _lock:
        if _helper is not None:
            _helper.close()
            _helper = None


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes from ``stream``, or ``None`` if it ends first."""
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The helper's loop: read ``n, m`` and the ``m`` sources and targets, answer the
    ``n`` betweenness values; stop at the end of the input."""
    while (header := _read_exactly(requests, 16)) is not None:
        n, m = (int(x) for x in np.frombuffer(header, dtype=np.int64))
        arcs = _read_exactly(requests, 16 * m) if m else b""
        if arcs is None:
            return
        both = np.frombuffer(arcs, dtype=np.int64)
        answers.write(betweenness_of_arcs(n, both[:m], both[m:]).tobytes())
        answers.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
