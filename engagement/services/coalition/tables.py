"""The coalition as analysis inputs: actors with their current assessment, and live ties.

These two frames are the contract between the read layer and engagement.analysis
(:meth:`engagement.services.view.ProgramView.coalition_actors` and ``coalition_ties``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

ASSESSMENT_COLUMNS = [
    "power",
    "interest",
    "legitimacy",
    "urgency",
    "engagement_current",
    "engagement_desired",
    "participation_target",
    "assessed_on",
    "stage_id",
]
ACTOR_COLUMNS = [
    "id",
    "name",
    "sector",
    "tags",
    "territory",
    "confidentiality",
    *ASSESSMENT_COLUMNS,
]
TIE_COLUMNS = [
    "id", "source", "target", "tie_type", "negative", "directed", "strength", "valid_from",
    "valid_to", "source_name", "target_name",
]  # fmt: skip


def coalition_actors_from(
    registry: pd.DataFrame,
    history: pd.DataFrame,
    *,
    stage_id: int | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Live actors (an actors frame) with their latest assessment (of an assessments
    frame), or their latest within a stage / up to a date. Actors never assessed have
    empty (NA) scores."""
    registry = registry.rename(columns={"sector_key": "sector"})
    if stage_id is not None:
        history = history[history["stage_id"] == stage_id]
    if as_of is not None:
        history = history[history["assessed_on"] <= as_of]
    latest = history.drop_duplicates("actor_id", keep="last")[["actor_id", *ASSESSMENT_COLUMNS]]
    merged = registry.merge(latest, how="left", left_on="id", right_on="actor_id")
    for column in ("power", "interest", "engagement_current", "engagement_desired",
                   "participation_target", "stage_id"):  # fmt: skip
        merged[column] = merged[column].astype("Int64")
    for column in ("legitimacy", "urgency"):
        merged[column] = merged[column].astype("boolean")
    return merged[ACTOR_COLUMNS].reset_index(drop=True)


def coalition_ties_from(ties: pd.DataFrame, *, on_date: dt.date | None = None) -> pd.DataFrame:
    """Live ties between live actors (a relationships frame); with ``on_date``, only the
    ties valid on that date."""
    if on_date is not None:
        starts = ties["valid_from"].map(lambda d: d is None or pd.isna(d) or d <= on_date)
        ends = ties["valid_to"].map(lambda d: d is None or pd.isna(d) or d >= on_date)
        ties = ties[starts & ends]
    renamed = ties.rename(
        columns={
            "source_id": "source",
            "target_id": "target",
            "tie_type_key": "tie_type",
            "source": "source_name",
            "target": "target_name",
        }
    )
    return renamed[TIE_COLUMNS].reset_index(drop=True)
