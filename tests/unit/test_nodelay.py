"""Connections to the server have Nagle's algorithm off (engagement/web/nodelay.py).

Streamlit binds its port with a socket of protocol 0, as ``socket.socket(family)``
makes it; asyncio then left Nagle on, and every rerun's small messages could wait 40 ms
for the browser's delayed acknowledgement.
"""

from __future__ import annotations

import ast
import asyncio
import socket
import threading
from asyncio import base_events
from pathlib import Path

import pytest

from engagement.web import nodelay

ROOT = Path(__file__).resolve().parents[2]


def _accepted_nodelay() -> int:
    """TCP_NODELAY of a connection asyncio accepted on a socket bound as Streamlit does
    (on a thread of its own: another test may have left an event loop on this one)."""
    listening = socket.socket(family=socket.AF_INET)
    listening.bind(("127.0.0.1", 0))
    listening.listen(8)
    listening.setblocking(False)
    found: list[int] = []

    async def main() -> None:
        def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            found.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(accepted, sock=listening)
        _reader, writer = await asyncio.open_connection(*listening.getsockname())
        for _ in range(200):
            if found:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()

    try:
        runner = threading.Thread(target=lambda: asyncio.run(main()))
        runner.start()
        runner.join(timeout=30)
    finally:
        listening.close()
    return found[0]


@pytest.fixture
def original(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base_events, "_set_nodelay", nodelay._ORIGINAL)


def test_asyncio_alone_leaves_nagle_on_for_such_a_socket(original: None) -> None:
    assert _accepted_nodelay() == 0


def test_installed_every_accepted_connection_has_nodelay(original: None) -> None:
    assert nodelay.install() is True
    assert _accepted_nodelay() == 1


def test_the_server_installs_it_before_the_app_is_made() -> None:
    """uvicorn imports server.py before it accepts the first connection."""
    tree = ast.parse((ROOT / "server.py").read_text(encoding="utf-8"))
    calls = [
        ast.unparse(node.value.func)
        for node in tree.body
        if isinstance(node, ast.Expr | ast.Assign) and isinstance(node.value, ast.Call)
    ]
    assert calls.index("nodelay.install") < calls.index("st.App")
