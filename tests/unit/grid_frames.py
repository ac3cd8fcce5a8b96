"""Coalition frames for the grid unit tests, shaped like ``coalition_actors`` returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from engagement.services.coalition.tables import ACTOR_COLUMNS


def actor(
    actor_id: int,
    name: str,
    power: int | None = None,
    interest: int | None = None,
    *,
    sector: str | None = "civil_society",
    tags: tuple[str, ...] = (),
    territory: str = "",
    legitimacy: bool | None = None,
    urgency: bool | None = None,
    current: int | None = None,
    desired: int | None = None,
    assessed_on: dt.date | None = None,
    stage_id: int | None = None,
) -> dict[str, Any]:
    assessed = power is not None
    return {
        "id": actor_id,
        "name": name,
        "sector": sector,
        "tags": tags,
        "territory": territory,
        "confidentiality": "normal",
        "power": power,
        "interest": interest,
        "legitimacy": legitimacy if legitimacy is not None else (False if assessed else None),
        "urgency": urgency if urgency is not None else (False if assessed else None),
        "engagement_current": current,
        "engagement_desired": desired,
        "participation_target": 3 if assessed else None,
        "assessed_on": assessed_on or (dt.date(2024, 3, 1) if assessed else None),
        "stage_id": stage_id if stage_id is not None else (1 if assessed else None),
    }


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=ACTOR_COLUMNS)
    for column in ("power", "interest", "engagement_current", "engagement_desired",
                   "participation_target", "stage_id"):  # fmt: skip
        df[column] = df[column].astype("Int64")
    for column in ("legitimacy", "urgency"):
        df[column] = df[column].astype("boolean")
    return df
