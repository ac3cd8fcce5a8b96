"""Gould-Fernandez brokerage roles: the role table, counting, and unknown groups."""

from __future__ import annotations

import collections
import random

import networkx as nx
import pandas as pd
import pytest

from engagement.analysis.brokerage import (
    ROLES,
    BrokerageRole,
    brokerage_role,
    brokerage_roles,
    brokered_groups,
)

# (group of a, group of broker v, group of b) -> role, exactly as frameworks.md defines them.
ROLE_TABLE = [
    (("city", "city", "city"), BrokerageRole.COORDINATOR),
    (("ngo", "city", "ngo"), BrokerageRole.ITINERANT),
    (("ngo", "city", "city"), BrokerageRole.GATEKEEPER),
    (("city", "city", "ngo"), BrokerageRole.REPRESENTATIVE),
    (("ngo", "city", "press"), BrokerageRole.LIAISON),
]


def test_the_table_covers_every_role() -> None:
    assert {role for _, role in ROLE_TABLE} == set(BrokerageRole)
    assert [r.value for r in ROLES] == [
        "coordinator",
        "itinerant",
        "gatekeeper",
        "representative",
        "liaison",
    ]


@pytest.mark.parametrize(("groups", "role"), ROLE_TABLE)
def test_role_of_a_broker_from_the_three_groups(
    groups: tuple[str, str, str], role: BrokerageRole
) -> None:
    assert brokerage_role(*groups) is role


@pytest.mark.parametrize(("groups", "role"), ROLE_TABLE)
def test_an_open_two_path_is_counted_once_in_its_role(
    groups: tuple[str, str, str], role: BrokerageRole
) -> None:
    G = nx.DiGraph([("a", "v"), ("v", "b")])
    table = brokerage_roles(G, dict(zip("avb", groups, strict=True)))
    expected = {r.value: int(r is role) for r in ROLES} | {"total": 1}
    assert table.loc["v"].to_dict() == expected
    assert table.loc[["a", "b"], "total"].tolist() == [0, 0]


def test_a_closed_two_path_is_no_brokerage() -> None:
    G = nx.DiGraph([("a", "v"), ("v", "b"), ("a", "b")])
    assert brokerage_roles(G, {"a": "x", "v": "y", "b": "x"}).loc["v", "total"] == 0
    # The tie b -> a does not close a -> v -> b.
    G = nx.DiGraph([("a", "v"), ("v", "b"), ("b", "a")])
    assert brokerage_roles(G, {"a": "x", "v": "y", "b": "x"}).loc["v", "itinerant"] == 1


def test_an_undirected_tie_runs_both_ways() -> None:
    G = nx.Graph([("a", "v"), ("v", "b")])
    table = brokerage_roles(G, {"a": "ngo", "v": "city", "b": "city"})
    # a -> v -> b: gatekeeper; b -> v -> a: representative.
    assert table.loc["v", "gatekeeper"] == 1
    assert table.loc["v", "representative"] == 1
    assert table.loc["v", "total"] == 2


def test_two_paths_with_an_unknown_group_are_not_classified() -> None:
    G = nx.DiGraph([("a", "v"), ("v", "b"), ("c", "v")])
    table = brokerage_roles(G, {"a": "x", "v": "y", "b": "x", "c": None})
    assert table.loc["v", "total"] == 1  # only a -> v -> b
    assert brokerage_roles(G, {"a": "x", "b": "x", "c": "z"}).loc["v", "total"] == 0


def test_the_group_is_read_from_the_sector_attribute_by_default() -> None:
    G = nx.DiGraph([("a", "v"), ("v", "b")])
    nx.set_node_attributes(G, {"a": "ngo", "v": "city", "b": "press"}, "sector")
    assert brokerage_roles(G).loc["v", "liaison"] == 1


def brute_force(G: nx.DiGraph, group: dict[int, str | None]) -> dict[int, collections.Counter]:
    counts: dict[int, collections.Counter] = {v: collections.Counter() for v in G}
    for v in G:
        for a in G.predecessors(v):
            for b in G.successors(v):
                if a == b or G.has_edge(a, b) or None in (group[a], group[v], group[b]):
                    continue
                counts[v][brokerage_role(group[a], group[v], group[b]).value] += 1
    return counts


@pytest.mark.parametrize("seed", range(4))
def test_sparse_counting_equals_enumerating_every_two_path(seed: int) -> None:
    G = nx.gnp_random_graph(90, 0.07, seed=seed, directed=True)
    rnd = random.Random(seed)
    group = {v: rnd.choice(["city", "ngo", "press", "un", None]) for v in G}
    table = brokerage_roles(G, group)
    expected = brute_force(G, group)
    for v in G:
        assert {r.value: int(table.loc[v, r.value]) for r in ROLES} == {
            r.value: expected[v][r.value] for r in ROLES
        }


def test_empty_and_tieless_graphs() -> None:
    assert brokerage_roles(nx.DiGraph(), {}).empty
    table = brokerage_roles(nx.empty_graph(["a", "b"]), {"a": "x", "b": "y"})
    assert table["total"].tolist() == [0, 0]


def test_brokered_groups_say_which_sectors_each_broker_connects() -> None:
    from engagement.analysis.brokerage import brokerage_roles, brokered_groups

    G = nx.DiGraph()
    groups = {"a": "ngo", "b": "ngo", "v": "city", "w": "city", "x": "uni", "y": "uni"}
    G.add_edges_from([("a", "v"), ("v", "b"), ("v", "w"), ("w", "v"), ("x", "v"), ("v", "y")])
    found = brokered_groups(G, groups)
    roles = brokerage_roles(G, groups)
    # Summed over the pairs of groups, the rows give the role counts.
    summed = found.pivot_table(index="broker", columns="role", values="paths", aggfunc="sum")
    for role in summed.columns:
        assert int(summed.loc["v", role]) == int(roles.loc["v", role])
    rows = {(r.role, r.from_group, r.to_group): r.paths for r in found.itertuples()}
    assert rows[("itinerant", "ngo", "ngo")] == 1  # a -> v -> b
    assert rows[("gatekeeper", "ngo", "city")] == 1  # a -> v -> w
    assert rows[("liaison", "ngo", "uni")] == 1  # a -> v -> y
    assert rows[("representative", "city", "ngo")] == 1  # w -> v -> b
    assert ("coordinator", "city", "city") not in rows  # w -> v -> w is no path
    assert set(found["broker"]) == {"v"}


def test_brokered_groups_of_an_empty_graph_is_an_empty_table() -> None:
    from engagement.analysis.brokerage import BROKERED_COLUMNS, brokered_groups

    assert brokered_groups(nx.DiGraph(), {}).columns.tolist() == BROKERED_COLUMNS


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_brokered_groups_of_some_brokers_are_their_rows_of_the_whole_table(seed: int) -> None:
    G = nx.gnp_random_graph(60, 0.08, seed=seed, directed=True)
    groups = {v: "abcd"[v % 4] for v in G}
    whole = brokered_groups(G, groups)
    some = [5, 17, 42, 3]
    found = brokered_groups(G, groups, brokers=some)
    expected = whole[whole["broker"].isin(some)].reset_index(drop=True)
    assert not found.empty
    pd.testing.assert_frame_equal(found, expected)
