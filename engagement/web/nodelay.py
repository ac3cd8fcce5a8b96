"""A rerun's messages leave at once: TCP_NODELAY on every connection of the server.

Streamlit 1.67 binds its listening socket itself (``socket.socket(family)``, protocol
0), and asyncio turns off Nagle's algorithm only on connections whose socket says
protocol ``IPPROTO_TCP`` (``asyncio.base_events._set_nodelay``); so every connection to
the app kept Nagle on. A rerun sends dozens of small messages; with Nagle, a small
message waits until the browser acknowledges the one before, and the browser delays that
acknowledgement by up to 40 ms. Measured with a system call trace: the server sent a map
rerun's messages within 15 ms and the client's socket had them 40 ms later; reruns of
15 ms took 50-75 ms when a click followed the last answer quickly, and now and then even
after a pause (``benchmarks/load_bench.py``, one session alone). Behind nginx the same
wait falls between the app and nginx.

:func:`install` makes asyncio's check accept a TCP stream socket whatever protocol
number it was opened with. ``server.py`` calls it when uvicorn imports it, before the
first connection is accepted. (With ``streamlit run app.py`` the app's code runs only
when a session has connected: one more reason to run ``server.py``.)
"""

from __future__ import annotations

import socket
from asyncio import base_events

_ORIGINAL = getattr(base_events, "_set_nodelay", None)


def _set_nodelay(sock: socket.socket) -> None:
    if (
        sock.family in (socket.AF_INET, socket.AF_INET6)
        and sock.type == socket.SOCK_STREAM
        and sock.proto in (0, socket.IPPROTO_TCP)
    ):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def install() -> bool:
    """Turn Nagle's algorithm off on every TCP connection asyncio accepts from now on;
    False if this Python's asyncio has no such step (the app works, with the delays)."""
    if _ORIGINAL is None:
        return False
    base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
    return True
