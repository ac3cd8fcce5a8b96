"""Boxes on a chart that stretches: each a point that scales with the chart plus
offsets that keep their size (text does not stretch), and an index of them that says
which overlap at some scale of a range.

Two shapes count as apart only if they are apart along x at both ends of the x range,
or along y at both ends of the y range: positions and offsets vary linearly with the
scale, so they are then apart at every scale in between.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: Side of the index's square buckets, in display units.
BUCKET = 64.0


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
class Shape:
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


def _apart(a: Shape, b: Shape, xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    x0, x1 = xs
    if _sep(a.span_x(x0), b.span_x(x0)) and (x1 == x0 or _sep(a.span_x(x1), b.span_x(x1))):
        return True
    y0, y1 = ys
    return _sep(a.span_y(y0), b.span_y(y0)) and (y1 == y0 or _sep(a.span_y(y1), b.span_y(y1)))


def _sep(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] <= b[0] or b[1] <= a[0]


class Index:
    """Shapes bucketed by their swept box, for quick overlap queries."""

    def __init__(self, xs: tuple[float, float], ys: tuple[float, float]) -> None:
        self.xs, self.ys = xs, ys
        self.buckets: dict[tuple[int, int], list[tuple[Shape, Box]]] = {}
        self._boxes: list[tuple[float, float, float, float]] = []
        self._shapes: list[Shape] = []
        self._held: npt.NDArray[np.float64] | None = None
        #: At one scale, boxes that overlap clash: no finer test is needed.
        self.exact = xs[0] == xs[1] and ys[0] == ys[1]

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        columns = range(math.floor(box.left / BUCKET), math.floor(box.right / BUCKET) + 1)
        rows = range(math.floor(box.bottom / BUCKET), math.floor(box.top / BUCKET) + 1)
        return [(i, j) for i in columns for j in rows]

    def add(self, shape: Shape) -> None:
        swept = shape.swept(self.xs, self.ys)
        for cell in self._cells(swept):
            self.buckets.setdefault(cell, []).append((shape, swept))
        self._boxes.append((swept.left, swept.bottom, swept.right, swept.top))
        self._shapes.append(shape)
        self._held = None

    def free(
        self, boxes: npt.NDArray[np.float64], ignore: Shape | None = None
    ) -> npt.NDArray[np.bool_]:
        """For each swept box (rows of left, bottom, right, top), whether it overlaps the
        swept box of no shape here (but ``ignore``): then it is apart from all of them at
        every scale. One array test for all of a marker's candidate places at once."""
        if not self._boxes:
            return np.ones(len(boxes), dtype=bool)
        if self._held is None:
            self._held = np.array(self._boxes)
        held, mine = self._held[None, :, :], boxes[:, None, :]
        apart = (
            (mine[..., 2] <= held[..., 0])
            | (held[..., 2] <= mine[..., 0])
            | (mine[..., 3] <= held[..., 1])
            | (held[..., 3] <= mine[..., 1])
        )
        if ignore is not None:
            apart[:, [i for i, shape in enumerate(self._shapes) if shape is ignore]] = True
        found: npt.NDArray[np.bool_] = np.asarray(apart.all(axis=1), dtype=bool)
        return found

    def clashes(self, shape: Shape, ignore: Shape | None = None) -> bool:
        """Whether ``shape`` overlaps a shape of the index (other than ``ignore``) at some
        scale. Shapes whose boxes swept over the scales are apart are apart at every scale:
        that test is made first, as it is the cheap one."""
        swept = shape.swept(self.xs, self.ys)
        cells = self._cells(swept)
        seen: set[int] = set()
        for cell in cells:
            for other, box in self.buckets.get(cell, ()):
                if len(cells) > 1:
                    if id(other) in seen:
                        continue
                    seen.add(id(other))
                if not swept.overlaps(box) or other is ignore:
                    continue
                if not _apart(shape, other, self.xs, self.ys):
                    return True
        return False
