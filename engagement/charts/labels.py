"""Where to write each actor's name on a chart so that every name can be read.

One pure module for the interactive grid (plotly) and the briefing's static charts
(matplotlib): it takes markers in display units (pixels or points, y upward) and the
names to write, and returns for each name a box that overlaps no other name, no marker
and no fixed obstacle (quadrant titles), inside the plot area. A name that cannot be
written next to its marker is moved further out with a leader line; when even that
fails (a crowded cell), the marker gets a number and the caller lists the numbers in a
key beside the chart. Past ``max_labels`` the remaining markers stay unlabelled.

A browser stretches a chart to the page's width, while text keeps its size in pixels.
Each label is therefore an offset from its marker, and the no-overlap test is made for
a range of horizontal and vertical scales of the marker positions (``x_scales``,
``y_scales``): two boxes count as apart only if they are apart along x at both ends of
the x range, or along y at both ends of the y range. Positions and offsets vary
linearly with the scale, so they are then apart at every scale in between.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: Space between a marker's edge and its name, in display units.
GAP = 2.0
#: Line height as a share of the font size.
LINE_HEIGHT = 1.3
#: Characters per line of a name, and lines at most.
LINE_CHARS = 18
MAX_LINES = 2
#: Leader lengths tried, as multiples of the font size (0: the name touches its marker).
_RINGS = (0.0, 0.8, 1.6, 2.6, 3.8, 5.2, 6.8, 8.6, 10.6, 12.8, 15.0)
_ANGLES_NEAR = 8
_ANGLES_FAR = 24
_BUCKET = 64.0
_ACRONYM = re.compile(r"\(([^()]{2,12})\)\s*$")
#: Width of characters as a share of the font size, wide enough for Verdana and DejaVu Sans.
_NARROW = set("iljtfrI.,;:'!|() ")
_WIDE = set("mwMWOQGDHNU@%&")


@dataclass(frozen=True)
class Box:
    """A rectangle in display units, y upward."""

    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.top <= other.bottom
            or other.top <= self.bottom
        )


@dataclass(frozen=True)
class Marker:
    """A marker at ``(x, y)`` with ``radius``; ``text`` is the name to write (may be '').

    ``numbered``: the name cannot be written whole (see :func:`whole`), so the marker
    gets a number and the name is read in the key beside the chart, never cut.
    """

    key: int
    x: float
    y: float
    radius: float
    text: str = ""
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

    def number_of(self, key: int) -> int | None:
        return dict(self.numbered).get(key)


def char_width(ch: str) -> float:
    """A generous width of one character, as a share of the font size."""
    if ch in _NARROW:
        return 0.36
    if ch in _WIDE:
        return 0.9
    if ch.isupper() or ch.isdigit():
        return 0.72
    return 0.62


def text_size(text: str, font_size: float) -> tuple[float, float]:
    """Width and height of ``text`` (lines split on newlines) at ``font_size``.

    Examples
    --------
    >>> text_size("ab", 10)
    (12.4, 13.0)
    """
    lines = text.split("\n")
    width = max(sum(char_width(c) for c in line) for line in lines) * font_size
    return round(width, 6), round(len(lines) * LINE_HEIGHT * font_size, 6)


def label_text(name: str, chars: int = LINE_CHARS, max_lines: int = MAX_LINES) -> str:
    """A name as it is written on a chart: whole when short, its acronym when it ends with
    one, else wrapped on at most ``max_lines`` lines (the last cut with "…").

    Examples
    --------
    >>> label_text("Alcaldía")
    'Alcaldía'
    >>> label_text("Instituto Nacional de Transparencia (INAI)")
    'INAI'
    >>> label_text("Asociación de hoteles y restaurantes del centro histórico")
    'Asociación de\\nhoteles y restaur…'
    """
    name = " ".join(name.split())
    if len(name) <= chars:
        return name
    found = _ACRONYM.search(name)
    if found:
        return found.group(1).strip()
    lines: list[str] = []
    words = name.split(" ")
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], rest[: chars - 1].rstrip() + "…"]
    return "\n".join(line if len(line) <= chars else line[: chars - 1] + "…" for line in lines)


def whole(name: str, text: str) -> bool:
    """Whether ``text`` (from :func:`label_text`) writes all of ``name``: wrapped, or as
    the acronym the name ends with, but not cut with "…".

    >>> whole("Alcaldía Municipal", label_text("Alcaldía Municipal"))
    True
    >>> name = "Asociación de hoteles y restaurantes del centro histórico"
    >>> whole(name, label_text(name)), whole(name, label_text(name, max_lines=4))
    (False, True)
    """
    return "…" not in text or "…" in name


@dataclass(frozen=True)
class _Shape:
    """A box given as an anchor (scaled with the chart) plus offsets (fixed in size)."""

    x: float
    y: float
    left: float
    bottom: float
    right: float
    top: float

    def span_x(self, scale: float) -> tuple[float, float]:
        return self.x * scale + self.left, self.x * scale + self.right

    def span_y(self, scale: float) -> tuple[float, float]:
        return self.y * scale + self.bottom, self.y * scale + self.top

    def swept(self, xs: tuple[float, float], ys: tuple[float, float]) -> Box:
        (l0, r0), (l1, r1) = self.span_x(xs[0]), self.span_x(xs[1])
        (b0, t0), (b1, t1) = self.span_y(ys[0]), self.span_y(ys[1])
        return Box(min(l0, l1), min(b0, b1), max(r0, r1), max(t0, t1))


def _apart(a: _Shape, b: _Shape, xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    x0, x1 = xs
    if _sep(a.span_x(x0), b.span_x(x0)) and (x1 == x0 or _sep(a.span_x(x1), b.span_x(x1))):
        return True
    y0, y1 = ys
    return _sep(a.span_y(y0), b.span_y(y0)) and (y1 == y0 or _sep(a.span_y(y1), b.span_y(y1)))


def _sep(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] <= b[0] or b[1] <= a[0]


class _Index:
    """Shapes bucketed by their swept box, for quick overlap queries."""

    def __init__(self, xs: tuple[float, float], ys: tuple[float, float]) -> None:
        self.xs, self.ys = xs, ys
        self.buckets: dict[tuple[int, int], list[_Shape]] = {}

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        columns = range(math.floor(box.left / _BUCKET), math.floor(box.right / _BUCKET) + 1)
        rows = range(math.floor(box.bottom / _BUCKET), math.floor(box.top / _BUCKET) + 1)
        return [(i, j) for i in columns for j in rows]

    def add(self, shape: _Shape) -> None:
        for cell in self._cells(shape.swept(self.xs, self.ys)):
            self.buckets.setdefault(cell, []).append(shape)

    def clashes(self, shape: _Shape) -> bool:
        cells = self._cells(shape.swept(self.xs, self.ys))
        seen: set[int] = set()
        for cell in cells:
            for other in self.buckets.get(cell, ()):
                if len(cells) > 1:
                    if id(other) in seen:
                        continue
                    seen.add(id(other))
                if not _apart(shape, other, self.xs, self.ys):
                    return True
        return False


def _candidates(
    marker: Marker, width: float, height: float, font_size: float
) -> Iterator[tuple[float, float, bool]]:
    """Label centres ``(dx, dy)`` around a marker, nearest first; True when a leader is
    needed (the box does not touch the marker)."""
    for ring, distance in enumerate(_RINGS):
        reach = marker.radius + GAP + distance * font_size
        count = _ANGLES_NEAR if ring == 0 else _ANGLES_FAR
        for step in range(count):
            angle = 2 * math.pi * step / count
            cos, sin = math.cos(angle), math.sin(angle)
            px, py = reach * cos, reach * sin
            dx = px + width / 2 if cos > 0.3 else px - width / 2 if cos < -0.3 else px
            dy = py + height / 2 if sin > 0.3 else py - height / 2 if sin < -0.3 else py
            yield dx, dy, ring > 0


def place_labels(
    markers: Sequence[Marker],
    *,
    plot: Box,
    font_size: float,
    obstacles: Sequence[Obstacle] = (),
    x_scales: tuple[float, float] = (1.0, 1.0),
    y_scales: tuple[float, float] = (1.0, 1.0),
    max_labels: int | None = None,
    padding: float = 1.5,
) -> Layout:
    """Names for ``markers``, in their order of priority (the first are placed first).

    ``plot`` is the area labels must stay in, with its left-bottom corner at (0, 0) so it
    scales with the markers; ``obstacles`` are further boxes no label may cover. Markers
    without text are obstacles only.

    Examples
    --------
    >>> layout = place_labels([Marker(1, 50, 50, 5, "Ana")], plot=Box(0, 0, 100, 100),
    ...                       font_size=10)
    >>> [(label.key, label.leader) for label in layout.labels], layout.numbered
    ([(1, False)], ())
    """
    xs, ys = x_scales, y_scales
    index = _Index(xs, ys)
    for m in markers:
        index.add(_Shape(m.x, m.y, -m.radius, -m.radius, m.radius, m.radius))
    for o in obstacles:
        half_w, half_h = o.width / 2, o.height / 2
        index.add(_Shape(o.x, o.y, -half_w, -half_h, half_w, half_h))
    labels: list[Label] = []
    numbered: list[tuple[int, int]] = []
    unlabelled: list[int] = []
    for marker in markers:
        if not marker.text:
            continue
        if max_labels is not None and len(labels) + len(numbered) >= max_labels:
            unlabelled.append(marker.key)
            continue
        if marker.numbered:
            numbered.append((marker.key, len(numbered) + 1))
            continue
        width, height = text_size(marker.text, font_size)
        width, height = width + 2 * padding, height + 2 * padding
        found = _place_one(marker, width, height, font_size, plot, index)
        if found is None:
            numbered.append((marker.key, len(numbered) + 1))
            continue
        dx, dy, leader = found
        labels.append(Label(marker.key, marker.text, dx, dy, width, height, leader))
    return Layout(tuple(labels), tuple(numbered), tuple(unlabelled))


def _place_one(
    marker: Marker, width: float, height: float, font_size: float, plot: Box, index: _Index
) -> tuple[float, float, bool] | None:
    for exact_dx, exact_dy, leader in _candidates(marker, width, height, font_size):
        # Rounded before the test, so the place kept is the place that was checked.
        dx, dy = round(exact_dx, 3), round(exact_dy, 3)
        shape = _Shape(
            marker.x, marker.y, dx - width / 2, dy - height / 2, dx + width / 2, dy + height / 2
        )
        if not _inside(shape, plot, index.xs, index.ys) or index.clashes(shape):
            continue
        index.add(shape)
        return dx, dy, leader
    return None


def _inside(shape: _Shape, plot: Box, xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    for s in xs:
        left, right = shape.span_x(s)
        if left < plot.left * s or right > plot.right * s:
            return False
    for s in ys:
        bottom, top = shape.span_y(s)
        if bottom < plot.bottom * s or top > plot.top * s:
            return False
    return True


def label_box(marker: Marker, label: Label, x_scale: float = 1.0, y_scale: float = 1.0) -> Box:
    """Where ``label`` lies when the marker positions are scaled."""
    cx, cy = marker.x * x_scale + label.dx, marker.y * y_scale + label.dy
    return Box(
        cx - label.width / 2, cy - label.height / 2, cx + label.width / 2, cy + label.height / 2
    )
