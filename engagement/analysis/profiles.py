"""One actor at a glance: current standing, recommended approach, history and ties.

Pure functions over the cached frames a page already holds (the coalition frame of
:func:`engagement.services.coalition.tables.coalition_actors_from`, the assessment history of
:func:`engagement.services.registry.assessments.assessments_frame` and the ties of
:func:`engagement.services.registry.relationships.relationships_frame`). Advice comes back as
catalog keys (``grid.approach.*``) so the UI words it in the user's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from engagement import frameworks
from engagement.frameworks import EngagementLevel, Quadrant, SalienceClass

#: Neighbours at or above this level are suggested as allies who can open a door.
ALLY_LEVEL = EngagementLevel.SUPPORTIVE


@dataclass(frozen=True)
class Approach:
    """What to do about an actor, given its quadrant and engagement gap.

    ``keys`` are catalog keys of the advice lines, in reading order; their placeholders
    are ``{current}``, ``{desired}`` (engagement level names) and ``{gap}``.
    """

    quadrant: Quadrant
    current: EngagementLevel | None
    desired: EngagementLevel | None
    gap: int | None
    risk: bool
    keys: tuple[str, ...]
    allies: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActorProfile:
    id: int
    name: str
    sector: str | None
    territory: str
    tags: tuple[str, ...]
    assessment: dict[str, Any] | None
    quadrant: Quadrant | None
    salience: SalienceClass | None
    approach: Approach | None
    days_since_assessed: int | None
    stale: bool
    history: pd.DataFrame = field(repr=False)
    ties: pd.DataFrame = field(repr=False)


def recommended_approach(
    power: int,
    interest: int,
    current: int | None,
    desired: int | None,
    threshold: int = frameworks.DEFAULT_THRESHOLD,
    allies: tuple[str, ...] = (),
) -> Approach:
    """The advice for an actor's quadrant, its engagement gap and, when high-power and
    Resistant, its risk.

    Examples
    --------
    >>> a = recommended_approach(5, 2, current=2, desired=4)
    >>> a.quadrant.value, a.gap, a.risk
    ('keep_satisfied', 2, True)
    >>> a.keys
    ('grid.approach.risk', 'grid.approach.quadrant.keep_satisfied', 'grid.approach.gap.large', 'grid.approach.step.resistant')
    """  # noqa: E501
    where = frameworks.quadrant(power, interest, threshold)
    keys: list[str] = []
    gap: int | None = None
    risk = current is not None and frameworks.is_risk(power, current, threshold)
    if risk:
        keys.append("grid.approach.risk")
    keys.append(f"grid.approach.quadrant.{where.value}")
    if current is not None and desired is not None:
        gap = frameworks.engagement_gap(current, desired)
        keys.append(f"grid.approach.gap.{gap_size(gap)}")
        if gap > 0:
            keys.append(f"grid.approach.step.{EngagementLevel(current).name.lower()}")
    if allies and (risk or (gap is not None and gap > 0)):
        keys.append("grid.approach.allies")
    return Approach(
        quadrant=where,
        current=EngagementLevel(current) if current is not None else None,
        desired=EngagementLevel(desired) if desired is not None else None,
        gap=gap,
        risk=risk,
        keys=tuple(keys),
        allies=allies,
    )


def gap_size(gap: int) -> str:
    """``large`` (two levels or more), ``small`` (one), ``none`` or ``over`` (negative)."""
    if gap >= 2:
        return "large"
    if gap == 1:
        return "small"
    return "none" if gap == 0 else "over"


TIE_COLUMNS = [
    "id", "direction", "other_id", "other", "tie_type", "negative", "strength", "valid_from",
    "valid_to", "note",
]  # fmt: skip


def actor_ties(ties: pd.DataFrame, actor_id: int) -> pd.DataFrame:
    """The ties of one actor, seen from it: ``direction`` is out, in or both (undirected).

    Sorted by strength (strongest first), then the other actor's name.
    """
    rows = []
    for tie in ties.to_dict("records"):
        if actor_id not in (tie["source_id"], tie["target_id"]):
            continue
        outgoing = tie["source_id"] == actor_id
        direction = "both" if not tie["directed"] else ("out" if outgoing else "in")
        rows.append(
            {
                "id": int(tie["id"]),
                "direction": direction,
                "other_id": int(tie["target_id"] if outgoing else tie["source_id"]),
                "other": tie["target"] if outgoing else tie["source"],
                "tie_type": tie["tie_type_key"],
                "negative": bool(tie["negative"]),
                "strength": int(tie["strength"]),
                "valid_from": _plain(tie["valid_from"]),
                "valid_to": _plain(tie["valid_to"]),
                "note": tie["note"],
            }
        )
    frame = pd.DataFrame(rows, columns=TIE_COLUMNS)
    if frame.empty:
        return frame
    frame["_key"] = frame["other"].str.casefold()
    frame = frame.sort_values(["strength", "_key", "id"], ascending=[False, True, True])
    return frame[TIE_COLUMNS].reset_index(drop=True)


def allies_of(own_ties: pd.DataFrame, coalition: pd.DataFrame, today: dt.date) -> tuple[str, ...]:
    """Neighbours through a live, non-conflict tie whose current level is Supportive or more.

    Strongest tie first; each ally once.
    """
    level = {
        int(i): _plain(v)
        for i, v in zip(coalition["id"], coalition["engagement_current"], strict=True)
    }
    names: list[str] = []
    for tie in own_ties.to_dict("records"):
        ended = tie["valid_to"] is not None and tie["valid_to"] < today
        current = level.get(int(tie["other_id"]))
        if tie["negative"] or ended or current is None:
            continue
        if int(current) >= ALLY_LEVEL and tie["other"] not in names:
            names.append(str(tie["other"]))
    return tuple(names)


def actor_profile(
    actor_id: int,
    coalition: pd.DataFrame,
    history: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    threshold: int,
    stale_days: int,
    today: dt.date,
) -> ActorProfile:
    """Everything the actor panel shows about one actor of ``coalition``.

    Raises ``KeyError`` if the actor is not in the coalition frame.
    """
    matches = coalition[coalition["id"] == actor_id]
    if matches.empty:
        raise KeyError(actor_id)
    row = matches.iloc[0]
    own_history = history[history["actor_id"] == actor_id].iloc[::-1].copy()
    own_history["quadrant"] = [
        frameworks.quadrant(int(p), int(i), threshold).value
        for p, i in zip(own_history["power"], own_history["interest"], strict=True)
    ]
    own_ties = actor_ties(ties, actor_id)
    base = _Base(
        id=int(row["id"]),
        name=str(row["name"]),
        sector=row["sector"] if isinstance(row["sector"], str) else None,
        territory=row["territory"] if isinstance(row["territory"], str) else "",
        tags=tuple(row["tags"] or ()),
        history=own_history.reset_index(drop=True),
        ties=own_ties,
    )
    if pd.isna(row["power"]) or pd.isna(row["interest"]):
        return base.profile()
    assessment = {k: _plain(row[k]) for k in _ASSESSMENT_FIELDS}
    power, interest = assessment["power"], assessment["interest"]
    approach = recommended_approach(
        power,
        interest,
        assessment["engagement_current"],
        assessment["engagement_desired"],
        threshold,
        allies_of(own_ties, coalition, today),
    )
    salience = frameworks.salience_of(
        power, bool(assessment["legitimacy"]), bool(assessment["urgency"]), threshold
    )
    days = (today - assessment["assessed_on"]).days
    return base.profile(assessment, salience, approach, days, days > stale_days)


@dataclass(frozen=True)
class _Base:
    id: int
    name: str
    sector: str | None
    territory: str
    tags: tuple[str, ...]
    history: pd.DataFrame
    ties: pd.DataFrame

    def profile(
        self,
        assessment: dict[str, Any] | None = None,
        salience: SalienceClass | None = None,
        approach: Approach | None = None,
        days: int | None = None,
        stale: bool = False,
    ) -> ActorProfile:
        return ActorProfile(
            id=self.id, name=self.name, sector=self.sector, territory=self.territory,
            tags=self.tags, assessment=assessment,
            quadrant=approach.quadrant if approach else None, salience=salience,
            approach=approach, days_since_assessed=days, stale=stale,
            history=self.history, ties=self.ties,
        )  # fmt: skip


_ASSESSMENT_FIELDS = (
    "power", "interest", "legitimacy", "urgency", "engagement_current", "engagement_desired",
    "participation_target", "assessed_on", "stage_id",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """NA to None, numpy scalars to Python values."""
    if value is None or (not isinstance(value, tuple) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
