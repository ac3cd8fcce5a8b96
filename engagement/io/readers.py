"""Read an uploaded file into plain tables, refusing what is not a spreadsheet.

XLSX cells are streamed by :mod:`engagement.io.xlsx` (values, not formulas; real cells
only, whatever the sheet declares). CSV is decoded line by line by
:mod:`engagement.io.csvfile`. Both count what they read against the limits of
:mod:`engagement.io.limits`; a damaged or forged file is "not a spreadsheet".
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from engagement.errors import (
    Damaged,
    EmptyFile,
    FileLimitExceeded,
    FileTooLarge,
    NotASpreadsheet,
    UnknownTable,
)
from engagement.io import columns, csvfile, xlsx
from engagement.io.cells import as_text, is_blank
from engagement.io.marks import is_about_sheet


@dataclass(frozen=True)
class Sheet:
    """One table of a file: its header, its rows, and what it holds."""

    name: str
    kind: columns.Kind
    kumu: bool
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    rows: tuple[tuple[Any, ...], ...]
    #: Spreadsheet row number (header = 1) of each row in ``rows``.
    row_numbers: tuple[int, ...]

    def column(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None

    def header_of(self, field: str) -> str:
        index = self.column(field)
        return self.headers[index] if index is not None else field


@dataclass(frozen=True)
class ParsedFile:
    """A file read and recognised; ``ignored_sheets`` said nothing we know."""

    name: str
    file_format: str
    sheets: tuple[Sheet, ...]
    ignored_sheets: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def kumu(self) -> bool:
        return any(s.kumu for s in self.sheets)


def read_upload(name: str, data: bytes, limit_bytes: int) -> ParsedFile:
    """Check and read one uploaded file (XLSX or CSV) into sheets.

    Raises a subclass of :class:`~engagement.errors.UnreadableFile` when the file is
    too large, empty, not a spreadsheet, past one of the limits of
    :mod:`engagement.io.limits`, or holds nothing we recognise.
    """
    raw = read_tables(name, data, limit_bytes)
    if raw.file_format == "xlsx":
        return _recognise(name, "xlsx", raw.tables)
    parsed = _recognise(name, "csv", raw.tables, by_header_only=True)
    return ParsedFile(
        parsed.name, "csv", parsed.sheets, parsed.ignored_sheets, raw.encoding, raw.delimiter
    )


@dataclass(frozen=True)
class RawFile:
    """A file's tables as read, before anything is recognised in them."""

    file_format: str
    tables: list[tuple[str, list[tuple[Any, ...]]]]
    encoding: str | None = None
    delimiter: str | None = None


#: What the standard library's zip, zlib and expat (and the number parsers) raise on a
#: damaged or forged file: reported as "not a spreadsheet Tejido can read".
_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    expat.ExpatError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    LookupError,
    ValueError,
    OverflowError,
    struct.error,
)


def read_tables(name: str, data: bytes, limit_bytes: int) -> RawFile:
    """The tables of one XLSX or CSV file, within the upload size and the file limits."""
    if len(data) > limit_bytes:
        raise FileTooLarge(
            name=name, size_mb=_mb(len(data)), limit_mb=_mb(limit_bytes), size=len(data)
        )
    if not data or data.isspace():  # (no stripped copy of a large file)
        raise EmptyFile(name=name)
    if data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise NotASpreadsheet(name=name)
    try:
        if data.startswith(b"PK\x03\x04"):
            return RawFile("xlsx", xlsx.read_tables(name, data))
        rows, encoding, delimiter = csvfile.read_csv(name, data)
        return RawFile("csv", [(name.rsplit("/", 1)[-1], rows)], encoding, delimiter)
    except FileLimitExceeded:
        raise
    except (Damaged, *_DAMAGE) as exc:
        raise NotASpreadsheet(name=name) from exc


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def _recognise(
    name: str,
    file_format: str,
    tables: Iterable[tuple[str, list[tuple[Any, ...]]]],
    *,
    by_header_only: bool = False,
) -> ParsedFile:
    sheets: list[Sheet] = []
    ignored: list[str] = []
    any_content = False
    tables = list(tables)
    # A workbook whose sheets are named (Actores, Elements…) says what it holds; its
    # other sheets (Kumu's Loops, a notes sheet) are not guessed from their headers.
    named = not by_header_only and any(columns.kind_of_sheet(title) for title, _ in tables)
    for title, rows in tables:
        if not by_header_only and is_about_sheet(title):
            continue  # our exports' "Acerca de" sheet: who made the file, not data
        if named and columns.kind_of_sheet(title) is None:
            any_content = any_content or any(not _blank_row(r) for r in rows)
            ignored.append(title)
            continue
        sheet = _sheet(title, rows, by_header_only)
        any_content = any_content or any(not _blank_row(r) for r in rows)
        if sheet is None:
            ignored.append(title)
        else:
            sheets.append(sheet)
    if not any_content:
        raise EmptyFile(name=name)
    if not sheets:
        raise UnknownTable(name=name)
    return ParsedFile(name, file_format, tuple(sheets), tuple(ignored))


def _blank_row(row: tuple[Any, ...]) -> bool:
    return all(is_blank(v) for v in row)


def _sheet(title: str, rows: list[tuple[Any, ...]], by_header_only: bool) -> Sheet | None:
    start = next((i for i, row in enumerate(rows) if not _blank_row(row)), None)
    if start is None:
        return None
    headers = tuple(as_text(v) for v in rows[start])
    while headers and not headers[-1]:
        headers = headers[:-1]
    kind = None if by_header_only else columns.kind_of_sheet(title)
    kind = kind or columns.kind_of_header(headers)
    if kind is None:
        return None
    width = len(headers)
    body, numbers = [], []
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        if _blank_row(row):
            continue
        cells = tuple(row[:width]) + (None,) * (width - len(row))
        body.append(cells)
        numbers.append(offset)
    return Sheet(
        name=title,
        kind=kind,
        kumu=columns.is_kumu_sheet(title) or (by_header_only and _kumu_header(headers)),
        headers=headers,
        fields=columns.fields_of(kind, headers),
        rows=tuple(body),
        row_numbers=tuple(numbers),
    )


def _kumu_header(headers: tuple[str, ...]) -> bool:
    folded = {h.strip().casefold() for h in headers}
    return "label" in folded or {"from", "to"} <= folded
