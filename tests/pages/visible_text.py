"""What a user can read on a page run by AppTest, and the internal codes that must never
be part of it.

``visible_texts`` walks the whole element tree (main area and sidebar): headings,
markdown, captions, alerts, widget labels, options, placeholders and help, tab and
expander labels, metric labels and values, every header and cell of every table, the
texts inside plotly charts (trace names, ticks, hover texts, axis titles, annotations)
and the file names of download buttons.

``code_leaks`` compares those texts with the codes of the domain's value lists (sectors,
stages, tie and activity types, statuses, responses, roles, sentiments, quadrants...).
A code with an underscore (``civil_society``) is a leak wherever it appears as a word;
a one-word code (``viewer``, ``all``) is a leak when it stands alone as a text, a table
cell or one side of a "field: old → new" change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from engagement import vocabulary
from engagement.analysis.brokerage import BrokerageRole
from engagement.frameworks import Quadrant, SalienceClass
from engagement.values import (
    AgeGroup,
    AttendanceRole,
    CommitmentStatus,
    Confidentiality,
    EvidenceKind,
    Gender,
    InputResponse,
    Role,
    Sentiment,
    TaskStatus,
)

_PROTO_TEXT_FIELDS = ("label", "body", "placeholder", "help", "caption", "text", "title")
_PLOTLY_TEXT_KEYS = frozenset(
    {"name", "text", "hovertext", "title", "ticktext", "x", "y", "labels", "customdata"}
)


def domain_codes(extra: Iterable[str] = ()) -> frozenset[str]:
    """Every code a value list of the domain stores, plus ``extra`` (a program's own keys)."""
    lists = (vocabulary.STAGES, vocabulary.SECTORS, vocabulary.TIE_TYPES, vocabulary.ACTIVITY_TYPES)
    codes = {entry.key for built_in in lists for entry in built_in}
    choices = (
        Confidentiality,
        AttendanceRole,
        Sentiment,
        TaskStatus,
        InputResponse,
        CommitmentStatus,
        EvidenceKind,
        Role,
        Gender,
        AgeGroup,
    )
    codes |= {value for choice in choices for value in choice.values()}
    codes |= {str(v) for enum in (Quadrant, SalienceClass, BrokerageRole) for v in enum}
    codes |= {"all", "none"}
    return frozenset(codes | set(extra))


def _plotly_texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _PLOTLY_TEXT_KEYS or isinstance(item, dict | list):
                yield from _plotly_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _plotly_texts(item)
    elif isinstance(value, str):
        yield value


def _frame_texts(frame: pd.DataFrame) -> Iterator[str]:
    yield from (str(c) for c in frame.columns)
    for column in frame.columns:
        for cell in frame[column]:
            if isinstance(cell, list | tuple):
                yield from (str(x) for x in cell)
            elif isinstance(cell, str):
                yield cell


def _shown_columns(frame: pd.DataFrame, proto: Any) -> pd.DataFrame:
    """The columns a table draws (its column order, less hidden ones), under their
    labels from the column configuration."""
    order = list(getattr(proto, "column_order", []) or [])
    config = json.loads(proto.columns) if getattr(proto, "columns", "") else {}
    hidden = {k for k, v in config.items() if v.get("hidden")}
    keep = [c for c in frame.columns if (not order or str(c) in order) and str(c) not in hidden]
    labels = {c: config.get(str(c), {}).get("label") or str(c) for c in keep}
    return frame[keep].rename(columns=labels)


def _proto_texts(proto: Any) -> Iterator[str]:
    for name in _PROTO_TEXT_FIELDS:
        if hasattr(proto, name) and isinstance(getattr(proto, name), str):
            yield getattr(proto, name)
    if hasattr(proto, "options"):
        yield from (
            getattr(o, "content", o) if not isinstance(o, str) else o for o in proto.options
        )
    # Tables draw their column labels and editor choices from this JSON.
    if isinstance(getattr(proto, "columns", None), str) and proto.columns:
        for config in json.loads(proto.columns).values():
            yield from (str(v) for k, v in config.items() if k in ("label", "help"))
            yield from (str(o) for o in config.get("type_config", {}).get("options", []) or [])


def _node_texts(node: Any) -> Iterator[str]:
    kind = type(node).__name__
    proto = getattr(node, "proto", None)
    if kind in ("Dataframe", "DataEditor") or (
        kind == "UnknownElement" and getattr(node, "type", "") == "arrow_data_frame"
    ):
        yield from _frame_texts(_shown_columns(node.value, proto))
    if kind == "Metric":
        yield from (node.label, node.value, node.delta or "")
    if proto is not None and kind != "UnknownElement":
        yield from _proto_texts(proto)
    if (
        kind == "UnknownElement"
        and proto is not None
        and getattr(node, "type", "") in ("plotly_chart",)
    ):
        yield from _plotly_texts(json.loads(proto.spec or "{}"))
    if kind == "DownloadButton" and proto is not None:
        yield from _download_names(proto)


def _download_names(proto: Any) -> Iterator[str]:
    """The file name a download button saves under (kept by the media file manager)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return
    manager = Runtime.instance().media_file_mgr
    file_id = proto.deferred_file_id or proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    with manager._lock:
        deferred = manager._deferred_callables.get(file_id)
        if deferred is not None:
            yield str(deferred.get("filename") or "")
            return
        stored = manager._storage.get_file(file_id) if file_id else None
    if stored is not None:
        yield str(getattr(stored, "filename", "") or "")


def visible_texts(at: AppTest) -> list[str]:
    """Every text a user can read on the page ``at`` shows (both sidebar and main area)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        found.extend(t for t in _node_texts(node) if t)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _pieces(text: str) -> set[str]:
    """The text itself, and each value of a "Field: old → new; Field: value" change."""
    found = {text.strip()}
    for segment in text.split(";"):
        value = segment.split(": ", 1)[-1]
        found |= {side.strip().strip("'\"") for side in value.split("→")}
    return found


def code_leaks(texts: Iterable[str], codes: frozenset[str] | None = None) -> list[str]:
    """The texts that show a code instead of its name (empty when the page is clean)."""
    codes = domain_codes() if codes is None else codes
    compound = [c for c in codes if "_" in c]
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, compound)) + r")(?![\w])")
    # A code quoted inside a Python value written out as text: {'role': 'convener'}.
    quoted = re.compile(r"'(" + "|".join(map(re.escape, codes)) + r")'")
    leaks = []
    for text in texts:
        if pattern.search(text) or quoted.search(text) or _pieces(text) & codes:
            leaks.append(text)
    return leaks


def _choosers(at: AppTest) -> list[Any]:
    """Segmented controls and pills of the main area that have a key: the page's views."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if type(node).__name__ == "ButtonGroup" and getattr(node.proto, "id", ""):
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def texts_of_every_view(at: AppTest, tab_keys: Iterable[str] = ()) -> list[str]:
    """:func:`visible_texts` of the page as shown, then with each option of each of its
    segmented controls chosen in turn, then with each tab of the keyed ``tab_keys`` open."""
    from streamlit.testing.v1.app_test import TESTING_KEY

    texts = visible_texts(at)
    for position in range(len(_choosers(at))):
        choosers = _choosers(at)
        if position >= len(choosers):
            break
        for option in list(choosers[position].options):
            chooser = _choosers(at)[position]
            # The browser sends the shown text of the option; do the same.
            chooser.root.session_state[TESTING_KEY][chooser.id] = str
            chooser.set_value(option).run()
            texts += visible_texts(at)
    for key in tab_keys:
        for tab in [t.label for t in at.tabs]:
            at.session_state[key] = tab
            at.run()
            texts += visible_texts(at)
    return texts
