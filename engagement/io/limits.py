"""What one uploaded file may hold, checked before the work it would cost.

A file under the upload limit can still ask for far more memory or time than its size
says: a workbook that declares 16,384 columns, a zip that inflates a thousandfold, a CSV
made of one 50 MB line. Every reader counts what it reads against these limits and stops
at the first one passed, naming it (:class:`FileLimitExceeded`), so that no file makes
the one server process that serves everyone run out of memory.
"""

from __future__ import annotations

from engagement.errors import FileLimitExceeded

#: Rows of one sheet (blank rows between filled ones count).
MAX_ROWS = 500_000
#: Columns of one row: far more than any registry sheet has, far less than Excel allows.
MAX_COLUMNS = 1_000
#: Cells of one file, counting the blank cells to the left of each row's last cell.
MAX_CELLS = 2_000_000
#: Characters in one cell: Excel's own limit.
MAX_CELL_CHARS = 32_767
#: Characters in one line of a CSV file.
MAX_LINE_CHARS = 1_048_576
#: Characters of text in one file's cells, all together.
MAX_TEXT_CHARS = 24_000_000
#: Bytes a workbook's parts inflate to, all together (the zip says so before inflating).
MAX_INFLATED_BYTES = 128 * 1024 * 1024
#: Parts (files) inside a workbook's zip.
MAX_ZIP_ENTRIES = 2_000
#: Entries in a workbook's shared-strings table, and their characters.
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_CHARS = 16_000_000
#: XML elements of one workbook, all parts together; and of those, elements that are
#: neither rows, cells nor text (column widths, merged cells, formatting…). Every
#: element costs the parser a call, so these bound the time a workbook takes to read.
MAX_XML_ELEMENTS = 6_000_000
MAX_OTHER_ELEMENTS = 500_000
#: JSON backups: containers (objects and lists), values, and how deep they nest (the
#: JSON decoder stops at Python's recursion limit, 1,000 by default).
MAX_JSON_CONTAINERS = 1_500_000
MAX_JSON_VALUES = 4_000_000
MAX_JSON_DEPTH = 1_000

#: Which limit a :class:`FileLimitExceeded` names, with its maximum.
LIMITS: dict[str, int] = {
    "rows": MAX_ROWS,
    "columns": MAX_COLUMNS,
    "cells": MAX_CELLS,
    "cell_chars": MAX_CELL_CHARS,
    "line_chars": MAX_LINE_CHARS,
    "text_chars": MAX_TEXT_CHARS,
    "inflated": MAX_INFLATED_BYTES // (1024 * 1024),
    "zip_entries": MAX_ZIP_ENTRIES,
    "shared_strings": MAX_SHARED_STRINGS,
    "shared_chars": MAX_SHARED_CHARS,
    "xml_elements": MAX_XML_ELEMENTS,
    "xml_other": MAX_OTHER_ELEMENTS,
    "json_containers": MAX_JSON_CONTAINERS,
    "json_values": MAX_JSON_VALUES,
    "json_depth": MAX_JSON_DEPTH,
}


class Budget:
    """Counts the cells and text of one file as they are read, against the limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells = 0
        self.text = 0
        self.elements = 0
        self.others = 0

    def fail(self, limit: str) -> FileLimitExceeded:
        return FileLimitExceeded(name=self.name, limit=limit, maximum=LIMITS[limit])

    def row(self, width: int, row_number: int) -> None:
        """One row read: ``width`` cells up to its last, at ``row_number`` (1-based)."""
        if row_number > MAX_ROWS + 1:  # + the header
            raise self.fail("rows")
        if width > MAX_COLUMNS:
            raise self.fail("columns")
        self.cells += width
        if self.cells > MAX_CELLS:
            raise self.fail("cells")

    def element(self) -> None:
        """One more XML element read."""
        self.elements += 1
        if self.elements > MAX_XML_ELEMENTS:
            raise self.fail("xml_elements")

    def other(self) -> None:
        """One more element that is neither a row, a cell nor text."""
        self.others += 1
        if self.others > MAX_OTHER_ELEMENTS:
            raise self.fail("xml_other")

    def cell(self) -> None:
        """One more cell element, blank or not."""
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise self.fail("cells")

    def texts(self, longest: int, total: int) -> None:
        """Cells read: the longest holds ``longest`` characters, all ``total``."""
        if longest > MAX_CELL_CHARS:
            raise self.fail("cell_chars")
        self.text += total
        if self.text > MAX_TEXT_CHARS:
            raise self.fail("text_chars")
