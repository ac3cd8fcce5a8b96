"""The stage dashboard's pieces: figures, alerts, charts, stage progress, OGP checklist,
"since the last mentoring call" and staleness of key players."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from engagement.charts import tracking as charts
from engagement.frameworks import EngagementLevel
from engagement.i18n import grouped
from engagement.model import ProgramInfo
from engagement.services.tracking.changes import CATEGORIES
from engagement.services.tracking.dashboard import Dashboard
from engagement.tracking import ChecklistItem, Figures
from engagement.ui import state
from engagement.ui.fit import fitted_table
from engagement.ui.i18n import label, reference_date, tr
from engagement.ui.markup import escape_markdown
from engagement.ui.tracking import tracking_data

_BADGES = {
    "green": ("green", "check_circle"),
    "amber": ("orange", "error"),
    "red": ("red", "cancel"),
}
_CHART = {"displaylogo": False, "displayModeBar": False}


def local_params(params: dict[str, Any]) -> dict[str, Any]:
    """Dates as the user reads them (DD/MM/YYYY)."""
    return {k: f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else v for k, v in params.items()}


def stage_choice(program: ProgramInfo) -> int | None:
    """All stages, or one; the current stage (first not closed) is marked."""
    options: list[int | None] = [None, *[s.id for s in program.stages]]
    names: dict[int | None, str] = {None: tr("tracking.dashboard.all_stages")}
    names |= {s.id: label(s) + (" ✓" if s.closed_on else "") for s in program.stages}
    return st.segmented_control(
        tr("tracking.dashboard.scope"),
        options,
        format_func=names.__getitem__,
        default=None,
        key="dashboard.stage",
    )


SECTIONS = ("progress", "over_time", "ogp", "since", "stale")


def section_choice() -> str:
    """Which part of the dashboard to show; only that part is computed and drawn."""
    names = {key: tr(f"tracking.tab.{key}") for key in SECTIONS}
    chosen = st.segmented_control(
        tr("tracking.dashboard.section"),
        list(SECTIONS),
        format_func=names.__getitem__,
        default="progress",
        required=True,
        key="dashboard.section",
        label_visibility="collapsed",
    )
    return str(chosen or "progress")


def figures_row(figures: Figures) -> None:
    """The six headline figures, each explained in its tooltip."""
    share, promised = figures.answered_share, figures.commitments
    answered = tr("tracking.dashboard.answered", share=share) if share is not None else None
    shown: list[tuple[str, int | str, str | None]] = [
        ("activities", figures.activities, None),
        ("citizens_involved", grouped(figures.citizens_involved), None),
        ("organisations_participating", figures.organisations_participating, None),
        ("facilitators_active", figures.facilitators_active, None),
        ("inputs_received", figures.inputs_received, answered),
        (
            "commitments",
            sum(promised.values()),
            tr("tracking.dashboard.done", done=promised["done"]),
        ),
    ]
    for col, (key, value, note) in zip(st.columns(len(shown)), shown, strict=True):
        col.metric(
            tr(f"tracking.metric.{key}"),
            value,
            delta=note,
            delta_color="off",
            delta_arrow="off",
            help=tr(f"tracking.metric.{key}.help"),
        )


def alerts(board: Dashboard) -> None:
    """What needs attention, each with where to act."""
    found = [
        (board.overdue_tasks, "tracking.alert.tasks", "app_pages/activities.py"),
        (board.overdue_commitments, "tracking.alert.overdue", "app_pages/commitments.py"),
        (board.stalled_commitments, "tracking.alert.stalled", "app_pages/commitments.py"),
        (board.awaiting_inputs, "tracking.alert.inputs", "app_pages/commitments.py"),
    ]
    for count, key, page in found:
        if count:
            st.page_link(page, label=tr(key, count=count), icon=":material/warning:")


def charts_tab(board: Dashboard, program: ProgramInfo) -> None:
    lang = state.lang()
    if board.monthly.empty:
        st.info(tr("tracking.dashboard.no_activities"), icon=":material/event_busy:")
    else:
        st.markdown(f"**{tr('tracking.chart.monthly')}**")
        st.plotly_chart(
            charts.monthly_figure(board.monthly, lang), config=_CHART, key="dashboard.monthly"
        )
        types = {t.key: label(t) for t in program.activity_types}
        st.markdown(f"**{tr('tracking.chart.by_type')}**")
        st.plotly_chart(
            charts.by_type_figure(board.overall.activities_by_type, types, lang),
            config=_CHART,
            key="dashboard.types",
        )
    if not board.engagement.empty:
        st.markdown(f"**{tr('tracking.chart.engagement')}**")
        names = {s.id: label(s) for s in program.stages}
        st.plotly_chart(
            charts.engagement_figure(board.engagement, names, lang),
            config=_CHART,
            key="dashboard.engagement",
        )


def stage_progress(program: ProgramInfo, board: Dashboard) -> None:
    """One row per stage: closed, current or next, and its figures."""
    current = next((s.id for s in program.stages if s.closed_on is None), None)
    rows = []
    for stage in program.stages:
        f = board.stages[stage.id]
        status = "closed" if stage.closed_on else "current" if stage.id == current else "next"
        rows.append(
            {
                tr("field.stage"): label(stage),
                tr("tracking.stage.status"): tr(f"tracking.stage.{status}")
                + (f" ({stage.closed_on:%d/%m/%Y})" if stage.closed_on else ""),
                tr("tracking.figure.activities"): f.activities,
                tr("tracking.figure.citizens_involved"): f.citizens_involved,
                tr("tracking.figure.organisations_participating"): f.organisations_participating,
                tr("tracking.figure.inputs_received"): f.inputs_received,
                tr("tracking.figure.inputs_answered"): f.inputs_answered,
                tr(
                    "tracking.stage.commitments_done"
                ): f"{f.commitments['done']}/{sum(f.commitments.values())}",
            }
        )
    cc = st.column_config
    # Short headings (the figures' names above), the full wording on hover.
    short = {
        "tracking.figure.activities": ("tracking.metric.activities", 88),
        "tracking.figure.citizens_involved": ("tracking.metric.citizens_involved", 80),
        "tracking.figure.organisations_participating": (
            "tracking.metric.organisations_participating",
            112,
        ),
        "tracking.figure.inputs_received": ("tracking.metric.inputs_received", 122),
        "tracking.stage.commitments_done": ("tracking.metric.commitments", 100),
    }
    config = {
        # Wide enough for a stage's whole name ("Acompañamiento a la implementación").
        tr("field.stage"): cc.Column(width=250, pinned=True),
        tr("tracking.stage.status"): cc.Column(width=128),
    } | {
        tr(long): cc.Column(tr(brief), width=width, help=tr(long))
        for long, (brief, width) in short.items()
    }
    config[tr("tracking.figure.inputs_answered")] = cc.Column(width=130)
    main = [c for c in config if c != tr("tracking.figure.inputs_answered")]
    fitted_table(pd.DataFrame(rows), config, main, key="dashboard.stages")


def checklist(items: list[ChecklistItem]) -> None:
    """Each OGP item with its colour, why, and the evidence behind it."""
    for item in items:
        colour, icon = _BADGES[item.status]
        status = tr(f"ogp.status.{item.status}")
        st.markdown(
            f":{colour}-badge[:material/{icon}: {status}] **{tr(f'ogp.{item.key}.title')}**"
        )
        st.caption(tr(f"ogp.{item.key}.{item.reason}", **local_params(item.params)))
        if item.evidence:
            with st.expander(tr("ogp.evidence_count", count=len(item.evidence))):
                _evidence_table(item)


def _evidence_table(item: ChecklistItem) -> None:
    rows = [
        {
            tr("field.held_on"): e.on,
            tr("ogp.evidence_what"): e.label,
            tr("field.url"): e.url or None,
        }
        for e in item.evidence
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key=f"dashboard.ogp.{item.key}",
        column_config={
            tr("field.held_on"): st.column_config.DateColumn(format="DD/MM/YYYY"),
            tr("field.url"): st.column_config.LinkColumn(),
        },
    )
    page = "app_pages/commitments.py" if item.key == "responses" else "app_pages/activities.py"
    if item.key != "evidence":
        st.page_link(page, label=tr(f"ogp.go.{item.key}"), icon=":material/arrow_forward:")


def since_last_call(program_id: int) -> None:
    """Changes since a date (by default the last mentoring session), from the audit log."""
    last = tracking_data.last_mentoring_call(program_id)
    default = last or dt.date.today() - dt.timedelta(days=7)
    since = st.columns([1, 3])[0].date_input(
        tr("tracking.since.date"), value=default, format="DD/MM/YYYY", key="dashboard.since"
    )
    if last:
        st.caption(tr("tracking.since.last_call", date=f"{last:%d/%m/%Y}"))
    else:
        st.caption(tr("tracking.since.no_call"))
    st.caption(tr("pages.since.dates"))
    found = tracking_data.changes_since(program_id, since)
    # Three to a row: six side by side cut their names off on a laptop.
    cols = [*st.columns(3), *st.columns(3)]
    for col, category in zip(cols, CATEGORIES, strict=True):
        col.metric(tr(f"tracking.since.{category}"), found.counts[category])
    if found.entries.empty:
        st.info(tr("tracking.since.nothing"), icon=":material/check:")
        return
    entries = found.entries
    view = pd.DataFrame(
        {
            tr("tracking.since.when"): entries["at"].dt.date,
            tr("pages.since.basis"): [tr(f"pages.since.basis.{b}") for b in entries["basis"]],
            tr("tracking.since.who"): entries["username"],
            tr("tracking.since.what"): [tr(f"tracking.since.{c}") for c in entries["category"]],
            tr("tracking.since.item"): entries["label"],
            tr("tracking.since.action"): [tr(f"tracking.action.{a}") for a in entries["action"]],
            tr("tracking.since.detail"): [_move_text(d) for d in entries["detail"]],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        key="dashboard.since_table",
        column_config={tr("tracking.since.when"): st.column_config.DateColumn(format="DD/MM/YYYY")},
    )


def _move_text(detail: str) -> str:
    if not detail:
        return ""
    quadrants, levels = detail.split(";")
    q_from, q_to = quadrants.split(">")
    e_from, e_to = levels.split(">")
    parts = []
    if q_from != q_to:
        parts.append(f"{tr(f'quadrant.{q_from}')} → {tr(f'quadrant.{q_to}')}")
    if e_from != e_to:
        parts.append(f"{tr(_level(e_from))} → {tr(_level(e_to))}")
    return "; ".join(parts)


def _level(value: str) -> str:

    return EngagementLevel(int(value)).key


def staleness(frame: pd.DataFrame, days: int, as_of: dt.date) -> None:
    st.caption(tr("tracking.stale.help", days=days))
    st.caption(reference_date(as_of))
    if frame.empty:
        st.success(tr("tracking.stale.none", days=days), icon=":material/check:")
        return
    view = pd.DataFrame(
        {
            tr("field.actor"): frame["name"],
            tr("tracking.stale.last"): frame["last_activity"],
            tr("tracking.stale.days"): [
                tr("tracking.stale.never") if pd.isna(d) else str(int(d))
                for d in frame["days_since"]
            ],
        }
    )
    st.warning(
        tr("tracking.stale.count", count=len(frame), days=days), icon=":material/hourglass_empty:"
    )
    st.dataframe(
        view,
        hide_index=True,
        key="dashboard.stale",
        column_config={tr("tracking.stale.last"): st.column_config.DateColumn(format="DD/MM/YYYY")},
    )


def header(program: ProgramInfo) -> None:
    """The program as the home page introduces it."""
    st.title(program.name)
    where = ", ".join(part for part in (program.municipality, program.country) if part)
    if where:
        st.caption(escape_markdown(where))
    if program.illustrative:
        st.info(tr("app.illustrative"), icon=":material/info:")


def as_of_note(program: ProgramInfo, as_of: dt.date) -> None:
    """Say so when the figures are those of a program that has ended."""
    if as_of < dt.date.today():
        st.caption(tr("tracking.dashboard.ended", date=f"{as_of:%d/%m/%Y}"))
    else:
        st.caption(reference_date(as_of))


def audit_table(table: pd.DataFrame) -> None:
    """The audit trail at a laptop's width: when, who, about what, action and changes."""
    cc = st.column_config
    at, who, entity, subject, action, changes = table.columns
    config = {
        at: cc.DatetimeColumn(format="DD/MM/YYYY HH:mm", width=130),
        who: cc.TextColumn(width=100),
        subject: cc.TextColumn(width=200, pinned=True),
        action: cc.TextColumn(width=90),
        changes: cc.TextColumn(width=360),
        entity: cc.TextColumn(width=120),
    }
    fitted_table(table, config, [at, who, subject, action, changes], key="audit.table")
