"""Gould-Fernandez brokerage roles, with each actor's sector as its group.

For an open two-path ``a -> v -> b`` (a and b distinct, no tie ``a -> b``) the broker v
plays one of five roles, by the groups of the three actors:

================  ==========================================  =========================
role              groups                                      meaning
================  ==========================================  =========================
coordinator       a, v, b all in one group                    brokers inside its group
itinerant         a and b in one group, v outside it          outsider linking a group
gatekeeper        a outside; v and b in one group             lets an outsider in
representative    a and v in one group; b outside             speaks for its group
liaison           a, v, b in three different groups           links different groups
================  ==========================================  =========================

Only positive ties are paths; an undirected tie runs both ways, so ``b -> v -> a`` is
counted as well as ``a -> v -> b``. Two-paths through an actor without a sector, or with
an end without one, are not classified (the group is unknown).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from enum import StrEnum

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import csr_array

from engagement.analysis.graph import IndexedGraph, indexed_graph


class BrokerageRole(StrEnum):
    COORDINATOR = "coordinator"
    ITINERANT = "itinerant"
    GATEKEEPER = "gatekeeper"
    REPRESENTATIVE = "representative"
    LIAISON = "liaison"


ROLES: tuple[BrokerageRole, ...] = tuple(BrokerageRole)


def brokerage_role(group_a: Hashable, group_v: Hashable, group_b: Hashable) -> BrokerageRole:
    """The role of broker v on the open two-path a -> v -> b, from the three groups.

    Examples
    --------
    >>> brokerage_role("ngo", "city", "ngo").value
    'itinerant'
    >>> brokerage_role("ngo", "city", "city").value
    'gatekeeper'
    """
    if group_a == group_v == group_b:
        return BrokerageRole.COORDINATOR
    if group_a == group_b:
        return BrokerageRole.ITINERANT
    if group_v == group_b:
        return BrokerageRole.GATEKEEPER
    if group_a == group_v:
        return BrokerageRole.REPRESENTATIVE
    return BrokerageRole.LIAISON


def brokerage_roles(
    G: nx.Graph, group: str | Mapping[Hashable, Hashable] = "sector"
) -> pd.DataFrame:
    """Count, for each actor, the open two-paths it brokers in each role.

    Parameters
    ----------
    G : networkx graph
        Directed or undirected; only positive ties count.
    group : str or mapping
        Node attribute naming the group (default ``"sector"``), or a mapping from node
        to group. Nodes with no group (missing or None) are left out of every count.

    Returns
    -------
    DataFrame
        Indexed by node, one integer column per role (coordinator, itinerant,
        gatekeeper, representative, liaison) and ``total``.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "v"), ("v", "b")])
    >>> roles = brokerage_roles(G, {"a": "ngo", "v": "city", "b": "city"})
    >>> roles.loc["v"].tolist()  # coordinator, itinerant, gatekeeper, representative, ...
    [0, 0, 1, 0, 0, 1]

    References
    ----------
    .. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal approach
       to brokerage in transaction networks", Sociological Methodology 19, 89-126, 1989.
    """
    ig = indexed_graph(G, weight=None)
    if isinstance(group, str):
        labels = [G.nodes[v].get(group) for v in ig.nodes]
    else:
        labels = [group.get(v) for v in ig.nodes]
    counts = role_counts(ig, labels)
    frame = pd.DataFrame(counts, index=pd.Index(ig.nodes), columns=[r.value for r in ROLES])
    frame["total"] = frame.sum(axis=1)
    return frame.astype("int64")


def role_counts(ig: IndexedGraph, labels: list[Hashable | None]) -> npt.NDArray[np.int64]:
    """An n x 5 array of role counts (columns in :data:`ROLES` order)."""
    codes, k = _group_codes(labels)
    if ig.n == 0 or k == 0 or ig.source.size == 0:
        return np.zeros((ig.n, len(ROLES)), dtype=np.int64)
    return _roles(_open_paths(ig, codes, k), codes)


BROKERED_COLUMNS = ["broker", "role", "from_group", "to_group", "paths"]


def brokered_groups(
    G: nx.Graph,
    group: str | Mapping[Hashable, Hashable] = "sector",
    brokers: Collection[Hashable] | None = None,
) -> pd.DataFrame:
    """Which groups each broker connects, and in which role: one row per broker, role
    and ordered pair of groups (a's group, b's group) with the open two-paths counted.

    Parameters
    ----------
    G : networkx graph
        Directed or undirected; only positive ties count.
    group : str or mapping
        As in :func:`brokerage_roles`.
    brokers : collection of nodes, optional
        Only these brokers (the same rows as for all, far faster on a large graph).

    Returns
    -------
    DataFrame
        Columns ``broker``, ``role`` (a :class:`BrokerageRole` value), ``from_group``,
        ``to_group`` and ``paths``; summed over the groups, ``paths`` gives the counts
        of :func:`brokerage_roles`. Rows with no path are left out; brokers by node
        order, then roles in :data:`ROLES` order, then by groups.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "v"), ("v", "b")])
    >>> found = brokered_groups(G, {"a": "ngo", "v": "city", "b": "city"})
    >>> found.values.tolist()
    [['v', 'gatekeeper', 'ngo', 'city', 1]]
    """
    ig = indexed_graph(G, weight=None)
    if isinstance(group, str):
        labels = [G.nodes[v].get(group) for v in ig.nodes]
    else:
        labels = [group.get(v) for v in ig.nodes]
    codes, k = _group_codes(labels)
    if ig.n == 0 or k == 0 or ig.source.size == 0:
        return pd.DataFrame(columns=BROKERED_COLUMNS)
    names = sorted({str(x) for x in labels if x is not None and not _is_missing(x)})
    originals = {str(x): x for x in labels if x is not None and not _is_missing(x)}
    wanted = set(brokers) if brokers is not None else None
    kept = np.array(
        [i for i, v in enumerate(ig.nodes) if wanted is None or v in wanted], dtype=np.int64
    )
    paths = np.rint(_open_paths(ig, codes, k, kept)).astype(np.int64)
    rows = []
    for row, a, b in zip(*np.nonzero(paths > 0), strict=True):
        v = int(kept[row])
        if codes[v] < 0:
            continue
        role = brokerage_role(int(a), int(codes[v]), int(b))
        rows.append((v, ROLES.index(role), int(a), int(b), int(paths[row, a, b])))
    rows.sort()
    return pd.DataFrame(
        [
            (ig.nodes[v], ROLES[r].value, originals[names[a]], originals[names[b]], count)
            for v, r, a, b, count in rows
        ],
        columns=BROKERED_COLUMNS,
    ).astype({"paths": "int64"})


def _open_paths(
    ig: IndexedGraph,
    codes: npt.NDArray[np.int64],
    k: int,
    rows: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.float64]:
    """[v, g, h]: open two-paths a -> v -> b with a in group g and b in group h, for the
    brokers v at positions ``rows`` (default: every node), in that order.

    Per broker v, these are all two-paths (in-neighbours x out-neighbours by group)
    minus those with a = b (reciprocated ties) minus the closed ones (a -> b exists),
    all obtained with sparse products.
    """
    n = ig.n
    A = ig.adjacency().tocsr()
    into = A.T.tocsr() if rows is None else A.T.tocsr()[rows]  # [v, a]: a -> v
    out = A if rows is None else A[rows]  # [v, b]: v -> b
    S = csr_array((np.ones(n), (np.arange(n), np.maximum(codes, 0))), shape=(n, k))
    S = S.multiply((codes >= 0).astype(np.float64)[:, None]).tocsr()
    from_group = (into @ S).toarray()  # [v, g]: in-neighbours of v in group g
    to_group = (out @ S).toarray()  # [v, g]: out-neighbours of v in group g
    paths = from_group[:, :, None] * to_group[:, None, :]
    mutual = (into.multiply(out) @ S).toarray()
    paths[:, np.arange(k), np.arange(k)] -= mutual
    for g in range(k):
        in_g = (codes == g).astype(np.float64)
        A_g = A.multiply(in_g[None, :]).tocsr()
        # [v, a]: a -> v, and the number of b in g with a -> b and v -> b (closed paths)
        closed = ((A_g if rows is None else A_g[rows]) @ A_g.T).multiply(into).tocsr()
        paths[:, :, g] -= (closed @ S).toarray()
    found: npt.NDArray[np.float64] = np.asarray(paths, dtype=np.float64)
    return found


def _group_codes(labels: list[Hashable | None]) -> tuple[npt.NDArray[np.int64], int]:
    known = sorted({str(x) for x in labels if x is not None and not _is_missing(x)})
    code = {label: i for i, label in enumerate(known)}
    values = [-1 if x is None or _is_missing(x) else code[str(x)] for x in labels]
    return np.array(values, dtype=np.int64), len(known)


def _is_missing(value: object) -> bool:
    return isinstance(value, float) and np.isnan(value)


def _roles(paths: npt.NDArray[np.float64], codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    n = paths.shape[0]
    out = np.zeros((n, len(ROLES)), dtype=np.int64)
    brokers = np.flatnonzero(codes >= 0)
    own = codes[brokers]
    P = np.rint(paths[brokers]).astype(np.int64)
    total = P.sum(axis=(1, 2))
    coordinator = P[np.arange(own.size), own, own]
    same_ends = np.trace(P, axis1=1, axis2=2)
    from_own = P[np.arange(own.size), own, :].sum(axis=1)
    to_own = P[np.arange(own.size), :, own].sum(axis=1)
    out[brokers, 0] = coordinator
    out[brokers, 1] = same_ends - coordinator
    out[brokers, 2] = to_own - coordinator
    out[brokers, 3] = from_own - coordinator
    out[brokers, 4] = total - same_ends - (to_own - coordinator) - (from_own - coordinator)
    return out
