"""The briefing's charts as SVG (vector, text kept as text), drawn with matplotlib.

Sizes are in points at print size. Names are placed by :mod:`.labels`, the same module
as the interactive grid: no name overlaps another or a marker; a marker with no room for
its name gets a number, written beside it, and the caller prints the key. matplotlib's
own DejaVu Sans is used, the font the PDF embeds, so nothing depends on system fonts.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from engagement.charts import label_placement, labels, name_text
from engagement.charts.label_boxes import Box
from engagement.palette import ink
from engagement.services.exchange.briefing_model import GridPoint, MapNode

matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "tejido"
FONT = "DejaVu Sans"
#: Names are written at this size (points at print size, on A4 and Letter alike).
NAME_SIZE = 8.0
WIDTH_IN = 6.7
GRID_HEIGHT_IN = 7.4
MAP_HEIGHT_IN = 6.4
_AXES = (0.07, 0.2, 0.91, 0.78)  # left, bottom, width, height of the plot, as shares
X_RANGE = (0.5, 5.5)
Y_RANGE = (0.5, 5.5)
MARKER_RADIUS = 3.2
#: Lines of a name on paper (the page has more height to spare than a screen).
NAME_LINES = 3
#: Names written on a chart at most; past that the markers stay unnamed.
MAX_NAMES = 60
#: Numbers of markers with no room for their name (bold, beside or on the marker).
NUMBER_SIZE = NAME_SIZE - 1
#: Tries at placing names, each with the markers that got no room for their number turned
#: into numbered circles beforehand.
PLACE_TRIES = 4
#: A crowded grid numbers this many actors at most, and at most this many in one cell,
#: as circles of this radius, centres this far apart, numbers of this size (points); a
#: marker with no room for its number beside it is drawn as such a circle.
CROWDED_SHOWN = 99
PER_CELL = 20
CIRCLE_RADIUS = 5.6
CIRCLE_PITCH = 13.0
CIRCLE_FONT = 6.5


_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_HALO = {"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.85}


@dataclass(frozen=True)
class Chart:
    svg: str
    key: tuple[tuple[int, str], ...]
    """``(number, name)`` of markers numbered instead of named."""
    named: int
    unnamed: int = 0
    """Actors left without name or number (past :data:`MAX_NAMES`, or not drawn on a
    crowded grid)."""
    crowded: bool = False
    """Drawn crowded: counts per cell and numbered circles, no names."""


def _figure(height_in: float) -> tuple[Figure, Any, float, float]:
    fig = Figure(figsize=(WIDTH_IN, height_in))
    FigureCanvasSVG(fig)
    ax = fig.add_axes(_AXES)
    width_pt = WIDTH_IN * 72 * _AXES[2]
    height_pt = height_in * 72 * _AXES[3]
    return fig, ax, width_pt, height_pt


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    # matplotlib's RDF block names its namespaces by address; the chart needs none of it.
    return _METADATA.sub("", buffer.getvalue())


def _place(
    markers: list[labels.Marker], width: float, height: float, cover_plain: bool = False
) -> labels.Layout:
    """Names first; a marker with no room for its name gets its number beside it, else
    becomes a circle with its number inside. Each circle is then an obstacle from the
    start of a new try, so that no name or leader crosses it."""
    plot = Box(0, 0, width, height)
    circled: set[int] = set()
    for _ in range(PLACE_TRIES):
        shaped = [
            replace(m, radius=max(m.radius, CIRCLE_RADIUS + 0.5)) if m.key in circled else m
            for m in markers
        ]
        layout = label_placement.place_labels(
            shaped, plot=plot, font_size=NAME_SIZE, max_labels=MAX_NAMES,
            number_size=NUMBER_SIZE, cover_plain=cover_plain, on_marker=circled,
        )  # fmt: skip
        more = {key for key, _ in layout.on_marker()} - circled
        if not more:
            break
        circled |= more
    return layout


def _write_all(
    ax: Any,
    markers: Mapping[int, labels.Marker],
    layout: labels.Layout,
    to_data: Any,
    colours: Mapping[int, str],
) -> None:
    """Names, numbers beside their markers, and circles carrying the other numbers."""
    _write(ax, markers, layout.labels, to_data, NAME_SIZE)
    _write(ax, markers, layout.numbers, to_data, NUMBER_SIZE, bold=True)
    circled = layout.on_marker()
    _circles(ax, [to_data(markers[k]) for k, _ in circled], [colours[k] for k, _ in circled],
             [n for _, n in circled])  # fmt: skip


def _circles(
    ax: Any, where: Sequence[tuple[float, float]], colours: Sequence[str], numbers: Sequence[int]
) -> None:
    """Markers large enough to carry their number inside, in ink that reads on them."""
    if not where:
        return
    ax.scatter([x for x, _ in where], [y for _, y in where], s=(2 * CIRCLE_RADIUS) ** 2,
               c=list(colours), edgecolors="white", linewidths=0.5, zorder=3.5)  # fmt: skip
    for (x, y), colour, number in zip(where, colours, numbers, strict=True):
        ax.text(x, y, str(number), ha="center", va="center_baseline",
                fontsize=CIRCLE_FONT if number < 100 else CIRCLE_FONT - 1, fontfamily=FONT,
                fontweight="bold", color=ink(colour), zorder=4)  # fmt: skip


def _write(ax: Any, markers: Mapping[int, labels.Marker], found: Sequence[labels.Label],
           to_data: Any, size: float, bold: bool = False) -> None:  # fmt: skip
    for label in found:
        marker = markers[label.key]
        arrow = {"arrowstyle": "-", "lw": 0.4, "color": "#777777", "shrinkA": 0, "shrinkB": 2}
        ax.annotate(
            label.text, xy=to_data(marker), xytext=(label.dx, label.dy),
            textcoords="offset points", ha="center", va="center", fontsize=size,
            fontfamily=FONT, fontweight="bold" if bold else "normal", color="#222222",
            multialignment="center", arrowprops=arrow if label.leader else None,
            annotation_clip=False, bbox=_HALO,
        )  # fmt: skip


def grid_svg(
    points: Sequence[GridPoint],
    *,
    threshold: int,
    quadrant_names: Mapping[str, str],
    axis_names: tuple[str, str],
    legend: Mapping[str, str],
    cells: Sequence[tuple[int, int, int]] = (),
) -> Chart:
    """The power/interest grid: tinted quadrants, markers by sector colour, every name.

    ``points`` come most powerful (then most interested) first; ``cells`` are
    ``(power, interest, actors)`` of every actor on the grid, when there are more than the
    points. Past :data:`MAX_NAMES` actors, or :data:`PER_CELL` in one cell, the grid is
    drawn crowded (see :func:`_crowded`): a name or number per marker could no longer be
    read.
    """
    fig, ax, width, height = _figure(GRID_HEIGHT_IN)
    _grid_frame(ax, threshold, axis_names)
    del quadrant_names  # the quadrants are named in the table beside the chart
    counts = cells or _cells_of(points)
    if (
        sum(n for _, _, n in counts) > MAX_NAMES
        or max((n for *_, n in counts), default=0) > PER_CELL
    ):
        key, unnamed, colours = _crowded(ax, points, counts)
        _legend(fig, {name: c for name, c in legend.items() if c in colours})
        return Chart(_svg(fig), key, 0, unnamed, crowded=True)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return ((x - X_RANGE[0]) / 5 * width, (y - Y_RANGE[0]) / 5 * height)

    markers = {}
    for p in points:
        px, py = to_px(p.x, p.y)
        markers[p.id] = labels.named_marker(p.id, px, py, MARKER_RADIUS + 0.6, p.name, NAME_LINES)
    ax.scatter([p.x for p in points], [p.y for p in points], s=(2 * MARKER_RADIUS) ** 2,
               c=[p.colour for p in points], edgecolors="white", linewidths=0.5,
               zorder=3)  # fmt: skip
    layout = _place(list(markers.values()), width, height)

    def to_data(m: labels.Marker) -> tuple[float, float]:
        return (m.x / width * 5 + X_RANGE[0], m.y / height * 5 + Y_RANGE[0])

    _write_all(ax, markers, layout, to_data, {p.id: p.colour for p in points})
    _legend(fig, legend)
    names = {p.id: p.name for p in points}
    key = tuple((n, names[k]) for k, n in layout.numbered)
    return Chart(_svg(fig), key, len(layout.labels), len(layout.unlabelled))


def _grid_frame(ax: Any, threshold: int, axis_names: tuple[str, str]) -> None:
    """Axes, tinted quadrants and the threshold lines."""
    ax.set_xlim(*X_RANGE)
    ax.set_ylim(*Y_RANGE)
    line = threshold - 0.5
    tints = {"keep_satisfied": "#ECEFF5", "manage_closely": "#F6EEE3",
             "monitor": "#F5F5F5", "keep_informed": "#EAF3EE"}  # fmt: skip
    cells = {"keep_satisfied": (X_RANGE[0], line, line, Y_RANGE[1]),
             "manage_closely": (line, X_RANGE[1], line, Y_RANGE[1]),
             "monitor": (X_RANGE[0], line, Y_RANGE[0], line),
             "keep_informed": (line, X_RANGE[1], Y_RANGE[0], line)}  # fmt: skip
    for quadrant, (x0, x1, y0, y1) in cells.items():
        if x1 > x0 and y1 > y0:
            ax.axvspan(x0, x1, (y0 - 0.5) / 5, (y1 - 0.5) / 5, color=tints[quadrant], lw=0)
    ax.axvline(line, color="#555555", lw=0.8, ls="--")
    ax.axhline(line, color="#555555", lw=0.8, ls="--")
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.tick_params(labelsize=7)
    ax.set_xlabel(axis_names[1] + " →", fontsize=8, fontfamily=FONT)
    ax.set_ylabel(axis_names[0] + " →", fontsize=8, fontfamily=FONT)


def _cells_of(points: Sequence[GridPoint]) -> tuple[tuple[int, int, int], ...]:
    found = Counter((p.power, p.interest) for p in points)
    return tuple((power, interest, n) for (power, interest), n in found.items())


def _crowded(
    ax: Any, points: Sequence[GridPoint], cells: Sequence[tuple[int, int, int]]
) -> tuple[tuple[tuple[int, str], ...], int, set[str]]:
    """A crowded grid: in each cell, how many actors it holds; the first actors (at most
    :data:`CROWDED_SHOWN`, :data:`PER_CELL` a cell) as circles carrying their number,
    side by side so that no number covers another. Returns the key, how many actors
    are left without a number, and the colours drawn."""
    for power, interest, n in cells:
        ax.text(interest + 0.46, power - 0.46, _count(n), ha="right", va="bottom",
                fontsize=6.5, fontfamily=FONT, color="#555555", zorder=2)  # fmt: skip
    by_cell: dict[tuple[int, int], list[GridPoint]] = {}
    shown: list[GridPoint] = []
    for p in points:
        here = by_cell.setdefault((p.power, p.interest), [])
        if len(shown) < CROWDED_SHOWN and len(here) < PER_CELL:
            here.append(p)
            shown.append(p)
    where = {}
    for (power, interest), members in by_cell.items():
        if not members:
            continue
        for p, (dx, dy) in zip(members, _circle_offsets(len(members)), strict=True):
            where[p.id] = (interest + dx, power + 0.06 + dy)
    _circles(ax, [where[p.id] for p in shown], [p.colour for p in shown],
             list(range(1, len(shown) + 1)))  # fmt: skip
    key = tuple((number, p.name) for number, p in enumerate(shown, start=1))
    total = sum(n for _, _, n in cells)
    return key, total - len(shown), {p.colour for p in shown}


def _circle_offsets(n: int) -> list[tuple[float, float]]:
    """Offsets (data units) of ``n`` circles in one cell: rows of at most five, centred."""
    cols = min(n, 5)
    rows = math.ceil(n / cols)
    step_x = CIRCLE_PITCH / (WIDTH_IN * 72 * _AXES[2] / 5)
    step_y = CIRCLE_PITCH / (GRID_HEIGHT_IN * 72 * _AXES[3] / 5)
    found = []
    for index in range(n):
        row, col = divmod(index, cols)
        in_row = min(cols, n - row * cols)
        found.append(((col - (in_row - 1) / 2) * step_x, ((rows - 1) / 2 - row) * step_y))
    return found


def _lines(segments: Sequence[tuple[tuple[float, float], tuple[float, float]]],
           **style: Any) -> PathPatch:  # fmt: skip
    """Segments as one path: one SVG element for thousands of ties, not one each."""
    vertices = [point for segment in segments for point in segment]
    codes = [Path.MOVETO, Path.LINETO] * len(segments)
    return PathPatch(Path(vertices or [(0, 0)], codes or None), fill=False, zorder=1, **style)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _legend(fig: Figure, colours: Mapping[str, str], extra: Sequence[Line2D] = ()) -> None:
    handles = [
        Line2D([], [], marker="o", ls="", color=c, markersize=5, label=name)
        for name, c in colours.items()
    ]
    fig.legend(
        handles=[*handles, *extra], loc="lower left", bbox_to_anchor=(0.06, 0.0), ncol=2,
        fontsize=7, frameon=False, prop={"family": FONT, "size": 7},
    )  # fmt: skip


def network_svg(
    nodes: Sequence[MapNode],
    edges: Sequence[tuple[int, int, bool]],
    *,
    legend: Mapping[str, str],
    tie_names: tuple[str, str],
) -> Chart:
    """The network at its stored positions; the most central actors named (8 pt), each
    name whole on up to three lines, or numbered and keyed whole when it finds no room."""
    fig, ax, width, height = _figure(MAP_HEIGHT_IN)
    ax.set_axis_off()
    xs, ys = [n.x for n in nodes], [n.y for n in nodes]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, (y1 - y0) * width / height, 1e-9)
    pad = 8.0

    def to_pt(x: float, y: float) -> tuple[float, float]:
        scale = (width - 2 * pad) / span
        ox = (width - (x1 - x0) * scale) / 2
        oy = (height - (y1 - y0) * scale) / 2
        return (ox + (x - x0) * scale, oy + (y1 - y) * scale)  # screen y grows downward

    top = max(n.degree for n in nodes) or 1.0
    where = {n.id: to_pt(n.x, n.y) for n in nodes}
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    plain = [(where[u], where[v]) for u, v, c in edges if not c]
    conflict = [(where[u], where[v]) for u, v, c in edges if c]
    ax.add_patch(_lines(plain, edgecolor="#BBBBBB", linewidth=0.35))
    ax.add_patch(_lines(conflict, edgecolor="#CC3311", linewidth=0.6, linestyle="--"))
    # Sizes in steps of half a point: markers of one size share one SVG shape.
    radius = {n.id: round(2 * (1.6 + 3.4 * (n.degree / top) ** 0.5)) / 2 for n in nodes}
    for size in sorted(set(radius.values())):
        same = [n for n in nodes if radius[n.id] == size]
        ax.scatter([where[n.id][0] for n in same], [where[n.id][1] for n in same],
                   s=(2 * size) ** 2, c=[n.colour for n in same], edgecolors="white",
                   linewidths=0.4, zorder=2)  # fmt: skip
    ranked = sorted(nodes, key=lambda n: (not n.labelled, -n.degree))
    markers = {
        n.id: labels.Marker(
            n.id,
            *where[n.id],
            radius[n.id] + 0.5,
            *(name_text.whole_shapes(n.name, max_lines=NAME_LINES) if n.labelled else ("", ())),
        )
        for n in ranked
    }
    layout = _place(list(markers.values()), width, height, cover_plain=True)
    _write_all(ax, markers, layout, lambda m: (m.x, m.y), {n.id: n.colour for n in nodes})
    ties = [
        Line2D([], [], color="#BBBBBB", lw=1, label=tie_names[0]),
        Line2D([], [], color="#CC3311", lw=1, ls="--", label=tie_names[1]),
    ]
    _legend(fig, legend, ties if conflict else ties[:1])
    names = {n.id: n.name for n in nodes}
    key = tuple((n, names[k]) for k, n in layout.numbered)
    return Chart(_svg(fig), key, len(layout.labels), len(layout.unlabelled))
