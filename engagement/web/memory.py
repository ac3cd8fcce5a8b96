"""The server's long-lived objects, set aside from the garbage collector once.

A Tejido server holds a few million objects that live as long as the process: the
modules of Streamlit, pandas, plotly, networkx and the app. Python's full (generation 2)
collection walks every one of them with the interpreter lock held, 100 to 250 ms during
which every session on the server waits; under 50 sessions these pauses were most of the
slowest reruns (``benchmarks/load_bench.py`` with a ``gc.callbacks`` timer). Once the
first page run has completed, what is alive is what stays: collect the garbage once,
then freeze the rest (``gc.freeze``, as CPython's documentation advises for servers), so
later full collections walk only what sessions create. Frozen objects are never freed;
that is what they are for.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_once() -> bool:
    """Collect and freeze what is alive now, the first time only; True if it did."""
    global _frozen
    if _frozen:
        return False
    with _lock:
        if _frozen:
            return False
        gc.collect()
        gc.freeze()
        _frozen = True
        return True
