"""Read an uploaded file into plain tables, refusing what is not a spreadsheet.

XLSX is read with openpyxl in read-only mode (values, not formulas). CSV is decoded as
UTF-8 (with or without BOM), UTF-16 with BOM, or else Windows-1252 (what Spanish-locale
Excel writes), and its delimiter (``;``, ``,`` or tab) is taken from the header line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl

from engagement.errors import (
    EmptyFile,
    FileTooLarge,
    NotASpreadsheet,
    TooManyRows,
    UnknownTable,
)
from engagement.io import columns
from engagement.io.cells import as_text, is_blank
from engagement.io.marks import is_about_sheet

#: A sheet with more rows than this is refused rather than read (protects the server).
MAX_ROWS = 500_000
#: A zip that inflates to more than this many times the upload limit is refused.
MAX_INFLATION = 40


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
    too large, empty, not a spreadsheet, or holds nothing we recognise.
    """
    if len(data) > limit_bytes:
        raise FileTooLarge(
            name=name, size_mb=_mb(len(data)), limit_mb=_mb(limit_bytes), size=len(data)
        )
    if not data.strip():
        raise EmptyFile(name=name)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(name, data, limit_bytes)
    if data.startswith(b"\xd0\xcf\x11\xe0") or data.startswith(b"%PDF"):
        raise NotASpreadsheet(name=name)
    return _read_csv(name, data)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def _read_xlsx(name: str, data: bytes, limit_bytes: int) -> ParsedFile:

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise NotASpreadsheet(name=name) from exc
    if "xl/workbook.xml" not in names:
        raise NotASpreadsheet(name=name)
    if inflated > MAX_INFLATION * max(limit_bytes, 1024 * 1024):
        raise FileTooLarge(name=name, size_mb=_mb(inflated), limit_mb=_mb(limit_bytes))
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise NotASpreadsheet(name=name) from exc
    try:
        tables = [
            (ws.title, ws.iter_rows(values_only=True))
            for ws in book.worksheets
            if hasattr(ws, "iter_rows")
        ]
        return _recognise(
            name, "xlsx", ((title, _load(name, title, rows)) for title, rows in tables)
        )
    finally:
        book.close()


def _load(name: str, sheet: str, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    out = []
    for count, row in enumerate(rows):
        if count > MAX_ROWS:
            raise TooManyRows(name=name, sheet=sheet, limit=MAX_ROWS)
        out.append(row)
    return out


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: whichever splits the header line into the most columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in (";", ",", "\t")}
    best = max(counts.values())
    return next(d for d in (";", ",", "\t") if counts[d] == best) if best > 1 else ","


def _read_csv(name: str, data: bytes) -> ParsedFile:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotASpreadsheet(name=name)
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [tuple(row) for row in _capped(name, reader)]
    except csv.Error as exc:
        raise NotASpreadsheet(name=name) from exc
    stem = name.rsplit("/", 1)[-1]
    parsed = _recognise(name, "csv", [(stem, rows)], by_header_only=True)
    return ParsedFile(parsed.name, "csv", parsed.sheets, parsed.ignored_sheets, encoding, delimiter)


def _capped(name: str, rows: Iterator[list[str]]) -> Iterator[list[str]]:
    for count, row in enumerate(rows):
        if count > MAX_ROWS:
            raise TooManyRows(name=name, sheet=name, limit=MAX_ROWS)
        yield row


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
