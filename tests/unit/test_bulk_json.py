"""JSON as the bulk writer encodes it: exactly what ``json.dumps`` gives (the JSON
column's own bind processor), with one encoder made once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engagement.storage.bulk import json_text

_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_VALUES)
def test_json_text_is_json_dumps(value: Any) -> None:
    assert json_text(value) == json.dumps(value)


@pytest.mark.parametrize(
    "value",
    [
        {"text": 'Más luz\n\n\x0b\u2028 "citada" \\ fin', "stage_id": 3, "actor_id": None},
        {1: "a", 2.5: "b", None: "c", False: "d"},
        "sola",
        [],
    ],
)
def test_json_text_is_json_dumps_for_import_values(value: Any) -> None:
    assert json_text(value) == json.dumps(value)


def test_json_text_refuses_what_json_dumps_refuses() -> None:
    with pytest.raises(TypeError, match="date is not JSON serializable"):
        json_text({"held_on": dt.date(2024, 5, 2)})
