"""The power/interest grid and movement charts on a page, with click-to-select.

Figures come from :mod:`engagement.charts.grid`; this module adds the Streamlit parts:
the chart options (colour, size, names), the PNG button of plotly's mode bar, and turning
a click on a marker into the selected actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from engagement.analysis import grid
from engagement.charts import grid as charts
from engagement.frameworks import Quadrant
from engagement.model import ProgramInfo
from engagement.palette import sector_colours
from engagement.ui import state
from engagement.ui.i18n import label, short_date, tr
from engagement.ui.markup import escape_markdown

COLOUR = "grid.colour"
SIZE = "grid.size"
NAMES = "grid.names"
GRID_CHART = "grid.chart"
MOVEMENT_CHART = "grid.movement.chart"
_LAST_PICK = "grid.last_pick"
NO_MEASURE = "none"


def sector_names(program: ProgramInfo) -> dict[str, str]:
    """Sector key to its label in the user's language, in the program's order."""
    return {s.key: label(s) for s in program.sectors}


def program_sector_colours(program: ProgramInfo) -> dict[str, str]:
    return sector_colours([s.key for s in program.sectors])


def figure_title(program: ProgramInfo, what: str) -> tuple[str, str]:
    """The chart's own title, kept in the PNG: the program; what is shown, today's date."""
    return program.name, tr("grid.figure_title", what=what, date=short_date(dt.date.today()))


def render_grid(
    program: ProgramInfo,
    placed: pd.DataFrame,
    measures: Mapping[str, Mapping[int, float]],
    stage_id: int | None = None,
) -> int | None:
    """Options, the grid itself and its quadrant counts; returns a newly clicked actor id.

    ``measures`` maps a measure (e.g. ``betweenness``) to its value per actor id.
    """
    colour_col, size_col = st.columns([3, 2], vertical_alignment="bottom")
    # Labels are looked up now: a format_func may be called outside this session's run.
    colours = {v: tr(f"grid.colour.{v}") for v in ("sector", "engagement")}
    sizes = {NO_MEASURE: tr("grid.size.none")} | {m: tr(f"grid.size.{m}") for m in measures}
    colour_by = colour_col.segmented_control(
        tr("grid.colour_by"),
        options=list(colours),
        format_func=colours.__getitem__,
        default="sector",
        required=True,
        key=COLOUR,
    )
    size_by = size_col.selectbox(
        tr("grid.size_by"),
        options=list(sizes),
        format_func=sizes.__getitem__,
        key=SIZE,
    )
    show_names = st.toggle(tr("grid.show_names"), value=len(placed) <= 30, key=NAMES)
    chosen_sizes = measures.get(size_by) if size_by != NO_MEASURE else None
    names = (
        charts.name_placement(
            placed, chosen_sizes, threshold=program.power_threshold, lang=state.lang()
        )
        if show_names
        else None
    )
    figure = charts.grid_figure(
        placed,
        threshold=program.power_threshold,
        lang=state.lang(),
        sector_names=sector_names(program),
        sector_colours=program_sector_colours(program),
        colour_by=colour_by or "sector",
        sizes=chosen_sizes,
        size_name=sizes.get(size_by) if size_by != NO_MEASURE else None,
        show_names=show_names,
        names=names,
        selected=st.session_state.get(state.SELECTED_ACTOR),
        title=figure_title(program, _stage_text(program, stage_id)),
    )
    key_rows = names.key_rows() if names else []
    if key_rows:
        chart_col, key_col = st.columns([4, 1], gap="small")
        with chart_col:
            picked = _chart(figure, GRID_CHART, tr("grid.png_filename"))
        with key_col:
            _number_key(key_rows)
    else:
        picked = _chart(figure, GRID_CHART, tr("grid.png_filename"))
    if names and names.layout.unlabelled:
        shown = len(names.layout.labels) + len(names.layout.numbered)
        st.caption(tr("grid_names.capped", shown=shown))
    counts = grid.quadrant_counts(placed)
    order = (Quadrant.MANAGE_CLOSELY, Quadrant.KEEP_SATISFIED, Quadrant.KEEP_INFORMED,
             Quadrant.MONITOR)  # fmt: skip
    per_quadrant = (tr("grid.quadrant_counts", name=tr(q.key), count=counts[q]) for q in order)
    st.caption(tr("grid.count", count=len(placed)) + " " + " · ".join(per_quadrant))
    return picked


def _number_key(rows: list[tuple[int, str]]) -> None:
    """The numbers drawn on crowded markers, with the names they stand for (wrapped, so a
    long name is read whole in the narrow column)."""
    st.markdown(f"**{tr('grid_names.key.title')}**", help=tr("grid_names.key.help"))
    with st.container(height=min(40 + 30 * len(rows), 560), key="grid.number_key"):
        st.markdown("  \n".join(f"**{n}** · {escape_markdown(name)}" for n, name in rows))


def render_movement_chart(program: ProgramInfo, moves: pd.DataFrame, since: str) -> int | None:
    """The movement chart from ``since`` (a stage name or a date); returns a newly clicked
    actor id."""
    figure = charts.movement_figure(
        moves,
        threshold=program.power_threshold,
        lang=state.lang(),
        sector_names=sector_names(program),
        sector_colours=program_sector_colours(program),
        selected=st.session_state.get(state.SELECTED_ACTOR),
        title=figure_title(program, tr("grid.movement.since", since=since)),
    )
    drawn = int(moves["status"].isin(grid.MoveStatus.ARROWS).sum())
    if drawn > charts.MAX_ARROWS:
        st.caption(tr("grid.movement.arrows_capped", shown=charts.MAX_ARROWS, total=drawn))
    return _chart(figure, MOVEMENT_CHART, tr("grid.movement_png_filename"))


def _stage_text(program: ProgramInfo, stage_id: int | None) -> str:
    stage = next((s for s in program.stages if s.id == stage_id), None)
    return tr("grid.stage.within", stage=label(stage)) if stage else tr("grid.stage.latest")


def _chart(figure: go.Figure, key: str, filename: str) -> int | None:
    # Streamlit's theme would restyle the figure; the PNG must look like the screen.
    event = st.plotly_chart(
        figure,
        key=key,
        width="stretch",
        on_select="rerun",
        selection_mode="points",
        theme=None,
        config=charts.chart_config(filename),
    )
    st.caption(tr("grid.png_hint"))
    points = event.selection.points if event is not None and event.selection else []
    picked = new_pick(key, charts.actor_ids_from_selection(points))
    if picked is not None and picked != st.session_state.get(state.SELECTED_ACTOR):
        # Draw again so the clicked actor is ringed and its panel opens.
        st.session_state[state.SELECTED_ACTOR] = picked
        st.rerun()
    return picked


def new_pick(source: str, ids: list[int]) -> int | None:
    """The actor a widget's selection newly points at, or None if nothing changed.

    A chart or table keeps its selection across reruns; only a change counts, so a later
    choice in the chooser is not overridden by an old click.
    """
    seen = st.session_state.setdefault(_LAST_PICK, {})
    signature = tuple(ids)
    if seen.get(source) == signature:
        return None
    seen[source] = signature
    return ids[0] if ids else None
