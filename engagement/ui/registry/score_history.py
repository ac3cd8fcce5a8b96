"""How one actor's scores moved over time: a chart with stage markers and a table."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from engagement.frameworks import EngagementLevel
from engagement.i18n import t
from engagement.model import ProgramInfo
from engagement.palette import TOL_MUTED
from engagement.ui import state
from engagement.ui.i18n import tr
from engagement.ui.registry.assessment_grid import engagement_name, participation_name

#: Series: column, colour from the shared colour-blind-safe palette, line dash, hollow.
SERIES = (
    ("power", TOL_MUTED[0], "solid", False),
    ("interest", TOL_MUTED[6], "dash", True),
    ("engagement_current", TOL_MUTED[3], "solid", False),
    ("engagement_desired", TOL_MUTED[3], "dot", True),
)
_STAGE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "hexagon")
_HISTORY_ACTOR = "assess.history_actor"


def choose_actor(actors: pd.DataFrame, history: pd.DataFrame) -> int | None:
    """An actor to follow; assessed actors first, the last one looked at preselected."""
    assessed = set(history["actor_id"].astype(int))
    ordered = sorted(
        zip(actors["id"].astype(int), actors["name"], strict=True),
        key=lambda item: (item[0] not in assessed, str(item[1]).casefold()),
    )
    names = {
        i: name if i in assessed else tr("assessments.history.none", name=name)
        for i, name in ordered
    }
    if not names:
        return None
    remembered = st.session_state.get(state.SELECTED_ACTOR)
    if st.session_state.get(_HISTORY_ACTOR) not in names and remembered in names:
        st.session_state[_HISTORY_ACTOR] = remembered
    chosen: int | None = st.selectbox(
        tr("assessments.history.actor"),
        options=list(names),
        format_func=names.__getitem__,
        key=_HISTORY_ACTOR,
        on_change=_remember,
    )
    return chosen


def _remember() -> None:
    st.session_state[state.SELECTED_ACTOR] = st.session_state.get(_HISTORY_ACTOR)


def _stage_names(program: ProgramInfo, lang: str) -> dict[int, str]:
    return {s.id: s.label(lang) for s in program.stages}


def history_chart(history: pd.DataFrame, program: ProgramInfo) -> go.Figure:
    """Power and interest (top) and engagement, current and desired (bottom), by date.

    Marker shapes and dotted lines show the stage. Interest uses hollow markers so that
    equal scores stay visible on top of each other.
    """
    lang = state.lang()
    stages = _stage_names(program, lang)
    order = {s.id: i for i, s in enumerate(program.stages)}
    data = history.sort_values(["assessed_on", "id"])
    symbols = [_STAGE_SYMBOLS[order.get(int(s), 0) % len(_STAGE_SYMBOLS)] for s in data["stage_id"]]
    stage_text = [stages.get(int(s), "") for s in data["stage_id"]]
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1)
    for column, colour, dash, hollow in SERIES:
        engagement = column.startswith("engagement")
        hover = [engagement_name(v, lang) if engagement else str(int(v)) for v in data[column]]
        name = t(f"field.{column}", lang)
        figure.add_trace(
            go.Scatter(
                x=data["assessed_on"].tolist(),
                y=[int(v) for v in data[column]],
                name=name,
                mode="lines+markers",
                line={"color": colour, "width": 2, "dash": dash},
                marker={
                    "symbol": [f"{s}-open" if hollow else s for s in symbols],
                    "size": 15 if hollow else 10,
                    "color": colour,
                    "line": {"width": 2, "color": colour},
                },
                customdata=list(zip(stage_text, hover, strict=True)),
                hovertemplate="%{x|%d/%m/%Y} · %{customdata[0]}<br>"
                + name
                + ": %{customdata[1]}<extra></extra>",
            ),
            row=2 if engagement else 1,
            col=1,
        )
    _mark_stages(figure, data, stages)
    levels = [int(v) for v in EngagementLevel]
    figure.update_layout(
        height=480,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.08},
        hovermode="closest",
        plot_bgcolor="#FFFFFF",
    )
    figure.update_yaxes(range=[0.5, 5.5], gridcolor="#E5E8EB", zeroline=False)
    figure.update_yaxes(title=tr("assessments.history.scale"), dtick=1, row=1, col=1)
    figure.update_yaxes(
        title=tr("assessments.history.engagement"),
        tickvals=levels,
        ticktext=[t(EngagementLevel(v).key, lang) for v in levels],
        row=2,
        col=1,
    )
    first, last = (
        pd.Timestamp(data["assessed_on"].iloc[0]),
        pd.Timestamp(data["assessed_on"].iloc[-1]),
    )
    room = max(pd.Timedelta(days=30), (last - first) * 0.3)  # for the last stage's name
    figure.update_xaxes(
        tickformat="%d/%m/%Y",
        gridcolor="#E5E8EB",
        range=[first - pd.Timedelta(days=15), last + room],
    )
    return figure


def _mark_stages(figure: go.Figure, data: pd.DataFrame, stages: dict[int, str]) -> None:
    """A dotted line and the stage name where each stage's assessments begin."""
    previous = None
    for day, stage_id in zip(data["assessed_on"], data["stage_id"], strict=True):
        if stage_id == previous:
            continue
        previous = stage_id
        figure.add_vline(
            x=pd.Timestamp(day).timestamp() * 1000,
            line={"dash": "dot", "color": "#555555", "width": 1},
            row="all",
            col=1,
        )
        figure.add_annotation(
            x=day,
            y=1.04,
            yref="paper",
            text=stages.get(int(stage_id), ""),
            showarrow=False,
            xanchor="left",
            font={"color": "#555555"},
        )


def history_table(history: pd.DataFrame, program: ProgramInfo) -> pd.DataFrame:
    """Every assessment, newest first, with levels named in the session's language."""
    lang = state.lang()
    stages = _stage_names(program, lang)
    data = history.sort_values(["assessed_on", "id"], ascending=False)
    yes, no = t("common.yes", lang), t("common.no", lang)

    def flag(value: Any) -> str:
        return yes if bool(value) else no

    table = pd.DataFrame(
        {
            t("field.assessed_on", lang): [f"{d:%d/%m/%Y}" for d in data["assessed_on"]],
            t("field.stage", lang): [stages.get(int(s), "") for s in data["stage_id"]],
            t("field.power", lang): data["power"].astype(int).tolist(),
            t("field.interest", lang): data["interest"].astype(int).tolist(),
            t("field.legitimacy", lang): [flag(v) for v in data["legitimacy"]],
            t("field.urgency", lang): [flag(v) for v in data["urgency"]],
            t("field.engagement_current", lang): [
                engagement_name(v, lang) for v in data["engagement_current"]
            ],
            t("field.engagement_desired", lang): [
                engagement_name(v, lang) for v in data["engagement_desired"]
            ],
            t("field.participation_target", lang): [
                participation_name(v, lang) for v in data["participation_target"]
            ],
            t("field.assessor", lang): data["assessor"].fillna("").tolist(),
            t("field.note", lang): data["note"].fillna("").tolist(),
        }
    )
    return table


def movement(history: pd.DataFrame) -> str:
    """One sentence: where the actor started and where it stands now."""
    lang = state.lang()
    data = history.sort_values(["assessed_on", "id"])
    first, last = data.iloc[0], data.iloc[-1]
    if len(data) == 1:
        return tr("assessments.history.once", day=f"{first['assessed_on']:%d/%m/%Y}")
    return tr(
        "assessments.history.moved",
        day=f"{first['assessed_on']:%d/%m/%Y}",
        count=len(data),
        power=f"{int(first['power'])} → {int(last['power'])}",
        interest=f"{int(first['interest'])} → {int(last['interest'])}",
        engagement=f"{t(EngagementLevel(int(first['engagement_current'])).key, lang)} → "
        f"{t(EngagementLevel(int(last['engagement_current'])).key, lang)}",
    )
