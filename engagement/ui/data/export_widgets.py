"""Widgets of the export side of the import/export page: empty templates and exports of
the program in every format, generated only when the download button is clicked."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from engagement.io import graphs, writers
from engagement.model import Principal, ProgramInfo
from engagement.services.access import permissions
from engagement.services.database import Database
from engagement.services.exchange import exports
from engagement.ui import state
from engagement.ui.i18n import tr

#: File name ending and type of each export format (names as the CLI writes them).
EXPORT_FILES: dict[str, tuple[str, str]] = {
    "xlsx": (".xlsx", writers.XLSX_MIME),
    "csv": ("-csv.zip", writers.ZIP_MIME),
    "kumu": ("-kumu.xlsx", writers.XLSX_MIME),
    "gexf": (".gexf", graphs.GEXF_MIME),
    "graphml": (".graphml", graphs.GRAPHML_MIME),
    "json": (".json", exports.JSON_MIME),
}


@st.cache_data(show_spinner=False)
def _template_xlsx(lang: str) -> bytes:
    return exports.template_xlsx(lang)


@st.cache_data(show_spinner=False)
def _template_csvs(lang: str) -> dict[str, bytes]:
    return exports.template_csvs(lang)


def templates() -> None:
    """Download buttons for the empty templates, with headers in the user's language."""
    lang = state.lang()
    st.subheader(tr("import_page.templates"))
    st.caption(tr("import_page.templates_caption"))
    cols = st.columns(4)
    cols[0].download_button(
        tr("import_page.template_xlsx"),
        data=_template_xlsx(lang),
        file_name=f"{tr('import_page.template_stem')}.xlsx",
        mime=writers.XLSX_MIME,
        key="import_page.template_xlsx",
        icon=":material/table_view:",
        on_click="ignore",
    )
    for col, (name, data) in zip(cols[1:], _template_csvs(lang).items(), strict=False):
        col.download_button(
            tr("import_page.template_csv", name=name),
            data=data,
            file_name=name,
            mime=writers.CSV_MIME,
            key=f"import_page.template_csv.{name}",
            icon=":material/csv:",
            on_click="ignore",
        )


def export_formats(by: Principal, program_id: int, *, presentation: bool = False) -> list[str]:
    """Formats this user may download: the JSON backup is complete, so only for those who
    manage the program, and never in presentation mode."""
    full = permissions.allowed(by, program_id, permissions.Action.MANAGE_PROGRAM)
    full = full and not presentation
    return [f for f in exports.FORMATS if full or f != "json"]


def export_file_name(
    program_name: str,
    fmt: str,
    today: dt.date | None = None,
    *,
    lang: str = "es",
    presentation: bool = False,
) -> str:
    """The name the export service gives the file (program, date, presentation mode)."""
    ending, _ = EXPORT_FILES[fmt]
    stem = exports.file_stem(program_name, lang, presentation=presentation, today=today)
    return stem + ending


def program_exports(db: Database, by: Principal, program: ProgramInfo) -> None:
    """Choose a format and download; the file is made when the button is clicked, marked
    with the program, the time and this user's name. In presentation mode citizens carry
    stand-in names and no contact data is written."""
    lang, presenting = state.lang(), state.presentation()
    st.subheader(tr("import_page.export"))
    # Labels are computed here: a format_func runs outside the script in AppTest.
    formats = export_formats(by, program.id, presentation=presenting)
    labels = {f: tr(f"import_page.format.{f}") for f in formats}
    fmt = st.radio(
        tr("import_page.export_format"),
        list(labels),
        format_func=labels.__getitem__,
        key="import_page.export_format",
    )
    full = permissions.can_see_restricted(by, program.id)
    if presenting:
        st.info(tr("privacy.export_presenting"), icon=":material/visibility_off:")
    personal = (
        full
        and not presenting
        and st.toggle(
            tr("import_page.include_personal"),
            value=False,
            key="import_page.include_personal",
            help=tr("import_page.include_personal_help"),
            disabled=fmt == "json",
        )
    )
    if not full:
        st.caption(tr("import_page.restricted_left_out"))
    st.caption(tr("import_page.export_caption"))

    def make() -> bytes:
        _, data, _ = exports.export_program(
            db,
            program.id,
            fmt,
            by=by,
            lang=lang,
            include_personal=personal or fmt == "json",
            include_restricted=full,
            presentation=presenting,
        )
        return data

    st.download_button(
        tr("import_page.export_download"),
        data=make,
        file_name=export_file_name(program.name, fmt, lang=lang, presentation=presenting),
        mime=EXPORT_FILES[fmt][1],
        key="import_page.export_download",
        type="primary",
        icon=":material/download:",
        on_click="ignore",
    )
