"""Cell values: formula neutralisation on the way out, and typed parsing on the way in."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from engagement.text import name_key, strip_controls

#: A spreadsheet treats text starting with one of these as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ``'`` so it stays text.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("Alcaldía"), neutralise(-3)
    ('Alcaldía', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_neutralised(text: str) -> str:
    """Undo :func:`neutralise` on import, so that an export re-imports unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def as_text(value: Any) -> str:
    """A cell as text: numbers that are whole print without ``.0``, dates as ISO."""
    if type(value) is str:  # the common case, kept cheap: files have many cells
        text = value.strip() if value.isprintable() else strip_controls(value).strip()
        return restore_neutralised(text) if text[:1] == "'" else text
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return restore_neutralised(strip_controls(str(value)).strip())


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")


def as_int(value: Any) -> int:
    """A whole number from a number or text (``2``, ``2.0``, ``"2"``, ``"2,0"``).

    Raises ``ValueError`` for anything else.
    """
    if type(value) is str and value.isdigit():  # the common case in a CSV
        return int(value)
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    if _NUMBER.match(text):
        return int(re.split(r"[.,]", text)[0])
    raise ValueError(value)


_TRUE = {"1", "true", "yes", "y", "si", "sí", "s", "x", "verdadero", "v", "✓"}
_FALSE = {"0", "false", "no", "n", "falso", "f", ""}


def as_bool(value: Any) -> bool:
    """Yes/no in either language (``sí``, ``no``, ``true``, ``1``, ``x``…).

    Raises ``ValueError`` for anything else.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = as_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


_DIRECTED = {"directed", "dirigido", "dirigida", "directo", "->", "→", "one-way"}
_UNDIRECTED = {
    "undirected",
    "no dirigido",
    "no dirigida",
    "sin direccion",
    "mutual",
    "mutuo",
    "mutua",
    "bidirectional",
    "bidireccional",
    "<->",
    "↔",
    "two-way",
}


def as_direction(value: Any) -> bool:
    """Kumu's Direction as ``directed`` (True) or not (False); blank means directed.

    ``mutual`` (arrows at both ends in Kumu) is a two-way tie: stored as undirected.
    Raises ``ValueError`` for anything else.
    """

    text = name_key(as_text(value))
    if not text or text in _DIRECTED:
        return True
    if text in _UNDIRECTED:
        return False
    raise ValueError(value)
