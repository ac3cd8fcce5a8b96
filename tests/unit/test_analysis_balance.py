"""Coalition balance by power, sector gaps, and key players out of reach of supporters."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from engagement.analysis.balance import (
    coalition_balance,
    sector_gaps,
    stance,
    unlinked_key_players,
)
from engagement.analysis.graph import coalition_graph

# id, name, sector, power, interest, engagement_current
ACTORS = pd.DataFrame(
    [
        (1, "Alcaldía", "city", 5, 5, 5),  # leading, key player
        (2, "Concejo", "city", 4, 4, 2),  # resistant, key player, tied to a supporter
        (3, "ONG", "ngo", 2, 5, 4),  # supportive
        (4, "Cámara", "business", 5, 4, 2),  # resistant key player, only a conflict tie
        (5, "Prensa", "media", 3, 2, 3),  # neutral
        (6, "Vecinos", "ngo", None, None, None),  # never assessed
        (7, "Banco", "business", 4, 5, 1),  # unaware key player, no ties
    ],
    columns=["id", "name", "sector", "power", "interest", "engagement_current"],
).astype({"power": "Int64", "interest": "Int64", "engagement_current": "Int64"})

TIES = pd.DataFrame(
    [
        (1, 2, False, False, 3),
        (3, 6, False, True, 2),
        (4, 3, True, False, 1),  # conflict
        (5, 1, False, True, 1),
    ],
    columns=["source", "target", "negative", "directed", "strength"],
)


@pytest.mark.parametrize(
    ("level", "expected"),
    [(1, "other"), (2, "opposition"), (3, "other"), (4, "support"), (5, "support"), (None, None)],
)
def test_stance_from_engagement_level(level: int | None, expected: str | None) -> None:
    assert stance(level if level is not None else pd.NA) == expected


def test_overall_balance_weighs_each_actor_by_power() -> None:
    row = coalition_balance(ACTORS, by=None).loc["all"]
    assert row["actors"] == 7 and row["assessed"] == 6
    assert (row["supporters"], row["opponents"], row["others"]) == (2, 2, 2)
    assert row["support_power"] == 7  # 5 + 2
    assert row["opposition_power"] == 9  # 4 + 5
    assert row["other_power"] == 7  # 3 + 4
    assert row["balance"] == pytest.approx((7 - 9) / 23)


def test_balance_per_sector() -> None:
    table = coalition_balance(ACTORS)
    assert list(table.index) == ["business", "city", "media", "ngo"]
    assert table.loc["city", "balance"] == pytest.approx((5 - 4) / 9)
    assert table.loc["business", "balance"] == pytest.approx(-5 / 9)
    assert table.loc["ngo", ["actors", "assessed", "support_power"]].tolist() == [2, 1, 2]
    assert table.loc["media", "balance"] == 0.0


def test_nobody_assessed_gives_no_balance() -> None:
    unassessed = ACTORS.assign(power=pd.NA, engagement_current=pd.NA)
    assert math.isnan(coalition_balance(unassessed, by=None).loc["all", "balance"])


@pytest.mark.parametrize("dtype", ["Int64", "Float64", "object"])
def test_a_column_with_no_assessment_at_all_counts_nobody(dtype: str) -> None:
    # As the frames give it for a large program whose visible actors are all unassessed:
    # a nullable column that is entirely NA.
    unassessed = ACTORS.assign(
        power=pd.array([pd.NA] * len(ACTORS), dtype=dtype),
        engagement_current=pd.array([pd.NA] * len(ACTORS), dtype=dtype),
    )
    row = coalition_balance(unassessed, by=None).loc["all"]
    assert (row["actors"], row["assessed"], row["supporters"], row["opponents"]) == (
        len(ACTORS),
        0,
        0,
        0,
    )
    per_sector = coalition_balance(unassessed)
    assert per_sector["assessed"].sum() == 0 and per_sector["balance"].isna().all()


def test_sector_gaps_are_pairs_with_no_tie_at_all() -> None:
    gaps = sector_gaps(coalition_graph(ACTORS, TIES))
    pairs = {(a, b) for a, b in gaps[["group_a", "group_b"]].itertuples(index=False)}
    # business-ngo has only a conflict tie: still a tie, so not a gap.
    assert pairs == {("business", "city"), ("business", "media"), ("media", "ngo"), ("city", "ngo")}
    row = gaps[(gaps["group_a"] == "business") & (gaps["group_b"] == "city")].iloc[0]
    assert (row["actors_a"], row["actors_b"]) == (2, 2)


def test_key_players_with_no_positive_tie_to_a_supporter() -> None:
    G = coalition_graph(ACTORS, TIES)
    assert unlinked_key_players(G) == [4, 7]
    # Alcaldía (1) is itself a supporter. At threshold 5 only 5-and-5 actors are key.
    assert unlinked_key_players(G, threshold=5) == []


def test_empty_inputs() -> None:
    empty = ACTORS.iloc[0:0]
    assert coalition_balance(empty).empty
    overall = coalition_balance(empty, by=None).loc["all"]
    assert overall["actors"] == 0 and math.isnan(overall["balance"])
    assert sector_gaps(nx.Graph()).empty
    assert unlinked_key_players(nx.Graph()) == []
