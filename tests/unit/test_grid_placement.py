"""Placing actors on the power/interest grid: quadrants, spreading, filters."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.analysis import grid
from engagement.frameworks import Quadrant, quadrant
from tests.unit.grid_frames import actor, frame

KS, MC, MO, KI = (
    Quadrant.KEEP_SATISFIED,
    Quadrant.MANAGE_CLOSELY,
    Quadrant.MONITOR,
    Quadrant.KEEP_INFORMED,
)


@pytest.mark.parametrize(
    ("power", "interest", "threshold", "expected"),
    [
        # default threshold 3: "high" means 3 or more
        (5, 5, 3, MC), (3, 3, 3, MC), (3, 2, 3, KS), (5, 1, 3, KS),
        (2, 3, 3, KI), (1, 5, 3, KI), (2, 2, 3, MO), (1, 1, 3, MO),
        # threshold 4: 3 is now low
        (3, 3, 4, MO), (4, 3, 4, KS), (3, 4, 4, KI), (4, 4, 4, MC),
        # threshold 2 and the extremes 1 and 5
        (2, 1, 2, KS), (1, 2, 2, KI), (1, 1, 2, MO), (2, 2, 2, MC),
        (1, 1, 1, MC), (4, 4, 5, MO), (5, 4, 5, KS), (4, 5, 5, KI), (5, 5, 5, MC),
    ],
)  # fmt: skip
def test_quadrant_table_at_thresholds(
    power: int, interest: int, threshold: int, expected: Quadrant
) -> None:
    assert quadrant(power, interest, threshold) is expected
    # the drawn cell centre falls in the same quadrant as the scores
    assert grid.quadrant_at(interest, power, threshold) is expected


def test_quadrant_lines_sit_on_cell_borders() -> None:
    assert grid.quadrant_at(2.49, 2.5, 3) is KS
    assert grid.quadrant_at(2.5, 2.49, 3) is KI
    assert grid.quadrant_at(2.49, 2.49, 3) is MO


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 9, 10, 30, 200])
def test_cell_offsets_stay_inside_the_cell_and_apart(n: int) -> None:
    offsets = grid.cell_offsets(n)
    assert len(offsets) == n
    assert len(set(offsets)) == n
    assert all(abs(dx) <= grid.CELL_RADIUS and abs(dy) <= grid.CELL_RADIUS for dx, dy in offsets)


def test_a_lone_actor_sits_on_its_scores() -> None:
    assert grid.spread_positions([(4, 2)]) == [(2.0, 4.0)]


scores = st.tuples(st.integers(1, 5), st.integers(1, 5))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(scores, max_size=120), threshold=st.integers(1, 5))
def test_spreading_keeps_points_in_their_cell_and_quadrant_and_distinct(
    cells: list[tuple[int, int]], threshold: int
) -> None:
    positions = grid.spread_positions(cells)
    assert len(positions) == len(cells)
    assert len(set(positions)) == len(positions), "two markers on the same spot"
    for (power, interest), (x, y) in zip(cells, positions, strict=True):
        assert abs(x - interest) < 0.5 and abs(y - power) < 0.5, "left its cell"
        assert grid.quadrant_at(x, y, threshold) is quadrant(power, interest, threshold)


@settings(max_examples=50, deadline=None)
@given(cells=st.lists(scores, min_size=2, max_size=60))
def test_spreading_keeps_markers_visibly_apart(cells: list[tuple[int, int]]) -> None:
    positions = grid.spread_positions(cells)
    closest = min(math.dist(a, b) for i, a in enumerate(positions) for b in positions[i + 1 :])
    # 60 actors in one cell still leaves ~0.1 of a cell between centres
    assert closest >= 0.09


def test_spreading_is_deterministic() -> None:
    cells = [(3, 3), (3, 3), (5, 1), (3, 3)]
    assert grid.spread_positions(cells) == grid.spread_positions(list(cells))


def test_place_actors_sorts_by_name_skips_unassessed_and_names_quadrants() -> None:
    actors = frame(
        actor(1, "Zeta", 5, 5),
        actor(2, "alfa", 5, 5),
        actor(3, "Sin evaluar"),
        actor(4, "Beta", 2, 1),
    )
    placed = grid.place_actors(actors, threshold=3)
    assert placed["name"].tolist() == ["alfa", "Beta", "Zeta"]
    assert placed["quadrant"].tolist() == ["manage_closely", "monitor", "manage_closely"]
    both = placed[placed["quadrant"] == "manage_closely"]
    assert set(zip(both["x"], both["y"], strict=True)) == {(4.8, 5.0), (5.2, 5.0)}
    assert grid.quadrant_counts(placed) == {KS: 0, MC: 2, MO: 1, KI: 0}


def test_place_actors_on_an_empty_program() -> None:
    placed = grid.place_actors(frame(), threshold=3)
    assert placed.empty
    assert list(placed.columns) == grid.PLACED_COLUMNS


def test_filters_combine_sector_tags_and_territory() -> None:
    actors = frame(
        actor(1, "A", 3, 3, sector="media", tags=("agua",), territory="Centro"),
        actor(2, "B", 3, 3, sector="media", tags=("salud",), territory="Aldeas"),
        actor(3, "C", 3, 3, sector="academia", tags=("agua", "salud"), territory="Centro"),
        actor(4, "D", 3, 3, sector=None, tags=(), territory=""),
    )

    def ids(**kw: tuple[str, ...]) -> list[int]:
        return grid.filter_actors(actors, **kw)["id"].tolist()

    assert ids() == [1, 2, 3, 4]
    assert ids(sectors=("media",)) == [1, 2]
    assert ids(tags=("agua",)) == [1, 3]
    assert ids(tags=("agua", "salud")) == [1, 2, 3]
    assert ids(territories=("Centro",)) == [1, 3]
    assert ids(sectors=("media",), tags=("agua",), territories=("Centro",)) == [1]
    assert ids(sectors=("private_sector",)) == []
    assert grid.tag_choices(actors) == ["agua", "salud"]
    assert grid.territory_choices(actors) == ["Aldeas", "Centro"]
