"""Tables out as XLSX, CSV and zip, with formula injection neutralised.

A table is a title, a header and rows of plain values (text, numbers, booleans, dates,
None). Every text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return first) is written with a leading ``'``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from engagement.io.cells import neutralise

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
ZIP_MIME = "application/zip"


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Any]]


def frame_table(title: str, frame: Any) -> Table:
    """A pandas DataFrame as a :class:`Table` (column names as the header), to write with
    :func:`csv_bytes` or :func:`xlsx_bytes`: never ``DataFrame.to_csv``/``to_excel``,
    which leave formulas live."""
    rows = [[None if _missing(v) else v for v in row] for row in frame.itertuples(index=False)]
    return Table(title, tuple(str(c) for c in frame.columns), rows)


def _missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, NaT and pandas.NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return neutralise("|".join(str(v) for v in value))
    if isinstance(value, dict):
        return neutralise(str(value))
    return neutralise(value)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table: bold, frozen header; dates as dates."""

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(table.header, start=1):
            letter = _column_letter(index)
            sheet.column_dimensions[letter].width = min(max(len(name) + 4, 12), 40)
        header = []
        for name in table.header:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = "|".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = str(value)
    if isinstance(value, str):
        # Control characters (pasted from other programs) are not allowed in XLSX. They
        # go before neutralising: "\x1f=cmd" must not become a live "=cmd".
        value = _ILLEGAL.sub("", value)[:32_766]
    return _cell(value)


def _column_letter(index: int) -> str:

    return str(get_column_letter(index))


def csv_bytes(
    table: Table, *, delimiter: str = ",", booleans: tuple[str, str] = ("true", "false")
) -> bytes:
    """UTF-8 with BOM (so Excel shows accents), CRLF line ends, cells quoted as needed."""
    buffer = io.StringIO(newline="")
    write_csv(buffer, table, delimiter=delimiter, booleans=booleans)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def write_csv(
    stream: TextIO,
    table: Table,
    *,
    delimiter: str = ",",
    booleans: tuple[str, str] = ("true", "false"),
    line_end: str = "\r\n",
) -> None:
    """The table as CSV text on ``stream`` (the command line's standard output)."""
    writer = csv.writer(stream, delimiter=delimiter, lineterminator=line_end)
    writer.writerow([_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([_csv_value(v, booleans) for v in row])


def _csv_value(value: Any, booleans: tuple[str, str]) -> Any:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return booleans[0] if value else booleans[1]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
