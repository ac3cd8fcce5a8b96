"""Placing names on a chart: each beside its marker or at the end of a leader, in the
first free place nearest its marker, else numbered (see :mod:`engagement.charts.labels`).

Places are tried on rings of growing distance around the marker. A place must lie in
the plot area at every scale, overlap no shape taken (markers, obstacles, names placed
before, their leaders) at any scale of the range, and keep a little distance from every
other marker; the candidate places of a marker are screened as arrays first, then the
few left are tested exactly, the leader last.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from engagement.charts.label_boxes import Box, Index, Shape
from engagement.charts.labels import GAP, Label, Layout, Marker, Obstacle, leader_pieces
from engagement.charts.name_text import text_size

#: Leader lengths tried, as multiples of the font size (0: the name touches its marker).
_RINGS = (0.0, 0.8, 1.6, 2.6, 3.8, 5.2, 6.8, 8.6, 10.6, 12.8, 15.0)
_ANGLES_NEAR = 32
_ANGLES_FAR = 24
#: A name keeps this far from every marker but its own (as a share of the font size), so
#: that it is plainly the name of its own, beside its marker or at the end of its leader.
_CLEAR = 0.5


def _directions() -> tuple[npt.NDArray[np.float64], ...]:
    """Where names are tried around a marker, nearest first: for each place, its distance
    past the marker (in font sizes), the direction's cosine and sine, which side of the
    point the name's box lies on along x and y (-1, 0, 1), and whether it needs a leader
    (the box does not touch the marker)."""
    rows = []
    for ring, distance in enumerate(_RINGS):
        count = _ANGLES_NEAR if ring == 0 else _ANGLES_FAR
        for step in range(count):
            angle = 2 * math.pi * step / count
            cos, sin = math.cos(angle), math.sin(angle)
            side_x = 1.0 if cos > 0.3 else -1.0 if cos < -0.3 else 0.0
            side_y = 1.0 if sin > 0.3 else -1.0 if sin < -0.3 else 0.0
            rows.append((distance, cos, sin, side_x, side_y, float(ring > 0)))
    return tuple(np.array(column) for column in zip(*rows, strict=True))


_DISTANCE, _COS, _SIN, _SIDE_X, _SIDE_Y, _LEADER = _directions()


def _places(
    marker: Marker, width: float, height: float, font_size: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The centres ``(dx, dy)`` of a name tried around ``marker``, in :func:`_directions`
    order."""
    reach = marker.radius + GAP + _DISTANCE * font_size
    dx = reach * _COS + _SIDE_X * (width / 2)
    dy = reach * _SIN + _SIDE_Y * (height / 2)
    return np.round(dx, 3), np.round(dy, 3)


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
    number_size: float | None = None,
    cover_plain: bool = False,
    on_marker: Collection[int] = (),
) -> Layout:
    """Names for ``markers``, in their order of priority (the first are placed first).

    ``plot`` is the area labels must stay in, with its left-bottom corner at (0, 0) so it
    scales with the markers; ``obstacles`` are further boxes no label may cover. Markers
    without text are obstacles only. With ``number_size``, a marker whose name finds no
    room gets its number written beside it at that size, placed at once so that names of
    lower priority cannot take its room (else the caller writes numbers on the markers).
    Markers in ``on_marker`` are numbered at once, neither name nor number placed: the
    caller writes the number on the marker, drawn (and given here) large enough for it.
    With ``cover_plain``, markers without text are no obstacle: names (on their halo) may
    cover them and leaders cross them. On a network map of hundreds of anonymous dots,
    the names of the few central actors matter more than the dots beneath them.

    Examples
    --------
    >>> layout = place_labels([Marker(1, 50, 50, 5, "Ana")], plot=Box(0, 0, 100, 100),
    ...                       font_size=10)
    >>> [(label.key, label.leader) for label in layout.labels], layout.numbered
    ([(1, False)], ())
    """
    xs, ys = x_scales, y_scales
    index, dots = Index(xs, ys), Index(xs, ys)
    own: dict[int, Shape] = {}
    for m in markers:
        if cover_plain and not m.text:
            continue
        own[m.key] = Shape(m.x, m.y, -m.radius, -m.radius, m.radius, m.radius)
        index.add(own[m.key])
        dots.add(own[m.key])
    room = _Room(plot, index, dots, own, padding)
    for o in obstacles:
        half_w, half_h = o.width / 2, o.height / 2
        index.add(Shape(o.x, o.y, -half_w, -half_h, half_w, half_h))
    labels: list[Label] = []
    numbered: list[tuple[int, int]] = []
    numbers: list[Label] = []
    unlabelled: list[int] = []
    for marker in markers:
        if not marker.text:
            continue
        if max_labels is not None and len(labels) + len(numbered) >= max_labels:
            unlabelled.append(marker.key)
            continue
        if marker.key in on_marker:
            numbered.append((marker.key, len(numbered) + 1))
            continue
        texts = {} if marker.numbered else dict.fromkeys((marker.text, *marker.other_texts))
        found = next(filter(None, (room.place(marker, text, font_size) for text in texts)), None)
        if found is not None:
            labels.append(found)
            continue
        numbered.append((marker.key, len(numbered) + 1))
        if number_size is not None:
            number = room.place(marker, str(len(numbered)), number_size)
            numbers += [number] if number else []
    return Layout(tuple(labels), tuple(numbered), tuple(unlabelled), tuple(numbers))


@dataclass
class _Room:
    """What is taken on the chart: every shape names and leaders keep clear of
    (``index``), and the markers names keep their distance from (``dots``)."""

    plot: Box
    index: Index
    dots: Index
    own: dict[int, Shape]
    padding: float

    def place(self, marker: Marker, text: str, font_size: float) -> Label | None:
        """``text`` written for ``marker`` at the first free place, nearest first (and
        the place taken); None if there is none."""
        width, height = text_size(text, font_size)
        width, height = width + 2 * self.padding, height + 2 * self.padding
        index, clear = self.index, _CLEAR * font_size
        dxs, dys = _places(marker, width, height, font_size)
        swept, inside = _screened(marker, dxs, dys, (width, height), self.plot, index.xs, index.ys)
        own = self.own.get(marker.key)
        free = index.free(swept)
        clear_of = self.dots.free(swept + np.array([-clear, -clear, clear, clear]), own)
        # At one scale a box that is not surely free clashes; else it is tested exactly.
        tried = np.flatnonzero(inside & free & clear_of if index.exact else inside)
        for at in tried.tolist():
            dx, dy, leader = float(dxs[at]), float(dys[at]), bool(_LEADER[at])
            box = _label_box(marker, dx, dy, width, height)
            if not free[at] and index.clashes(box):
                continue
            if not clear_of[at] and self.dots.clashes(_grown(box, clear), own):
                continue
            # the leader last: the costliest test, made only for a free place
            line = leader_pieces(marker, dx, dy, width, height) if leader else []
            if any(index.clashes(piece) for piece in line):
                continue
            index.add(box)
            for piece in line:
                index.add(piece)
            return Label(marker.key, text, dx, dy, width, height, leader)
        return None


def _grown(shape: Shape, by: float) -> Shape:
    return Shape(
        shape.x, shape.y, shape.left - by, shape.bottom - by, shape.right + by, shape.top + by
    )


def _label_box(marker: Marker, dx: float, dy: float, width: float, height: float) -> Shape:
    return Shape(
        marker.x, marker.y, dx - width / 2, dy - height / 2, dx + width / 2, dy + height / 2
    )


def _screened(
    marker: Marker,
    dxs: npt.NDArray[np.float64],
    dys: npt.NDArray[np.float64],
    size: tuple[float, float],
    plot: Box,
    xs: tuple[float, float],
    ys: tuple[float, float],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """For a name of ``size`` centred at each place: its box swept over the scales (rows
    of left, bottom, right, top), and whether it stays in ``plot`` at both ends."""
    width, height = size
    inside = np.ones(len(dxs), dtype=bool)
    for scale in xs:
        left = marker.x * scale + dxs - width / 2
        inside &= (left >= plot.left * scale) & (left + width <= plot.right * scale)
    for scale in ys:
        bottom = marker.y * scale + dys - height / 2
        inside &= (bottom >= plot.bottom * scale) & (bottom + height <= plot.top * scale)
    x0, x1 = sorted((marker.x * xs[0], marker.x * xs[1]))
    y0, y1 = sorted((marker.y * ys[0], marker.y * ys[1]))
    swept = np.column_stack(
        (x0 + dxs - width / 2, y0 + dys - height / 2, x1 + dxs + width / 2, y1 + dys + height / 2)
    )
    return swept, inside
