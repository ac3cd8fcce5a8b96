"""The briefing as a file: PDF (Typst) or one self-contained HTML page.

``build_briefing`` gathers the data with :func:`engagement.services.exchange.briefing.briefing_data`
(read through the read layer with the acting user's rights), draws the charts and writes
the file. It returns ``(filename, bytes, mime)`` for a download button or the command line.
"""

from __future__ import annotations

import datetime as dt

from engagement.charts import static
from engagement.charts.static import Chart
from engagement.i18n import t
from engagement.io import briefing_html, briefing_typst
from engagement.model import Principal
from engagement.services.exchange.briefing import briefing_data
from engagement.services.exchange.briefing_model import FORMATS, PAPERS, Briefing
from engagement.services.registry.terms import slug
from engagement.storage.db import Database

PDF_MIME = "application/pdf"
HTML_MIME = "text/html"


def charts(b: Briefing) -> tuple[Chart, Chart | None]:
    """The grid and network charts of a briefing (no network chart without ties)."""
    lang = b.lang
    used = {p.sector for p in b.grid}
    legend = {name: colour for name, colour in b.sector_legend.items() if name in used}
    grid = static.grid_svg(
        b.grid,
        threshold=b.threshold,
        quadrant_names=b.quadrant_names,
        axis_names=(t("grid.axis.power", lang), t("grid.axis.interest", lang)),
        legend=legend,
        cells=b.grid_cells,
    )
    if not b.nodes or not b.edges:
        return grid, None
    network = static.network_svg(
        b.nodes,
        b.edges,
        legend=_map_legend(b),
        tie_names=(t("briefing.network.tie", lang), t("briefing.network.conflict", lang)),
    )
    return grid, network


def _map_legend(b: Briefing) -> dict[str, str]:
    """The sectors whose colours the map shows, in the program's order."""
    drawn = {node.colour for node in b.nodes}
    return {name: colour for name, colour in b.sector_legend.items() if colour in drawn}


def filename(program_name: str, lang: str, fmt: str, presentation: bool, today: dt.date) -> str:
    stem = f"{slug(program_name)}-{t('briefing.file_stem', lang)}-{today:%Y%m%d}"
    if presentation:
        stem += f"-{t('export_mark.file_suffix', lang)}"
    return f"{stem}.{fmt}"


def build_briefing(
    db: Database,
    by: Principal,
    program_id: int,
    *,
    fmt: str = "pdf",
    paper: str = "a4",
    lang: str = "es",
    stage_id: int | None = None,
    snapshot_id: int | None = None,
    presentation: bool = False,
    today: dt.date | None = None,
) -> tuple[str, bytes, str]:
    """The briefing file: ``(filename, data, mime)``.

    Raises
    ------
    ValueError
        For a format, paper or language not offered (a programming error: the command
        line and the page check the user's choice first).
    """
    if fmt not in FORMATS or paper not in PAPERS or lang not in ("es", "en"):
        raise ValueError((fmt, paper, lang))
    b = briefing_data(
        db, by, program_id, stage_id=stage_id, snapshot_id=snapshot_id, lang=lang,
        presentation=presentation, today=today,
    )  # fmt: skip
    grid, network = charts(b)
    name = filename(b.program, lang, fmt, presentation, b.mark.at.date())
    if fmt == "pdf":
        return name, briefing_typst.render_pdf(b, grid, network, paper), PDF_MIME
    return name, briefing_html.render_html(b, grid, network).encode("utf-8"), HTML_MIME
