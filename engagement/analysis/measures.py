"""Every actor measure in one table, sharing one indexed copy of the graph."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd

from engagement.analysis import brokerage, centrality, communities, holes, offload
from engagement.analysis.graph import IndexedGraph, conflict_counts, indexed_graph

#: Columns of :func:`measures_table`, in order.
MEASURE_COLUMNS = [
    "in_degree",
    "out_degree",
    "degree",
    "conflicts",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "reach_two_steps",
    "community",
    "effective_size",
    "constraint",
    *[role.value for role in brokerage.ROLES],
    "brokerage_total",
]


def measures_table(
    G: nx.Graph, *, group: str = "sector", seed: int = communities.SEED
) -> pd.DataFrame:
    """All actor measures: degree, centralities, reach, community, holes and brokerage.

    Parameters
    ----------
    G : networkx graph
        The coalition graph (:func:`engagement.analysis.graph.coalition_graph`) or any
        networkx graph; only positive ties count, conflicts are counted apart.
    group : str
        Node attribute used as the group of the brokerage roles.
    seed : int
        Louvain seed.

    Returns
    -------
    DataFrame
        Indexed by node, columns :data:`MEASURE_COLUMNS`. ``degree`` counts distinct
        actors tied either way; ``effective_size`` and ``constraint`` are NaN for
        isolated actors. Every measure is exact.

    Examples
    --------
    >>> table = measures_table(nx.florentine_families_graph())
    >>> table["betweenness"].idxmax(), round(float(table.loc["Medici", "betweenness"]), 3)
    ('Medici', 0.522)
    >>> int(table.loc["Medici", "degree"]), int(table["community"].min())
    (6, 1)
    """
    weighted = indexed_graph(G, weight="strength")
    plain = IndexedGraph(weighted.nodes, weighted.source, weighted.target, np.ones(weighted.n))
    # Betweenness is the longest measure and rustworkx keeps the interpreter lock while
    # it runs: on large graphs a helper process computes it while the rest runs here.
    pending = offload.submit(plain.n, plain.source, plain.target)
    columns = _other_measures(G, plain, weighted, group, seed)
    columns["betweenness"] = offload.betweenness(plain.n, plain.source, plain.target, pending)
    for i, role in enumerate(brokerage.ROLES):
        columns[role.value] = columns["roles"][:, i]
    columns["brokerage_total"] = columns.pop("roles").sum(axis=1)
    return pd.DataFrame(columns, index=pd.Index(plain.nodes), columns=MEASURE_COLUMNS)


def _other_measures(
    G: nx.Graph, plain: IndexedGraph, weighted: IndexedGraph, group: str, seed: int
) -> dict[str, npt.NDArray[Any]]:
    n = plain.n
    indeg, outdeg = centrality.degree_arrays(plain)
    distances = centrality.distance_profile(plain)
    labels = [G.nodes[v].get(group) for v in plain.nodes]
    roles = brokerage.role_counts(plain, labels)
    community = communities.community_by_actor(G, seed=seed)
    conflicts = conflict_counts(G)
    either_way = (plain.adjacency() + plain.adjacency().T) > 0
    columns = {
        "in_degree": indeg,
        "out_degree": outdeg,
        "degree": np.asarray(either_way.sum(axis=1)).ravel(),
        "conflicts": np.array([conflicts[v] for v in plain.nodes], dtype=np.int64),
        "closeness": centrality.closeness_array(distances, n),
        "eigenvector": centrality.eigenvector_array(weighted, max_iter=1000, tol=1e-8),
        "pagerank": centrality.pagerank_array(weighted, 0.85, 100, 1e-6),
        "reach_two_steps": distances[2] / (n - 1) if n > 1 else np.zeros(n),
        "community": np.array([community[v] for v in plain.nodes], dtype=np.int64),
        "effective_size": holes.effective_size_array(weighted),
        "constraint": holes.constraint_array(weighted),
        "roles": roles,
    }
    return columns
