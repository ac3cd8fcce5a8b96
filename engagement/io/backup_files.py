"""Read a JSON backup within the limits of :mod:`.limits`.

``json.loads`` builds every object and list of a document at once: 18 MB of ``{},``
become six million dictionaries. The brackets and commas are counted first (a count
that can only overstate, as brackets inside text count too), and a document nested
past the decoder's recursion limit is refused with the same named-limit message.
"""

from __future__ import annotations

import json
from typing import Any

from engagement.errors import Damaged
from engagement.io.limits import MAX_JSON_CONTAINERS, MAX_JSON_VALUES, Budget


def load_json(name: str, data: bytes) -> Any:
    """The document in ``data``; :class:`~engagement.io.limits.Damaged` if it is not JSON."""
    budget = Budget(name)
    if data.count(b"[") + data.count(b"{") > MAX_JSON_CONTAINERS:
        raise budget.fail("json_containers")
    if data.count(b",") > MAX_JSON_VALUES:
        raise budget.fail("json_values")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError as exc:
        raise budget.fail("json_depth") from exc
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError alike
        raise Damaged(name=name) from exc
