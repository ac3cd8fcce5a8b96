"""Actors' names on the interactive power/interest grid, placed by :mod:`.labels`.

The figure has a fixed height and fixed margins (``margin.autoexpand`` off), so its plot
area is known in pixels up to its width. Names are placed for the chart at
:data:`REFERENCE_WIDTH` (the narrowest it is drawn: a 1366-pixel screen with the sidebar
open) and checked up to :data:`WIDEST` times that width, so they stay apart on any wider
screen. A name is an annotation offset in pixels from its marker; one moved away from
it has a thin leader line; a marker with no room for its name shows a number instead,
listed in the key beside the chart.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from engagement.charts import label_placement, labels, name_text
from engagement.charts.label_boxes import Box

FONT_SIZE = 11
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
HEIGHT = 700
# The bottom margin holds the axis title and a legend of four rows (eleven sectors and
# the movement chart's starting point).
MARGIN = {"l": 60, "r": 20, "t": 70, "b": 150}
#: Figure width in pixels at 1366x768 with the sidebar open and the number key beside the
#: chart: the narrowest it is drawn (measured in tests/browser/test_brief_browser.py).
REFERENCE_WIDTH = 716
#: Names stay apart up to this many times the reference width (a 2,000-pixel screen).
WIDEST = 3.0
#: Names written at most; the other markers stay unnamed (hover still names them).
MAX_LABELS = 80
#: Lines a name may take on the chart; a longer one is numbered and named in the key.
NAME_LINES = 3
X_RANGE = (0.5, 5.5)
Y_RANGE = (0.05, 5.95)
#: Labels may use the bands above and below the cells, clear of the quadrant names.
LABELS_Y = Y_RANGE


@dataclass(frozen=True)
class GridNames:
    """Where each name goes; ``markers`` by actor id, in plot pixels at the reference width."""

    layout: labels.Layout
    markers: dict[int, labels.Marker]
    names: dict[int, str]

    def key_rows(self) -> list[tuple[int, str]]:
        """``(number, full name)`` of the numbered markers, for the key beside the chart."""
        return [(number, self.names[key]) for key, number in self.layout.numbered]


def plot_size(width: float = REFERENCE_WIDTH, titled: bool = True) -> tuple[float, float]:
    top = MARGIN["t"] if titled else 30
    return width - MARGIN["l"] - MARGIN["r"], HEIGHT - top - MARGIN["b"]


def priority(placed: pd.DataFrame) -> pd.DataFrame:
    """Who is named first when room runs out: the most powerful, then the most interested."""
    keyed = placed.assign(_key=placed["name"].str.casefold())
    ordered = keyed.sort_values(["power", "interest", "_key"], ascending=[False, False, True])
    return ordered.drop(columns="_key")


def grid_names(
    placed: pd.DataFrame,
    diameters: Mapping[int, float],
    *,
    marker_size: float,
    titles: Sequence[tuple[float, float, str, float]] = (),
    titled: bool = True,
    max_labels: int = MAX_LABELS,
) -> GridNames:
    """Place the names of ``placed`` (see ``services.grid.place_actors``), clear of the
    ``titles`` written on the chart (data x, data y, text, font size)."""
    width, height = plot_size(titled=titled)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (
            (x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * width,
            (y - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) * height,
        )

    markers: dict[int, labels.Marker] = {}
    for row in priority(placed).to_dict("records"):
        key = int(row["id"])
        x, y = to_px(float(row["x"]), float(row["y"]))
        radius = diameters.get(key, marker_size) / 2 + 1
        name = str(row["name"])
        markers[key] = labels.named_marker(key, x, y, radius, name, NAME_LINES)
    obstacles = []
    for x, y, text, size in titles:
        w, h = name_text.text_size(text, size)
        obstacles.append(labels.Obstacle(*to_px(x, y), w + 6, h + 4))
    bottom, top = (to_px(0, v)[1] for v in LABELS_Y)
    layout = label_placement.place_labels(
        list(markers.values()),
        plot=Box(0, bottom, width, top),
        font_size=FONT_SIZE,
        obstacles=obstacles,
        x_scales=(1.0, WIDEST),
        max_labels=max_labels,
    )
    names = {int(i): str(n) for i, n in zip(placed["id"], placed["name"], strict=True)}
    return GridNames(layout, markers, names)


def name_annotations(names: GridNames, placed: pd.DataFrame) -> list[dict[str, object]]:
    """One plotly annotation per placed name (escaped), offset in pixels from its marker."""
    where = {int(i): (x, y) for i, x, y in zip(placed["id"], placed["x"], placed["y"], strict=True)}
    found: list[dict[str, object]] = []
    for label in names.layout.labels:
        x, y = where[label.key]
        text = "<br>".join(html.escape(line, quote=True) for line in label.lines)
        common: dict[str, object] = {
            "x": x, "y": y, "xref": "x", "yref": "y", "text": text,
            "font": {"size": FONT_SIZE, "family": FONT_FAMILY, "color": "#222222"},
            "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 0,
            "name": f"actor_name.{label.key}", "captureevents": False,
        }  # fmt: skip
        if label.leader:
            radius = names.markers[label.key].radius
            common |= {
                "showarrow": True, "ax": label.dx, "ay": -label.dy, "axref": "pixel",
                "ayref": "pixel", "arrowhead": 0, "arrowwidth": 0.8, "arrowcolor": "#777777",
                "standoff": radius - 1,
            }  # fmt: skip
        else:
            common |= {"showarrow": False, "xshift": label.dx, "yshift": label.dy}
        found.append(common)
    return found


def number_texts(names: GridNames, ids: list[int]) -> list[str]:
    """The text drawn on each marker of a trace: its number when it has one."""
    numbers = dict(names.layout.numbered)
    return [str(numbers[i]) if i in numbers else "" for i in ids]


def fixed_geometry(fig: go.Figure, titled: bool) -> None:
    """Height and margins that never move, whatever the legend needs."""
    margin = dict(MARGIN) | ({} if titled else {"t": 30})
    fig.update_layout(height=HEIGHT, margin=margin | {"autoexpand": False})
