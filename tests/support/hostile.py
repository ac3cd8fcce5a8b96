"""Hostile files: small uploads that ask a reader for far more memory or time than their size.

Each builder writes one file to a folder and returns its path. The big ones are written
in streaming fashion (the zip entry or the file is written chunk by chunk), so building
them costs the test or the benchmark little memory. Used by
``tests/integration/test_hostile_files.py`` and ``benchmarks/hostile_bench.py``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_MIME}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_MIME}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_MIME}.sharedStrings+xml"/>'
    "</Types>"
).encode()
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_DOC}">'
    '<sheets><sheet name="Actores" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
).encode()
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
Chunks = Callable[[], Iterator[bytes]]


def _EMPTY_STRINGS() -> Iterator[bytes]:
    yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'


def _workbook(path: Path, sheet: Chunks, strings: Chunks | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        parts = (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings))
        for name, chunks in parts:
            if chunks is None:  # an empty table: the content types name one
                chunks = _EMPTY_STRINGS
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks():
                    part.write(chunk)
    return path


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def xfd_dimension(folder: Path, rows: int = 3_000) -> Path:
    """A small actors sheet that declares 16,384 columns (``A1:XFD…``)."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + f'<dimension ref="A1:XFD{rows}"/><sheetData>'.encode()
        yield b'<row r="1">' + _inline("A1", "Nombre") + b"</row>"
        for n in range(2, rows + 1):
            yield f'<row r="{n}">'.encode() + _inline(f"A{n}", f"Actor {n}") + b"</row>"
        yield b"</sheetData></worksheet>"

    return _workbook(folder / "xfd-dimension.xlsx", sheet)


def shared_strings_bomb(folder: Path, count: int = 6_000_000) -> Path:
    """A one-cell sheet whose shared-strings table holds ``count`` strings."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        yield b"</sheetData></worksheet>"

    def strings() -> Iterator[bytes]:
        yield b'<?xml version="1.0" encoding="UTF-8"?>'
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        batch = 10_000
        for start in range(0, count, batch):
            yield b"".join(
                b"<si><t>Nombre %d</t></si>" % i for i in range(start, min(start + batch, count))
            )
        yield b"</sst>"

    return _workbook(folder / "shared-strings-bomb.xlsx", sheet, strings)


def million_cell_row(folder: Path, cells: int = 1_000_000) -> Path:
    """One row of ``cells`` numeric cells without references (about 30 KB zipped)."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + b'<sheetData><row r="1">'
        for _ in range(cells // 10_000):
            yield b"<c><v>1</v></c>" * 10_000
        yield b"</row></sheetData></worksheet>"

    return _workbook(folder / "million-cell-row.xlsx", sheet)


def inflation_bomb(folder: Path, megabytes: int = 700) -> Path:
    """A sheet of ``megabytes`` MB of blank space: under 1 MB zipped."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + b"<sheetData>"
        blank = b" " * (1 << 20)
        for _ in range(megabytes):
            yield blank
        yield b'<row r="1">' + _inline("A1", "Nombre") + b"</row></sheetData></worksheet>"

    return _workbook(folder / "inflation-bomb.xlsx", sheet)


def elements_bomb(folder: Path, elements: int = 9_000_000) -> Path:
    """A sheet of millions of empty elements that are not cells (under 100 KB zipped)."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + b"<sheetData>"
        for _ in range(elements // 100_000):
            yield b"<a/>" * 100_000
        yield b"</sheetData></worksheet>"

    return _workbook(folder / "elements-bomb.xlsx", sheet)


def deep_nesting(folder: Path, depth: int = 1_000_000) -> Path:
    """A sheet whose elements nest a million deep."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + b"<sheetData>" + b"<a>" * depth + b"</a>" * depth
        yield b"</sheetData></worksheet>"

    return _workbook(folder / "deep-nesting.xlsx", sheet)


def zip_entries_bomb(folder: Path, entries: int = 150_000) -> Path:
    """A workbook whose zip also holds ``entries`` empty parts."""
    empty = [_SHEET_HEAD + b"</worksheet>"]
    path = _workbook(folder / "zip-entries-bomb.xlsx", lambda: iter(empty))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        for n in range(entries):
            archive.writestr(f"x/{n}", b"")
    return path


def largest_sheet(folder: Path, rows: int = 1_990, columns: int = 1_000) -> Path:
    """Numbers just under the cell limit: the most work a workbook may ask for."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + b'<sheetData><row r="1">' + _inline("A1", "Nombre") + b"</row>"
        cells = b"".join(b"<c><v>%d</v></c>" % c for c in range(columns))
        for n in range(2, rows + 1):
            yield b'<row r="%d">' % n + cells + b"</row>"
        yield b"</sheetData></worksheet>"

    return _workbook(folder / "largest-sheet.xlsx", sheet)


def _write(path: Path, chunks: Iterator[bytes]) -> Path:
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path


def header_128k_csv(folder: Path) -> Path:
    """A CSV whose header line is over 128 KB (one header cell past csv's field limit)."""
    return _write(folder / "header-128k.csv", iter([b"Label;" + b"x" * 131_100 + b"\nAna;1\n"]))


def million_columns_csv(folder: Path, columns: int = 1_000_000) -> Path:
    """A CSV whose header has ``columns`` columns."""
    return _write(folder / "million-columns.csv", iter([b"Label", b",a" * columns, b"\nAna\n"]))


def long_line_csv(folder: Path, megabytes: int = 19) -> Path:
    """A CSV made of one line of ``megabytes`` MB (19: under the 20 MB upload limit)."""

    def chunks() -> Iterator[bytes]:
        yield b"Label;"
        for _ in range(megabytes):
            yield b"x" * (1 << 20)
        yield b"\n"

    return _write(folder / f"line-{megabytes}mb.csv", chunks())


def odd_utf16_csv(folder: Path) -> Path:
    """UTF-16 with its byte-order mark and an odd number of bytes."""
    text = "Label\nAna\n".encode("utf-16-le")
    return _write(folder / "odd-utf16.csv", iter([b"\xff\xfe" + text + b"A"]))


def big_csv(folder: Path, megabytes: int = 63) -> Path:
    """A plain, valid actors CSV of ``megabytes`` MB (over the 20 MB upload limit)."""

    def chunks() -> Iterator[bytes]:
        yield b"Label;Type\n"
        line = b"Organizacion %08d de prueba;Sociedad civil\n"
        size = len(line % 0)
        per = (1 << 20) // size
        for block in range(megabytes):
            yield b"".join(line % (block * per + i) for i in range(per))

    return _write(folder / f"big-{megabytes}mb.csv", chunks())


def json_objects_bomb(folder: Path, megabytes: int = 18) -> Path:
    """A JSON list of millions of empty objects."""
    count = megabytes * (1 << 20) // 3
    return _write(folder / "objects-bomb.json", iter([b"[", b"{}," * count, b"{}]"]))


def json_depth_bomb(folder: Path, depth: int = 1_000_000) -> Path:
    """A JSON document of lists nested a million deep."""
    return _write(folder / "depth-bomb.json", iter([b"[" * depth, b"]" * depth]))


#: Every hostile upload: name → builder (all under the 20 MB upload limit).
UPLOADS: dict[str, Callable[[Path], Path]] = {
    "xfd_dimension": xfd_dimension,
    "shared_strings_bomb": shared_strings_bomb,
    "million_cell_row": million_cell_row,
    "inflation_bomb": inflation_bomb,
    "zip_entries_bomb": zip_entries_bomb,
    "elements_bomb": elements_bomb,
    "deep_nesting": deep_nesting,
    "header_128k_csv": header_128k_csv,
    "million_columns_csv": million_columns_csv,
    "long_line_csv": long_line_csv,
    "odd_utf16_csv": odd_utf16_csv,
}
#: Hostile backups, read by ``restore``.
BACKUPS: dict[str, Callable[[Path], Path]] = {
    "json_objects_bomb": json_objects_bomb,
    "json_depth_bomb": json_depth_bomb,
}
