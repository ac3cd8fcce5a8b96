"""The dashboard's "Descargar informe" / "Download briefing": choices and the download.

Offered to every role: the briefing is built for the signed-in user by the service,
which applies their rights (and presentation mode when it is on).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from engagement.model import ProgramInfo
from engagement.services.exchange import briefing_export
from engagement.services.exchange.briefing_model import FORMATS, PAPERS
from engagement.ui import context, state
from engagement.ui.i18n import label, tr
from engagement.ui.tracking import tracking_data

_ALL = 0
_NOW = 0


def download_briefing(program: ProgramInfo) -> None:
    """A popover with the briefing's options and its download button."""
    with st.popover(tr("briefing.ui.button"), icon=":material/picture_as_pdf:",
                    help=tr("briefing.ui.help")):  # fmt: skip
        left, right = st.columns(2)
        formats = {f: tr(f"briefing.format.{f}") for f in FORMATS}
        fmt = left.radio(tr("briefing.ui.format"), list(formats), format_func=formats.__getitem__,
                         key="briefing.format")  # fmt: skip
        langs = {code: tr(f"briefing.lang.{code}") for code in ("es", "en")}
        lang = right.radio(tr("briefing.ui.lang"), list(langs), format_func=langs.__getitem__,
                           index=list(langs).index(state.lang()), key="briefing.lang")  # fmt: skip
        stages = {_ALL: tr("briefing.scope.all")} | {s.id: label(s) for s in program.stages}
        stage = st.selectbox(tr("briefing.ui.scope"), list(stages),
                             format_func=stages.__getitem__, key="briefing.stage")  # fmt: skip
        taken = tracking_data.snapshot_list(program.id)
        moments = {_NOW: tr("briefing.ui.now")}
        moments |= {s.id: f"{s.name} ({s.taken_at:%d/%m/%Y})" for s in taken}
        snapshot = st.selectbox(
            tr("briefing.ui.as_of"), list(moments), format_func=moments.__getitem__,
            key="briefing.snapshot",
        )  # fmt: skip
        papers = {p: tr(f"briefing.paper.{p}") for p in PAPERS}
        paper = st.segmented_control(
            tr("briefing.ui.paper"), list(papers), format_func=papers.__getitem__,
            default="a4", required=True, key="briefing.paper", disabled=fmt != "pdf",
        )  # fmt: skip
        presenting = state.presentation()
        if presenting:
            st.caption(tr("briefing.ui.presentation"))
        by = context.current_user()
        db = context.database()

        def make() -> bytes:
            _, data, _ = briefing_export.build_briefing(
                db, by, program.id, fmt=str(fmt), paper=str(paper or "a4"), lang=str(lang),
                stage_id=stage or None, snapshot_id=snapshot or None, presentation=presenting,
                today=tracking_data.as_of(program.id),
            )  # fmt: skip
            return data

        name = briefing_export.filename(program.name, str(lang), str(fmt), presenting,
                                        dt.date.today())  # fmt: skip
        mime = briefing_export.PDF_MIME if fmt == "pdf" else briefing_export.HTML_MIME
        st.download_button(
            tr("briefing.ui.download", name=name), data=make, file_name=name, mime=mime,
            key="briefing.download", type="primary", icon=":material/download:",
            on_click="ignore",
        )  # fmt: skip
