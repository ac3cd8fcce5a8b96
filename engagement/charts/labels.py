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
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from engagement.text import wrap_name

#: Space between a marker's edge and its name, in display units.
GAP = 2.0
#: Line height as a share of the font size.
LINE_HEIGHT = 1.3
#: Characters per line of a name, and lines at most.
LINE_CHARS = 18
MAX_LINES = 2
#: Leader lengths tried, as multiples of the font size (0: the name touches its marker).
_RINGS = (0.0, 0.8, 1.6, 2.6, 3.8, 5.2, 6.8, 8.6, 10.6, 12.8, 15.0)
_ANGLES_NEAR = 32
_ANGLES_FAR = 24
_BUCKET = 64.0
#: Length of the pieces a leader is checked in, and half their thickness (which keeps a
#: leader clear of what it passes).
_PIECE = 4.0
_HALF_LINE = 1.2
#: A name keeps this far from every marker but its own (as a share of the font size), so
#: that it is plainly the name of its own, beside its marker or at the end of its leader.
_CLEAR = 0.5
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


def label_shapes(name: str, max_lines: int = MAX_LINES) -> tuple[str, tuple[str, ...]]:
    """A name as :func:`label_text` writes it, and the same name wrapped in fewer, longer
    lines, to try when the first finds no room.

    Examples
    --------
    >>> first, others = label_shapes("Alcaldía Municipal de La Antigua Guatemala", max_lines=3)
    >>> first.splitlines()
    ['Alcaldía Municipal', 'de La Antigua', 'Guatemala']
    >>> [o.splitlines() for o in others]
    [['Alcaldía Municipal de La', 'Antigua Guatemala']]
    """
    first = label_text(name, max_lines=max_lines)
    wider = label_text(name, chars=LINE_CHARS + 8, max_lines=max(1, max_lines - 1))
    return first, (() if wider == first or ("…" in wider and "…" not in first) else (wider,))


def whole_shapes(name: str, max_lines: int = MAX_LINES) -> tuple[str, tuple[str, ...]]:
    """A name written whole, wrapped between words on up to ``max_lines`` lines (longer
    lines when it needs them, see :func:`engagement.text.wrap_name`; never cut, never
    its acronym), and the same in fewer lines of up to ``LINE_CHARS + 8`` characters, to
    try when the first finds no room.

    Examples
    --------
    >>> first, others = whole_shapes("Alcaldía Municipal de La Antigua Guatemala", 3)
    >>> first.splitlines()
    ['Alcaldía', 'Municipal de La', 'Antigua Guatemala']
    >>> [o.splitlines() for o in others]
    [['Alcaldía Municipal de', 'La Antigua Guatemala']]
    >>> whole_shapes("Instituto Nacional de Transparencia (INAI)", 3)[0].splitlines()
    ['Instituto Nacional', 'de Transparencia', '(INAI)']
    """
    first = "\n".join(wrap_name(name, LINE_CHARS, max_lines))
    lines = wrap_name(name, LINE_CHARS + 8, max(1, max_lines - 1))
    wider = "\n".join(lines)
    fits = all(len(line) <= LINE_CHARS + 8 for line in lines)
    return first, ((wider,) if fits and wider != first else ())


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
        self.buckets: dict[tuple[int, int], list[tuple[_Shape, Box]]] = {}
        self._boxes: list[tuple[float, float, float, float]] = []
        self._shapes: list[_Shape] = []
        self._held: npt.NDArray[np.float64] | None = None
        #: At one scale, boxes that overlap clash: no finer test is needed.
        self.exact = xs[0] == xs[1] and ys[0] == ys[1]

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        columns = range(math.floor(box.left / _BUCKET), math.floor(box.right / _BUCKET) + 1)
        rows = range(math.floor(box.bottom / _BUCKET), math.floor(box.top / _BUCKET) + 1)
        return [(i, j) for i in columns for j in rows]

    def add(self, shape: _Shape) -> None:
        swept = shape.swept(self.xs, self.ys)
        for cell in self._cells(swept):
            self.buckets.setdefault(cell, []).append((shape, swept))
        self._boxes.append((swept.left, swept.bottom, swept.right, swept.top))
        self._shapes.append(shape)
        self._held = None

    def free(
        self, boxes: npt.NDArray[np.float64], ignore: _Shape | None = None
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

    def clashes(self, shape: _Shape, ignore: _Shape | None = None) -> bool:
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
    index, dots = _Index(xs, ys), _Index(xs, ys)
    own: dict[int, _Shape] = {}
    for m in markers:
        if cover_plain and not m.text:
            continue
        own[m.key] = _Shape(m.x, m.y, -m.radius, -m.radius, m.radius, m.radius)
        index.add(own[m.key])
        dots.add(own[m.key])
    room = _Room(plot, index, dots, own, padding)
    for o in obstacles:
        half_w, half_h = o.width / 2, o.height / 2
        index.add(_Shape(o.x, o.y, -half_w, -half_h, half_w, half_h))
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
    index: _Index
    dots: _Index
    own: dict[int, _Shape]
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
            line = _leader_pieces(marker, dx, dy, width, height) if leader else []
            if any(index.clashes(piece) for piece in line):
                continue
            index.add(box)
            for piece in line:
                index.add(piece)
            return Label(marker.key, text, dx, dy, width, height, leader)
        return None


def _grown(shape: _Shape, by: float) -> _Shape:
    return _Shape(
        shape.x, shape.y, shape.left - by, shape.bottom - by, shape.right + by, shape.top + by
    )


def _label_box(marker: Marker, dx: float, dy: float, width: float, height: float) -> _Shape:
    return _Shape(
        marker.x, marker.y, dx - width / 2, dy - height / 2, dx + width / 2, dy + height / 2
    )


def _leader_span(
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


def _leader_pieces(
    marker: Marker, dx: float, dy: float, width: float, height: float
) -> list[_Shape]:
    """Short boxes that together cover the leader's drawn line."""
    span = _leader_span(marker, dx, dy, width, height)
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
            _Shape(marker.x, marker.y, xs[0] - _HALF_LINE, ys[0] - _HALF_LINE,
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
    span = _leader_span(marker, label.dx, label.dy, label.width, label.height)
    if not label.leader or span is None:
        return None
    ux, uy, start, end = span
    x, y = marker.x * x_scale, marker.y * y_scale
    return (x + start * ux, y + start * uy), (x + end * ux, y + end * uy)


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


def label_box(marker: Marker, label: Label, x_scale: float = 1.0, y_scale: float = 1.0) -> Box:
    """Where ``label`` lies when the marker positions are scaled."""
    cx, cy = marker.x * x_scale + label.dx, marker.y * y_scale + label.dy
    return Box(
        cx - label.width / 2, cy - label.height / 2, cx + label.width / 2, cy + label.height / 2
    )
