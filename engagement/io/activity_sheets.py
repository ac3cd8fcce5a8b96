"""Read activity workbooks: an Activities sheet and an Attendance sheet (or two CSVs).

Activities: ``Activity``, ``Date``, ``Stage``, ``Type``, ``Participation level``,
``Headcount`` (and optionally ``Place``, ``Facilitators``, ``Target level``, ``Summary``,
``Agreements``). Attendance: ``Activity``, ``Date``, ``Actor``, ``Role``, ``Sentiment``.
Sheets are told by their name (Activities/Actividades, Attendance/Asistencia) or, for a
CSV, by the header. Headers match in Spanish or English, ignoring case and accents.
The same guards as every upload apply (size, zip inflation, not a spreadsheet).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from engagement.errors import EmptyFile, UnknownTable, UnreadableFile
from engagement.io.cells import as_text, is_blank
from engagement.io.readers import read_tables
from engagement.text import name_key

Kind = Literal["activities", "attendance"]

#: field → the headers that name it (folded with name_key when compared).
HEADERS: dict[Kind, dict[str, tuple[str, ...]]] = {
    "activities": {
        "title": ("activity", "actividad", "title", "título", "nombre de la actividad"),
        "held_on": ("date", "fecha"),
        "stage": ("stage", "etapa", "fase", "phase"),
        "activity_type": ("type", "tipo", "activity type", "tipo de actividad"),
        "participation_reached": (
            "participation level", "nivel de participación", "participation", "participación",
            "level reached", "nivel alcanzado",
        ),
        "headcount": (
            "headcount", "asistentes", "participantes", "personas", "attendance", "total",
            "number of people", "número de personas",
        ),
        "participation_target": ("target level", "nivel buscado", "nivel objetivo"),
        "place": ("place", "lugar", "venue", "sede"),
        "facilitators": ("facilitators", "facilitadores", "facilitadoras", "facilitación"),
        "summary": ("summary", "resumen"),
        "agreements": ("agreements", "acuerdos"),
    },
    "attendance": {
        "activity": ("activity", "actividad"),
        "held_on": ("date", "fecha"),
        "actor": ("actor", "organization", "organización", "name", "nombre"),
        "role": ("role", "rol", "papel"),
        "sentiment": ("sentiment", "sentimiento", "percepción", "actitud"),
    },
}  # fmt: skip
REQUIRED: dict[Kind, tuple[str, ...]] = {
    "activities": ("title", "held_on", "stage", "activity_type"),
    "attendance": ("activity", "held_on", "actor"),
}
SHEET_NAMES: dict[Kind, tuple[str, ...]] = {
    "activities": ("activities", "actividades", "activity", "actividad"),
    "attendance": ("attendance", "asistencia", "asistentes", "attendees", "participantes"),
}


@dataclass(frozen=True)
class ActivitySheet:
    name: str
    kind: Kind
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    rows: tuple[tuple[Any, ...], ...]
    row_numbers: tuple[int, ...]

    def value(self, row: tuple[Any, ...], field: str) -> Any:
        return row[self.fields.index(field)] if field in self.fields else None

    def header_of(self, field: str) -> str:
        return self.headers[self.fields.index(field)] if field in self.fields else field

    def missing(self) -> list[str]:
        return [f for f in REQUIRED[self.kind] if f not in self.fields]


@dataclass(frozen=True)
class ActivityFile:
    name: str
    file_format: str
    sheets: tuple[ActivitySheet, ...]

    def of_kind(self, kind: Kind) -> list[ActivitySheet]:
        return [s for s in self.sheets if s.kind == kind]


def field_of(kind: Kind, header: str) -> str | None:
    folded = name_key(header)
    return next(
        (f for f, names in HEADERS[kind].items() if folded in {name_key(n) for n in names}),
        None,
    )


def kind_of_sheet(title: str) -> Kind | None:
    folded = name_key(title)
    return next((k for k, names in SHEET_NAMES.items() if folded in names), None)


def kind_of_header(headers: Iterable[str]) -> Kind | None:
    """Attendance names an actor; activities name a type, stage or headcount."""
    att = {field_of("attendance", h) for h in headers}
    if {"activity", "actor"} <= att:
        return "attendance"
    acts = {field_of("activities", h) for h in headers}
    if "title" in acts and acts & {"activity_type", "stage", "headcount"}:
        return "activities"
    return None


def looks_like_activity_file(name: str, data: bytes) -> bool:
    """Whether a file holds activities or attendance (cheap: reads names and headers)."""
    try:
        return bool(read_activity_upload(name, data, max(len(data), 1)).sheets)
    except UnreadableFile:
        return False


def read_activity_upload(name: str, data: bytes, limit_bytes: int) -> ActivityFile:
    """Check and read one file into its Activities and Attendance sheets."""
    raw = read_tables(name, data, limit_bytes)
    return _recognise(name, raw.file_format, raw.tables, raw.file_format == "csv")


def _recognise(
    name: str, file_format: str, tables: Iterable[tuple[str, list[Any]]], by_header: bool
) -> ActivityFile:
    sheets, any_content = [], False
    for title, rows in tables:
        filled = [(n, r) for n, r in enumerate(rows, start=1) if not all(is_blank(v) for v in r)]
        if not filled:
            continue
        any_content = True
        header_row = filled[0][1]
        headers = tuple(as_text(v) for v in header_row)
        kind = (None if by_header else kind_of_sheet(title)) or kind_of_header(headers)
        if kind is None:
            continue
        width = len(headers)
        body = [(n, tuple(r[:width]) + (None,) * (width - len(r))) for n, r in filled[1:]]
        sheets.append(
            ActivitySheet(
                name=title,
                kind=kind,
                headers=headers,
                fields=tuple(field_of(kind, h) for h in headers),
                rows=tuple(r for _n, r in body),
                row_numbers=tuple(n for n, _r in body),
            )
        )
    if not any_content:
        raise EmptyFile(name=name)
    if not sheets:
        raise UnknownTable(name=name)
    return ActivityFile(name, file_format, tuple(sheets))
