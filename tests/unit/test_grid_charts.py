"""The plotly figures of the grid and of movement: quadrants, legend, hover, arrows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from engagement.analysis import grid
from engagement.charts import grid as charts
from engagement.palette import ENGAGEMENT_COLOURS, sector_colours
from tests.unit.grid_frames import actor, frame

SECTORS_ES = {
    "municipal_government": "Gobierno municipal",
    "media": "Medios",
    "academia": "Academia",
}
COLOURS = sector_colours(list(SECTORS_ES))
XSS = "<img src=x onerror=alert(1)>"


def quadrant_names(fig: object) -> list[tuple[str, float, float]]:
    return [
        (a.text, a.x, a.y)
        for a in fig.layout.annotations  # type: ignore[attr-defined]
        if (a.name or "").startswith("quadrant.")
    ]


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("es", ["Mantener satisfecho", "Gestionar de cerca (actores clave)",
                "Monitorear (mínimo esfuerzo)", "Mantener informado"]),
        ("en", ["Keep satisfied", "Manage closely (key players)", "Monitor (minimal effort)",
                "Keep informed"]),
    ],
)  # fmt: skip
def test_four_quadrants_named_in_the_users_language(lang: str, names: list[str]) -> None:
    fig = charts.base_figure(3, lang)
    found = quadrant_names(fig)
    assert [text for text, _, _ in found] == [f"<b>{n}</b>" for n in names]
    # names sit in the bands above and below the cells, where no marker can be
    assert all(y > 5.5 or y < 0.5 for _, _, y in found)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert {(s.x0, s.x1) for s in lines} == {(2.5, 2.5), (0.5, 5.5)}
    assert {(s.y0, s.y1) for s in lines} == {(2.5, 2.5), charts.Y_RANGE}


def test_the_title_travels_with_the_png_escaped() -> None:
    fig = charts.base_figure(3, "es", title=("Programa <b>x</b>", "<i>Diseño</i> · 2024-03-01"))
    assert fig.layout.title.text == "Programa &lt;b&gt;x&lt;/b&gt;"
    assert fig.layout.title.subtitle.text == "&lt;i&gt;Diseño&lt;/i&gt; · 2024-03-01"
    assert charts.base_figure(3, "es").layout.title.text is None


def test_quadrant_lines_follow_the_threshold() -> None:
    fig = charts.base_figure(4, "es")
    assert {s.x0 for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1} == {3.5}
    # a threshold of 1 makes every score high: only "manage closely" is left
    assert [t for t, _, _ in quadrant_names(charts.base_figure(1, "en"))] == [
        "<b>Manage closely (key players)</b>"
    ]


def placed_actors() -> pd.DataFrame:
    actors = frame(
        actor(1, "Municipalidad", 5, 5, sector="municipal_government", current=4, desired=5),
        actor(2, XSS, 2, 2, sector="media", current=2, desired=4),
        actor(3, "Radio Norte", 2, 2, sector="media"),
        actor(4, "Sin sector", 1, 4, sector=None, current=3, desired=3),
    )
    return grid.place_actors(actors, 3)


def test_one_trace_per_sector_in_program_order_with_palette_colours() -> None:
    fig = charts.grid_figure(
        placed_actors(), threshold=3, lang="es", sector_names=SECTORS_ES, sector_colours=COLOURS
    )
    assert [t.name for t in fig.data] == ["Gobierno municipal", "Medios", "Sin sector"]
    assert [t.marker.color for t in fig.data] == [
        COLOURS["municipal_government"], COLOURS["media"], charts.UNKNOWN_COLOUR,
    ]  # fmt: skip
    assert [[list(c) for c in t.customdata] for t in fig.data] == [[[1]], [[2], [3]], [[4]]]
    assert fig.layout.legend.title.text == "Sector"


def test_colour_by_engagement_level() -> None:
    fig = charts.grid_figure(
        placed_actors(), threshold=3, lang="en", sector_names=SECTORS_ES,
        sector_colours=COLOURS, colour_by="engagement",
    )  # fmt: skip
    assert [t.name for t in fig.data] == ["Resistant", "Neutral", "Supportive", "Not rated"]
    assert [t.marker.color for t in fig.data] == [
        ENGAGEMENT_COLOURS[2], ENGAGEMENT_COLOURS[3], ENGAGEMENT_COLOURS[4], charts.UNKNOWN_COLOUR,
    ]  # fmt: skip
    assert fig.layout.legend.title.text == "Engagement"


def test_hover_and_labels_escape_user_text() -> None:
    fig = charts.grid_figure(
        placed_actors(), threshold=3, lang="es", sector_names=SECTORS_ES,
        sector_colours=COLOURS, show_names=True,
    )  # fmt: skip
    hover = [h for t in fig.data for h in t.hovertext]
    labels = [a.text for a in fig.layout.annotations if (a.name or "").startswith("actor_name.")]
    assert "<b>&lt;img src=x onerror=alert(1)&gt;</b><br>Medios<br>Poder 2 · Interés 2" in "".join(
        hover
    )
    assert all(XSS not in h for h in hover)
    assert "&lt;img src=x<br>onerror=alert(1)&gt;" in labels
    assert "Involucramiento: Sin valorar → Sin valorar" in "".join(hover)
    assert all(t.hovertemplate == "%{hovertext}<extra></extra>" for t in fig.data)


def test_sector_names_are_escaped_in_the_legend() -> None:
    names = {"media": "<b>Prensa</b> & radio"}
    placed = grid.place_actors(frame(actor(1, "A", 3, 3, sector="media")), 3)
    fig = charts.grid_figure(
        placed, threshold=3, lang="es", sector_names=names, sector_colours={"media": "#123456"}
    )
    assert fig.data[0].name == "&lt;b&gt;Prensa&lt;/b&gt; &amp; radio"


def test_size_by_measure_and_selected_ring() -> None:
    fig = charts.grid_figure(
        placed_actors(), threshold=3, lang="en", sector_names=SECTORS_ES,
        sector_colours=COLOURS, sizes={1: 0.5, 2: 0.0, 3: 0.25}, size_name="Betweenness",
        selected=2,
    )  # fmt: skip
    sizes = {
        int(c[0]): s
        for t in fig.data[:-1]
        for c, s in zip(t.customdata, t.marker.size, strict=True)
    }
    assert sizes == {1: 38.0, 2: 10.0, 3: 24.0, 4: 10.0}
    assert "Betweenness: 0.5" in fig.data[0].hovertext[0]
    ring = fig.data[-1]
    assert ring.name == "selected" and ring.showlegend is False and ring.hoverinfo == "skip"
    two = placed_actors().set_index("id").loc[2]
    assert (ring.x[0], ring.y[0]) == (two["x"], two["y"])


def test_marker_sizes() -> None:
    assert charts.marker_sizes({1: 2.0, 2: 2.0}, [1, 2]) == [24.0, 24.0]
    assert charts.marker_sizes({1: float("nan"), 2: 1.0, 3: 3.0}, [1, 2, 3, 4]) == [
        10.0, 10.0, 38.0, 10.0,
    ]  # fmt: skip


def test_clicked_points_give_actor_ids() -> None:
    points = [{"customdata": [7]}, {"customdata": 9}, {"x": 1}, {"customdata": ["a"]}]
    assert charts.actor_ids_from_selection(points) == [7, 9]


def test_png_button_config() -> None:
    config = charts.chart_config("tejido-poder-interes")
    assert config["toImageButtonOptions"] == {
        "format": "png", "filename": "tejido-poder-interes", "width": 1200, "height": 900,
        "scale": 2,
    }  # fmt: skip
    assert config["displaylogo"] is False


def test_movement_draws_arrows_only_for_actors_whose_place_changed() -> None:
    earlier = frame(
        actor(1, "Sube", 2, 4, sector="media", current=3),
        actor(2, "Ajusta", 4, 4, sector="media", current=3),
        actor(3, "Se involucra", 1, 1, sector="media", current=2),
        actor(4, "Igual", 3, 3, sector="academia", current=3),
    )
    now = frame(
        actor(1, "Sube", 4, 4, sector="media", current=3),
        actor(2, "Ajusta", 5, 4, sector="media", current=3),
        actor(3, "Se involucra", 1, 1, sector="media", current=4),
        actor(4, "Igual", 3, 3, sector="academia", current=3),
        actor(5, "Nuevo", 1, 1, sector="academia", current=3),
    )
    moves = grid.movement(earlier, now, 3)
    fig = charts.movement_figure(
        moves, threshold=3, lang="en", sector_names=SECTORS_ES, sector_colours=COLOURS
    )
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert sorted((a.ax, a.ay, a.x, a.y, a.arrowcolor) for a in arrows) == [
        (4.0, 2.0, 4.0, 4.0, "#332288"),  # changed quadrant: dark
        (4.0, 4.0, 4.0, 5.0, "#888888"),  # within its quadrant: grey
    ]
    start = fig.data[0]
    assert start.name == "Starting point"
    assert sorted(int(c[0]) for c in start.customdata) == [1, 2]
    hover = "".join(h for t in fig.data for h in t.hovertext)
    assert "Before: power 2 · interest 4 (Keep informed)" in hover
    assert "Now: power 4 · interest 4 (Manage closely (key players))" in hover
    assert "No earlier assessment" in hover


def test_spread_markers_never_leave_their_quadrant_on_the_figure() -> None:
    actors = frame(*[actor(i, f"A{i:02}", 3, 3) for i in range(12)], actor(99, "B", 2, 2))
    fig = charts.grid_figure(
        grid.place_actors(actors, 3), threshold=3, lang="es",
        sector_names=SECTORS_ES, sector_colours=COLOURS,
    )  # fmt: skip
    points = [(x, y) for t in fig.data for x, y in zip(t.x, t.y, strict=True)]
    assert len(set(points)) == 13
    high = [p for p in points if p != (2.0, 2.0)]
    assert all(x > 2.5 and y > 2.5 for x, y in high)
    assert min(math.dist(a, b) for i, a in enumerate(high) for b in high[i + 1 :]) > 0.1


def test_movement_draws_at_most_max_arrows_quadrant_changes_first() -> None:
    n = charts.MAX_ARROWS + 50
    earlier = frame(*[actor(i, f"A{i:04}", 2 if i < 60 else 3, 4) for i in range(n)])
    now = frame(*[actor(i, f"A{i:04}", 4, 4 if i < 60 else 5) for i in range(n)])
    moves = grid.movement(earlier, now, 3)
    fig = charts.movement_figure(
        moves, threshold=3, lang="es", sector_names=SECTORS_ES, sector_colours=COLOURS
    )
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == charts.MAX_ARROWS
    assert sum(a.arrowcolor == "#332288" for a in arrows) == 60  # every quadrant change
