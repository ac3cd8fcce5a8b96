"""Widgets of the power/interest grid page: filters, views, actor chooser and tables.

Each ``render_*`` reads widgets into plain values or shows one view; the numbers come
from :mod:`engagement.analysis.grid`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from engagement.analysis import grid
from engagement.frameworks import EngagementLevel, SalienceClass
from engagement.model import ProgramInfo
from engagement.ui import state
from engagement.ui.coalition.grid_chart import new_pick, sector_names
from engagement.ui.i18n import label, short_date, tr
from engagement.ui.registry.actor_panel import escape_markdown

SECTORS = "grid.sectors"
TAGS = "grid.tags"
TERRITORIES = "grid.territories"
STAGE = "grid.stage"
VIEW = "grid.view"
CHOOSER = "grid.chooser"
COMPARE = "grid.movement.compare"
FROM_STAGE = "grid.movement.stage"
FROM_DATE = "grid.movement.date"
GAPS_TABLE = "grid.gaps.table"
ONLY_RISKS = "grid.gaps.only_risks"
VIEWS = ("grid", "movement", "salience", "gaps")
LATEST = 0
_SALIENCE_ATTRIBUTES = {
    SalienceClass.DORMANT: ("power",),
    SalienceClass.DISCRETIONARY: ("legitimacy",),
    SalienceClass.DEMANDING: ("urgency",),
    SalienceClass.DOMINANT: ("power", "legitimacy"),
    SalienceClass.DANGEROUS: ("power", "urgency"),
    SalienceClass.DEPENDENT: ("legitimacy", "urgency"),
    SalienceClass.DEFINITIVE: ("power", "legitimacy", "urgency"),
    SalienceClass.NON_STAKEHOLDER: (),
}


@dataclass(frozen=True)
class GridFilters:
    sectors: tuple[str, ...]
    tags: tuple[str, ...]
    territories: tuple[str, ...]
    stage_id: int | None

    def apply(self, actors: pd.DataFrame) -> pd.DataFrame:
        return grid.filter_actors(
            actors, sectors=self.sectors, tags=self.tags, territories=self.territories
        )


def render_filters(program: ProgramInfo, actors: pd.DataFrame) -> GridFilters:
    """Sector, tags, territory and stage; every choice is kept while the user stays."""
    names = sector_names(program)
    sector_col, tag_col, territory_col, stage_col = st.columns(4)
    sectors = sector_col.multiselect(
        tr("grid.filter.sector"), options=list(names), format_func=names.__getitem__,
        placeholder=tr("grid.filter.any"), key=SECTORS,
    )  # fmt: skip
    tags = tag_col.multiselect(
        tr("grid.filter.tags"), options=grid.tag_choices(actors),
        placeholder=tr("grid.filter.any"), key=TAGS,
    )  # fmt: skip
    territories = territory_col.multiselect(
        tr("grid.filter.territory"), options=grid.territory_choices(actors),
        placeholder=tr("grid.filter.any"), key=TERRITORIES,
    )  # fmt: skip
    # 0 stands for "latest of any stage" (None would make the box clearable).
    stages = {LATEST: tr("grid.stage.latest")}
    stages |= {s.id: tr("grid.stage.within", stage=label(s)) for s in program.stages}
    stage_id = stage_col.selectbox(
        tr("grid.filter.stage"), options=list(stages), format_func=stages.__getitem__, key=STAGE
    )
    chosen = stage_id if stage_id in stages and stage_id != LATEST else None
    return GridFilters(tuple(sectors), tuple(tags), tuple(territories), chosen)


def render_view_choice() -> str:
    names = {v: tr(f"grid.view.{v}") for v in VIEWS}
    view = st.segmented_control(
        tr("grid.view"), options=list(names), format_func=names.__getitem__,
        default="grid", required=True, key=VIEW,
    )  # fmt: skip
    return view or "grid"


def render_chooser(actors: pd.DataFrame, picked: int | None) -> int | None:
    """The actor chooser, kept in step with clicks; returns the selected actor id."""
    if picked is not None:
        st.session_state[state.SELECTED_ACTOR] = picked
    ordered = actors.sort_values("name", key=lambda s: s.str.casefold())
    names = dict(zip(ordered["id"].astype(int), ordered["name"], strict=True))
    selected = st.session_state.get(state.SELECTED_ACTOR)
    st.session_state[CHOOSER] = selected if selected in names else None
    st.selectbox(
        tr("grid.chooser"), options=list(names), format_func=names.__getitem__, index=None,
        placeholder=tr("grid.chooser.placeholder"), help=tr("grid.chooser.help"),
        key=CHOOSER, on_change=_chosen,
    )  # fmt: skip
    value = st.session_state.get(CHOOSER)
    return int(value) if value is not None else None


def _chosen() -> None:
    st.session_state[state.SELECTED_ACTOR] = st.session_state.get(CHOOSER)


def render_salience(actors: pd.DataFrame, threshold: int) -> None:
    """The eight classes with attributes, count and meaning, then who is in each."""
    st.caption(tr("grid.salience.intro"))
    groups = grid.salience_summary(actors, threshold)
    rows = []
    for group in groups:
        attributes = _SALIENCE_ATTRIBUTES[group.salience]
        rows.append(
            {
                tr("grid.salience.class"): tr(group.salience.key),
                tr("grid.salience.group"): (
                    tr(f"salience.group.{group.salience.group}") if group.salience.group else "—"
                ),
                tr("grid.salience.attributes"): (
                    " + ".join(tr(f"field.{a}") for a in attributes)
                    or tr("grid.salience.no_attributes")
                ),
                tr("grid.salience.count"): group.count,
                tr("grid.salience.meaning"): tr(f"grid.salience.help.{group.salience.value}"),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="grid.salience.table")
    missing = int((~grid.is_assessed(actors)).sum())
    if missing:
        st.caption(tr("grid.salience.not_assessed", count=missing))
    st.markdown(f"**{tr('grid.salience.members')}**")
    for group in groups:
        if group.count:
            title = tr("grid.salience.members_of", name=tr(group.salience.key), count=group.count)
            with st.expander(title, expanded=group.salience is SalienceClass.DEFINITIVE):
                st.markdown("\n".join(f"- {escape_markdown(name)}" for name in group.members))


def render_gaps(actors: pd.DataFrame, program: ProgramInfo, stage_id: int | None) -> int | None:
    """The engagement gap board; returns an actor newly selected by a row click.

    One toggle narrows it to the risks (high power, Resistant), whatever the stage; the
    banner names the data shown: today's assessments, or the latest within the stage.
    """
    st.caption(tr("grid.gaps.intro"))
    board = grid.engagement_gaps(actors, program.power_threshold)
    if board.empty:
        st.info(tr("grid.gaps.empty"))
        return None
    _risk_banner(board[board["risk"]], program, stage_id)
    if st.toggle(
        tr("grid_names.gaps.only_risks"), key=ONLY_RISKS, help=tr("grid_names.gaps.only_risks.help")
    ):
        board = board[board["risk"]].reset_index(drop=True)
        if board.empty:
            st.info(tr("grid_names.gaps.no_risk_rows"), icon=":material/check_circle:")
            return None
    sectors = sector_names(program)
    level = {int(v): tr(v.key) for v in EngagementLevel}
    # The columns that decide effort first: the table is read in a narrow column.
    actor, weighted = tr("field.actor"), tr("grid.gaps.weighted")
    table = pd.DataFrame(
        {
            actor: board["name"],
            tr("grid.gaps.risk"): board["risk"].map(
                lambda r: tr("grid.gaps.risk_flag") if r else ""
            ),
            tr("field.engagement_current"): board["engagement_current"].map(level),
            tr("field.engagement_desired"): board["engagement_desired"].map(level),
            tr("grid.gaps.gap"): board["gap"],
            tr("field.power"): board["power"],
            weighted: board["weighted_gap"],
            tr("grid.gaps.quadrant"): board["quadrant"].map(lambda q: tr(f"quadrant.{q}")),
            tr("field.sector"): board["sector"].map(lambda k: sectors.get(k, tr("grid.no_sector"))),
        }
    )
    event = st.dataframe(
        table,
        hide_index=True,
        key=GAPS_TABLE,
        on_select="rerun",
        selection_mode="single-row",
        column_config={actor: st.column_config.TextColumn(width="medium", pinned=True)},
        height=min(38 + 35 * len(table), 640),
    )
    rows = list(event.selection.rows) if event is not None else []
    return new_pick(GAPS_TABLE, [int(board["id"].iloc[r]) for r in rows])


def _risk_banner(risks: pd.DataFrame, program: ProgramInfo, stage_id: int | None) -> None:
    stage = next((s for s in program.stages if s.id == stage_id), None)
    names = ", ".join(risks["name"])
    if stage is None and risks.empty:
        st.success(tr("grid.gaps.no_risks"), icon=":material/check_circle:")
    elif stage is None:
        st.warning(tr("grid.gaps.risks", count=len(risks), names=names), icon=":material/warning:")
    elif risks.empty:
        st.success(
            tr("grid_names.gaps.no_risks_stage", stage=label(stage)), icon=":material/check_circle:"
        )
    else:
        text = tr("grid_names.gaps.risks_stage", stage=label(stage), count=len(risks), names=names)
        st.warning(text, icon=":material/warning:")


@dataclass(frozen=True)
class Comparison:
    stage_id: int | None
    as_of: dt.date | None

    def label(self, program: ProgramInfo) -> str:
        """The starting point in words: the stage's name or the date."""
        stage = next((s for s in program.stages if s.id == self.stage_id), None)
        if stage is not None:
            return label(stage)
        return short_date(self.as_of) if self.as_of else tr("grid.stage.latest")


def render_comparison(program: ProgramInfo, current_stage: int | None) -> Comparison:
    """Which earlier point the movement view starts from: a stage or a date."""
    mode_col, value_col = st.columns(2)
    modes = {m: tr(f"grid.movement.by_{m}") for m in ("stage", "date")}
    mode = mode_col.segmented_control(
        tr("grid.movement.compare"), options=list(modes),
        format_func=modes.__getitem__, default="stage", required=True,
        key=COMPARE,
    )  # fmt: skip
    if mode == "date":
        start = program.start_date or dt.date.today() - dt.timedelta(days=180)
        chosen = value_col.date_input(
            tr("grid.movement.date"), value=start, format="DD/MM/YYYY", key=FROM_DATE
        )
        return Comparison(None, chosen if isinstance(chosen, dt.date) else start)
    stages = {s.id: label(s) for s in program.stages if s.id != current_stage}
    stage_id = value_col.selectbox(
        tr("grid.movement.stage"), options=list(stages), format_func=stages.__getitem__,
        key=FROM_STAGE,
    )  # fmt: skip
    return Comparison(stage_id, None)


def render_movement_table(moves: pd.DataFrame, program: ProgramInfo) -> None:
    counts = grid.movement_counts(moves)
    st.caption(tr("grid.movement.summary", **counts))
    changed = moves[~moves["status"].isin([grid.MoveStatus.SAME, grid.MoveStatus.NEW])]
    if changed.empty:
        st.info(tr("grid.movement.none"))
        return

    def pair(before: pd.Series, now: pd.Series) -> list[str]:
        return [f"{b} → {n}" for b, n in zip(before, now, strict=True)]

    level = {int(v): tr(v.key) for v in EngagementLevel}
    table = pd.DataFrame(
        {
            tr("field.actor"): changed["name"],
            tr("grid.movement.status"): changed["status"].map(
                lambda s: tr(f"grid.movement.status.{s}")
            ),
            tr("grid.movement.from"): changed["quadrant_from"].map(lambda q: tr(f"quadrant.{q}")),
            tr("grid.movement.to"): changed["quadrant_to"].map(lambda q: tr(f"quadrant.{q}")),
            tr("field.power"): pair(changed["power_from"], changed["power_to"]),
            tr("field.interest"): pair(changed["interest_from"], changed["interest_to"]),
            tr("field.engagement_current"): pair(
                changed["engagement_from"].map(lambda v: level.get(v, "—")),
                changed["engagement_to"].map(lambda v: level.get(v, "—")),
            ),
        }
    )
    st.dataframe(table, hide_index=True, key="grid.movement.table")
