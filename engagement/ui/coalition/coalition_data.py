"""Coalition frames for the maps and the grid: actors with their current assessment.

Read through :func:`engagement.ui.context.view`: only what this user may see, under
the names they see (stand-ins for citizens in presentation mode), cached per data
version and per (stage, date) choice by the services' read layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from engagement.ui import context


def coalition_frame(
    program_id: int, *, stage_id: int | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Live actors visible to this user with their latest assessment (within a stage or
    up to a date when given); NA scores for actors never assessed."""
    return context.view(program_id).coalition_actors(stage_id=stage_id, as_of=as_of)


def visible_ties(program_id: int) -> pd.DataFrame:
    """Live ties whose two ends are both visible to this user."""
    return context.view(program_id).ties()


#: Network measures offered to size actors on the grid, in the order shown.
SIZE_MEASURES = (
    "degree", "in_degree", "betweenness", "closeness", "eigenvector", "pagerank",
    "reach_two_steps", "brokerage_total",
)  # fmt: skip


def network_measures(program_id: int) -> dict[str, Mapping[int, float]]:
    """Each sizing measure by visible actor id (computed once per data version; actors
    this user may not see are left out of the analysis)."""
    table = context.view(program_id).measures()
    ids = table["id"].astype(int).tolist()
    return {
        name: dict(zip(ids, table[name].astype(float).tolist(), strict=True))
        for name in SIZE_MEASURES
        if name in table.columns
    }
