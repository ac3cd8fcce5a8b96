"""The coalition analysis tables under the network map: each with a one-line
explanation in plain language and CSV/XLSX downloads.

Every table is computed by ``engagement.services.coalition.network`` (cached per data version) for
this user: restricted actors left out for those who may not see them, stand-in names in
presentation mode. The tab's table as shown (names, headers, rounding, Arrow) is prepared
once per data version, visibility class and language too: changing the map's colours
reruns the page without preparing it again.

Only the tab in view runs (switching tabs reruns the page), and the CSV/XLSX files are
written when their button is clicked: the tables share the page with the network map,
and every element sent to the browser is work done before the map can be drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from engagement.frameworks import EngagementLevel
from engagement.i18n import has
from engagement.io.marks import ExportMark
from engagement.io.writers import CSV_MIME, XLSX_MIME, Table, csv_bytes, xlsx_bytes
from engagement.services.exchange import exports
from engagement.services.registry.terms import slug
from engagement.services.view import ProgramView, kept
from engagement.ui import context, state
from engagement.ui.coalition.broker_views import render_brokers
from engagement.ui.fit import fitted_table
from engagement.ui.i18n import label, tr

#: From this many actors the analysis is shown when asked for (see render_analysis).
ON_DEMAND_FROM = 1000
SHOW = "analysis_ui.show"

MEASURE_COLUMNS = (
    "name", "sector", "degree", "in_degree", "out_degree", "betweenness", "closeness",
    "eigenvector", "pagerank", "reach_two_steps", "community", "effective_size",
    "constraint", "coordinator", "itinerant", "gatekeeper", "representative", "liaison",
    "brokerage_total",
)  # fmt: skip
TABS = "analysis_ui.tabs"


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.copy()
    shown.columns = [
        tr(f"analysis.column.{c}") if has(f"analysis.column.{c}", state.lang()) else str(c)
        for c in shown.columns
    ]
    return shown


#: Columns of the analysis tables that hold a sector's key.
SECTOR_COLUMNS = ("sector", "main_sector", "sector_a", "sector_b")


def _named(program_id: int, frame: pd.DataFrame) -> pd.DataFrame:
    """Sectors and engagement levels by name: the whole program's row ("all") and actors
    without a sector say so in words, never with a code."""
    sectors = {s.key: label(s) for s in context.program(program_id).sectors}
    words = {"all": tr("pages.analysis.all_sectors")}

    def sector(key: object) -> str:
        if key is None or (isinstance(key, float) and pd.isna(key)):
            return tr("actors.no_sector")
        return words.get(str(key)) or sectors.get(str(key), str(key))

    named = {c: frame[c].map(sector) for c in SECTOR_COLUMNS if c in frame}
    if "engagement_current" in frame:
        named["engagement_current"] = frame["engagement_current"].map(_level)
    return frame.assign(**named) if named else frame


def _level(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return tr("actors.not_assessed")
    return tr(EngagementLevel(int(str(value).split(".")[0])).key)


def _measures_shown(program_id: int, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per actor in the order of the names this user sees (so stand-ins do not sit
    where the real names would), with the sector's name in the user's language."""
    shown = _named(program_id, frame[[c for c in MEASURE_COLUMNS if c in frame]])
    return shown.sort_values("name", key=lambda s: s.str.casefold(), kind="stable")


#: Tables that list problems: empty means none was found, not that data is missing.
GOOD_NEWS_WHEN_EMPTY = ("sector_gaps", "key_players")


@dataclass(frozen=True)
class Prepared:
    """A tab's table as this reader sees it in this language: ``frame`` with sectors and
    levels in words, and its copies with the column names translated, rounded for the
    CSV and XLSX files (``files``) and for the screen (``screen``, already in Arrow, the
    form ``st.dataframe`` sends: a rerun does not convert it again)."""

    frame: pd.DataFrame
    screen: pa.Table | pd.DataFrame
    files: pd.DataFrame


def _prepare(frame: pd.DataFrame) -> Prepared:
    shown = _labelled(frame).reset_index(drop=True)
    return Prepared(frame, _arrow(shown.round(SCREEN_DECIMALS)), shown.round(FILE_DECIMALS))


def _arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """``frame`` in Arrow; a column Arrow cannot type (mixed values) leaves the frame as
    it is, for Streamlit's own conversion, which mends such columns."""
    try:
        return pa.Table.from_pandas(frame)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame


def _prepared(reader: ProgramView, key: str, load: Callable[[], pd.DataFrame]) -> Prepared:
    """The tab's table, prepared once per data version, reader's visibility class and
    language (in the read layer's cache): a rerun that changes something else on the
    page (the map's colours) sends the same table without working it out again."""

    program_id = reader.program_id

    def compute() -> Prepared:
        frame = load()
        if key == "measures":
            return _prepare(_measures_shown(program_id, frame))
        return _prepare(_named(program_id, frame.drop(columns=[c for c in ("id",) if c in frame])))

    return kept(reader, "analysis_ui", compute, key, state.lang())


def _show(key: str, prepared: Prepared, mark: ExportMark) -> None:
    """The table, its explanation and downloads marked with ``mark`` (the file name says
    program and date; the workbook also has an "Acerca de" sheet: when and who)."""
    st.caption(tr(f"analysis.explain.{key}"))
    if prepared.frame.empty and key in GOOD_NEWS_WHEN_EMPTY:
        st.success(tr(f"analysis_ui.none.{key}"))
        return
    if prepared.frame.empty:
        st.info(tr("analysis_ui.empty"))
        return
    _table(key, prepared)
    files = prepared.files
    title = tr(f"analysis_ui.tab.{key}")
    lang = state.lang()
    # The file says what it holds in the reader's words ("…-sectores-sin-vinculo.csv").
    stem = f"{exports.file_stem(mark.program, lang, presentation=mark.presentation)}-{slug(title)}"

    def table() -> Table:
        return Table(title, tuple(files.columns), files.to_numpy().tolist())

    cols = st.columns(2)
    # The files are written on click (on a thread of their own: no session state there).
    cols[0].download_button(
        tr("analysis_ui.csv"),
        lambda: csv_bytes(table()),
        f"{stem}.csv",
        CSV_MIME,
        key=f"analysis_ui.csv.{key}",
        on_click="ignore",
    )
    cols[1].download_button(
        tr("analysis_ui.xlsx"),
        lambda: xlsx_bytes([table(), mark.about_table(lang)]),
        f"{stem}.xlsx",
        XLSX_MIME,
        key=f"analysis_ui.xlsx.{key}",
        on_click="ignore",
    )


#: The measures shown at first, with their widths: they fit a laptop, headers included
#: ("Intermediaciones (total)"); the others, 110 px each, come with "more columns".
MAIN_MEASURES = {"name": 230, "sector": 190, "degree": 150, "betweenness": 120,
                 "brokerage_total": 180}  # fmt: skip
#: Measures on screen are rounded to this many decimals, in the CSV and XLSX files to four.
SCREEN_DECIMALS = 2
FILE_DECIMALS = 4


def _table(key: str, prepared: Prepared) -> None:
    """The per-actor measures pin the name and keep most measures behind "more
    columns"; the other tables are narrow enough as they are."""
    frame, shown = prepared.frame, prepared.screen
    if key != "measures":
        st.dataframe(shown, hide_index=True, key=f"analysis_ui.table.{key}")
        return
    cc = st.column_config
    labels = dict(zip(frame.columns, prepared.files.columns, strict=True))
    config = {
        labels[c]: cc.Column(width=MAIN_MEASURES.get(c, 110), pinned=c == "name")
        for c in frame.columns
    }
    main = [labels[c] for c in MAIN_MEASURES if c in labels]
    fitted_table(shown, config, main, key=f"analysis_ui.table.{key}")


def render_analysis(program_id: int) -> None:
    """Tabs: measures, brokers, communities, balance, sector gaps, key players, introduction paths.

    In large programs the tables come on demand (a switch, kept for the session): the
    map is what the page is for, and thousands of table rows drawn in the browser at
    the same time would delay it.
    """
    count = len(context.frame(program_id, "actors"))
    if count >= ON_DEMAND_FROM:
        st.caption(tr("analysis_ui.on_demand", count=count))
        if not st.toggle(tr("analysis_ui.show"), key=SHOW):
            return
    user, reader = context.current_user(), context.view(program_id)
    mark = ExportMark.now(
        context.program(program_id).name, user.username, presentation=state.presentation()
    )
    keys = ("measures", "brokers", "communities", "balance", "sector_gaps", "key_players", "paths")
    titles = [tr("brokers.tab") if k == "brokers" else tr(f"analysis_ui.tab.{k}") for k in keys]
    tabs = st.tabs(titles, key=TABS, on_change="rerun")
    loaders: dict[str, Callable[[], pd.DataFrame]] = {
        "measures": reader.measures,
        "communities": reader.communities,
        "balance": reader.balance,
        "sector_gaps": reader.sector_gaps,
        "key_players": reader.key_players,
    }
    for key, tab in zip(keys[:-1], tabs[:-1], strict=True):
        if not tab.open:
            continue
        if key == "brokers":
            with tab:
                render_brokers(program_id, mark)
            continue
        with tab:
            _show(key, _prepared(reader, key, loaders[key]), mark)
    if tabs[-1].open:
        with tabs[-1]:
            _paths(program_id, mark)


def _paths(program_id: int, mark: ExportMark) -> None:
    actors = context.frame(program_id, "actors")
    if len(actors) < 2:
        st.info(tr("analysis_ui.empty"))
        return
    names = dict(zip(actors["id"], actors["name"], strict=True))
    cols = st.columns(2)
    ids = sorted(names, key=lambda i: str(names[i]).lower())
    source = cols[0].selectbox(
        tr("analysis_ui.from"), ids, format_func=names.__getitem__, key="analysis_ui.from"
    )
    target = cols[1].selectbox(
        tr("analysis_ui.to"), ids, index=1, format_func=names.__getitem__, key="analysis_ui.to"
    )
    if source == target:
        st.info(tr("analysis_ui.same_actor"))
        return
    found = context.view(program_id).paths(int(source), int(target))
    if found.empty:
        st.caption(tr("analysis.explain.paths"))
        st.warning(tr("analysis_ui.no_path"))
        return
    if "explanation" in found:
        for sentence in found["explanation"]:
            st.markdown(f"- {sentence}")
    _show("paths", _prepare(found), mark)
