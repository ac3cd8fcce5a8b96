"""The actor panel's content: recommended approach, ties seen from the actor, allies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from engagement.analysis import profiles
from engagement.frameworks import EngagementLevel, Quadrant, SalienceClass
from engagement.i18n import catalog
from engagement.storage.queries.registry import REL_COLUMNS
from tests.unit.grid_frames import actor, frame

TODAY = dt.date(2024, 10, 1)


@pytest.mark.parametrize(
    ("power", "interest", "current", "desired", "keys"),
    [
        (5, 5, 4, 5, ["quadrant.manage_closely", "gap.small", "step.supportive"]),
        (4, 1, 2, 4, ["risk", "quadrant.keep_satisfied", "gap.large", "step.resistant"]),
        (3, 3, 2, 2, ["risk", "quadrant.manage_closely", "gap.none"]),
        (2, 5, 1, 4, ["quadrant.keep_informed", "gap.large", "step.unaware"]),
        (1, 1, 3, 3, ["quadrant.monitor", "gap.none"]),
        (1, 2, 5, 3, ["quadrant.monitor", "gap.over"]),
        (2, 2, 2, 3, ["quadrant.monitor", "gap.small", "step.resistant"]),  # low power: no risk
        (4, 4, None, None, ["quadrant.manage_closely"]),
    ],
)
def test_recommended_approach_for_quadrant_gap_and_risk(
    power: int, interest: int, current: int | None, desired: int | None, keys: list[str]
) -> None:
    approach = profiles.recommended_approach(power, interest, current, desired, threshold=3)
    assert list(approach.keys) == [f"grid.approach.{k}" for k in keys]
    assert approach.risk is ("risk" in keys)
    assert approach.gap == (None if current is None else desired - current)  # type: ignore[operator]


def test_allies_are_suggested_only_when_there_is_work_to_do() -> None:
    busy = profiles.recommended_approach(5, 5, 2, 4, allies=("UNIT",))
    done = profiles.recommended_approach(5, 5, 4, 4, allies=("UNIT",))
    assert busy.keys[-1] == "grid.approach.allies" and busy.allies == ("UNIT",)
    assert "grid.approach.allies" not in done.keys


def test_every_advice_key_is_in_both_catalogs() -> None:
    produced = {
        key
        for power in range(1, 6)
        for interest in range(1, 6)
        for current in range(1, 6)
        for desired in range(1, 6)
        for key in profiles.recommended_approach(
            power, interest, current, desired, allies=("x",)
        ).keys
    }
    assert len(produced) == 1 + 4 + 4 + 4 + 1  # risk, quadrants, gap sizes, steps, allies
    for lang in ("es", "en"):
        assert produced <= set(catalog(lang))


def ties(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {
        "negative": False, "directed": True, "strength": 2, "valid_from": None, "valid_to": None,
        "source_info": "", "note": "", "tags": (), "external_id": None, "version": 1,
        "deleted": False, "tie_type_id": 1, "tie_type_key": "collaborates",
    }  # fmt: skip
    return pd.DataFrame([base | r for r in rows], columns=REL_COLUMNS)


def tie(tid: int, source: tuple[int, str], target: tuple[int, str], **kw: Any) -> dict[str, Any]:
    return {
        "id": tid, "source_id": source[0], "source": source[1], "target_id": target[0],
        "target": target[1], **kw,
    }  # fmt: skip


MUNI, CAMARA, VECINOS, RADIO, ONG = (
    (1, "Muni"),
    (2, "Cámara"),
    (3, "Vecinos"),
    (4, "Radio"),
    (5, "ONG"),
)


def test_ties_seen_from_the_actor() -> None:
    found = profiles.actor_ties(
        ties(
            tie(10, MUNI, VECINOS, strength=3),
            tie(11, CAMARA, MUNI, tie_type_key="conflict", negative=True),
            tie(12, MUNI, RADIO, directed=False, strength=1),
            tie(13, CAMARA, VECINOS),
        ),
        actor_id=1,
    )
    assert found[["id", "direction", "other", "negative"]].values.tolist() == [
        [10, "out", "Vecinos", False],
        [11, "in", "Cámara", True],
        [12, "both", "Radio", False],
    ]
    assert profiles.actor_ties(ties(tie(13, CAMARA, VECINOS)), actor_id=1).empty


def test_allies_come_through_live_non_conflict_ties_to_supporters() -> None:
    coalition = frame(
        actor(1, "Muni", 5, 5, current=2, desired=4),
        actor(2, "Cámara", 4, 2, current=5),
        actor(3, "Vecinos", 2, 5, current=4),
        actor(4, "Radio", 2, 2, current=3),
        actor(5, "ONG", 2, 4, current=5),
    )
    own = profiles.actor_ties(
        ties(
            tie(10, MUNI, VECINOS, strength=1),
            tie(11, CAMARA, MUNI, negative=True, strength=3),  # conflict: not a door
            tie(12, MUNI, RADIO, strength=3),  # neutral: not an ally
            tie(13, ONG, MUNI, strength=3),
            tie(14, MUNI, ONG, valid_to=dt.date(2024, 1, 1)),  # ended
        ),
        actor_id=1,
    )
    assert profiles.allies_of(own, coalition, TODAY) == ("ONG", "Vecinos")


def test_actor_profile_with_history_newest_first_and_staleness() -> None:
    coalition = frame(
        actor(1, "Muni", 5, 2, current=2, desired=4, legitimacy=True,
              assessed_on=dt.date(2024, 6, 1), stage_id=2),
        actor(3, "Vecinos", 2, 5, current=4),
        actor(9, "Sin evaluar"),
    )  # fmt: skip
    history = pd.DataFrame(
        [
            {"actor_id": 1, "assessed_on": dt.date(2024, 2, 1), "stage_id": 1, "power": 3,
             "interest": 2},
            {"actor_id": 3, "assessed_on": dt.date(2024, 2, 1), "stage_id": 1, "power": 2,
             "interest": 5},
            {"actor_id": 1, "assessed_on": dt.date(2024, 6, 1), "stage_id": 2, "power": 5,
             "interest": 2},
        ]
    )  # fmt: skip
    rels = ties(tie(10, MUNI, VECINOS))
    profile = profiles.actor_profile(
        1, coalition, history, rels, threshold=3, stale_days=90, today=TODAY
    )
    assert (profile.name, profile.quadrant, profile.salience) == (
        "Muni", Quadrant.KEEP_SATISFIED, SalienceClass.DOMINANT,
    )  # fmt: skip
    assert profile.approach is not None and profile.approach.risk
    assert profile.approach.current is EngagementLevel.RESISTANT
    assert profile.approach.allies == ("Vecinos",)
    assert profile.history["assessed_on"].tolist() == [dt.date(2024, 6, 1), dt.date(2024, 2, 1)]
    assert profile.history["quadrant"].tolist() == ["keep_satisfied", "keep_satisfied"]
    assert (profile.days_since_assessed, profile.stale) == (122, True)
    fresh = profiles.actor_profile(
        1, coalition, history, rels, threshold=3, stale_days=200, today=TODAY
    )
    assert fresh.stale is False

    unassessed = profiles.actor_profile(
        9, coalition, history, rels, threshold=3, stale_days=90, today=TODAY
    )
    assert unassessed.approach is None and unassessed.assessment is None
    assert unassessed.history.empty and unassessed.ties.empty
    with pytest.raises(KeyError):
        profiles.actor_profile(
            42, coalition, history, rels, threshold=3, stale_days=90, today=TODAY
        )


@pytest.mark.parametrize(("gap", "size"), [(4, "large"), (2, "large"), (1, "small"), (0, "none"),
                                           (-1, "over")])  # fmt: skip
def test_gap_size(gap: int, size: str) -> None:
    assert profiles.gap_size(gap) == size
