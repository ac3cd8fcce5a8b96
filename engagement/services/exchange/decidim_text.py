"""Decidim's rich text as plain text: tags dropped, entities decoded, never rendered.

Pure functions, no I/O. :func:`plain_text` reads one cell; :func:`plain_texts` reads a
column of them, the plain markup of all its cells at once.

Examples
--------
>>> plain_text("<p>Más <b>luz</b> en el parque<br>ya</p><script>x()</script>")
'Más luz en el parque\\nya'
>>> plain_texts(["<p>Uno</p><p>dos</p>", " tres ", "a &amp; b"])
['Uno\\n\\ndos', 'tres', 'a & b']
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Sequence
from html import unescape
from html.parser import HTMLParser
from itertools import accumulate, chain, compress, repeat
from operator import contains

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "table",
}
_HIDDEN = {"script", "style", "template", "iframe", "object"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


#: The markup :func:`plain_text` reads without a parser: start tags with well-formed
#: attributes, end tags and comments. Each is read exactly as ``HTMLParser`` reads it;
#: anything else (a bare ``<``, ``<!DOCTYPE``, an unclosed tag…) goes to the parser.
_MARKUP = re.compile(
    r"""<(?:
        (?P<start>[a-zA-Z][a-zA-Z0-9]*)
            (?:[\t\n\r\f\ ]+[^\s/>"'=]+
                (?:[\t\n\r\f\ ]*=[\t\n\r\f\ ]*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*
            [\t\n\r\f\ ]*(?P<empty>/?)>
        |/\s*(?P<end>[a-zA-Z][-.a-zA-Z0-9:_]*)\s*>
        |!--.*?--\s*>
    )""",
    re.VERBOSE | re.DOTALL,
)
_BLANK_LINES = re.compile(r"\n{3,}")
_RAW_TEXT = {"script", "style"}  # their content is text up to their end tag
_RAW_END = {tag: re.compile(rf"</\s*{tag}\s*>", re.IGNORECASE) for tag in _RAW_TEXT}


def _parsed_parts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.parts


#: A start or end tag with nothing but its name (``<p>``, ``</b>``): most of Decidim's.
_BARE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)>")


def _bare_tag_parts(html: str) -> list[str] | None:
    """:func:`_fast_parts` for markup made of bare tags only, none hiding text: split
    at once instead of read tag by tag. None for any other markup."""
    pieces = _BARE_TAG.split(html)  # text, "/" or "", name, text, …
    if html.count("<") != len(pieces) // 3:  # a "<" that opens no bare tag
        return None
    decode = unescape if "&" in html else str
    parts: list[str] = []
    for index in range(2, len(pieces), 3):
        if text := pieces[index - 2]:
            parts.append(decode(text))
        tag = pieces[index].lower()
        if tag in _HIDDEN:
            return None
        if tag in _BLOCKS:
            parts.append("\n")
    if pieces[-1]:
        parts.append(decode(pieces[-1]))
    return parts


def _fast_parts(html: str) -> list[str] | None:
    """What :class:`_Text` collects from ``html``, for the markup ``_MARKUP`` reads; None
    when it meets any other, for the parser to read."""
    bare = _bare_tag_parts(html)
    if bare is not None:
        return bare
    parts: list[str] = []
    hidden = 0
    at = 0
    while (lt := html.find("<", at)) >= 0:
        if lt > at and not hidden:
            parts.append(unescape(html[at:lt]))
        found = _MARKUP.match(html, lt)
        if found is None:
            return None
        at = found.end()
        tag = (found["start"] or found["end"] or "").lower()
        if found["start"]:
            if tag in _HIDDEN:
                hidden += 1
            elif tag in _BLOCKS:
                parts.append("\n")
            if not found["empty"] and tag in _RAW_TEXT:
                closing = _RAW_END[tag].search(html, at)
                if closing is None:  # never closed: the rest is its content, hidden
                    return parts
                at = closing.end()
                hidden = max(0, hidden - 1)
                continue
        if found["end"] or found["empty"]:
            if tag in _HIDDEN:
                hidden = max(0, hidden - 1)
            elif tag in _BLOCKS:
                parts.append("\n")
    if at < len(html) and not hidden:
        parts.append(unescape(html[at:]))
    return parts


@functools.lru_cache(maxsize=4096)
def plain_text(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, never rendered.

    Decidim's rich text is read by a regular expression where it is plain markup (fast:
    an import reads tens of thousands of cells), by ``HTMLParser`` otherwise; both give
    the same text. Cached for the few cells that repeat (titles, statuses).
    """
    if "<" not in html and "&" not in html:
        return html.replace("\r\n", "\n").strip()
    parts = _fast_parts(html)
    if parts is None:
        parts = _parsed_parts(html)
    text = "\n".join([" ".join(line.split()) for line in "".join(parts).splitlines()])
    return (_BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()


# --- a column at once ------------------------------------------------------------------
#: Joins a column's cells into one text, read in a few passes instead of a few per cell:
#: no tag, entity, white space or line break holds it, so no pass reaches across it.
_SEP = "\x00"
#: What a bare tag reads as, by its name in lower case: a line break, or nothing.
_BREAK = dict.fromkeys(_BLOCKS, "\n")
#: What a column's joined markup cannot be read together for: a ``<`` that opens no
#: bare tag, or a bare tag that hides text (those cells are read one by one).
_NOT_TOGETHER = re.compile(
    rf"<(?!/?[a-zA-Z][a-zA-Z0-9]*>)|</?(?:{'|'.join(_HIDDEN)})>", re.IGNORECASE | re.ASCII
)


def plain_texts(cells: Sequence[str]) -> list[str]:
    """:func:`plain_text` of each cell, the same text, read a column at a time.

    Cells with no markup, and cells of bare tags only (most of Decidim's rich text), are
    joined and read in a few passes over the joined text; any other cell (entities,
    attributes, comments, hidden text) is read by :func:`plain_text`. An import reads
    tens of thousands of cells: one by one, the calls cost more than the reading.
    """
    out = list(cells)
    lt = list(map(contains, cells, repeat("<")))
    amp = list(map(contains, cells, repeat("&")))
    rows = range(len(out))
    plain = list(compress(rows, [not (a or b) for a, b in zip(lt, amp, strict=True)]))
    markup = list(compress(rows, [a and not b for a, b in zip(lt, amp, strict=True)]))
    for group, read in ((plain, _plain_together), (markup, _markup_together)):
        for row, text in zip(group, read([out[i] for i in group]), strict=True):
            out[row] = text
    for row in compress(rows, amp):
        out[row] = plain_text(out[row])
    return out


def _joined(cells: list[str]) -> str | None:
    """The cells joined by :data:`_SEP`; None when a cell holds it."""
    joined = _SEP.join(cells)
    return joined if joined.count(_SEP) == len(cells) - 1 else None


def _plain_together(cells: list[str]) -> list[str]:
    """:func:`plain_text` of cells with neither ``<`` nor ``&``."""
    joined = _joined(cells)
    if joined is None:
        return [plain_text(c) for c in cells]
    return list(map(str.strip, joined.replace("\r\n", "\n").split(_SEP)))


def _markup_together(cells: list[str]) -> list[str]:
    """:func:`plain_text` of cells with ``<`` and no ``&``.

    Each pass gives every cell what :func:`_bare_tag_parts` and :func:`plain_text` give
    it, but for white space next to a separator, which the last strip takes off.
    """
    joined = _joined(cells)
    if joined is None:
        return [plain_text(c) for c in cells]
    pieces = _BARE_TAG.split(joined)  # text, "/" or "", name, text, …
    names = list(map(str.lower, pieces[2::3]))
    breaks = map(_BREAK.get, names, repeat(""))
    text = "".join(chain.from_iterable(zip(pieces[0::3], breaks, strict=False))) + pieces[-1]
    text = "\n".join([" ".join(line.split()) for line in text.splitlines()])
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    out = list(map(str.strip, text.split(_SEP)))
    if joined.count("<") != len(names) or not _HIDDEN.isdisjoint(names):
        starts = list(accumulate((len(c) + 1 for c in cells), initial=0))
        for found in _NOT_TOGETHER.finditer(joined):
            row = bisect_right(starts, found.start()) - 1
            out[row] = plain_text(cells[row])
    return out
