"""Plotly figures of engagement tracking: activity and participation over time, engagement
levels per stage, activities by type. Every user text is HTML-escaped (plotly renders a
subset of HTML in labels)."""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from engagement.frameworks import EngagementLevel
from engagement.i18n import t
from engagement.palette import ENGAGEMENT_COLOURS, TOL_MUTED

_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
    "height": 320,
    "legend": {"orientation": "h", "y": -0.2},
    "plot_bgcolor": "#FFFFFF",
}


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def monthly_figure(monthly: pd.DataFrame, lang: str) -> go.Figure:
    """Activities per month (bars) with citizens involved and organisations (lines)."""
    fig = go.Figure()
    months = pd.to_datetime(monthly["month"]).tolist()
    fig.add_trace(
        go.Bar(
            x=months,
            y=monthly["activities"].tolist(),
            name=_escape(t("tracking.figure.activities", lang)),
            marker_color=TOL_MUTED[0],
        )
    )
    for column, colour in (
        ("citizens_involved", TOL_MUTED[3]),
        ("organisations_participating", TOL_MUTED[6]),
    ):
        fig.add_trace(
            go.Scatter(
                x=months,
                y=monthly[column].tolist(),
                name=_escape(t(f"tracking.figure.{column}", lang)),
                mode="lines+markers",
                yaxis="y2",
                line={"color": colour, "width": 2},
            )
        )
    fig.update_layout(
        **_LAYOUT,
        xaxis={"tickformat": "%m/%Y", "dtick": "M1"},
        yaxis={"title": _escape(t("tracking.figure.activities", lang)), "rangemode": "tozero"},
        yaxis2={
            "title": _escape(t("tracking.chart.people", lang)),
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
    )
    return fig


def engagement_figure(
    engagement: pd.DataFrame, stage_names: Mapping[int, str], lang: str
) -> go.Figure:
    """Actors at each current engagement level, one stacked bar per stage (in order)."""
    fig = go.Figure()
    stages = [s for s in stage_names if s in set(engagement["stage_id"])]
    for level in EngagementLevel:
        rows = engagement[engagement["engagement_current"] == int(level)]
        counts = dict(zip(rows["stage_id"], rows["actors"], strict=True))
        fig.add_trace(
            go.Bar(
                x=[_escape(stage_names[s]) for s in stages],
                y=[int(counts.get(s, 0)) for s in stages],
                name=_escape(t(level.key, lang)),
                marker_color=ENGAGEMENT_COLOURS[int(level)],
            )
        )
    fig.update_layout(
        **_LAYOUT,
        barmode="stack",
        yaxis={"title": _escape(t("tracking.chart.actors", lang))},
    )
    return fig


def by_type_figure(
    counts: Mapping[str, int], type_names: Mapping[str, str], lang: str
) -> go.Figure:
    """Activities held by type, as horizontal bars (largest on top)."""
    ordered = sorted(counts.items(), key=lambda kv: kv[1])
    fig = go.Figure(
        go.Bar(
            x=[n for _k, n in ordered],
            y=[_escape(type_names.get(k, k)) for k, _n in ordered],
            orientation="h",
            marker_color=TOL_MUTED[2],
        )
    )
    fig.update_layout(
        **(_LAYOUT | {"height": 60 + 34 * max(len(ordered), 1)}),
        xaxis={"title": _escape(t("tracking.figure.activities", lang)), "dtick": 1},
    )
    return fig
