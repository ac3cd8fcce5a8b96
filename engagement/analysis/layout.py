"""Fast, deterministic positions for the network map.

The map never lays itself out in the browser for large programs (vis-network's physics
does not finish beyond ~1,000 nodes on a modest laptop), so positions are computed here,
once per change of the graph, and stored.

Method: each connected component is placed by Pivot MDS (Brandes & Pich 2007), refined
by sparse stress majorization on the ties plus the pivot distances (Ortmann, Klimenta &
Brandes 2016), then nodes that still overlap are pushed apart. Components are packed
side by side, largest first; isolated actors go on a grid below them. Everything depends
only on the sorted node ids and ties, so the same graph gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, shortest_path
from scipy.spatial import cKDTree

Positions = dict[int, tuple[float, float]]
FloatArray = npt.NDArray[np.float64]

#: Distance, in map units (vis-network pixels), between two tied actors.
EDGE_LENGTH = 110.0
#: Nodes closer than this (in edge lengths) are pushed apart.
MIN_GAP = 0.45
PIVOTS = 40
STRESS_ITERATIONS = 40
OVERLAP_ITERATIONS = 12


def layout_positions(
    nodes: Iterable[int], ties: Iterable[tuple[int, int]], *, edge_length: float = EDGE_LENGTH
) -> Positions:
    """Positions for every node, deterministic for a given set of nodes and ties.

    Parameters
    ----------
    nodes : iterable of int
        Node ids (actor ids). Order does not matter.
    ties : iterable of (int, int)
        Ties between nodes; direction, duplicates and self-ties are ignored.
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
    xy = np.zeros((n, 2))
    placed = [(m, _component_layout(adjacency, m)) for m in blocks]
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


def _component_layout(adjacency: csr_array, members: npt.NDArray[np.int64]) -> FloatArray:
    """Unit-edge-length positions of one connected component (rows follow ``members``)."""
    sub = csr_array(adjacency[members][:, members])
    n = members.size
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    pivots, dist = _pivot_distances(sub, min(PIVOTS if n <= 5000 else PIVOTS // 2, n))
    xy = _pivot_mds(dist)
    xy = _sparse_stress(sub, pivots, dist, xy)
    return _remove_overlaps(_give_room(xy))


def _pivot_distances(sub: csr_array, k: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Max-min pivots, starting at the best-connected node; hop distances n x k."""
    degree = np.diff(sub.indptr)
    first = int(np.argmax(degree))
    pivots = [first]
    columns = [shortest_path(sub, unweighted=True, directed=False, indices=first)]
    nearest = columns[0].copy()
    while len(pivots) < k:
        candidate = int(np.argmax(nearest))
        if nearest[candidate] == 0:
            break
        pivots.append(candidate)
        columns.append(shortest_path(sub, unweighted=True, directed=False, indices=candidate))
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
    sub: csr_array, pivots: npt.NDArray[np.int64], dist: FloatArray, xy: FloatArray
) -> FloatArray:
    """Localized stress majorization on ties (length 1) and node-pivot distances."""
    coo = sub.tocoo()
    keep = coo.row < coo.col
    n, k = dist.shape
    node_idx = np.repeat(np.arange(n), k)
    pivot_idx = np.tile(pivots, n)
    pivot_d = dist.reshape(-1)
    useful = (pivot_d > 1) & np.isfinite(pivot_d)
    i = np.concatenate([coo.row[keep], node_idx[useful]]).astype(np.int64)
    j = np.concatenate([coo.col[keep], pivot_idx[useful]]).astype(np.int64)
    d = np.concatenate([np.ones(int(keep.sum())), pivot_d[useful]])
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


def _remove_overlaps(xy: FloatArray) -> FloatArray:
    """Push apart nodes closer than MIN_GAP, in a fixed order (deterministic)."""
    for _ in range(OVERLAP_ITERATIONS):
        pairs = cKDTree(xy).query_pairs(MIN_GAP, output_type="ndarray").astype(np.int64)
        if pairs.size == 0:
            break
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        a, b = pairs[:, 0], pairs[:, 1]
        delta = xy[a] - xy[b]
        length = np.hypot(delta[:, 0], delta[:, 1])
        tiny = length < 1e-9
        angle = (a[tiny] * 7 + b[tiny]) * 2.399963229728653
        delta[tiny] = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        length[tiny] = 1.0
        push = ((MIN_GAP - np.minimum(length, MIN_GAP)) / 2 / length)[:, None] * delta
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
