"""Salience classes, the engagement gap board and movement between two points in time."""

from __future__ import annotations

import datetime as dt

import pytest

from engagement.analysis import grid
from engagement.frameworks import SalienceClass, salience, salience_of
from tests.unit.grid_frames import actor, frame

S = SalienceClass


@pytest.mark.parametrize(
    ("power", "legitimacy", "urgency", "expected", "group"),
    [
        (True, False, False, S.DORMANT, "latent"),
        (False, True, False, S.DISCRETIONARY, "latent"),
        (False, False, True, S.DEMANDING, "latent"),
        (True, True, False, S.DOMINANT, "expectant"),
        (True, False, True, S.DANGEROUS, "expectant"),
        (False, True, True, S.DEPENDENT, "expectant"),
        (True, True, True, S.DEFINITIVE, "definitive"),
        (False, False, False, S.NON_STAKEHOLDER, None),
    ],
)
def test_salience_table(
    power: bool, legitimacy: bool, urgency: bool, expected: SalienceClass, group: str | None
) -> None:
    assert salience(power, legitimacy, urgency) is expected
    assert expected.group == group
    # power is present at the threshold and absent just below it
    assert salience_of(4 if power else 3, legitimacy, urgency, threshold=4) is expected


def test_salience_summary_counts_every_class_with_its_members() -> None:
    actors = frame(
        actor(1, "Dormido", 4, 1),
        actor(2, "Discreto", 1, 1, legitimacy=True),
        actor(3, "Exigente", 2, 1, urgency=True),
        actor(4, "Dominante", 3, 1, legitimacy=True),
        actor(5, "Peligroso", 5, 1, urgency=True),
        actor(6, "Dependiente", 2, 5, legitimacy=True, urgency=True),
        actor(7, "Definitivo B", 3, 5, legitimacy=True, urgency=True),
        actor(8, "definitivo a", 5, 5, legitimacy=True, urgency=True),
        actor(9, "Nadie", 2, 2),
        actor(10, "Sin evaluar"),
    )
    summary = grid.salience_summary(actors, threshold=3)
    assert [g.salience for g in summary] == list(SalienceClass)
    found = {g.salience: (g.count, g.members) for g in summary}
    assert found == {
        S.DORMANT: (1, ("Dormido",)),
        S.DISCRETIONARY: (1, ("Discreto",)),
        S.DEMANDING: (1, ("Exigente",)),
        S.DOMINANT: (1, ("Dominante",)),
        S.DANGEROUS: (1, ("Peligroso",)),
        S.DEPENDENT: (1, ("Dependiente",)),
        S.DEFINITIVE: (2, ("definitivo a", "Definitivo B")),
        S.NON_STAKEHOLDER: (1, ("Nadie",)),
    }


def test_salience_power_follows_the_program_threshold() -> None:
    actors = frame(actor(1, "A", 3, 1, legitimacy=True))
    by_threshold = {
        t: next(g.salience for g in grid.salience_summary(actors, t) if g.count) for t in (3, 4)
    }
    assert by_threshold == {3: S.DOMINANT, 4: S.DISCRETIONARY}


def test_gap_board_orders_by_gap_weighted_by_power_and_flags_risks() -> None:
    actors = frame(
        actor(1, "Ministerio", 5, 2, current=2, desired=4),  # gap 2 x 5 = 10, risk
        actor(2, "Vecinos", 2, 5, current=1, desired=5),  # gap 4 x 2 = 8
        actor(3, "Cámara", 4, 1, current=3, desired=5),  # gap 2 x 4 = 8, power breaks tie
        actor(4, "Concejo", 3, 4, current=2, desired=2),  # gap 0, resistant at threshold: risk
        actor(5, "Radio", 2, 2, current=2, desired=3),  # low power resistant: no risk
        actor(6, "Club", 1, 1, current=5, desired=3),  # over-engaged: negative gap last
        actor(7, "Sin nivel", 5, 5),  # no engagement rated: not on the board
        actor(8, "Sin evaluar"),
    )
    board = grid.engagement_gaps(actors, threshold=3)
    assert board["name"].tolist() == ["Ministerio", "Cámara", "Vecinos", "Radio", "Concejo", "Club"]
    assert board["gap"].tolist() == [2, 2, 4, 1, 0, -2]
    assert board["weighted_gap"].tolist() == [10, 8, 8, 2, 0, -2]
    assert board.set_index("name")["risk"].to_dict() == {
        "Ministerio": True, "Cámara": False, "Vecinos": False, "Radio": False,
        "Concejo": True, "Club": False,
    }  # fmt: skip
    assert board["quadrant"].tolist()[:2] == ["keep_satisfied", "keep_satisfied"]


def test_gap_board_risk_follows_the_threshold() -> None:
    actors = frame(actor(1, "Concejo", 3, 4, current=2, desired=4))
    assert grid.engagement_gaps(actors, threshold=3)["risk"].tolist() == [True]
    assert grid.engagement_gaps(actors, threshold=4)["risk"].tolist() == [False]


def test_gap_board_of_nobody_is_empty() -> None:
    board = grid.engagement_gaps(frame(actor(1, "Sin evaluar")), threshold=3)
    assert board.empty and list(board.columns) == grid.GAP_COLUMNS


def test_movement_statuses_and_order() -> None:
    earlier = frame(
        actor(1, "Sube", 2, 4, current=3),
        actor(2, "Igual", 3, 3, current=3),
        actor(3, "Ajusta", 4, 4, current=3),
        actor(7, "Se involucra", 1, 1, current=2),
        actor(4, "Se fue"),
        actor(5, "Baja", 5, 5, current=4),
    )
    now = frame(
        actor(1, "Sube", 4, 4, current=4, assessed_on=dt.date(2024, 9, 1)),
        actor(2, "Igual", 3, 3, current=3),
        actor(3, "Ajusta", 5, 4, current=3),
        actor(7, "Se involucra", 1, 1, current=4),
        actor(4, "Se fue", 1, 1, current=1),
        actor(5, "Baja", 2, 2, current=2),
        actor(6, "Sin evaluar"),
    )
    moves = grid.movement(earlier, now, threshold=3)
    assert moves["name"].tolist() == ["Baja", "Sube", "Ajusta", "Se involucra", "Se fue", "Igual"]
    assert moves["status"].tolist() == ["moved", "moved", "shifted", "engagement", "new", "same"]
    sube = moves.set_index("name").loc["Sube"]
    assert (sube["quadrant_from"], sube["quadrant_to"]) == ("keep_informed", "manage_closely")
    assert (sube["x_from"], sube["y_from"], sube["x_to"], sube["y_to"]) == (4.0, 2.0, 4.0, 4.0)
    assert (sube["engagement_from"], sube["engagement_to"]) == (3, 4)
    new = moves.set_index("name").loc["Se fue"]
    assert new["quadrant_from"] is None or new["quadrant_from"] != new["quadrant_from"]
    assert grid.movement_counts(moves) == {
        "moved": 2, "shifted": 1, "engagement": 1, "new": 1, "same": 1,
    }  # fmt: skip


def test_movement_spreads_both_ends_within_their_cells() -> None:
    earlier = frame(actor(1, "A", 3, 3), actor(2, "B", 3, 3))
    now = frame(actor(1, "A", 3, 3), actor(2, "B", 5, 5))
    moves = grid.movement(earlier, now, threshold=3).set_index("name")
    assert (moves.loc["A", "x_from"], moves.loc["B", "x_from"]) == (2.8, 3.2)
    assert (moves.loc["A", "x_to"], moves.loc["B", "x_to"]) == (3.0, 5.0)
    assert moves.loc["A", "status"] == "same"
