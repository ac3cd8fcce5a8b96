"""Read a CSV file line by line, within the limits of :mod:`.limits`.

The text is decoded as it is read (UTF-8 with or without BOM, UTF-16 with BOM, or else
Windows-1252, what Spanish-locale Excel writes), one line at a time and never longer
than :data:`~engagement.io.limits.MAX_LINE_CHARS`, so a file made of one enormous line
or a million columns is refused before it is split into cells.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import Any

from engagement.errors import Damaged
from engagement.io.limits import MAX_LINE_CHARS, Budget

DELIMITERS = (";", ",", "\t")


def encoding_of(data: bytes) -> str:
    """The encoding a CSV file is in (checked in chunks: no second copy of the file)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff_delimiter(line: str) -> str:
    """``;``, ``,`` or tab: whichever splits the header line into the most columns."""
    counts = {d: len(next(csv.reader([line], delimiter=d), [])) for d in DELIMITERS}
    best = max(counts.values())
    return next(d for d in DELIMITERS if counts[d] == best) if best > 1 else ","


def _lines(stream: io.TextIOWrapper, budget: Budget) -> Iterator[str]:
    while line := stream.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise budget.fail("line_chars")
        yield line


def read_csv(name: str, data: bytes) -> tuple[list[tuple[Any, ...]], str, str]:
    """The rows of a CSV file, its encoding and its delimiter."""
    budget = Budget(name)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Damaged(name=name)
    encoding = encoding_of(data)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    lines = _lines(stream, budget)
    head: list[str] = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    rows: list[tuple[Any, ...]] = []
    try:
        delimiter = sniff_delimiter(head[-1].rstrip("\r\n")) if head else ","
        for row in csv.reader(_chain(head, lines), delimiter=delimiter):
            budget.row(len(row), len(rows) + 1)
            if row:
                budget.texts(max(map(len, row)), sum(map(len, row)))
            rows.append(tuple(row))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise budget.fail("cell_chars") from exc
        raise Damaged(name=name) from exc
    return rows, encoding, delimiter


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest
