"""Where to write each actor's name on a chart so that every name can be read.

One pure module for the interactive grid (plotly) and the briefing's static charts
(matplotlib): it takes markers in display units (pixels or points, y upward) and the
names to write, and returns for each name a box that overlaps no other name, no marker
and no fixed obstacle (quadrant titles), inside the plot area. A name that cannot be
written next to its marker is moved further out with a leader line; when even that
fails (a crowded cell), the marker gets a number and the caller lists the numbers in a
key beside the chart. Past ``max_labels`` the remaining markers stay unlabelled.

A leader is as much in the way as a name: it may cross no other name, marker, leader or
obstacle, or a reader could not tell which marker a name belongs to. Each leader is
checked as a chain of short pieces that cover the line drawn from the marker to its name.

A browser stretches a chart to the page's width, while text keeps its size in pixels.
Each label is therefore an offset from its marker, and the no-overlap test is made for
a range of horizontal and vertical scales of the marker positions (``x_scales``,
``y_scales``): two boxes count as apart only if they are apart along x at both ends of
the x range, or along y at both ends of the y range. Positions and offsets vary
linearly with the scale, so they are then apart at every scale in between.

This module holds what a chart hands in and gets back (markers, obstacles, labels, the
layout) and the leaders' geometry; :mod:`engagement.charts.label_placement` places the
names (:func:`~engagement.charts.label_placement.place_labels`),
:mod:`engagement.charts.name_text` says how a name is written and how big it is, and
:mod:`engagement.charts.label_boxes` tests boxes for overlap across the scales.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engagement.charts.label_boxes import Box, Shape
from engagement.charts.name_text import MAX_LINES, label_shapes, whole

#: Space between a marker's edge and its name, in display units.
GAP = 2.0
#: Length of the pieces a leader is checked in, and half their thickness (which keeps a
#: leader clear of what it passes).
_PIECE = 4.0
_HALF_LINE = 1.2


@dataclass(frozen=True)
class Marker:
    """A marker at ``(x, y)`` with ``radius``; ``text`` is the name to write (may be '');
    ``other_texts`` the same name wrapped otherwise, tried in turn when ``text`` finds no
    room. ``numbered``: the name cannot be written whole (see :func:`whole`), so the
    marker gets a number and the name is read in the key beside the chart, never cut."""

    key: int
    x: float
    y: float
    radius: float
    text: str = ""
    other_texts: tuple[str, ...] = ()
    numbered: bool = False


@dataclass(frozen=True)
class Obstacle:
    """Something no name may cover, ``width`` x ``height`` centred on ``(x, y)`` (e.g. a
    title written at a point of the chart: its centre moves with the chart, not its size)."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Label:
    """A name placed at ``(dx, dy)`` (its centre) from its marker; ``box`` at scale 1."""

    key: int
    text: str
    dx: float
    dy: float
    width: float
    height: float
    leader: bool

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Layout:
    labels: tuple[Label, ...]
    numbered: tuple[tuple[int, int], ...]
    """``(marker key, number)`` of markers numbered instead of named, numbers from 1."""
    unlabelled: tuple[int, ...]
    """Markers past ``max_labels``: no name, no number."""
    numbers: tuple[Label, ...] = ()
    """Where the numbers are written beside their markers (with ``number_size``); a
    numbered marker without one here carries its number on the marker itself."""

    def on_marker(self) -> tuple[tuple[int, int], ...]:
        """``(marker key, number)`` of the numbers to write on the markers themselves."""
        beside = {label.key for label in self.numbers}
        return tuple((k, n) for k, n in self.numbered if k not in beside)

    def number_of(self, key: int) -> int | None:
        return dict(self.numbered).get(key)


def named_marker(
    key: int, x: float, y: float, radius: float, name: str, max_lines: int = MAX_LINES
) -> Marker:
    """A marker whose name is tried only in shapes that write it whole; when none does,
    the marker is numbered and the name read whole in the key.

    >>> named_marker(1, 0, 0, 5, "Red").text, named_marker(2, 0, 0, 5, "x" * 80).numbered
    ('Red', True)
    """
    first, others = label_shapes(name, max_lines=max_lines)
    shapes = [text for text in (first, *others) if whole(name, text)]
    if not shapes:
        return Marker(key, x, y, radius, first, (), numbered=True)
    return Marker(key, x, y, radius, shapes[0], tuple(shapes[1:]))


def leader_span(
    marker: Marker, dx: float, dy: float, width: float, height: float
) -> tuple[float, float, float, float] | None:
    """The leader as ``(ux, uy, start, end)``: the line from the marker's centre toward
    the name's centre (unit vector ``ux, uy``), drawn from ``start`` (where it leaves the
    marker's box) to ``end`` (where it enters the name's box); None if they touch."""
    length = math.hypot(dx, dy)
    if length == 0:
        return None
    ux, uy = dx / length, dy / length
    start = marker.radius / max(abs(ux), abs(uy)) + _HALF_LINE
    inside_label = min(
        width / 2 / abs(ux) if ux else math.inf, height / 2 / abs(uy) if uy else math.inf
    )
    end = length - inside_label
    return (ux, uy, start, end) if end > start else None


def leader_pieces(marker: Marker, dx: float, dy: float, width: float, height: float) -> list[Shape]:
    """Short boxes that together cover the leader's drawn line."""
    span = leader_span(marker, dx, dy, width, height)
    if span is None:
        return []
    ux, uy, start, end = span
    count = math.ceil((end - start) / _PIECE)
    pieces = []
    for i in range(count):
        a = start + (end - start) * i / count
        b = start + (end - start) * (i + 1) / count
        xs, ys = sorted((a * ux, b * ux)), sorted((a * uy, b * uy))
        pieces.append(
            Shape(marker.x, marker.y, xs[0] - _HALF_LINE, ys[0] - _HALF_LINE,
                  xs[1] + _HALF_LINE, ys[1] + _HALF_LINE)
        )  # fmt: skip
    return pieces


def leader_segment(
    marker: Marker, label: Label, x_scale: float = 1.0, y_scale: float = 1.0
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The drawn part of ``label``'s leader (from the marker's box to the name's box) when
    the marker positions are scaled; None without a leader.

    Examples
    --------
    >>> label = Label(1, "Ana", 30.0, 0.0, 20.0, 10.0, True)
    >>> leader_segment(Marker(1, 0, 0, 5), label)
    ((6.2, 0.0), (20.0, 0.0))
    """
    span = leader_span(marker, label.dx, label.dy, label.width, label.height)
    if not label.leader or span is None:
        return None
    ux, uy, start, end = span
    x, y = marker.x * x_scale, marker.y * y_scale
    return (x + start * ux, y + start * uy), (x + end * ux, y + end * uy)


def label_box(marker: Marker, label: Label, x_scale: float = 1.0, y_scale: float = 1.0) -> Box:
    """Where ``label`` lies when the marker positions are scaled."""
    cx, cy = marker.x * x_scale + label.dx, marker.y * y_scale + label.dy
    return Box(
        cx - label.width / 2, cy - label.height / 2, cx + label.width / 2, cy + label.height / 2
    )
