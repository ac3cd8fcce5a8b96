"""Fast, deterministic positions for the network map.

The map never lays itself out in the browser for large programs (vis-network's physics
does not finish beyond ~1,000 nodes on a modest laptop), so positions are computed here,
once per change of the graph, and stored.

Method: each connected component is placed by Pivot MDS (Brandes & Pich 2007), refined
by sparse stress majorization on the ties plus the pivot distances (Ortmann, Klimenta &
Brandes 2016). When the nodes come with groups (the map's communities), a tie between
two groups is given a longer target length than a tie inside one, and then the groups'
discs are pushed apart, so that each community reads as a cluster of its own and the
centre of the drawing is not one tangle. Last, nodes that still overlap are pushed
apart. Components are packed side by side, largest first; isolated actors go on a grid
below them. Everything depends only on the sorted node ids, ties and groups, so the
same graph gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, shortest_path
from scipy.spatial import cKDTree

Positions = dict[int, tuple[float, float]]
FloatArray = npt.NDArray[np.float64]

#: Distance, in map units (vis-network pixels), between two tied actors.
EDGE_LENGTH = 110.0
#: Nodes closer than this (in edge lengths) are pushed apart. With the map's largest
#: node radius (30 units), two nodes never overlap: 0.62 x 110 = 68 > 30 + 30 + borders.
MIN_GAP = 0.62
#: Target length of a tie between two groups, in edge lengths (a tie inside one is 1).
BETWEEN_GROUPS = 2.2
#: Empty space kept between the discs of two groups, in edge lengths.
GROUP_MARGIN = 0.6
GROUP_ITERATIONS = 30
#: The best-tied actor of a component keeps (1 + HUB_ROOM) times the room of a leaf.
HUB_ROOM = 1.2
#: Above this many groups in one component, their discs are not separated pair by pair.
MAX_GROUPS = 400
PIVOTS = 40
STRESS_ITERATIONS = 40
OVERLAP_ITERATIONS = 60


def layout_positions(
    nodes: Iterable[int],
    ties: Iterable[tuple[int, int]],
    *,
    groups: Mapping[int, Hashable] | None = None,
    edge_length: float = EDGE_LENGTH,
) -> Positions:
    """Positions for every node, deterministic for a given set of nodes, ties and groups.

    Parameters
    ----------
    nodes : iterable of int
        Node ids (actor ids). Order does not matter.
    ties : iterable of (int, int)
        Ties between nodes; direction, duplicates and self-ties are ignored.
    groups : mapping, optional
        Group of each node (e.g. its community). Nodes of one group are drawn together
        and groups apart; a node missing from the mapping is a group of its own.
    edge_length : float
        Target distance between tied nodes, in map units.

    Returns
    -------
    dict
        ``{node: (x, y)}`` with plain Python floats, centred near the origin.

    Raises
    ------
    ValueError
        If a tie names a node that is not in ``nodes``.

    Examples
    --------
    >>> pos = layout_positions([1, 2, 3, 4], [(1, 2), (2, 3), (3, 4)])
    >>> sorted(pos) == [1, 2, 3, 4]
    True
    >>> pos == layout_positions([4, 3, 2, 1], [(4, 3), (2, 3), (1, 2)])
    True
    >>> two = layout_positions([1, 2, 3, 4], [(1, 2), (2, 3), (3, 4)],
    ...                        groups={1: "a", 2: "a", 3: "b", 4: "b"})
    >>> gap = abs(two[3][0] - two[2][0]) + abs(two[3][1] - two[2][1])
    >>> near = abs(two[2][0] - two[1][0]) + abs(two[2][1] - two[1][1])
    >>> gap > near  # the tie between the groups is the long one
    True

    References
    ----------
    .. [1] U. Brandes and C. Pich, "Eigensolver methods for progressive multidimensional
       scaling of large data", Graph Drawing 2006, LNCS 4372, 2007.
    .. [2] M. Ortmann, M. Klimenta and U. Brandes, "A sparse stress model", Graph
       Drawing 2016, LNCS 9801, 2016.
    """
    ids = np.array(sorted(set(nodes)), dtype=np.int64)
    if ids.size == 0:
        return {}
    src, dst = _edge_indices(ids, ties)
    n = ids.size
    adjacency = csr_array((np.ones(src.size), (src, dst)), shape=(n, n))
    count, labels = connected_components(adjacency, directed=False)
    members = [np.flatnonzero(labels == c) for c in range(count)]
    # Largest first; ties broken by the smallest id, which labels already follow.
    members.sort(key=lambda m: (-m.size, int(m[0])))
    blocks = [m for m in members if m.size > 1]
    singles = np.array([int(m[0]) for m in members if m.size == 1], dtype=np.int64)
    codes = _group_codes(ids, groups)
    xy = np.zeros((n, 2))
    placed = [(m, _component_layout(adjacency, m, codes[m])) for m in blocks]
    _pack(xy, placed, singles)
    xy -= xy.mean(axis=0)
    xy *= edge_length
    return {
        int(i): (round(float(x), 2), round(float(y), 2)) for i, (x, y) in zip(ids, xy, strict=True)
    }


def _edge_indices(
    ids: npt.NDArray[np.int64], ties: Iterable[tuple[int, int]]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    pairs = np.array([(a, b) for a, b in ties if a != b], dtype=np.int64).reshape(-1, 2)
    index = np.searchsorted(ids, pairs)
    found = (index < ids.size) & (ids[np.minimum(index, ids.size - 1)] == pairs)
    if not found.all():
        missing = int(pairs[~found][0])
        raise ValueError(f"tie names unknown node {missing}")
    low, high = np.minimum(index[:, 0], index[:, 1]), np.maximum(index[:, 0], index[:, 1])
    unique = np.unique(np.stack([low, high], axis=1), axis=0)
    src = np.concatenate([unique[:, 0], unique[:, 1]])
    dst = np.concatenate([unique[:, 1], unique[:, 0]])
    return src, dst


def _group_codes(
    ids: npt.NDArray[np.int64], groups: Mapping[int, Hashable] | None
) -> npt.NDArray[np.int64]:
    """A small integer per group (by first appearance in id order); ungrouped nodes get
    codes of their own."""
    codes = np.arange(ids.size, dtype=np.int64) + ids.size
    if not groups:
        return codes
    seen: dict[Hashable, int] = {}
    for i, node in enumerate(ids.tolist()):
        if node in groups and groups[node] is not None:
            codes[i] = seen.setdefault(groups[node], len(seen))
    return codes


def _component_layout(
    adjacency: csr_array, members: npt.NDArray[np.int64], codes: npt.NDArray[np.int64]
) -> FloatArray:
    """Unit-edge-length positions of one connected component (rows follow ``members``)."""
    sub = csr_array(adjacency[members][:, members])
    n = members.size
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]]) * max(1.0, 2 * MIN_GAP)
    coo = sub.tocoo()
    crossing = codes[coo.row] != codes[coo.col]
    lengths = csr_array(
        (np.where(crossing, BETWEEN_GROUPS, 1.0), (coo.row, coo.col)), shape=sub.shape
    )
    pivots, dist = _pivot_distances(lengths, min(PIVOTS if n <= 5000 else PIVOTS // 2, n))
    xy = _pivot_mds(dist)
    xy = _sparse_stress(lengths, pivots, dist, xy)
    xy = _separate_groups(_give_room(xy), codes)
    # Well-tied actors are drawn larger and named first: give them more room.
    degree = np.diff(sub.indptr).astype(np.float64)
    room = 0.5 * MIN_GAP * (1.0 + HUB_ROOM * np.sqrt(degree / degree.max()))
    return _remove_overlaps(xy, room)


def _pivot_distances(lengths: csr_array, k: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Max-min pivots, starting at the best-connected node; graph distances n x k over
    the ties' target lengths."""
    degree = np.diff(lengths.indptr)
    first = int(np.argmax(degree))
    pivots = [first]
    columns = [shortest_path(lengths, directed=False, indices=first)]
    nearest = columns[0].copy()
    while len(pivots) < k:
        candidate = int(np.argmax(nearest))
        if nearest[candidate] == 0:
            break
        pivots.append(candidate)
        columns.append(shortest_path(lengths, directed=False, indices=candidate))
        nearest = np.minimum(nearest, columns[-1])
    return np.array(pivots, dtype=np.int64), np.stack(columns, axis=1)


def _pivot_mds(dist: FloatArray) -> FloatArray:
    squared = dist**2
    centred = (
        squared - squared.mean(axis=0) - squared.mean(axis=1, keepdims=True) + squared.mean()
    ) * -0.5
    # The two leading eigenvectors of the small k x k matrix C^T C give the drawing C v.
    _values, vectors = np.linalg.eigh(centred.T @ centred)
    xy = centred @ vectors[:, ::-1][:, :2]
    if xy.shape[1] < 2:
        xy = np.hstack([xy, np.zeros((xy.shape[0], 1))])
    # Singular vectors have no sign: fix it so that the same graph never comes out mirrored.
    for axis in range(2):
        column = xy[:, axis]
        heaviest = int(np.argmax(np.abs(column).round(9)))
        if column[heaviest] < 0:
            xy[:, axis] = -column
    # Structurally equivalent nodes (leaves of one hub) get identical coordinates; spread
    # them a little, by index, so that the stress step can separate them.
    n = xy.shape[0]
    angle = np.arange(n) * 2.399963229728653
    spread: FloatArray = xy + 0.05 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return spread


def _sparse_stress(
    lengths: csr_array, pivots: npt.NDArray[np.int64], dist: FloatArray, xy: FloatArray
) -> FloatArray:
    """Localized stress majorization on ties (at their target lengths) and node-pivot
    distances."""
    coo = lengths.tocoo()
    keep = coo.row < coo.col
    n, k = dist.shape
    node_idx = np.repeat(np.arange(n), k)
    pivot_idx = np.tile(pivots, n)
    pivot_d = dist.reshape(-1)
    useful = (pivot_d > BETWEEN_GROUPS) & np.isfinite(pivot_d)
    i = np.concatenate([coo.row[keep], node_idx[useful]]).astype(np.int64)
    j = np.concatenate([coo.col[keep], pivot_idx[useful]]).astype(np.int64)
    d = np.concatenate([coo.data[keep], pivot_d[useful]])
    # Pivot terms stand for many pairs but are far apart: weight them down (1/d^2) and
    # keep ties dominant. They move only the node, never the pivot: a pivot pulled by
    # every node would be flung to the edge of the drawing.
    ties = int(keep.sum())
    w = np.concatenate([np.ones(ties), 0.5 / pivot_d[useful] ** 2])
    mutual = np.concatenate([np.ones(ties), np.zeros(int(useful.sum()))])
    wj = w * mutual
    weight_sum = np.bincount(i, w, n) + np.bincount(j, wj, n)
    weight_sum[weight_sum == 0] = 1.0
    wd = w * d
    iterations = STRESS_ITERATIONS if n <= 5000 else STRESS_ITERATIONS // 2
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    for _ in range(iterations):
        dx, dy = x[i] - x[j], y[i] - y[j]
        scale = wd / np.maximum(np.hypot(dx, dy), 1e-9)
        px, py = scale * dx, scale * dy
        x, y = (
            (np.bincount(i, w * x[j] + px, n) + np.bincount(j, wj * x[i] - mutual * px, n))
            / weight_sum,
            (np.bincount(i, w * y[j] + py, n) + np.bincount(j, wj * y[i] - mutual * py, n))
            / weight_sum,
        )
    return np.stack([x, y], axis=1)


def _give_room(xy: FloatArray) -> FloatArray:
    """Scale up a drawing too dense for its nodes to sit MIN_GAP apart.

    Scale-free graphs have a small diameter: at unit tie length thousands of actors
    would share a disk a few ties wide.
    """
    # Each side counts at least one tie length, so a chain (a thin drawing) is not blown up.
    spread = np.maximum(xy.max(axis=0) - xy.min(axis=0), 1.0)
    area = float(spread[0] * spread[1])
    needed = xy.shape[0] * (MIN_GAP * 2.0) ** 2
    return xy * max(1.0, math.sqrt(needed / area))


def _separate_groups(xy: FloatArray, codes: npt.NDArray[np.int64]) -> FloatArray:
    """Move whole groups apart until their discs (plus GROUP_MARGIN) no longer overlap.

    A group's disc is centred on its members' mean, with a radius that covers most of
    them (1.3 x their root-mean-square distance) and at least room for them all at
    MIN_GAP. Larger groups move less. Members keep their places within the group.
    """
    labels, index = np.unique(codes, return_inverse=True)
    k = labels.size
    if k < 2 or k > MAX_GROUPS:
        return xy
    counts = np.bincount(index, minlength=k).astype(np.float64)
    xy = xy.copy()
    for _ in range(GROUP_ITERATIONS):
        sums = np.stack([np.bincount(index, xy[:, a], k) for a in range(2)], axis=1)
        centre = sums / counts[:, None]
        offset = xy - centre[index]
        spread = np.sqrt(np.bincount(index, (offset**2).sum(axis=1), k) / counts)
        radius = np.maximum(1.3 * spread, MIN_GAP * np.sqrt(counts))
        delta = centre[:, None, :] - centre[None, :, :]
        distance = np.hypot(delta[..., 0], delta[..., 1])
        need = radius[:, None] + radius[None, :] + GROUP_MARGIN
        overlap = np.triu(need - distance, 1)
        if not (overlap > 1e-9).any():
            break
        same = distance < 1e-9
        angle = (np.arange(k)[:, None] * 7 + np.arange(k)[None, :]) * 2.399963229728653
        delta[same] = np.stack([np.cos(angle), np.sin(angle)], axis=-1)[same]
        distance[same] = 1.0
        unit = delta / distance[..., None]
        push = np.clip(overlap, 0.0, None)
        share = counts[None, :] / (counts[:, None] + counts[None, :])
        # Of each overlap (a, b), a moves its share away from b, b the rest away from a.
        moves = ((push * share)[..., None] * unit).sum(axis=1)
        moves -= ((push * (1 - share))[..., None] * unit).sum(axis=0)
        xy += moves[index]
    return xy


def _remove_overlaps(xy: FloatArray, room: FloatArray | None = None) -> FloatArray:
    """Push apart nodes closer than the sum of their ``room`` (radii in edge lengths,
    MIN_GAP / 2 each by default), in a fixed order (deterministic)."""
    room = np.full(xy.shape[0], MIN_GAP / 2) if room is None else room
    reach = 2.0 * float(room.max()) if room.size else MIN_GAP
    for _ in range(OVERLAP_ITERATIONS):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray").astype(np.int64)
        if pairs.size == 0:
            break
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        a, b = pairs[:, 0], pairs[:, 1]
        delta = xy[a] - xy[b]
        length = np.hypot(delta[:, 0], delta[:, 1])
        need = room[a] + room[b]
        close = length < need
        if not close.any():
            break
        a, b, delta, length, need = a[close], b[close], delta[close], length[close], need[close]
        tiny = length < 1e-9
        angle = (a[tiny] * 7 + b[tiny]) * 2.399963229728653
        delta[tiny] = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        length[tiny] = 1.0
        # A little past the need, so that chains of pushes settle in a few rounds.
        target = need * 1.05
        push = ((target - np.minimum(length, target)) / 2 / length)[:, None] * delta
        moved = np.zeros_like(xy)
        for axis in range(2):
            moved[:, axis] = np.bincount(a, push[:, axis], xy.shape[0]) - np.bincount(
                b, push[:, axis], xy.shape[0]
            )
        xy = xy + moved
    return xy


def _pack(
    xy: FloatArray,
    placed: Sequence[tuple[npt.NDArray[np.int64], FloatArray]],
    singles: npt.NDArray[np.int64],
) -> None:
    """Components left to right in rows (largest first), isolated nodes on a grid below."""
    boxes = []
    for members, local in placed:
        local = local - local.min(axis=0)
        boxes.append((members, local, local.max(axis=0) + 1.0))
    total_area = sum(float(size[0] * size[1]) for _, _, size in boxes) + singles.size
    row_width = max(math.sqrt(total_area) * 1.3, max((s[0] for _, _, s in boxes), default=1.0))
    x = y = row_height = 0.0
    for members, local, size in boxes:
        if x > 0 and x + size[0] > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        xy[members] = local + np.array([x, y])
        x += float(size[0])
        row_height = max(row_height, float(size[1]))
    if singles.size:
        top = y + row_height + (1.0 if boxes else 0.0)
        columns = max(1, math.ceil(math.sqrt(singles.size * 2)))
        spots = np.arange(singles.size)
        xy[singles, 0] = (spots % columns) * 0.8
        xy[singles, 1] = top + (spots // columns) * 0.8


def align_positions(new: Positions, previous: Positions, *, keep: Iterable[int] = ()) -> Positions:
    """``new`` turned, mirrored and moved to sit as close as it can to ``previous``.

    A recomputed layout keeps the user's mental map: the nodes both layouts share are
    matched by an orthogonal Procrustes fit (rotation or reflection, then translation;
    no scaling). Nodes in ``keep`` are not used for the fit (they were placed by hand).
    With fewer than three shared nodes ``new`` comes back unchanged.

    Examples
    --------
    >>> old = {1: (0.0, 0.0), 2: (10.0, 0.0), 3: (0.0, 5.0)}
    >>> turned = {1: (0.0, 0.0), 2: (0.0, 10.0), 3: (-5.0, 0.0), 4: (1.0, 1.0)}
    >>> fitted = align_positions(turned, old)
    >>> [tuple(round(v, 6) + 0.0 for v in fitted[k]) for k in (1, 2, 3)]
    [(0.0, 0.0), (10.0, 0.0), (0.0, 5.0)]
    """
    skip = set(keep)
    shared = sorted(k for k in new if k in previous and k not in skip)
    if len(shared) < 3:
        return dict(new)
    a = np.array([new[k] for k in shared], dtype=float)
    b = np.array([previous[k] for k in shared], dtype=float)
    a_mean, b_mean = a.mean(axis=0), b.mean(axis=0)
    u, _s, vt = np.linalg.svd((a - a_mean).T @ (b - b_mean))
    rotation = u @ vt
    ids = list(new)
    moved = (np.array([new[k] for k in ids], dtype=float) - a_mean) @ rotation + b_mean
    return {
        k: (round(float(x), 2), round(float(y), 2)) for k, (x, y) in zip(ids, moved, strict=True)
    }


def positions_bounds(positions: Positions) -> tuple[float, float, float, float]:
    """``(min_x, min_y, max_x, max_y)`` of some positions; zeros when there are none.

    Examples
    --------
    >>> positions_bounds({1: (0.0, 1.0), 2: (3.0, -2.0)})
    (0.0, -2.0, 3.0, 1.0)
    """
    if not positions:
        return (0.0, 0.0, 0.0, 0.0)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    return (min(xs), min(ys), max(xs), max(ys))
