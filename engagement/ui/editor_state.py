"""Rebuild the rows of an ``st.data_editor`` from its session-state edits.

Inside a form callback the editor's value is not returned yet; session state holds the
edits as ``{"edited_rows", "added_rows", "deleted_rows"}`` against the frame it was
drawn with. Pure: no Streamlit, tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def edited_rows(
    base: Sequence[Mapping[str, Any]], edits: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """``base`` with the editor's changes applied: edited cells, deleted and added rows.

    Examples
    --------
    >>> base = [{"a": 1}, {"a": 2}]
    >>> edited_rows(base, {"edited_rows": {"1": {"a": 5}}, "deleted_rows": [0],
    ...                    "added_rows": [{"a": 7}]})
    [{'a': 5}, {'a': 7}]
    """
    rows = [dict(r) for r in base]
    edits = edits or {}
    for index, changes in (edits.get("edited_rows") or {}).items():
        position = int(index)
        if 0 <= position < len(rows):
            rows[position].update(changes)
    deleted = {int(i) for i in edits.get("deleted_rows") or []}
    kept = [r for i, r in enumerate(rows) if i not in deleted]
    columns = list(base[0]) if base else []
    for added in edits.get("added_rows") or []:
        kept.append({c: None for c in columns} | dict(added))
    return kept


def filled(rows: Sequence[Mapping[str, Any]], column: str) -> list[dict[str, Any]]:
    """Rows whose ``column`` holds something (a new row left blank is ignored)."""
    return [dict(r) for r in rows if r.get(column) not in (None, "")]
