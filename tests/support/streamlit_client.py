"""A light Streamlit client: one real app session over the websocket, no browser.

It speaks Streamlit's own protocol with the protobuf classes shipped in the installed
``streamlit`` package (``BackMsg`` out, ``ForwardMsg`` in), so the server does exactly
the work it does for a browser tab: a session, a script run per request, every element
serialised and sent. Fifty of these cost a few MB, where fifty chromium contexts would
swamp a 2-core machine; that is what the load benchmark and the multi-server tests need.

``session = StreamlitSession(base_url, cookie=...)``; ``run = session.open("grid",
query="program=1&lang=en")`` runs a page and returns what it showed (texts and
widgets); ``session.change(widget, value)`` reruns as a user changing a filter does.

Like a browser tab, the session keeps Streamlit's message cache: large elements it has
received are listed in each rerun request (``cached_message_hashes``), so the server
sends an unchanged element again only as a reference to its hash, and entries not used
for ``max_cached_message_age`` runs are dropped (the frontend's ``ForwardMsgCache``).
``Run.element_bytes`` says how many bytes each kind of element cost in a run.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.sync.client import ClientConnection, connect

#: Element fields that carry text a user reads.
_TEXT_FIELDS = ("body", "label", "caption", "value")
_WIDGETS = {
    "selectbox": "string_value",
    "radio": "string_value",
    "checkbox": "bool_value",
    "multiselect": "string_array_value",
    "text_input": "string_value",
    "button": "trigger_value",
}


@dataclass(frozen=True)
class Widget:
    kind: str
    id: str
    label: str
    options: tuple[str, ...] = ()


@dataclass
class Run:
    """What one script run showed, and how long it took (send to ``script_finished``)."""

    seconds: float = 0.0
    texts: list[str] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    #: Each table's cells, one row a line (``st.dataframe``, ``st.table``).
    tables: list[str] = field(default_factory=list)
    status: str = ""
    #: Bytes the server sent for this run.
    received: int = 0
    #: Bytes sent per kind of element ("bidi_component", "dataframe"...), references to
    #: an element the session had cached counted under "cached".
    element_bytes: dict[str, int] = field(default_factory=dict)
    #: The elements drawn (references resolved from the cache), in order.
    elements: list[Any] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def widget(self, label_part: str, kind: str | None = None) -> Widget:
        for found in self.widgets:
            if label_part in found.label and (kind is None or found.kind == kind):
                return found
        raise LookupError(f"no widget labelled {label_part!r}: {[w.label for w in self.widgets]}")


class StreamlitSession:
    """One browser tab's worth of Streamlit session, over a websocket."""

    def __init__(
        self,
        base_url: str,
        *,
        cookie: str = "",
        timeout: float = 120,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        headers = {"Origin": f"{parts.scheme}://{parts.netloc}"}
        if cookie:
            headers["Cookie"] = cookie
        scheme = "wss" if parts.scheme == "https" else "ws"
        self._ws: ClientConnection = connect(
            f"{scheme}://{parts.netloc}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers,
            max_size=None,
            open_timeout=timeout,
            ssl=ssl_context if scheme == "wss" else None,
            legacy=True,  # a connection kept open across calls, closed by close()
        )
        self.page = ""
        self.query = ""
        self.states: dict[str, WidgetState] = {}
        #: The browser's message cache: {hash: (message, script run count when last used)}.
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}
        self._script_runs = 0
        self._max_cached_age = 2

    def close(self) -> None:
        self._ws.close()

    def __enter__(self) -> StreamlitSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def open(self, page: str = "", query: str = "") -> Run:
        """Open a page by its URL path (``""`` home), as a link or the address bar does."""
        self.page, self.query = page, query
        self.states.clear()
        return self.rerun()

    def change(self, widget: Widget, value: Any) -> Run:
        """Set a widget as a user would, and rerun."""
        self.set(widget, value)
        run = self.rerun()
        if _WIDGETS[widget.kind] == "trigger_value":
            self.states.pop(widget.id, None)
        return run

    def click(self, button: Widget) -> Run:
        """Press a button (a form's submit button sends the form's values set before)."""
        return self.change(button, True)

    def set(self, widget: Widget, value: Any) -> None:
        """Set a widget's value without a rerun (a field inside a form)."""
        state = WidgetState(id=widget.id)
        kind = _WIDGETS[widget.kind]
        if kind == "string_array_value":
            state.string_array_value.data.extend(value)
        else:
            setattr(state, kind, value)
        self.states[widget.id] = state

    def rerun(self) -> Run:
        client = ClientState(
            query_string=self.query,
            page_name=self.page,
            widget_states=WidgetStates(widgets=list(self.states.values())),
            cached_message_hashes=list(self._cache),
        )
        self._ws.send(BackMsg(rerun_script=client).SerializeToString())
        return self._read_run()

    def _read_run(self) -> Run:
        run = Run()
        started = time.perf_counter()
        deadline = time.monotonic() + self.timeout
        running = False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no end of script run in {self.timeout}s")
            raw = self._ws.recv(timeout=remaining)
            run.received += len(raw)
            message = self._resolve(raw if isinstance(raw, bytes) else raw.encode(), run)
            kind = message.WhichOneof("type")
            if kind == "session_status_changed":
                running = running or message.session_status_changed.script_is_running
            elif kind == "new_session":
                running = True
                config = message.new_session.config
                self._max_cached_age = config.max_cached_message_age or self._max_cached_age
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._collect(message.delta.new_element, run)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # a rerun the app asked for (st.rerun): keep reading
                self._age_cache()
                run.status = status
                run.seconds = time.perf_counter() - started
                return run
            elif kind == "page_not_found":
                run.exceptions.append(f"page not found: {self.page}")

    def _resolve(self, raw: bytes, run: Run) -> ForwardMsg:
        """The message as the app sees it: a reference is replaced by the cached element
        (a miss is an error, as in the browser); a cacheable element is cached."""
        message = ForwardMsg()
        message.ParseFromString(raw)
        if message.WhichOneof("type") == "ref_hash":
            cached, _ = self._cache[message.ref_hash]
            self._cache[message.ref_hash] = (cached, self._script_runs)
            run.element_bytes["cached"] = run.element_bytes.get("cached", 0) + len(raw)
            return cached
        if message.WhichOneof("type") == "delta" and message.delta.HasField("new_element"):
            kind = message.delta.new_element.WhichOneof("type") or "empty"
            run.element_bytes[kind] = run.element_bytes.get(kind, 0) + len(raw)
        if message.metadata.cacheable and message.hash not in self._cache:
            self._cache[message.hash] = (message, self._script_runs)
        return message

    def _age_cache(self) -> None:
        self._script_runs += 1
        for key, (_, used) in list(self._cache.items()):
            if self._script_runs - used > self._max_cached_age:
                del self._cache[key]

    @staticmethod
    def _collect(element: Any, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind is None:
            return
        run.elements.append(element)
        body: Any = getattr(element, kind)
        if kind == "exception":
            run.exceptions.append(f"{body.type}: {body.message}")
            return
        for name in _TEXT_FIELDS:
            value = getattr(body, name, None)
            if isinstance(value, str) and value:
                run.texts.append(value)
        widget_id: str = getattr(body, "id", None) or ""
        if kind in _WIDGETS and widget_id:
            options = tuple(getattr(body, "options", ()))
            run.widgets.append(Widget(kind, body.id, body.label, options))
        if kind == "dataframe":
            cells = _arrow_text(body.arrow_data.data)
            run.tables.append(cells)
            run.texts.append(cells)


def _arrow_text(data: bytes) -> str:
    """A table's cells as text (Arrow IPC, as the server sends it)."""
    import pyarrow as pa  # type: ignore[import-untyped]

    try:
        table = pa.ipc.open_stream(data).read_all()
    except pa.ArrowInvalid:
        return ""
    return "\n".join(" | ".join(str(v) for v in row.values()) for row in table.to_pylist())
