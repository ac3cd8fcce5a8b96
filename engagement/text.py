"""Text helpers shared by the domain: name normalisation and list parsing."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
#: C0 controls but tab and newline, DEL, C1 controls, lone surrogates and the two
#: non-characters XML cannot hold: nothing a person types, everything that breaks XML.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab and newline stay).

    Examples
    --------
    >>> strip_controls("Ana\\x00 María\\x1b[31m\\tZona 1\\r\\n")
    'Ana María[31m\\tZona 1\\n'
    """
    return text if text.isprintable() else _CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    """Whether :func:`strip_controls` would change ``text``.

    >>> has_controls("Ana\\tMaría\\n"), has_controls("Ana\\x00")
    (False, True)
    """
    return _CONTROLS.search(text) is not None


def name_key(name: str) -> str:
    """Return the form under which two names count as the same.

    Case, accents and runs of white space are ignored.

    Examples
    --------
    >>> name_key("  Municipalidad de   ANTIGUA ") == name_key("municipalidad de antigua")
    True
    >>> name_key("Asociación") == name_key("asociacion")
    True
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().casefold()


def clean_name(name: str) -> str:
    """Trim a display name, drop control characters, fold inner runs of white space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", strip_controls(name))).strip()


def split_multi(value: str | None, sep: str = "|") -> list[str]:
    """Split a multi-value cell (Kumu uses ``|``) into clean, de-duplicated items."""
    if value is None:
        return []
    items: list[str] = []
    seen: set[str] = set()
    for part in str(value).split(sep):
        item = clean_name(part)
        if item and name_key(item) not in seen:
            seen.add(name_key(item))
            items.append(item)
    return items


def shorten(text: str, length: int) -> str:
    """One line of at most ``length`` characters, cut with "…" when longer.

    >>> shorten("Taller  de\\nco-diseño con vecinos", 12)
    'Taller de c…'
    """
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
