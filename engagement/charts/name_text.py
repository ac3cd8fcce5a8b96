"""How a name is written on a chart: its lines, the acronym it ends with, its size.

Names are wrapped on at most a few lines, or written as the acronym in brackets they end
with; a name that would have to be cut with "…" is not written whole (:func:`whole`),
and a chart numbers its marker instead. Sizes are generous estimates from the
characters (no font is measured), so that a box always holds its text.
"""

from __future__ import annotations

import re

from engagement.text import wrap_name

#: Line height as a share of the font size.
LINE_HEIGHT = 1.3
#: Characters per line of a name, and lines at most.
LINE_CHARS = 18
MAX_LINES = 2
_ACRONYM = re.compile(r"\(([^()]{2,12})\)\s*$")
#: Width of characters as a share of the font size, wide enough for Verdana and DejaVu Sans.
_NARROW = set("iljtfrI.,;:'!|() ")
_WIDE = set("mwMWOQGDHNU@%&")


def char_width(ch: str) -> float:
    """A generous width of one character, as a share of the font size."""
    if ch in _NARROW:
        return 0.36
    if ch in _WIDE:
        return 0.9
    if ch.isupper() or ch.isdigit():
        return 0.72
    return 0.62


def text_size(text: str, font_size: float) -> tuple[float, float]:
    """Width and height of ``text`` (lines split on newlines) at ``font_size``.

    Examples
    --------
    >>> text_size("ab", 10)
    (12.4, 13.0)
    """
    lines = text.split("\n")
    width = max(sum(char_width(c) for c in line) for line in lines) * font_size
    return round(width, 6), round(len(lines) * LINE_HEIGHT * font_size, 6)


def whole(name: str, text: str) -> bool:
    """Whether ``text`` (from :func:`label_text`) writes all of ``name``: wrapped, or as
    the acronym the name ends with, but not cut with "…".

    >>> whole("Alcaldía Municipal", label_text("Alcaldía Municipal"))
    True
    >>> name = "Asociación de hoteles y restaurantes del centro histórico"
    >>> whole(name, label_text(name)), whole(name, label_text(name, max_lines=4))
    (False, True)
    """
    return "…" not in text or "…" in name


def label_shapes(name: str, max_lines: int = MAX_LINES) -> tuple[str, tuple[str, ...]]:
    """A name as :func:`label_text` writes it, and the same name wrapped in fewer, longer
    lines, to try when the first finds no room.

    Examples
    --------
    >>> first, others = label_shapes("Alcaldía Municipal de La Antigua Guatemala", max_lines=3)
    >>> first.splitlines()
    ['Alcaldía Municipal', 'de La Antigua', 'Guatemala']
    >>> [o.splitlines() for o in others]
    [['Alcaldía Municipal de La', 'Antigua Guatemala']]
    """
    first = label_text(name, max_lines=max_lines)
    wider = label_text(name, chars=LINE_CHARS + 8, max_lines=max(1, max_lines - 1))
    return first, (() if wider == first or ("…" in wider and "…" not in first) else (wider,))


def whole_shapes(name: str, max_lines: int = MAX_LINES) -> tuple[str, tuple[str, ...]]:
    """A name written whole, wrapped between words on up to ``max_lines`` lines (longer
    lines when it needs them, see :func:`engagement.text.wrap_name`; never cut, never
    its acronym), and the same in fewer lines of up to ``LINE_CHARS + 8`` characters, to
    try when the first finds no room.

    Examples
    --------
    >>> first, others = whole_shapes("Alcaldía Municipal de La Antigua Guatemala", 3)
    >>> first.splitlines()
    ['Alcaldía', 'Municipal de La', 'Antigua Guatemala']
    >>> [o.splitlines() for o in others]
    [['Alcaldía Municipal de', 'La Antigua Guatemala']]
    >>> whole_shapes("Instituto Nacional de Transparencia (INAI)", 3)[0].splitlines()
    ['Instituto Nacional', 'de Transparencia', '(INAI)']
    """
    first = "\n".join(wrap_name(name, LINE_CHARS, max_lines))
    lines = wrap_name(name, LINE_CHARS + 8, max(1, max_lines - 1))
    wider = "\n".join(lines)
    fits = all(len(line) <= LINE_CHARS + 8 for line in lines)
    return first, ((wider,) if fits and wider != first else ())


def label_text(name: str, chars: int = LINE_CHARS, max_lines: int = MAX_LINES) -> str:
    """A name as it is written on a chart: whole when short, its acronym when it ends with
    one, else wrapped on at most ``max_lines`` lines (the last cut with "…").

    Examples
    --------
    >>> label_text("Alcaldía")
    'Alcaldía'
    >>> label_text("Instituto Nacional de Transparencia (INAI)")
    'INAI'
    >>> label_text("Asociación de hoteles y restaurantes del centro histórico")
    'Asociación de\\nhoteles y restaur…'
    """
    name = " ".join(name.split())
    if len(name) <= chars:
        return name
    found = _ACRONYM.search(name)
    if found:
        return found.group(1).strip()
    lines: list[str] = []
    words = name.split(" ")
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], rest[: chars - 1].rstrip() + "…"]
    return "\n".join(line if len(line) <= chars else line[: chars - 1] + "…" for line in lines)
