"""Read the cells of an XLSX workbook, streaming, within the limits of :mod:`.limits`.

openpyxl pads every row to the width a sheet *declares* (``<dimension ref="A1:XFD…">``),
builds a whole row in memory before its first cell can be counted, and loads the
shared-strings table whole. So the cells are read here with expat, one event at a time:
only the cells a sheet really holds are read, and every count (parts, inflated bytes,
shared strings, rows, columns, cells, characters) is checked as it grows. Values come
out as openpyxl's read-only, values-only mode gives them (numbers, text, booleans,
dates for cells with a date format), so the rest of the import sees no difference.

A DOCTYPE (entity expansion, external entities) is refused outright.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import struct
import zipfile
from collections.abc import Callable
from typing import IO, Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from engagement.errors import Damaged
from engagement.io.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_INFLATED_BYTES,
    MAX_SHARED_CHARS,
    MAX_SHARED_STRINGS,
    MAX_TEXT_CHARS,
    MAX_XML_ELEMENTS,
    MAX_ZIP_ENTRIES,
    Budget,
)

Table = tuple[str, list[tuple[Any, ...]]]
_SHEET_TYPE = "/worksheet"


def zip_entry_count(data: bytes) -> int:
    """Entries a zip declares in its end record, read before the zip is opened.

    ``zipfile`` builds an object per entry when it opens a file, so a zip of a million
    empty entries must be refused before that.
    """
    tail = data[-(65_535 + 22) :]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise Damaged(name="")
    (entries,) = struct.unpack_from("<H", tail, at + 10)
    return int(entries)


def read_tables(name: str, data: bytes) -> list[Table]:
    """Every worksheet of the workbook, as (title, rows), rows as tuples of values."""
    budget = Budget(name)
    if zip_entry_count(data) > MAX_ZIP_ENTRIES - 1:
        raise budget.fail("zip_entries")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        if len(infos) >= MAX_ZIP_ENTRIES:
            raise budget.fail("zip_entries")
        book = _Book(name, archive, infos, budget)
        return book.tables()


class _Book:
    def __init__(
        self,
        name: str,
        archive: zipfile.ZipFile,
        infos: dict[str, zipfile.ZipInfo],
        budget: Budget,
    ) -> None:
        self.name, self.archive, self.infos, self.budget = name, archive, infos, budget
        if "xl/workbook.xml" not in infos:
            raise Damaged(name=name)

    def _open(self, part: str) -> IO[bytes]:
        return self.archive.open(self.infos[part])

    def tables(self) -> list[Table]:
        sheets, date1904 = _workbook(
            self._parse_small("xl/workbook.xml", frozenset({"sheet", "workbookPr"}))
        )
        rels = _relationships(
            self._parse_small("xl/_rels/workbook.xml.rels", frozenset({"Relationship"}))
        )
        targets = [
            (title, _part_path(rels[rid][1]))
            for title, rid in sheets
            if rid in rels and rels[rid][0].endswith(_SHEET_TYPE)
        ]
        targets = [(title, path) for title, path in targets if path in self.infos]
        strings_part = next(
            (_part_path(t) for k, t in rels.values() if k.endswith("/sharedStrings")),
            "xl/sharedStrings.xml",
        )
        styles_part = "xl/styles.xml"
        parts = [path for _t, path in targets]
        parts += [p for p in (strings_part, styles_part) if p in self.infos]
        if sum(self.infos[p].file_size for p in parts) > MAX_INFLATED_BYTES:
            raise self.budget.fail("inflated")
        dates = (
            _date_styles(self._parse(styles_part, frozenset({"numFmt", "xf"})))
            if styles_part in self.infos
            else set()
        )
        strings = self._shared_strings(strings_part) if strings_part in self.infos else []
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        out: list[Table] = []
        for title, path in targets:
            sheet = _SheetReader(self.budget, strings, dates, epoch)
            _run(self._open(path), sheet)
            out.append((title, sheet.rows))
        return out

    def _parse_small(self, part: str, wanted: frozenset[str]) -> _Collector:
        if part not in self.infos:
            raise Damaged(name=self.name)
        if self.infos[part].file_size > 16 * 1024 * 1024:
            raise self.budget.fail("inflated")
        return self._parse(part, wanted)

    def _parse(self, part: str, wanted: frozenset[str]) -> _Collector:
        collector = _Collector(wanted, self.budget)
        _run(self._open(part), collector)
        return collector

    def _shared_strings(self, part: str) -> list[str]:
        reader = _StringsReader(self.budget)
        _run(self._open(part), reader)
        return reader.strings


def _part_path(target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return posixpath.normpath(path)


class _Handler:
    """What an expat pass calls. Handlers are called once per element, millions of times
    for a large sheet, so each keeps its own counts inline (see :meth:`opened`)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.depth = 0

    def opened(self) -> None:
        """Count one more element, and one more level of nesting."""
        budget = self.budget
        budget.elements += 1
        self.depth += 1
        if budget.elements > MAX_XML_ELEMENTS:
            raise budget.fail("xml_elements")
        if self.depth > _MAX_DEPTH:
            raise Damaged(name=budget.name)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, tag: str) -> None:
        raise NotImplementedError

    def text(self, data: str) -> None:
        return None


def _local(tag: str) -> str:
    """``x:c`` → ``c`` (most workbooks use the default namespace and need nothing)."""
    return tag.rpartition(":")[2]


def _refuse_doctype(*_args: Any) -> None:
    raise Damaged(name="doctype")


#: No part of a workbook nests deeper than a dozen levels; a deeper one is forged.
_MAX_DEPTH = 64
#: Elements a small part (workbook, relationships, styles) may hand over: sheets,
#: relationships, number formats and cell styles.
_MAX_COLLECTED = 200_000


def _run(stream: IO[bytes], handler: _Handler) -> None:
    """Feed a part to expat in chunks, straight to the handler's methods."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    with stream:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


class _Collector(_Handler):
    """A small part's elements of interest, in order, each with its parent's tag."""

    def __init__(self, wanted: frozenset[str], budget: Budget) -> None:
        super().__init__(budget)
        self.wanted = wanted
        self.elements: list[tuple[str, dict[str, str], str]] = []
        self.stack: list[str] = [""]

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.opened()
        tag = _local(tag) if ":" in tag else tag
        if tag in self.wanted:
            if len(self.elements) >= _MAX_COLLECTED:
                raise Damaged(name=self.budget.name)
            self.elements.append((tag, attrs, self.stack[-1]))
        self.stack.append(tag)

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.stack.pop()


def _workbook(book: _Collector) -> tuple[list[tuple[str, str]], bool]:
    sheets = []
    date1904 = False
    for tag, attrs, _path in book.elements:
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            sheets.append((attrs.get("name", ""), rid))
        elif tag == "workbookPr":
            date1904 = attrs.get("date1904", "0").lower() in ("1", "true")
    return sheets, date1904


def _relationships(rels: _Collector) -> dict[str, tuple[str, str]]:
    return {
        attrs.get("Id", ""): (attrs.get("Type", ""), attrs.get("Target", ""))
        for tag, attrs, _path in rels.elements
        if tag == "Relationship"
    }


def _date_styles(styles: _Collector) -> set[int]:
    """Indexes of the cell styles whose number format shows a date."""
    custom = {
        int(attrs.get("numFmtId", "0")): attrs.get("formatCode", "")
        for tag, attrs, _path in styles.elements
        if tag == "numFmt"
    }
    out: set[int] = set()
    index = 0
    for tag, attrs, parent in styles.elements:
        if tag == "xf" and parent == "cellXfs":
            fmt_id = int(attrs.get("numFmtId", "0") or 0)
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
            if code and is_date_format(code):
                out.add(index)
            index += 1
    return out


#: What a shared-strings table is made of (a run's formatting is skipped as a whole).
_STRING_TAGS = frozenset({"sst", "si", "t", "r", "rPh", "phoneticPr", "extLst", "ext"})
#: What a sheet's rows are made of.
_SHEET_TAGS = frozenset({"row", "c", "v", "f", "is", "t", "r", "rPr", "rPh", "sheetData"})


class _StringsReader(_Handler):
    """The shared-strings table: one string per ``si`` (phonetic runs left out)."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.size = 0
        self.total = 0
        self.in_text = False
        self.phonetic = 0
        self.formatting = 0  # inside a run's properties (font, size, colour…)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.opened()
        if ":" in tag:
            tag = _local(tag)
        if tag == "t" and not self.phonetic:
            self.in_text = True
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "si":
            self.parts, self.size = [], 0
        elif tag == "rPr":
            self.formatting += 1
        elif not self.formatting and tag not in _STRING_TAGS:
            self.budget.other()

    def end(self, tag: str) -> None:
        self.depth -= 1
        if ":" in tag:
            tag = _local(tag)
        if tag == "t":
            self.in_text = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "rPr":
            self.formatting -= 1
        elif tag == "si":
            if len(self.strings) >= MAX_SHARED_STRINGS:
                raise self.budget.fail("shared_strings")
            self.strings.append("".join(self.parts))
            self.parts = []

    def text(self, data: str) -> None:
        if self.in_text:
            self.size += len(data)
            self.total += len(data)
            if self.total > MAX_SHARED_CHARS:
                raise self.budget.fail("shared_chars")
            self.budget.texts(self.size, 0)
            self.parts.append(data)


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """``"AB12"`` → 28 (1-based); a reference past column XFD or without a column is
    refused (a forged file)."""
    letters = ref.rstrip("0123456789")
    found = _COLUMNS.get(letters)
    if found is None:
        if not 1 <= len(letters) <= 3 or letters.strip(_LETTERS):
            raise Damaged(name=ref)
        found = 0
        for char in letters:
            found = found * 26 + ord(char) - 64
        if found > 16_384:
            raise Damaged(name=ref)
        _COLUMNS[letters] = found
    return found


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _SheetReader(_Handler):
    """One worksheet's rows, real cells only, blank rows where the sheet skips some."""

    def __init__(
        self, budget: Budget, strings: list[str], dates: set[int], epoch: dt.datetime
    ) -> None:
        super().__init__(budget)
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.rows: list[tuple[Any, ...]] = []
        self.row: dict[int, Any] = {}
        self.row_number = 0
        self.col = 0
        self.cell_type = "n"
        self.style = 0
        self.value: list[str] | None = None
        self.value_size = 0
        self.inline = False
        self.collect = False
        self.in_row = False
        self.row_cells = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        budget = self.budget  # counted inline: this runs for every element of a sheet
        budget.elements += 1
        self.depth += 1
        if budget.elements > MAX_XML_ELEMENTS or self.depth > _MAX_DEPTH:
            self.opened()  # raises, naming which
        if ":" in tag:
            tag = _local(tag)
        if tag == "v" or (tag == "t" and self.inline):
            if self.value is None:
                self.value = []
            self.collect = True
        elif tag == "c":
            budget.cells += 1
            if budget.cells > MAX_CELLS:
                raise budget.fail("cells")
            self.row_cells += 1
            ref = attrs.get("r")
            self.col = _column(ref) if ref else self.col + 1
            if self.col > MAX_COLUMNS:  # before any padding up to it
                raise budget.fail("columns")
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
            self.value, self.value_size, self.inline, self.collect = None, 0, False, False
        elif tag == "row":
            self._row(attrs.get("r"))
        elif tag == "is":
            self.inline = True
        elif tag not in _SHEET_TAGS:
            budget.other()

    def _row(self, ref: str | None) -> None:
        number = int(ref) if ref and ref.isdigit() else self.row_number + 1
        if number <= self.row_number:
            raise Damaged(name=self.budget.name)
        self.budget.row(0, number)
        while len(self.rows) < number - 1:  # the rows a sheet skips are blank
            self.rows.append(())
        self.row_number, self.col, self.row, self.in_row = number, 0, {}, True
        self.row_cells = 0

    def text(self, data: str) -> None:
        if self.collect and self.value is not None:
            size = len(data)
            self.value_size += size
            budget = self.budget
            budget.text += size
            if self.value_size > MAX_CELL_CHARS or budget.text > MAX_TEXT_CHARS:
                budget.texts(self.value_size, 0)  # raises, naming which
            self.value.append(data)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if ":" in tag:
            tag = _local(tag)
        if tag == "v" or tag == "t":
            self.collect = False
        elif tag == "c":
            self._cell()
        elif tag == "row":
            width = max(self.row, default=0)
            # Cells were counted as read; the blanks before the last one count too.
            self.budget.row(max(width - self.row_cells, 0), self.row_number)
            self.rows.append(tuple(self.row.get(i) for i in range(1, width + 1)))
            self.in_row = False

    def _cell(self) -> None:
        if self.value is None:
            return
        text = self.value[0] if len(self.value) == 1 else "".join(self.value)
        self.value = None
        if (
            self.cell_type == "n"
            and text.isascii()
            and text.isdigit()
            and self.style not in self.dates
        ):
            self.row[self.col] = int(text)  # the common case: a whole number
            return
        value = _converters.get(self.cell_type, _as_number)(self, text)
        if value is not None:
            self.row[self.col] = value


def _as_number(reader: _SheetReader, text: str) -> Any:
    if not text:
        return None
    try:
        number = _number(text.strip())
    except ValueError as exc:
        raise Damaged(name=reader.budget.name) from exc
    if reader.style in reader.dates:
        try:
            return from_excel(number, reader.epoch)
        except (OverflowError, ValueError):
            return "#VALUE!"
    return number


def _as_shared(reader: _SheetReader, text: str) -> Any:
    try:
        return reader.strings[int(text)]
    except (ValueError, IndexError) as exc:
        raise Damaged(name=reader.budget.name) from exc


def _as_bool(reader: _SheetReader, text: str) -> Any:
    return text.strip() not in ("0", "", "false")


def _as_date(reader: _SheetReader, text: str) -> Any:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise Damaged(name=reader.budget.name) from exc


def _as_text(reader: _SheetReader, text: str) -> Any:
    return text or None


_converters: dict[str, Callable[[_SheetReader, str], Any]] = {
    "n": _as_number,
    "s": _as_shared,
    "b": _as_bool,
    "d": _as_date,
    "str": _as_text,
    "inlineStr": _as_text,
    "e": _as_text,
}
