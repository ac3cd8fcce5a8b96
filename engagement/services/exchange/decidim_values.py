"""Decidim values in Tejido's terms: pure functions, no I/O.

Examples
--------
>>> plain_text("<p>Más <b>luz</b> en el parque<br>ya</p><script>x()</script>")
'Más luz en el parque\\nya'
>>> translated({"title/en": "", "title/es": "Foro"}, "title", "en")
'Foro'
>>> utc_time("2024-07-19 18:30:00 UTC").isoformat()
'2024-07-19T18:30:00+00:00'
>>> utc_time("2024-07-19 11:30:00 -0700").isoformat()
'2024-07-19T18:30:00+00:00'
>>> split_organizations("Colectivo Verde, Vecinos Unidos\\r\\nCámara")
['Colectivo Verde', 'Vecinos Unidos', 'Cámara']
>>> response_of("aceptada_parcialmente")
'partly_accepted'
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from html import unescape
from html.parser import HTMLParser

from engagement.text import clean_name, name_key
from engagement.values import CommitmentStatus, InputResponse

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


def translated(
    row: dict[str, str], field: str, lang: str, header: tuple[str, ...] | None = None
) -> str:
    """A translated field in ``lang`` (``es`` matches ``es-MX``), or the first non-empty.

    ``header``: the table's columns, in order (the row's own keys when not given).
    """
    columns = locale_columns(tuple(row) if header is None else header, field, lang)
    return first_filled(row, columns, field)


def first_filled(
    row: dict[str, str], columns: tuple[tuple[str, ...], tuple[str, ...]], field: str
) -> str:
    """The first non-empty cell of ``columns`` (:func:`locale_columns`), else ``field``'s."""
    for column in columns[0]:
        if value := row.get(column):
            return value
    for column in columns[1]:
        if value := row.get(column):
            return value
    return row.get(field, "")


@functools.lru_cache(maxsize=256)
def locale_columns(
    header: tuple[str, ...], field: str, lang: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The columns of a translated field: those in ``lang``, then all (machine
    translations left out), each in the header's order.

    >>> locale_columns(("id", "title/en", "title/es-MX", "title/machine_translations/en"),
    ...                "title", "es")
    (('title/es-MX',), ('title/en', 'title/es-MX'))
    """
    prefix = f"{field}/"
    every = tuple(c for c in header if c.startswith(prefix) and "machine_translations" not in c)
    preferred = tuple(
        c
        for c in every
        if (locale := c.rsplit("/", 1)[1].lower()) == lang or locale.startswith(f"{lang}-")
    )
    return preferred, every


_TIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.\d+)?"
    r" ?(UTC|Z|[+-]\d\d:?\d\d)?$"
)


def utc_time(text: str) -> dt.datetime | None:
    """A Decidim time as an aware datetime: ``… UTC``, ``… -0700`` or no zone (UTC, 0.27)."""
    text = text.strip()
    found = _TIME.match(text)
    if found is None:
        return None
    zone = found[7]
    try:
        if text.isascii() and zone in (None, "UTC", "Z"):
            # The usual case, at C speed: the first 19 characters are the date and time.
            return dt.datetime.fromisoformat(f"{text[:19]}+00:00")
        moment = dt.datetime(*map(int, found.groups()[:6]))  # type: ignore[arg-type]
    except ValueError:
        return None
    if zone and zone not in ("UTC", "Z"):
        digits = zone.replace(":", "")
        offset = dt.timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        moment -= -offset if digits[0] == "-" else offset
    return moment.replace(tzinfo=dt.UTC)


def a_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if text.strip() else None
    except ValueError:
        return None


def split_organizations(text: str) -> list[str]:
    """The names in Decidim's free-text "attending organisations", deduplicated."""
    names: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[,\r\n]+", text):
        name = clean_name(part)
        if name and name_key(name) not in seen:
            seen.add(name_key(name))
            names.append(name)
    return names


def _words(token: str) -> set[str]:
    return set(name_key(token.replace("_", " ").replace("-", " ")).split())


_RESPONSES: tuple[tuple[set[str], InputResponse], ...] = (
    ({"parcial", "parcialmente", "partially", "partly", "partial"}, InputResponse.PARTLY_ACCEPTED),
    ({"rejected", "rechazada", "rechazado", "desestimada", "no"}, InputResponse.REJECTED),
    ({"accepted", "aceptada", "aceptado", "aprobada", "aprobado"}, InputResponse.ACCEPTED),
    ({"evaluating", "evaluacion", "evaluando", "estudio", "review"}, InputResponse.UNDER_REVIEW),
)


def response_of(state: str, chosen: dict[str, str] | None = None) -> str | None:
    """Tejido's response for a published Decidim answer state; None when unmapped."""
    if chosen and state in chosen:
        return InputResponse(chosen[state]).value
    words = _words(state)
    for names, response in _RESPONSES:
        if words & names:
            return response.value
    return None


_STATUSES: tuple[tuple[set[str], CommitmentStatus], ...] = (
    (
        {"cancelled", "canceled", "cancelado", "cancelada", "descartado", "descartada"},
        CommitmentStatus.DROPPED,
    ),
    (
        {
            "completed",
            "finished",
            "done",
            "executed",
            "finalizado",
            "finalizada",
            "terminado",
            "terminada",
            "ejecutado",
            "ejecutada",
            "completado",
            "completada",
        },
        CommitmentStatus.DONE,
    ),
    (
        {"progress", "execution", "ejecucion", "curso", "proceso", "started"},
        CommitmentStatus.IN_PROGRESS,
    ),
    (
        {
            "planned",
            "planning",
            "pending",
            "not",
            "planificado",
            "planificada",
            "pendiente",
            "previsto",
            "prevista",
        },
        CommitmentStatus.OPEN,
    ),
)


def status_of(key: str, name: str, progress: int) -> tuple[str, bool]:
    """A commitment status from a result's status key or name; else from its progress.

    Returns the status and whether it was matched by name.
    """
    for text in (key, name):
        words = _words(text)
        for names, status in _STATUSES:
            if words & names:
                return status.value, True
    if progress >= 100:
        return CommitmentStatus.DONE.value, False
    return (CommitmentStatus.IN_PROGRESS if progress > 0 else CommitmentStatus.OPEN).value, False


def progress_of(text: str) -> int:
    """``60.0`` → 60, bounded to 0–100; empty → 0."""
    try:
        return max(0, min(100, round(float(text)))) if text.strip() else 0
    except ValueError:
        return 0


def count_of(text: str) -> int | None:
    try:
        return int(float(text)) if text.strip() else None
    except ValueError:
        return None


def true(text: str) -> bool:
    return text.strip().lower() == "true"
