"""AppTests of the import page with hostile and misspelled files (issues 15 and 12).

Files are staged where the uploader puts them (see ``test_import_export.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import ProgramInfo
from engagement.storage.db import Database
from tests.pages.test_import_export import live_names, open_with_files, texts
from tests.support import hostile
from tests.support.kumu import kumu_workbook


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("header_128k_csv", "32,767 caracteres"),
        ("million_columns_csv", "una línea de más de"),
        ("million_cell_row", "más de 1,000 columnas"),
        ("odd_utf16_csv", None),
    ],
)
def test_a_hostile_file_gets_a_translated_message_not_an_error_box(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    tmp_path: Path,
    name: str,
    expected: str | None,
) -> None:
    path = hostile.UPLOADS[name](tmp_path)
    at = open_with_files(open_page, program.id, [(path.name, path.read_bytes())])
    assert not at.exception
    if expected is not None:
        errors = texts(at, "error")
        assert any(f"«{path.name}»" in e and expected in e for e in errors), errors
        assert not [b for b in at.button if b.key == "import_page.apply"]
    assert live_names(app_db, program.id) == []


def test_a_damaged_workbook_is_a_file_tejido_cannot_read(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    data = kumu_workbook()
    damaged = data[: len(data) // 2] + bytes(64) + data[len(data) // 2 + 64 :]
    at = open_with_files(open_page, program.id, [("mapa.xlsx", damaged)])
    assert not at.exception
    errors = texts(at, "error")
    assert any("«mapa.xlsx» no es una hoja de cálculo que Tejido pueda leer" in e for e in errors)
    assert live_names(app_db, program.id) == []


def test_the_preview_names_a_misspelt_column_and_a_near_twin_sector(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    data = b"Nombre;sectr;Sector\nAna;x;Ciudadano o ciudadana\n"
    at = open_with_files(open_page, program.id, [("actores.csv", data)])
    [warning] = [w for w in texts(at, "warning") if "Revise antes de importar" in w]
    # A Sector column is there, so "sectr" is some other column: said, not warned.
    assert "«sectr»" not in warning
    notes = " ".join(texts(at, "markdown"))
    assert (
        "la columna «sectr» no es una columna de Tejido: se guarda como campo personalizado"
        in notes
    )
    assert "«Ciudadano o ciudadana» se añadiría como sector nuevo" in warning
    assert "se parece a «Ciudadana o ciudadano»" in warning


def test_the_preview_suggests_the_column_a_header_misspells_in_english(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    data = b"Name;sectr\nAna;Academia\n"
    at = open_with_files(open_page, program.id, [("actors.csv", data)], lang="en")
    [warning] = [w for w in texts(at, "warning") if "Check before importing" in w]
    assert "column “sectr” is not one of Tejido's columns" in warning
    assert "Did you mean “sector”?" in warning
