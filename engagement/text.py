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


def wrap_name(name: str, chars: int, max_lines: int = 3) -> tuple[str, ...]:
    """The whole of ``name`` on at most ``max_lines`` lines, broken between words.

    A name of at most ``chars`` characters stays on one line. A longer one takes as many
    lines as greedy wrapping at ``chars`` gives (at most ``max_lines``), each as short as
    that number of lines allows, so the lines come out of even length; a name too long
    for ``max_lines`` lines of ``chars`` gets longer lines. Nothing is cut: only a word
    longer than a line is broken (where the line ends, with nothing added). The drawing
    code of the network map wraps names the same way (``tejidoWrapName`` in
    ``engagement/maps/static/map_core.js``).

    Examples
    --------
    >>> wrap_name("Alcaldía Municipal de La Antigua Guatemala", 22)
    ('Alcaldía Municipal de', 'La Antigua Guatemala')
    >>> wrap_name("  Vecinos   de\\nSan Bartolo ", 22)
    ('Vecinos de San Bartolo',)
    >>> wrap_name("Transparencia" * 3, 22)
    ('TransparenciaTranspare', 'nciaTransparencia')
    """
    words = name.split()
    text = " ".join(words)
    if len(text) <= chars:
        return (text,) if text else ()
    lines = min(max_lines, len(_greedy_lines(words, chars)))
    longest = max(len(word) for word in words)
    # No line of `lines` lines can be shorter: each break between them saves one space.
    width = max(min(longest, chars), -(-(len(text) - lines + 1) // lines))
    while len(found := _greedy_lines(words, width)) > lines:
        width += 1
    return found


def _greedy_lines(words: list[str], width: int) -> tuple[str, ...]:
    """Words filled into lines of at most ``width`` characters; a longer word is cut into
    pieces of ``width``, each on a line of its own but the last."""
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return tuple(lines)
