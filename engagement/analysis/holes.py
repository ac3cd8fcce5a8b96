"""Burt's structural holes: effective size and constraint.

A broker spans holes between otherwise unconnected contacts: high effective size, low
constraint. Same definitions as ``nx.effective_size`` and ``nx.constraint`` (mutual
weights ``a_uv + a_vu``, here weighted by tie strength), computed with sparse matrices
restricted to existing ties, so memory grows with the ties, not with actors squared.
Isolated actors get NaN, as in networkx: the measures are not defined for them.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
from scipy.sparse import csr_array, diags_array

from engagement.analysis.graph import FloatArray, IndexedGraph, indexed_graph


def effective_size_by_actor(G: nx.Graph, weight: str | None = "strength") -> dict[Hashable, float]:
    """Burt's effective size: the number of contacts minus their redundancy.

    .. math:: e(u) = \\sum_{v \\in N(u)} \\left(1 - \\sum_{w \\in N(u)} p_{uw} m_{vw}\\right)

    Parameters
    ----------
    G : networkx graph
        Directed or undirected; only positive ties count.
    weight : str or None
        Edge attribute holding the tie weight (missing = 1); None for unweighted.

    Returns
    -------
    dict
        Effective size per actor, NaN for isolated actors.

    Examples
    --------
    >>> G = nx.florentine_families_graph()
    >>> round(effective_size_by_actor(G)["Medici"], 3)
    5.667

    References
    ----------
    .. [1] R. S. Burt, Structural Holes: The Social Structure of Competition, 1992.
    .. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures",
       Connections 20(1), 35-38, 1997.
    """
    ig = indexed_graph(G, weight=weight)
    return dict(zip(ig.nodes, effective_size_array(ig).tolist(), strict=True))


def constraint_by_actor(G: nx.Graph, weight: str | None = "strength") -> dict[Hashable, float]:
    """Burt's constraint: how much an actor's contacts are tied to each other.

    .. math:: c(v) = \\sum_{w \\in N(v)} \\left(p_{vw} + \\sum_{q \\in N(v)} p_{vq} p_{qw}\\right)^2

    Parameters
    ----------
    G : networkx graph
        Directed or undirected; only positive ties count.
    weight : str or None
        Edge attribute holding the tie weight (missing = 1); None for unweighted.

    Returns
    -------
    dict
        Constraint per actor (0 to 1 and a little above), NaN for isolated actors.

    Examples
    --------
    >>> G = nx.florentine_families_graph()
    >>> c = constraint_by_actor(G)
    >>> round(c["Medici"], 3), min(c, key=c.get)
    (0.21, 'Medici')

    References
    ----------
    .. [1] R. S. Burt, "Structural holes and good ideas", American Journal of
       Sociology 110(2), 349-399, 2004.
    """
    ig = indexed_graph(G, weight=weight)
    return dict(zip(ig.nodes, constraint_array(ig).tolist(), strict=True))


def _mutual(ig: IndexedGraph) -> tuple[csr_array, FloatArray]:
    A = ig.adjacency(weighted=True)
    W = (A + A.T).tocsr()
    W.eliminate_zeros()
    return W, np.asarray(W.sum(axis=1)).ravel()


def _by_row(W: csr_array, scale: FloatArray) -> csr_array:
    with np.errstate(divide="ignore"):
        inverse = np.where(scale > 0, 1.0 / scale, 0.0)
    return (diags_array(inverse) @ W).tocsr()


def _on_ties(product: csr_array, pattern: csr_array) -> csr_array:
    """The entries of ``product`` where ``pattern`` has a tie."""
    return product.multiply(pattern).tocsr()


def constraint_array(ig: IndexedGraph) -> FloatArray:
    if ig.n == 0:
        return np.zeros(0)
    W, totals = _mutual(ig)
    P = _by_row(W, totals)
    pattern = (W > 0).astype(np.float64)
    local = P + _on_ties(P @ P, pattern)
    values = np.asarray(local.power(2).sum(axis=1)).ravel()
    return np.where(totals > 0, values, np.nan)


def effective_size_array(ig: IndexedGraph) -> FloatArray:
    if ig.n == 0:
        return np.zeros(0)
    W, totals = _mutual(ig)
    P = _by_row(W, totals)
    M = _by_row(W, np.asarray(W.max(axis=1).toarray()).ravel())
    pattern = (W > 0).astype(np.float64)
    redundancy = np.asarray(_on_ties(P @ M.T, pattern).sum(axis=1)).ravel()
    degree = np.asarray(pattern.sum(axis=1)).ravel()
    return np.where(totals > 0, degree - redundancy, np.nan)
