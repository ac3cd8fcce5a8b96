"""A bare Streamlit client for tests: the websocket protocol and the upload endpoint, with
no browser, the way an anonymous script would talk to the server.

``StreamlitClient(base_url)`` opens a session (``/_stcore/stream``), runs the script and
collects the widgets it drew; ``fill`` + ``submit`` send widget values as the browser
does; ``send`` sends any BackMsg; ``upload`` PUTs a file to ``/_stcore/upload_file``.
The XSRF check compares a header with a cookie, both the client's own: any client passes.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.web.server.starlette.starlette_app_utils import (
    generate_random_hex_string,
    generate_xsrf_token_string,
)
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

XSRF_COOKIE = "_streamlit_xsrf"


@dataclass
class StreamlitClient:
    base_url: str
    timeout: float = 60.0
    #: Extra headers of the websocket handshake (``X-Forwarded-For`` as a proxy sends).
    headers: dict[str, str] = field(default_factory=dict)
    session_id: str = ""
    #: widget key -> widget id, for the widgets of the last run.
    widgets: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    received: list[ForwardMsg] = field(default_factory=list)
    _values: dict[str, WidgetState] = field(default_factory=dict)
    _ws: ClientConnection | None = None
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def __post_init__(self) -> None:
        self.xsrf = generate_xsrf_token_string(generate_random_hex_string().encode()[:32])

    def __enter__(self) -> StreamlitClient:
        host = urlsplit(self.base_url).netloc
        self._ws = self._stack.enter_context(
            connect(
                f"ws://{host}/_stcore/stream",
                subprotocols=["streamlit", self.xsrf],  # type: ignore[list-item]
                additional_headers={"Cookie": f"{XSRF_COOKIE}={self.xsrf}", **self.headers},
                open_timeout=self.timeout,
                max_size=None,
            )
        )
        self.rerun()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    # --- messages ------------------------------------------------------------------

    def send(self, msg: BackMsg) -> None:
        assert self._ws is not None
        self._ws.send(msg.SerializeToString())

    def rerun(self, extra: list[WidgetState] | None = None) -> None:
        """Run the script with the current widget values (and ``extra`` ones)."""
        msg = BackMsg()
        states = msg.rerun_script.widget_states.widgets
        states.extend(self._values.values())
        states.extend(extra or [])
        self.send(msg)
        self.wait_for_run()

    def wait_for_run(self) -> None:
        """Read messages until the script run ends; widgets and texts are the last run's."""
        self.widgets, self.texts = {}, []
        for message in self.messages(until=_run_over):
            if message.WhichOneof("type") == "new_session":
                self.session_id = message.new_session.initialize.session_id
            elif message.WhichOneof("type") == "delta":
                self._note(message)

    def messages(self, until: Any, timeout: float | None = None) -> list[ForwardMsg]:
        """Messages received until ``until(message)`` is true (or the time runs out)."""
        assert self._ws is not None
        deadline = time.monotonic() + (timeout or self.timeout)
        found: list[ForwardMsg] = []
        while time.monotonic() < deadline:
            try:
                raw = self._ws.recv(timeout=max(0.05, deadline - time.monotonic()))
            except TimeoutError:
                break
            except ConnectionClosed:
                break
            message = ForwardMsg()
            message.ParseFromString(raw)  # type: ignore[arg-type]
            self.received.append(message)
            found.append(message)
            if until(message):
                return found
        if timeout is None:
            raise AssertionError(f"no end of run from {self.base_url} in {self.timeout} s")
        return found

    def _note(self, message: ForwardMsg) -> None:
        delta = message.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        inner = getattr(element, kind)
        widget_id = getattr(inner, "id", "")
        if widget_id.startswith("$$ID-"):
            self.widgets[widget_id.split("-", 2)[2]] = widget_id
        for name in ("body", "label"):
            text = getattr(inner, name, "")
            if isinstance(text, str) and text:
                self.texts.append(text)

    # --- widgets -------------------------------------------------------------------

    def widget_id(self, key: str) -> str:
        found = [wid for k, wid in self.widgets.items() if k == key or k.startswith(key)]
        assert found, f"no widget {key!r} in {sorted(self.widgets)}"
        return found[0]

    def fill(self, key: str, text: str) -> None:
        state = WidgetState(id=self.widget_id(key))
        state.string_value = text
        self._values[state.id] = state

    def submit(self, form_key: str) -> None:
        """Press a form's submit button (a trigger: sent once)."""
        state = WidgetState(id=self.widget_id(f"FormSubmitter:{form_key}-"))
        state.trigger_value = True
        self.rerun([state])

    # --- uploads -------------------------------------------------------------------

    def upload(self, data: bytes, name: str = "mapa.csv") -> int:
        """PUT a file for this session; the HTTP status."""
        file_id = uuid.uuid4().hex
        response = requests.put(
            f"{self.base_url}/_stcore/upload_file/{self.session_id}/{file_id}",
            files={"file": (name, data, "text/csv")},
            headers={"X-Xsrftoken": self.xsrf},
            cookies={XSRF_COOKIE: self.xsrf},
            timeout=self.timeout,
        )
        return response.status_code


def _run_over(message: ForwardMsg) -> bool:
    """The end of a run that is not immediately followed by another (``st.rerun``)."""
    return (
        message.WhichOneof("type") == "script_finished"
        and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    )


def metrics(base_url: str, family: str) -> dict[str, float]:
    """``/_stcore/metrics`` of one family: each line's labels -> value."""
    text = requests.get(f"{base_url}/_stcore/metrics", params={"families": family}, timeout=30).text
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith(family):
            labels, _, value = line.rpartition(" ")
            found[labels] = float(value)
    return found
