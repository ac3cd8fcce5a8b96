"""The briefing's static charts: vector SVG, names placed without overlap, capped with a
key when crowded (a 5,000-actor program still gives a legible grid and map)."""

from __future__ import annotations

import random
import re

from engagement.analysis.grid import spread_positions
from engagement.charts import name_text, static
from engagement.services.exchange.briefing_model import GridPoint, MapNode

XSS = "<script>alert(1)</script>"
SHORT_MARKUP = "<b>Red</b>"


def grid_points(n: int, seed: int = 3) -> list[GridPoint]:
    rng = random.Random(seed)
    scores = [(rng.randint(1, 5), rng.randint(1, 5)) for _ in range(n)]
    positions = spread_positions(scores)
    names = [XSS, SHORT_MARKUP, *(f"Organización número {i}" for i in range(2, n))][:n]
    return [
        GridPoint(i, names[i], "Sector", "#332288", p, s, x, y)
        for i, ((p, s), (x, y)) in enumerate(zip(scores, positions, strict=True))
    ]


def draw_grid(points: list[GridPoint]) -> static.Chart:
    return static.grid_svg(
        points, threshold=3, quadrant_names={}, axis_names=("Poder", "Interés"),
        legend={"Sector": "#332288"},
    )  # fmt: skip


def test_a_small_grid_names_everyone_as_vector_text() -> None:
    chart = draw_grid(grid_points(12))
    assert chart.svg.lstrip().startswith("<?xml") and "<image" not in chart.svg
    assert chart.named + len(chart.key) == 12 and chart.unnamed == 0
    assert "DejaVu Sans" in chart.svg
    # Names are written as text, never as markup.
    assert XSS not in chart.svg and "&lt;script&gt;" in chart.svg
    assert SHORT_MARKUP not in chart.svg and "&lt;b&gt;Red&lt;/b&gt;" in chart.svg
    assert "<metadata" not in chart.svg


def test_a_crowded_grid_counts_every_cell_and_numbers_the_first_actors() -> None:
    points = grid_points(400)
    points.sort(key=lambda p: (-p.power, -p.interest))  # as the briefing gives them
    cells = [(5, 5, 1200), *((p, i, 10) for p in range(1, 6) for i in range(1, 5))]
    chart = static.grid_svg(
        points, threshold=3, quadrant_names={}, axis_names=("Poder", "Interés"),
        legend={"Sector": "#332288"}, cells=cells,
    )  # fmt: skip
    assert chart.crowded and chart.named == 0
    assert len(chart.key) == static.CROWDED_SHOWN
    assert chart.unnamed == 1400 - static.CROWDED_SHOWN
    assert [n for n, _ in chart.key] == list(range(1, len(chart.key) + 1))
    top = [p.name for p in points if (p.power, p.interest) == (5, 5)][: static.PER_CELL]
    assert [name for _, name in chart.key[: len(top)]] == top  # at most PER_CELL a cell
    assert ">1.200</text>" in chart.svg and ">10</text>" in chart.svg  # every cell counted


def test_a_crowded_grid_numbers_every_actor_up_to_two_digits() -> None:
    """Past the names a chart can hold, up to 99 actors are all numbered (two digits fit
    a circle); only past that are the least powerful and interested left as counts."""
    assert static.CROWDED_SHOWN == 99
    chart = draw_grid(grid_points(static.CROWDED_SHOWN))
    assert chart.crowded and chart.unnamed == 0
    assert [n for n, _ in chart.key] == list(range(1, 100))
    chart = draw_grid(grid_points(static.CROWDED_SHOWN + 1))
    assert chart.crowded and len(chart.key) == 99 and chart.unnamed == 1


def test_a_cell_fuller_than_its_numbers_can_be_written_makes_the_grid_crowded() -> None:
    def one_cell(n: int) -> list[GridPoint]:
        spread = spread_positions([(5, 5)] * n)
        return [
            GridPoint(i, f"Actor {i}", "Sector", "#332288", 5, 5, x, y)
            for i, (x, y) in enumerate(spread)
        ]

    chart = draw_grid(one_cell(static.PER_CELL))
    assert not chart.crowded and chart.named + len(chart.key) == static.PER_CELL
    assert chart.named  # names where there is room, numbers for the rest
    chart = draw_grid(one_cell(static.PER_CELL + 1))
    assert chart.crowded and len(chart.key) == static.PER_CELL and chart.unnamed == 1


def test_the_network_names_its_central_actors_only() -> None:
    rng = random.Random(5)
    nodes = [
        MapNode(i, f"Actor {i}", "#44AA99", rng.random(), rng.random(), rng.randint(1, 9), i < 12)
        for i in range(600)
    ]
    edges = [(rng.randrange(600), rng.randrange(600), rng.random() < 0.05) for _ in range(1500)]
    chart = static.network_svg(nodes, edges, legend={"Sector": "#44AA99"},
                               tie_names=("Vínculo", "Conflicto"))  # fmt: skip
    assert chart.named == 12 and not chart.key  # names may cover the anonymous dots
    assert "Conflicto" in chart.svg and "<image" not in chart.svg


def test_every_number_of_the_key_is_written_on_the_chart() -> None:
    """Numbers beside their markers where there is room, else on the marker itself."""
    for n in (60, 400):
        chart = draw_grid(grid_points(n))
        bold = re.findall(r'<text style="[^"]*font-weight: 700[^"]*"[^>]*>(\d+)</text>', chart.svg)
        assert sorted(bold, key=int) == [str(number) for number, _ in chart.key]


def test_the_network_writes_long_names_whole_never_as_an_acronym_or_cut() -> None:
    names = {
        0: "Instituto Nacional de Transparencia, Acceso a la Información y Protección de"
        " Datos Personales (INAI)",
        1: "Instituto Nacional de Transparencia (INAI)",
        2: "Secretaría de Planificación y Programación de la Presidencia (SEGEPLAN)",
    }
    corners = {0: (0.0, 0.0), 1: (1.0, 0.0), 2: (0.5, 1.0)}
    nodes = [MapNode(i, names[i], "#44AA99", *corners[i], 5, True) for i in names] + [
        MapNode(10 + i, f"Actor {i}", "#44AA99", 0.5, i / 10, 1, False) for i in range(4)
    ]
    chart = static.network_svg(
        nodes, [(0, 10, False), (1, 11, False)], legend={"Sector": "#44AA99"},
        tie_names=("Vínculo", "Conflicto"),
    )  # fmt: skip
    assert chart.named == 3 and not chart.key  # room for all three
    written = re.findall(r"<text\b[^>]*>([^<]*)</text>", chart.svg)
    assert "…" not in "".join(written)
    assert "INAI" not in written and "SEGEPLAN" not in written  # no acronym alone
    for name in names.values():
        first, others = name_text.whole_shapes(name, static.NAME_LINES)
        shapes = [first, *others]
        assert any(all(line in written for line in s.splitlines()) for s in shapes), name
        assert any(len(s.splitlines()) <= 3 for s in shapes)
