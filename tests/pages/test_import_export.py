"""AppTests of the import/export page.

AppTest cannot drive a file uploader, so files are put where the uploader puts them:
the page's staged uploads in session state (name and bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import Principal, ProgramInfo
from engagement.services.exchange import exports, imports
from engagement.services.view import program_view
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from engagement.ui.data import export_widgets, import_widgets
from tests.pages.conftest import USER
from tests.support.kumu import ELEMENTS, csv_bytes, kumu_workbook

OPERATOR = Principal("local")  # the command line's full access

PAGE = "app_pages/import_export.py"


def open_with_files(
    open_page: Callable[..., AppTest],
    program_id: int,
    files: Sequence[tuple[str, bytes]],
    lang: str = "es",
) -> AppTest:
    at = open_page(PAGE, lang=lang, program_id=program_id)
    at.session_state[import_widgets.UPLOADS] = tuple(files)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert found, f"no table with a column {column!r}"
    return found[0]


def live_names(db: Database, program_id: int) -> list[str]:
    return sorted(stored_registry.actors_frame(db, program_id)["name"])


def test_without_a_program_the_page_says_how_to_start(open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE)
    assert "Elija o cree un programa" in at.info[0].value
    assert not at.button


def test_kumu_preview_counts_and_added_list_entries_before_anything_is_written(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_with_files(open_page, program.id, [("mapa-kumu.xlsx", kumu_workbook())])
    counts = frame_with(at, "Nuevos").set_index("Qué")
    assert counts.loc["Actores"].to_dict() == {
        "Nuevos": 5,
        "Actualizados": 0,
        "Sin cambios": 0,
        "Rechazados": 0,
    }
    assert counts.loc["Vínculos", "Nuevos"] == 5  # one row with two names in To makes two
    assert counts.loc["Evaluaciones"].sum() == 0
    infos = texts(at, "info")
    assert "Se agregarán a la lista de sectores del programa: «Radio local»." in infos
    assert "Se agregarán a la lista de tipos de vínculo del programa: «Amplifica»." in infos
    assert any(
        "mapa de Kumu (XLSX)" in c and "«Elements», «Connections»" in c
        for c in texts(at, "caption")
    )
    assert at.button(key="import_page.apply").disabled is False
    assert not at.error
    # A preview writes nothing.
    assert live_names(app_db, program.id) == []
    assert imports.list_imports(program_view(app_db, OPERATOR, program.id)) == []


def test_import_writes_everything_then_lists_it_and_undo_takes_it_back(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_with_files(open_page, program.id, [("mapa-kumu.xlsx", kumu_workbook())])
    at.button(key="import_page.apply").click().run()
    assert not at.exception
    assert texts(at, "success") == [
        "Importación terminada. Actores: 5 nuevo(s), 0 actualizado(s), 0 sin cambios · "
        "Vínculos: 5 nuevo(s), 0 actualizado(s), 0 sin cambios"
    ]
    assert live_names(app_db, program.id) == sorted(row[0] for row in ELEMENTS)
    assert len(stored_registry.relationships_frame(app_db, program.id)) == 5
    # The files are forgotten: no second preview, no second import by accident.
    assert import_widgets.UPLOADS not in at.session_state
    assert not [b for b in at.button if b.key == "import_page.apply"]
    history = " ".join(texts(at, "markdown"))
    assert "**mapa-kumu.xlsx**" in history and "mapa de Kumu XLSX" in history
    assert "Agregó a las listas: Radio local, Amplifica" in texts(at, "caption")

    (batch,) = imports.list_imports(program_view(app_db, OPERATOR, program.id))
    at.button(key=f"import_page.undo.{batch.id}").click().run()
    assert any("¿Deshacer la importación de «mapa-kumu.xlsx»" in w for w in texts(at, "warning"))
    assert live_names(app_db, program.id) != []  # nothing happens before confirming
    at.button(key=f"import_page.undo_yes.{batch.id}").click().run()
    assert not at.exception
    assert "Importación deshecha." in texts(at, "success")
    assert live_names(app_db, program.id) == []
    assert any(c.startswith("Deshecha el ") for c in texts(at, "caption"))
    assert not [b for b in at.button if b.key == f"import_page.undo.{batch.id}"]


def test_rejected_rows_are_listed_by_sheet_row_and_column_and_block_the_import(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    elements = [*ELEMENTS, ["", "Academia", "sin nombre", "", "e6", "", None]]
    connections = [["Municipalidad de Xela", "Nadie Conocido", "Colaboración", "", 9, "", ""]]
    book = kumu_workbook(elements=elements, connections=connections)
    at = open_with_files(open_page, program.id, [("con-errores.xlsx", book)])
    counts = frame_with(at, "Rechazados").set_index("Qué")
    assert counts.loc["Actores", "Rechazados"] == 1
    assert counts.loc["Vínculos", "Rechazados"] == 1
    (blocked,) = texts(at, "error")
    assert "no se importará nada mientras queden filas rechazadas" in blocked
    problems = frame_with(at, "Problema")
    lines = list(problems["Problema"])
    assert "Hoja «Elements», fila 7, columna «Label»: es obligatorio." in lines
    assert any(
        line.startswith("Hoja «Connections», fila 2, columna «To»") and "Nadie Conocido" in line
        for line in lines
    ), lines
    assert any(line.startswith("Hoja «Connections», fila 2, columna «Strength»") for line in lines)
    assert set(problems["Hoja"]) == {"Elements", "Connections"}
    assert at.button(key="import_page.apply").disabled is True
    assert live_names(app_db, program.id) == []


def test_problems_are_described_in_english_for_an_english_user(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    elements = [*ELEMENTS, ["", "Academia", "", "", "", "", None]]
    at = open_with_files(
        open_page, program.id, [("map.xlsx", kumu_workbook(elements=elements))], lang="en"
    )
    counts = frame_with(at, "Rejected").set_index("What")
    assert counts.loc["Actors", "Rejected"] == 1
    assert "Problem" in frame_with(at, "Problem").columns
    assert any("nothing will be imported" in e for e in texts(at, "error"))
    assert at.button(key="import_page.apply").disabled is True


def test_two_csv_files_in_spanish_excel_style_import_together(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    actor_rows = [
        ["Nombre", "Sector"],
        ["Alcaldía de Tepic", "Gobierno local"],
        ["Colectivo Ñandú", ""],
    ]
    tie_rows = [["From", "To", "Type"], ["Alcaldía de Tepic", "Colectivo Ñandú", "Colaboración"]]
    files = [
        ("actores.csv", csv_bytes(actor_rows, delimiter=";", encoding="cp1252")),
        ("vinculos.csv", csv_bytes(tie_rows, delimiter=";", encoding="utf-8-sig")),
    ]
    at = open_with_files(open_page, program.id, files)
    counts = frame_with(at, "Nuevos").set_index("Qué")
    assert counts.loc["Actores", "Nuevos"] == 2 and counts.loc["Vínculos", "Nuevos"] == 1
    at.button(key="import_page.apply").click().run()
    assert live_names(app_db, program.id) == ["Alcaldía de Tepic", "Colectivo Ñandú"]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("informe.pdf", b"%PDF-1.7 not a table", "no es una hoja de cálculo"),
        ("vacio.csv", b"", "está vacío"),
        ("roto.xlsx", b"PK\x03\x04 broken zip", "no es una hoja de cálculo"),
    ],
    ids=["pdf", "empty", "broken-xlsx"],
)
def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message_and_changes_nothing(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    name: str,
    data: bytes,
    expected: str,
) -> None:
    at = open_with_files(open_page, program.id, [(name, data)])
    errors = texts(at, "error")
    assert any(f"«{name}»" in e and expected in e for e in errors), errors
    assert any("no se importará nada" in w for w in texts(at, "warning"))
    assert not [b for b in at.button if b.key == "import_page.apply"]
    assert live_names(app_db, program.id) == []


def test_a_file_over_the_size_limit_is_refused(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEJIDO_UPLOAD_LIMIT_MB", "1")
    big = csv_bytes([["Label"], *[[f"Actor {i:07d} " + "x" * 40] for i in range(25_000)]])
    at = open_with_files(open_page, program.id, [("enorme.csv", big)])
    errors = texts(at, "error")
    assert any("«enorme.csv» pesa" in e and "el máximo es 1.0 MB" in e for e in errors), errors
    assert "Hasta 1 MB por archivo" in " ".join(texts(at, "caption"))
    assert live_names(app_db, program.id) == []


def test_one_unreadable_file_among_good_ones_blocks_the_whole_import(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    files = [("mapa.xlsx", kumu_workbook()), ("notas.pdf", b"%PDF-1.4")]
    at = open_with_files(open_page, program.id, files)
    assert any("«notas.pdf»" in e for e in texts(at, "error"))
    assert not [b for b in at.button if b.key == "import_page.apply"]
    assert live_names(app_db, program.id) == []


def test_reimporting_the_same_map_changes_nothing_and_says_so(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    book = kumu_workbook()
    imports.apply_import(app_db, USER, program.id, [imports.read_upload("mapa.xlsx", book, 10**7)])
    at = open_with_files(open_page, program.id, [("mapa.xlsx", book)])
    counts = frame_with(at, "Sin cambios").set_index("Qué")
    assert counts.loc["Actores", "Sin cambios"] == 5 and counts.loc["Actores", "Nuevos"] == 0
    assert "El archivo no trae cambios" in " ".join(texts(at, "info"))
    assert at.button(key="import_page.apply").disabled is True


def test_the_remove_button_forgets_the_chosen_files(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_with_files(open_page, program.id, [("mapa.xlsx", kumu_workbook())])
    assert "Archivos listos para revisar: «mapa.xlsx»" in texts(at, "info")
    at.button(key="import_page.clear").click().run()
    assert import_widgets.UPLOADS not in at.session_state
    assert not [b for b in at.button if b.key == "import_page.apply"]


def test_history_is_empty_at_first(open_page: Callable[..., AppTest], program: ProgramInfo) -> None:
    at = open_page(PAGE, program_id=program.id)
    assert "Aún no hay importaciones en este programa." in texts(at, "info")


def test_export_tab_offers_every_format_and_the_templates(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(PAGE, program_id=program.id)
    choice = at.radio(key="import_page.export_format")
    assert choice.options == [
        "XLSX — libro de Tejido (actores, vínculos, evaluaciones)",
        "CSV — archivo zip con tres CSV",
        "Kumu — libro con hojas Elements y Connections",
        "GEXF — para Gephi, con todos los atributos",
        "GraphML — para Gephi, yEd u otros programas de redes",
        "JSON — copia completa del programa, que se puede restaurar",
    ]
    # Contact data stay out of exports unless asked for.
    assert at.toggle(key="import_page.include_personal").value is False
    assert "Plantillas vacías" in texts(at, "subheader")


def test_download_names_are_the_names_the_export_service_gives(
    app_db: Database, program: ProgramInfo
) -> None:
    for fmt in exports.FORMATS:
        name, data, mime = exports.export_program(app_db, program.id, fmt, by=USER)
        assert export_widgets.export_file_name(program.name, fmt) == name
        assert export_widgets.EXPORT_FILES[fmt][1] == mime
        assert data


def test_a_viewer_cannot_import_or_undo_nor_download_the_full_backup(
    app_db: Database, program: ProgramInfo
) -> None:
    viewer = Principal("ana", memberships=((program.id, "viewer"),))
    mentor = Principal("beto", memberships=((program.id, "mentor"),))
    lead = Principal("lia", memberships=((program.id, "lead"),))
    assert not import_widgets.may_import(viewer, program.id)
    assert import_widgets.may_import(mentor, program.id)
    assert "json" not in export_widgets.export_formats(viewer, program.id)
    # The complete JSON backup (with the members' names and roles) is the lead's.
    assert "json" not in export_widgets.export_formats(mentor, program.id)
    assert export_widgets.export_formats(lead, program.id) == list(exports.FORMATS)
