"""The briefing's static charts: vector SVG, names placed without overlap, capped with a
key when crowded (a 5,000-actor program still gives a legible grid and map)."""

from __future__ import annotations

import random

from engagement.analysis.grid import spread_positions
from engagement.charts import static
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
    # The one name that cannot be written whole (25 characters, no space) is numbered and
    # read whole in the key; it never reaches the SVG as markup.
    assert XSS not in chart.svg and "&lt;script" not in chart.svg
    assert [name for _, name in chart.key] == [XSS]
    assert SHORT_MARKUP not in chart.svg and "&lt;b&gt;Red&lt;/b&gt;" in chart.svg
    assert "<metadata" not in chart.svg


def test_a_crowded_grid_is_capped_with_a_key() -> None:
    chart = draw_grid(grid_points(400))
    assert chart.named + len(chart.key) == static.MAX_NAMES
    assert chart.key and chart.unnamed == 400 - static.MAX_NAMES
    assert [n for n, _ in chart.key] == list(range(1, len(chart.key) + 1))


def test_the_network_names_its_central_actors_only() -> None:
    rng = random.Random(5)
    nodes = [
        MapNode(i, f"Actor {i}", "#44AA99", rng.random(), rng.random(), rng.randint(1, 9), i < 12)
        for i in range(600)
    ]
    edges = [(rng.randrange(600), rng.randrange(600), rng.random() < 0.05) for _ in range(1500)]
    chart = static.network_svg(nodes, edges, legend={"Sector": "#44AA99"},
                               tie_names=("Vínculo", "Conflicto"))  # fmt: skip
    assert chart.named + len(chart.key) == 12
    assert "Conflicto" in chart.svg and "<image" not in chart.svg
