"""Reading uploads: what a file holds, its encoding and delimiter, and what is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from engagement.errors import (
    EmptyFile,
    FileLimitExceeded,
    FileTooLarge,
    NotASpreadsheet,
    UnknownTable,
    UnreadableFile,
)
from engagement.i18n import describe_error
from engagement.io.readers import read_upload
from tests.support.kumu import csv_bytes, kumu_workbook, workbook

LIMIT = 5 * 1024 * 1024


def test_kumu_workbook_sheets_and_columns() -> None:
    parsed = read_upload("mapa.xlsx", kumu_workbook(), LIMIT)
    assert parsed.file_format == "xlsx" and parsed.kumu
    elements, connections = parsed.sheets
    assert (elements.name, elements.kind) == ("Elements", "actors")
    assert elements.fields == (
        "name", "sector", "description", "tags", "external_id", "territory", None,
    )  # fmt: skip
    assert (connections.kind, connections.fields[:4]) == (
        "ties",
        ("source", "target", "tie_type", "direction"),
    )
    assert connections.fields[5] == "note"  # Kumu's Description on a connection
    assert elements.row_numbers[0] == 2 and len(elements.rows) == 5


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")]
)
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_encodings_and_delimiters(encoding: str, bom: bytes, delimiter: str) -> None:
    rows = [["Label", "Type", "Description"], ["Asociación Ñandú", "ONG", "Año, señal; «x»"]]
    data = bom + csv_bytes(rows, delimiter=delimiter, encoding=encoding)
    parsed = read_upload("actores.csv", data, LIMIT)
    assert parsed.delimiter == delimiter
    assert (
        parsed.encoding == {"utf-8": "utf-8-sig" if bom else "utf-8", "cp1252": "cp1252"}[encoding]
    )
    sheet = parsed.sheets[0]
    assert sheet.kind == "actors" and sheet.name == "actores.csv"
    assert sheet.rows[0] == ("Asociación Ñandú", "ONG", "Año, señal; «x»")


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["Label", "Type"], "actors"),
        (["Nombre", "Sector", "Territorio"], "actors"),
        (["From", "To", "Type"], "ties"),
        (["Origen", "Destino", "Tipo de vínculo"], "ties"),
        (["Actor", "Etapa", "Poder", "Interés"], "assessments"),
        (["actor", "power"], "assessments"),
    ],
)
def test_a_csv_header_says_what_it_holds(header: list[str], kind: str) -> None:
    parsed = read_upload("x.csv", csv_bytes([header, ["a", "b", "c", "d"][: len(header)]]), LIMIT)
    assert parsed.sheets[0].kind == kind


def test_template_sheet_names_in_either_language() -> None:
    data = workbook(
        {
            "Actores": [["Nombre"], ["A"]],
            "Relationships": [["From", "To"], ["A", "B"]],
            "Evaluaciones": [["Actor", "Etapa", "Poder"]],
            "Notas": [["lo que sea"], ["x"]],
        }
    )
    parsed = read_upload("plantilla.xlsx", data, LIMIT)
    assert [(s.name, s.kind) for s in parsed.sheets] == [
        ("Actores", "actors"),
        ("Relationships", "ties"),
        ("Evaluaciones", "assessments"),
    ]
    assert parsed.ignored_sheets == ("Notas",)


def test_blank_rows_are_skipped_and_numbering_kept() -> None:
    data = workbook({"Elements": [[None], ["Label"], ["A"], [None, None], ["B"]]})
    sheet = read_upload("m.xlsx", data, LIMIT).sheets[0]
    assert sheet.rows == (("A",), ("B",)) and sheet.row_numbers == (3, 5)


def test_too_large() -> None:
    with pytest.raises(FileTooLarge) as caught:
        read_upload("grande.csv", b"Label\n" + b"x\n" * 600_000, 1024 * 1024)
    assert "1.0 MB" in describe_error(caught.value, "en")
    assert "«grande.csv»" in describe_error(caught.value, "es")


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf\r\n"])
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyFile):
        read_upload("vacio.csv", data, LIMIT)


def test_empty_workbook() -> None:
    with pytest.raises(EmptyFile):
        read_upload("vacio.xlsx", workbook({"Hoja1": []}), LIMIT)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 binary",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel",
        b"PK\x03\x04 not really a zip",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_not_a_spreadsheet(data: bytes) -> None:
    with pytest.raises(NotASpreadsheet) as caught:
        read_upload("foto.xlsx", data, LIMIT)
    assert isinstance(caught.value, UnreadableFile)
    assert ".xlsx" in describe_error(caught.value, "es")


def test_a_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hola")
    with pytest.raises(NotASpreadsheet):
        read_upload("notas.zip", buffer.getvalue(), LIMIT)


def test_a_zip_bomb_is_refused() -> None:
    source = io.BytesIO(kumu_workbook())
    bomb = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w") as archive:
        for info in original.infolist():
            if info.filename != "xl/styles.xml":
                archive.writestr(info, original.read(info))
        archive.writestr("xl/styles.xml", b" " * (200 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    with pytest.raises(FileLimitExceeded) as caught:
        read_upload("mapa.xlsx", bomb.getvalue(), LIMIT)
    assert caught.value.limit == "inflated"


def test_unknown_table_says_what_is_needed() -> None:
    with pytest.raises(UnknownTable) as caught:
        read_upload("gastos.csv", csv_bytes([["Fecha", "Monto"], ["2024-01-01", "3"]]), LIMIT)
    assert "Label" in describe_error(caught.value, "en")
