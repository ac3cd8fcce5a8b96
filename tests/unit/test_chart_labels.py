"""Label placement: no name overlaps another name, a marker or an obstacle, at any scale."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.analysis.grid import spread_positions
from engagement.charts.label_boxes import Box
from engagement.charts.label_placement import place_labels
from engagement.charts.labels import Marker, Obstacle, label_box, leader_segment
from engagement.charts.name_text import label_text, text_size

PLOT = Box(0, 0, 800, 500)


def marker_box(marker: Marker, sx: float = 1.0, sy: float = 1.0) -> Box:
    x, y, r = marker.x * sx, marker.y * sy, marker.radius
    return Box(x - r, y - r, x + r, y + r)


def assert_clean(
    markers: list[Marker],
    layout_labels: tuple,  # type: ignore[type-arg]
    plot: Box,
    scales: list[tuple[float, float]],
    obstacles: list[Obstacle] = (),  # type: ignore[assignment]
) -> None:
    by_key = {m.key: m for m in markers}
    for sx, sy in scales:
        boxes = [label_box(by_key[label.key], label, sx, sy) for label in layout_labels]
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), (sx, sy, a, b)
        for box in boxes:
            assert box.left >= plot.left * sx - 1e-6 and box.right <= plot.right * sx + 1e-6
            assert box.bottom >= plot.bottom * sy - 1e-6 and box.top <= plot.top * sy + 1e-6
            for m in markers:
                assert not box.overlaps(marker_box(m, sx, sy)), (sx, sy, box, m)
            for o in obstacles:
                scaled = Box(
                    o.x * sx - o.width / 2, o.y * sy - o.height / 2,
                    o.x * sx + o.width / 2, o.y * sy + o.height / 2,
                )  # fmt: skip
                assert not box.overlaps(scaled)


Segment = tuple[tuple[float, float], tuple[float, float]]


def crosses(segment: Segment, box: Box) -> bool:
    """Whether the segment passes through the inside of the box (Liang-Barsky)."""
    (x0, y0), (x1, y1) = segment
    low, high = 0.0, 1.0
    for p, q in (
        (x0 - x1, x0 - box.left), (x1 - x0, box.right - x0),
        (y0 - y1, y0 - box.bottom), (y1 - y0, box.top - y0),
    ):  # fmt: skip
        if p == 0:
            if q <= 0:
                return False
            continue
        r = q / p
        if p < 0:
            low = max(low, r)
        else:
            high = min(high, r)
    return high - low > 1e-9


def segments_cross(a: Segment, b: Segment) -> bool:
    def side(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = side(a[0], a[1], b[0]), side(a[0], a[1], b[1])
    d3, d4 = side(b[0], b[1], a[0]), side(b[0], b[1], a[1])
    return d1 * d2 < 0 and d3 * d4 < 0


def assert_leaders_clear(
    markers: list[Marker],
    found: tuple,
    scales: list[tuple[float, float]],  # type: ignore[type-arg]
) -> None:
    """No leader crosses a name, another marker or another leader, at any scale."""
    by_key = {m.key: m for m in markers}
    for sx, sy in scales:
        boxes = {label.key: label_box(by_key[label.key], label, sx, sy) for label in found}
        lines = {
            label.key: leader_segment(by_key[label.key], label, sx, sy)
            for label in found
            if label.leader
        }
        for key, line in lines.items():
            if line is None:
                continue
            for other, box in boxes.items():
                assert other == key or not crosses(line, box), (sx, sy, key, other)
            for m in markers:
                assert m.key == key or not crosses(line, marker_box(m, sx, sy)), (key, m)
            for other, line2 in lines.items():
                assert other == key or line2 is None or not segments_cross(line, line2)


def crowded_grid(per_cell: dict[tuple[int, int], int]) -> list[Marker]:
    """Markers spread like the power/interest grid draws them, on an 800x500 plot."""
    scores = [cell for cell, n in per_cell.items() for _ in range(n)]
    positions = spread_positions(scores)
    markers = []
    for key, (x, y) in enumerate(positions):
        px, py = (x - 0.5) / 5 * 800, (y - 0.05) / 5.9 * 500
        markers.append(Marker(key, px, py, 7.5, f"Actor número {key} del programa"))
    return markers


def test_one_marker_gets_its_name_beside_it() -> None:
    layout = place_labels([Marker(1, 400, 250, 8, "Alcaldía")], plot=PLOT, font_size=11)
    (label,) = layout.labels
    assert not label.leader and layout.numbered == () and layout.unlabelled == ()
    box = label_box(Marker(1, 400, 250, 8), label)
    assert not box.overlaps(Box(392, 242, 408, 258))


def test_crowded_cell_uses_leaders_then_numbers() -> None:
    markers = crowded_grid({(3, 3): 16, (4, 4): 9, (2, 3): 4})
    layout = place_labels(markers, plot=PLOT, font_size=11)
    assert any(label.leader for label in layout.labels)
    placed = {label.key for label in layout.labels} | {k for k, _ in layout.numbered}
    assert placed == {m.key for m in markers}
    assert [n for _, n in layout.numbered] == list(range(1, len(layout.numbered) + 1))
    assert_clean(markers, layout.labels, PLOT, [(1, 1)])
    assert_leaders_clear(markers, layout.labels, [(1, 1)])


@pytest.mark.parametrize("cells", [{(3, 3): 7, (2, 4): 6, (2, 5): 4}, {(5, 5): 12, (1, 1): 5}])
def test_no_overlap_over_a_range_of_widths(cells: dict[tuple[int, int], int]) -> None:
    markers = crowded_grid(cells)
    layout = place_labels(
        markers, plot=PLOT, font_size=11, x_scales=(1.0, 2.2), y_scales=(1.0, 1.2)
    )
    scales = [(sx, sy) for sx in (1.0, 1.3, 1.7, 2.2) for sy in (1.0, 1.1, 1.2)]
    assert_clean(markers, layout.labels, PLOT, scales)
    assert_leaders_clear(markers, layout.labels, scales)


def test_obstacles_are_avoided() -> None:
    title = Obstacle(400, 250, 200, 20)
    markers = [Marker(1, 400, 230, 6, "Un nombre bastante largo")]
    layout = place_labels(markers, plot=PLOT, font_size=11, obstacles=[title], x_scales=(1.0, 1.5))
    assert_clean(markers, layout.labels, PLOT, [(1, 1), (1.5, 1)], [title])


def test_cap_leaves_the_rest_unlabelled() -> None:
    markers = crowded_grid({(3, 3): 30, (4, 2): 30})
    layout = place_labels(markers, plot=PLOT, font_size=11, max_labels=12)
    assert len(layout.labels) + len(layout.numbered) == 12
    assert len(layout.unlabelled) == 48
    assert_clean(markers, layout.labels, PLOT, [(1, 1)])


def test_markers_without_text_are_only_obstacles() -> None:
    markers = [Marker(1, 100, 100, 10), Marker(2, 125, 100, 6, "Vecina")]
    layout = place_labels(markers, plot=PLOT, font_size=11)
    assert [label.key for label in layout.labels] == [2]
    assert_clean(markers, layout.labels, PLOT, [(1, 1)])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 800), st.floats(0, 500), st.floats(3, 14),
            st.text(alphabet="abcdeñáWMil ", min_size=1, max_size=30),
        ),
        min_size=1,
        max_size=40,
    )
)  # fmt: skip
def test_random_markers_never_overlap(points: list[tuple[float, float, float, str]]) -> None:
    markers = [Marker(i, x, y, r, label_text(s) or "x") for i, (x, y, r, s) in enumerate(points)]
    layout = place_labels(markers, plot=PLOT, font_size=10, x_scales=(1.0, 1.5))
    scales = [(1.0, 1.0), (1.25, 1.0), (1.5, 1.0)]
    assert_clean(markers, layout.labels, PLOT, scales)
    assert_leaders_clear(markers, layout.labels, scales)
    named = {label.key for label in layout.labels} | {k for k, _ in layout.numbered}
    assert named == {m.key for m in markers}
    by_key = {m.key: m for m in markers}
    for label in layout.labels:  # a name is plainly its own marker's
        box = label_box(by_key[label.key], label)
        grown = Box(box.left - 5, box.bottom - 5, box.right + 5, box.top + 5)
        assert not any(grown.overlaps(marker_box(m)) for m in markers if m.key != label.key)


def test_numbers_are_placed_as_soon_as_a_name_finds_no_room() -> None:
    markers = crowded_grid({(3, 3): 16, (4, 4): 9, (2, 3): 4})
    layout = place_labels(markers, plot=PLOT, font_size=11, number_size=9)
    assert layout.numbered and {n.key for n in layout.numbers} <= {k for k, _ in layout.numbered}
    numbers = dict(layout.numbered)
    assert all(label.text == str(numbers[label.key]) for label in layout.numbers)
    beside = {label.key for label in layout.numbers}
    assert layout.on_marker() == tuple((k, n) for k, n in layout.numbered if k not in beside)
    everything = (*layout.labels, *layout.numbers)
    assert_clean(markers, everything, PLOT, [(1, 1)])
    assert_leaders_clear(markers, everything, [(1, 1)])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Alcaldía", "Alcaldía"),
        ("Instituto de Transparencia del Estado de Nayarit (ITAI)", "ITAI"),
        ("Centro de Formación de la Cooperación Española en La Antigua Guatemala",
         "Centro de\nFormación de la C…"),
        ("  Vecina   del  barrio ", "Vecina del barrio"),
    ],
)  # fmt: skip
def test_label_text(name: str, expected: str) -> None:
    assert label_text(name) == expected
    assert all(len(line) <= 18 for line in label_text(name).split("\n"))


def test_text_size_grows_with_lines_and_letters() -> None:
    one, two = text_size("Mmm", 10), text_size("Mmm\nMmm", 10)
    assert two[1] == pytest.approx(2 * one[1]) and two[0] == one[0]
    assert text_size("WWW", 10)[0] > text_size("iii", 10)[0]


def test_names_may_cover_plain_markers_when_asked() -> None:
    """A network map: a named hub among many anonymous dots gets its name beside it."""
    dots = [Marker(100 + i, 300 + 9 * (i % 12), 200 + 9 * (i // 12), 2.5) for i in range(144)]
    hub = Marker(1, 350, 250, 6, "Alcaldía Municipal")
    strict = place_labels([hub, *dots], plot=PLOT, font_size=8)
    covering = place_labels([hub, *dots], plot=PLOT, font_size=8, cover_plain=True)
    assert not any(label.key == 1 and not label.leader for label in strict.labels)
    (label,) = covering.labels
    assert label.key == 1 and not label.leader
    assert not label_box(hub, label).overlaps(marker_box(hub))
