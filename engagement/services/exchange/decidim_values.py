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

from engagement.services.exchange.decidim_text import plain_text
from engagement.text import clean_name, name_key
from engagement.values import CommitmentStatus, InputResponse

__all__ = [
    "a_date",
    "count_of",
    "first_filled",
    "locale_columns",
    "plain_text",
    "progress_of",
    "response_of",
    "split_organizations",
    "status_of",
    "translated",
    "true",
    "utc_time",
]


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
