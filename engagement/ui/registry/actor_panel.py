"""The actor panel: one actor's standing, recommended approach, assessment history and ties.

Shared by the power/interest grid and the network map: call
``render_actor_panel(program_id, actor_id)`` wherever an actor has been selected.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from engagement.analysis import profiles
from engagement.analysis.profiles import ActorProfile, Approach
from engagement.frameworks import EngagementLevel, ParticipationLevel
from engagement.model import ProgramInfo
from engagement.ui import context, state
from engagement.ui.coalition.coalition_data import coalition_frame, visible_ties
from engagement.ui.i18n import reference_date, tr
from engagement.ui.rights import tracking_rights
from engagement.ui.tracking.tracking_data import as_of

#: Allies listed by name in the advice; more are counted.
MAX_ALLIES = 5
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def render_actor_panel(program_id: int, actor_id: int, stage_id: int | None = None) -> None:
    """Show the panel of ``actor_id`` (a message if it is gone or hidden from this user).

    With ``stage_id``, the standing shown is the latest assessment within that stage, as
    in the grid or table row the panel was opened from.
    """
    program = context.program(program_id)
    try:
        profile = profiles.actor_profile(
            actor_id,
            coalition_frame(program_id, stage_id=stage_id),
            context.frame(program_id, "assessments"),
            visible_ties(program_id),
            threshold=program.power_threshold,
            stale_days=program.stale_days,
            # The dashboard's reference date: a program that has ended is judged at its end.
            today=as_of(program_id),
        )
    except KeyError:
        st.info(tr("grid.panel.not_found"), icon=":material/person_off:")
        return
    stage = next((s for s in program.stages if s.id == stage_id), None)
    with st.container(border=True, key=f"actor_panel_{actor_id}"):
        _header(profile, program)
        if stage is not None:
            st.caption(tr("grid_names.panel.stage", stage=stage.label(_lang())))
        if profile.approach is None and stage is not None:
            st.info(
                tr("grid_names.panel.not_in_stage", stage=stage.label(_lang())),
                icon=":material/info:",
            )
        elif profile.approach is None:
            st.info(tr("grid.panel.not_assessed"), icon=":material/info:")
            if tracking_rights(program.id).assess:
                st.page_link(
                    "app_pages/assessments.py",
                    label=tr("grid.go_assessments"),
                    icon=":material/fact_check:",
                )
        else:
            _standing(profile, program)
        approach_tab, history_tab, ties_tab = st.tabs(
            [tr("grid.panel.tab.approach"), tr("grid.panel.tab.history"), tr("grid.panel.tab.ties")]
        )
        with approach_tab:
            if profile.approach is not None:
                for line in approach_lines(profile.approach):
                    st.markdown(line)
            else:
                st.caption(tr("grid.panel.not_assessed"))
        with history_tab:
            _history(profile, program)
        with ties_tab:
            _ties(profile, program)


def escape_markdown(text: str) -> str:
    """User text shown as typed inside Markdown."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", " ")


def approach_lines(approach: Approach) -> list[str]:
    """The advice of an approach, translated, one Markdown paragraph per line."""
    current = tr(approach.current.key) if approach.current else ""
    desired = tr(approach.desired.key) if approach.desired else ""
    names = [escape_markdown(n) for n in approach.allies[:MAX_ALLIES]]
    more = len(approach.allies) - MAX_ALLIES
    allies = ", ".join(names) + (f" (+{more})" if more > 0 else "")
    return [
        tr(key, current=current, desired=desired, gap=approach.gap, names=allies)
        for key in approach.keys
    ]


def _header(profile: ActorProfile, program: ProgramInfo) -> None:
    st.subheader(escape_markdown(profile.name), anchor=False)
    sectors = {s.key: s.label(_lang()) for s in program.sectors}
    where = [sectors.get(profile.sector or "", tr("grid.no_sector")), profile.territory]
    st.caption(escape_markdown(" · ".join(part for part in where if part)))
    if profile.tags:
        st.caption(tr("grid.panel.tags", tags=escape_markdown(", ".join(profile.tags))))


def _standing(profile: ActorProfile, program: ProgramInfo) -> None:
    assessment, approach = profile.assessment, profile.approach
    assert assessment is not None and approach is not None
    if approach.risk:
        st.error(tr("grid.gaps.risk_flag"), icon=":material/warning:")
    power, interest = st.columns(2)
    power.metric(tr("field.power"), assessment["power"])
    interest.metric(tr("field.interest"), assessment["interest"])
    engagement = tr(
        "grid.panel.engagement_value",
        current=_level(assessment["engagement_current"]),
        desired=_level(assessment["engagement_desired"]),
    )
    facts = [
        f"**{tr('grid.panel.engagement')}:** {engagement}",
        f"**{tr('grid.panel.quadrant')}:** {tr(approach.quadrant.key)}",
        f"**{tr('grid.panel.salience')}:** {tr(profile.salience.key) if profile.salience else ''}",
    ]
    target = assessment["participation_target"]
    if target is not None:
        facts.append(f"**{tr('grid.panel.participation')}:** {tr(ParticipationLevel(target).key)}")
    st.markdown("  \n".join(facts))
    stage = next((s for s in program.stages if s.id == assessment["stage_id"]), None)
    st.caption(
        tr(
            "grid.panel.last_assessed",
            date=f"{assessment['assessed_on']:%d/%m/%Y}",
            stage=stage.label(_lang()) if stage else "",
            days=profile.days_since_assessed,
        )
    )
    if profile.stale:
        st.warning(
            tr("pages.panel.stale", days=profile.days_since_assessed, limit=program.stale_days)
            + " "
            + reference_date(as_of(program.id)),
            icon=":material/schedule:",
        )


def _history(profile: ActorProfile, program: ProgramInfo) -> None:
    history = profile.history
    if history.empty:
        st.caption(tr("grid.panel.no_history"))
        return
    stages = {s.id: s.label(_lang()) for s in program.stages}
    table = pd.DataFrame(
        {
            tr("field.assessed_on"): history["assessed_on"],
            tr("field.stage"): history["stage_id"].map(stages),
            tr("field.power"): history["power"],
            tr("field.interest"): history["interest"],
            tr("grid.panel.quadrant"): history["quadrant"].map(lambda q: tr(f"quadrant.{q}")),
            tr("field.engagement_current"): history["engagement_current"].map(_level),
            tr("field.engagement_desired"): history["engagement_desired"].map(_level),
            tr("field.participation_target"): history["participation_target"].map(
                lambda v: tr(ParticipationLevel(int(v)).key) if pd.notna(v) else ""
            ),
            tr("field.assessor"): history["assessor"],
            tr("field.note"): history["note"],
        }
    )
    st.dataframe(table, hide_index=True, key=f"actor_panel_history_{profile.id}")


def _ties(profile: ActorProfile, program: ProgramInfo) -> None:
    ties = profile.ties
    if ties.empty:
        st.caption(tr("grid.panel.no_ties"))
        return
    types = {t.key: t.label(_lang()) for t in program.tie_types}
    yes, no = tr("common.yes"), tr("common.no")
    table = pd.DataFrame(
        {
            tr("grid.panel.direction"): ties["direction"].map(
                lambda d: tr(f"grid.panel.direction.{d}")
            ),
            tr("grid.panel.other"): ties["other"],
            tr("field.tie_type"): ties["tie_type"].map(lambda k: types.get(k, k)),
            tr("field.strength"): ties["strength"],
            tr("grid.panel.conflict"): ties["negative"].map(lambda n: yes if n else no),
            tr("field.valid_from"): ties["valid_from"],
            tr("field.valid_to"): ties["valid_to"],
            tr("field.note"): ties["note"],
        }
    )
    st.dataframe(table, hide_index=True, key=f"actor_panel_ties_{profile.id}")


def _level(value: Any) -> str:
    if value is None or pd.isna(value):
        return tr("grid.not_rated")
    return tr(EngagementLevel(int(value)).key)


def _lang() -> str:
    return state.lang()
