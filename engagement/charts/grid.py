"""Plotly figures of the power/interest grid and of movement between two points in time.

Interest runs along x and power along y; the quadrant lines sit at ``threshold - 0.5``
(see :mod:`engagement.analysis.grid`). Quadrant names are written in bands above and
below the cells, where no marker can land, so a name never covers an actor.

Every piece of user text (actor and sector names) is HTML-escaped before it reaches
plotly, whose hover labels, marker texts and legend render a subset of HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from engagement.analysis.grid import MoveStatus
from engagement.charts import grid_names
from engagement.frameworks import EngagementLevel, Quadrant
from engagement.i18n import t
from engagement.palette import ENGAGEMENT_COLOURS, ink

#: Colour of actors with no sector or no engagement rating.
UNKNOWN_COLOUR = "#BBBBBB"
MARKER_SIZE = 15
SIZE_RANGE = (10.0, 38.0)
#: Arrows drawn at most (quadrant changes first): each one is a DOM element to draw.
MAX_ARROWS = 400
#: Cells span 0.5..5.5; the bands above and below hold the quadrant names.
X_RANGE = (0.5, 5.5)
Y_RANGE = (0.05, 5.95)
_BAND = (0.5, 5.5)
_QUADRANT_FILL = {
    Quadrant.MANAGE_CLOSELY: "#F6EEE3",
    Quadrant.KEEP_SATISFIED: "#ECEFF5",
    Quadrant.KEEP_INFORMED: "#EAF3EE",
    Quadrant.MONITOR: "#F5F5F5",
}
#: A click selects an actor through the app (ringed marker); plotly's own selection
#: styling would keep dimming the others after the user picks someone else.
_NO_DIMMING: dict[str, Any] = {
    "selected": {"marker": {"opacity": 0.95}},
    "unselected": {"marker": {"opacity": 0.95}},
}
_ARROW = {MoveStatus.MOVED: ("#332288", 2.2), MoveStatus.SHIFTED: ("#888888", 1.2)}


def escape(value: object) -> str:
    """User text made safe for plotly's HTML-ish labels."""
    return html.escape(str(value), quote=True)


def chart_config(filename: str) -> dict[str, Any]:
    """Plotly config: the mode bar always shown, its camera button saving a 2x PNG."""
    return {
        "displaylogo": False,
        "displayModeBar": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": 1200,
            "height": 900,
            "scale": 2,
        },
    }


def actor_ids_from_selection(points: list[dict[str, Any]]) -> list[int]:
    """Actor ids of the points a user clicked (each actor marker carries its id)."""
    ids: list[int] = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data and isinstance(data[0], int | float):
            ids.append(int(data[0]))
        elif isinstance(data, int | float):
            ids.append(int(data))
    return ids


def marker_sizes(values: Mapping[int, float], ids: list[int]) -> list[float]:
    """Marker diameters in :data:`SIZE_RANGE`, linear in ``values`` (missing: smallest)."""
    known = [float(values[i]) for i in ids if i in values and pd.notna(values[i])]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    small, big = SIZE_RANGE
    sizes = []
    for actor_id in ids:
        value = values.get(actor_id)
        if value is None or pd.isna(value) or high == low:
            sizes.append(small if value is None or pd.isna(value) else (small + big) / 2)
        else:
            sizes.append(small + (float(value) - low) / (high - low) * (big - small))
    return sizes


TITLE_SIZE = 13


def quadrant_cells(
    threshold: int,
) -> list[tuple[Quadrant, tuple[float, float, float, float], tuple[float, float]]]:
    """Each quadrant drawn: its cell (left, right, bottom, top) and where its name goes, in
    the band above or below the cells."""
    line = threshold - 0.5
    (x0, x1), (y0, y1) = X_RANGE, Y_RANGE
    cells = {
        Quadrant.KEEP_SATISFIED: (x0, line, line, y1),
        Quadrant.MANAGE_CLOSELY: (line, x1, line, y1),
        Quadrant.MONITOR: (x0, line, y0, line),
        Quadrant.KEEP_INFORMED: (line, x1, y0, line),
    }
    found = []
    for quadrant, (left, right, bottom, top) in cells.items():
        if right - left <= 0 or min(top, _BAND[1]) - max(bottom, _BAND[0]) <= 0:
            continue  # a threshold of 1 leaves no low quadrants
        y = (_BAND[1] + y1) / 2 if top > line else (y0 + _BAND[0]) / 2
        found.append((quadrant, (left, right, bottom, top), ((left + right) / 2, y)))
    return found


def base_figure(threshold: int, lang: str, title: tuple[str, str] | None = None) -> go.Figure:
    """The empty grid: four tinted quadrants, the threshold lines and the quadrant names.

    ``title`` is (title, subtitle), e.g. the program and what is shown on which date;
    both are escaped, and they travel with the PNG.
    """
    fig = go.Figure()
    if title:
        fig.update_layout(
            title={
                "text": escape(title[0]), "x": 0.01, "xanchor": "left", "font": {"size": 14},
                "subtitle": {"text": escape(title[1]), "font": {"size": 11, "color": "#555555"}},
            }
        )  # fmt: skip
    line = threshold - 0.5
    (x0, x1), (y0, y1) = X_RANGE, Y_RANGE
    for quadrant, (left, right, bottom, top), (x, y) in quadrant_cells(threshold):
        fig.add_shape(
            type="rect", x0=left, x1=right, y0=bottom, y1=top, layer="below",
            fillcolor=_QUADRANT_FILL[quadrant], line={"width": 0},
        )  # fmt: skip
        fig.add_annotation(
            x=x,
            y=y,
            text=f"<b>{escape(t(quadrant.key, lang))}</b>",
            showarrow=False,
            font={"size": TITLE_SIZE, "color": "#333333"},
            name=f"quadrant.{quadrant.value}",
        )
    for shape in ({"x0": line, "x1": line, "y0": y0, "y1": y1},
                  {"x0": x0, "x1": x1, "y0": line, "y1": line}):  # fmt: skip
        fig.add_shape(type="line", line={"color": "#555555", "width": 1.5, "dash": "dash"}, **shape)
    ticks = {"tickmode": "array", "tickvals": [1, 2, 3, 4, 5], "zeroline": False}
    fig.update_xaxes(
        title=f"{escape(t('grid.axis.interest', lang))} →", range=list(X_RANGE),
        showgrid=False, fixedrange=True, **ticks,
    )  # fmt: skip
    fig.update_yaxes(
        title=f"{escape(t('grid.axis.power', lang))} →", range=list(Y_RANGE),
        showgrid=False, fixedrange=True, **ticks,
    )  # fmt: skip
    grid_names.fixed_geometry(fig, titled=bool(title))
    fig.update_layout(
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        font={"color": "#222222"},
        hoverlabel={"align": "left"},
        legend={
            "itemsizing": "constant",
            "orientation": "h",
            "y": -0.11,
            "yanchor": "top",
            "x": 0,
        },
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def colour_groups(
    placed: pd.DataFrame,
    colour_by: str,
    lang: str,
    sector_names: Mapping[str, str],
    sector_colours: Mapping[str, str],
) -> list[tuple[str, str, pd.DataFrame]]:
    """(legend name, colour, rows) for each colour group present, in a stable order."""
    groups: list[tuple[str, str, pd.DataFrame]] = []
    if colour_by == "engagement":
        levels = placed["engagement_current"]
        for level in EngagementLevel:
            rows = placed[levels.notna() & (levels == int(level))]
            groups.append((t(level.key, lang), ENGAGEMENT_COLOURS[int(level)], rows))
        groups.append((t("grid.not_rated", lang), UNKNOWN_COLOUR, placed[levels.isna()]))
    else:
        sectors = placed["sector"]
        for key, name in sector_names.items():
            rows = placed[sectors == key]
            groups.append((name, sector_colours.get(key, UNKNOWN_COLOUR), rows))
        known = sectors.isin(list(sector_names))
        groups.append((t("grid.no_sector", lang), UNKNOWN_COLOUR, placed[~known]))
    return [(escape(name), colour, rows) for name, colour, rows in groups if not rows.empty]


def hover_lines(row: Mapping[Any, Any], lang: str, sector_names: Mapping[str, str]) -> list[str]:
    """Escaped hover lines of one actor: name, sector, scores, engagement."""
    sector = sector_names.get(row["sector"], t("grid.no_sector", lang))
    current, desired = row["engagement_current"], row["engagement_desired"]
    return [
        f"<b>{escape(row['name'])}</b>",
        escape(sector),
        escape(t("grid.hover.scores", lang, power=row["power"], interest=row["interest"])),
        escape(
            t(
                "grid.hover.engagement",
                lang,
                current=_level(current, lang),
                desired=_level(desired, lang),
            )
        ),
    ]


def grid_figure(
    placed: pd.DataFrame,
    *,
    threshold: int,
    lang: str,
    sector_names: Mapping[str, str],
    sector_colours: Mapping[str, str],
    colour_by: str = "sector",
    sizes: Mapping[int, float] | None = None,
    size_name: str | None = None,
    show_names: bool = False,
    names: grid_names.GridNames | None = None,
    selected: int | None = None,
    title: tuple[str, str] | None = None,
) -> go.Figure:
    """The power/interest grid of ``placed`` (see :func:`~engagement.analysis.grid.place_actors`).

    One trace per colour group (sector or current engagement level) so the legend reads
    in the user's language; each marker carries its actor id in ``customdata``. With
    ``show_names``, names are placed by :func:`grid_names.grid_names` (pass ``names`` to
    reuse a placement already made, e.g. for the key beside the chart).
    """
    fig = base_figure(threshold, lang, title)
    legend_key = "grid.legend.engagement" if colour_by == "engagement" else "grid.legend.sector"
    fig.update_layout(legend_title_text=escape(t(legend_key, lang)))
    diameters = marker_diameters(placed, sizes)
    if show_names and names is None:
        names = name_placement(placed, sizes, threshold=threshold, lang=lang, titled=bool(title))
    for name, colour, rows in colour_groups(placed, colour_by, lang, sector_names, sector_colours):
        if diameters:  # big markers first, so small ones are drawn on top of them
            rows = rows.assign(_d=rows["id"].map(diameters)).sort_values("_d", ascending=False)
        records = rows.to_dict("records")
        ids = [int(r["id"]) for r in records]
        hover = []
        for r in records:
            lines = hover_lines(r, lang, sector_names)
            if sizes is not None and size_name:
                lines.append(f"{escape(size_name)}: {_number(sizes.get(int(r['id'])))}")
            hover.append("<br>".join(lines))
        fig.add_trace(
            go.Scatter(
                x=rows["x"].tolist(),
                y=rows["y"].tolist(),
                mode="markers+text" if names else "markers",
                name=name,
                text=grid_names.number_texts(names, ids) if names else None,
                textposition="middle center",
                textfont={"size": 9, "color": ink(colour), "family": grid_names.FONT_FAMILY},
                cliponaxis=False,
                customdata=[[i] for i in ids],
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "color": colour,
                    "size": [diameters[i] for i in ids] if diameters else MARKER_SIZE,
                    "line": {"color": "#FFFFFF", "width": 1},
                    "opacity": 0.8 if diameters else 0.95,
                },
                **_NO_DIMMING,
            )
        )
    if names:
        fig.update_layout(
            annotations=[*fig.layout.annotations, *grid_names.name_annotations(names, placed)]
        )
    if selected is not None:
        _add_selected_ring(fig, placed, selected)
    return fig


def marker_diameters(placed: pd.DataFrame, sizes: Mapping[int, float] | None) -> dict[int, float]:
    """Each actor's marker diameter when sized by a measure (scaled over every actor on
    the grid, not per colour group); empty when all markers have the same size."""
    all_ids = [int(i) for i in placed["id"]]
    return dict(zip(all_ids, marker_sizes(sizes, all_ids), strict=True)) if sizes else {}


def name_placement(
    placed: pd.DataFrame,
    sizes: Mapping[int, float] | None,
    *,
    threshold: int,
    lang: str,
    titled: bool = True,
) -> grid_names.GridNames:
    """Where the names of ``placed`` go on :func:`grid_figure` (and which get numbers);
    the quadrant names in the bands are kept clear."""
    diameters = marker_diameters(placed, sizes)
    titles = [
        (x, y, t(quadrant.key, lang), TITLE_SIZE * 1.08)  # bold is wider
        for quadrant, _cell, (x, y) in quadrant_cells(threshold)
    ]
    return grid_names.grid_names(
        placed, diameters, marker_size=MARKER_SIZE, titles=titles, titled=titled
    )


def movement_figure(
    moves: pd.DataFrame,
    *,
    threshold: int,
    lang: str,
    sector_names: Mapping[str, str],
    sector_colours: Mapping[str, str],
    selected: int | None = None,
    title: tuple[str, str] | None = None,
) -> go.Figure:
    """Arrows from each actor's earlier place to its place now (see ``services.grid.movement``).

    Actors that changed quadrant get a dark, thick arrow; those that moved within their
    quadrant a thin grey one. Hollow circles mark the starting points. At most
    :data:`MAX_ARROWS` arrows are drawn, quadrant changes first (``moves`` comes sorted
    that way from ``services.grid.movement``).
    """
    fig = base_figure(threshold, lang, title)
    arrows = moves[moves["status"].isin(list(_ARROW))].head(MAX_ARROWS)
    # One layout update: add_annotation per arrow re-validates every earlier one.
    fig.update_layout(annotations=[*fig.layout.annotations, *_arrows(arrows)])
    starts = moves[moves["status"].isin(MoveStatus.ARROWS)]
    if not starts.empty:
        fig.add_trace(
            go.Scatter(
                x=starts["x_from"].tolist(),
                y=starts["y_from"].tolist(),
                mode="markers",
                name=escape(t("grid.movement.trace.start", lang)),
                marker={
                    "symbol": "circle-open",
                    "size": 11,
                    "color": "#777777",
                    "line": {"width": 1.5},
                },
                customdata=[[int(i)] for i in starts["id"]],
                hovertext=[_move_hover(m, lang, sector_names) for m in starts.to_dict("records")],
                hovertemplate="%{hovertext}<extra></extra>",
                selected={"marker": {"opacity": 1}},
                unselected={"marker": {"opacity": 1}},
            )
        )
    ends = moves.assign(x=moves["x_to"], y=moves["y_to"])
    for name, colour, rows in colour_groups(ends, "sector", lang, sector_names, sector_colours):
        records = rows.to_dict("records")
        fig.add_trace(
            go.Scatter(
                x=rows["x"].tolist(),
                y=rows["y"].tolist(),
                mode="markers",
                name=name,
                customdata=[[int(r["id"])] for r in records],
                hovertext=[_move_hover(r, lang, sector_names) for r in records],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "color": colour,
                    "size": MARKER_SIZE,
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                **_NO_DIMMING,
            )
        )
    fig.update_layout(legend_title_text=escape(t("grid.legend.sector", lang)))
    if selected is not None:
        _add_selected_ring(fig, ends, selected)
    return fig


def _arrows(arrows: pd.DataFrame) -> list[dict[str, Any]]:
    found = []
    for move in arrows.to_dict("records"):
        colour, width = _ARROW[move["status"]]
        found.append(
            {
                "x": move["x_to"], "y": move["y_to"], "ax": move["x_from"], "ay": move["y_from"],
                "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "",
                "showarrow": True, "arrowhead": 2, "arrowsize": 1.1, "arrowwidth": width,
                "arrowcolor": colour, "standoff": 6, "startstandoff": 5,
            }
        )  # fmt: skip
    return found


def _move_hover(move: Mapping[Any, Any], lang: str, sector_names: Mapping[str, str]) -> str:
    lines = [f"<b>{escape(move['name'])}</b>", escape(sector_names.get(move["sector"], ""))]
    if move["status"] == MoveStatus.NEW:
        lines.append(escape(t("grid.hover.new", lang)))
    else:
        lines.append(escape(t(
            "grid.hover.from", lang, power=move["power_from"], interest=move["interest_from"],
            quadrant=t(f"quadrant.{move['quadrant_from']}", lang),
        )))  # fmt: skip
    lines.append(escape(t(
        "grid.hover.now", lang, power=move["power_to"], interest=move["interest_to"],
        quadrant=t(f"quadrant.{move['quadrant_to']}", lang),
    )))  # fmt: skip
    lines.append(escape(t(f"grid.movement.status.{move['status']}", lang)))
    return "<br>".join(line for line in lines if line)


def _add_selected_ring(fig: go.Figure, placed: pd.DataFrame, selected: int) -> None:
    rows = placed[placed["id"] == selected]
    if rows.empty:
        return
    fig.add_trace(
        go.Scatter(
            x=rows["x"].tolist(),
            y=rows["y"].tolist(),
            mode="markers",
            name="selected",
            showlegend=False,
            hoverinfo="skip",
            customdata=[[selected]],
            marker={"symbol": "circle-open", "size": 30, "color": "#000000", "line": {"width": 3}},
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
        )
    )


def _level(value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("grid.not_rated", lang)
    return t(EngagementLevel(int(value)).key, lang)


def _number(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):.3g}"
