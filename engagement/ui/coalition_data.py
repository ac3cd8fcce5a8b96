"""Cached coalition frames for the maps: actors with their current assessment.

Cached per program data version (computed once after each change, never per rerun) and
per (stage, date) choice. Rows are then limited to the actors that
``context.frame(program_id, "actors")`` shows this user, so whatever that frame hides
(e.g. restricted actors) stays hidden here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from engagement.config import load_settings
from engagement.services import coalition
from engagement.ui import context


@st.cache_data(show_spinner=False, max_entries=64)
def _coalition(
    url: str, program_id: int, version: int, stage_id: int | None, as_of: dt.date | None
) -> pd.DataFrame:
    return coalition.coalition_actors(
        context.database(), program_id, stage_id=stage_id, as_of=as_of
    )


def coalition_frame(
    program_id: int, *, stage_id: int | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Live actors visible to this user with their latest assessment (within a stage or
    up to a date when given); NA scores for actors never assessed."""
    frame = _coalition(
        load_settings().database_url,
        program_id,
        context.program_version(program_id),
        stage_id,
        as_of,
    )
    shown = context.frame(program_id, "actors")
    kept = frame[frame["id"].isin(shown["id"])].reset_index(drop=True)
    # The names this user sees (stand-ins for citizens in presentation mode).
    kept["name"] = kept["id"].map(dict(zip(shown["id"], shown["name"], strict=True)))
    return kept


def visible_ties(program_id: int) -> pd.DataFrame:
    """Live ties whose two ends are both visible to this user."""
    ties = context.frame(program_id, "ties")
    visible = set(context.frame(program_id, "actors")["id"])
    keep = ties["source_id"].isin(visible) & ties["target_id"].isin(visible)
    return ties[keep].reset_index(drop=True)


#: Network measures offered to size actors on the grid, in the order shown.
SIZE_MEASURES = (
    "degree", "in_degree", "betweenness", "closeness", "eigenvector", "pagerank",
    "reach_two_steps", "brokerage_total",
)  # fmt: skip


def network_measures(program_id: int) -> dict[str, Mapping[int, float]]:
    """Each sizing measure by visible actor id (computed once per data version; actors
    this user may not see are left out of the analysis)."""
    table = context.network_measures(program_id)
    visible = context.frame(program_id, "actors")["id"]
    table = table[table["id"].isin(visible)]
    ids = table["id"].astype(int).tolist()
    return {
        name: dict(zip(ids, table[name].astype(float).tolist(), strict=True))
        for name in SIZE_MEASURES
        if name in table.columns
    }
