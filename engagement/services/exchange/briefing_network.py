"""The briefing's coalition analysis: key players still to win and who opens their door,
the network map's nodes, and the brokers in plain words.

These are pure functions of what :func:`engagement.services.exchange.briefing.briefing_data` read
through the acting user's :class:`engagement.services.view.ProgramView`: the visible
coalition's graph (under the names that reader sees), its measures and brokers, and the
map's stored positions. Actors the reader may not see are never in what they are given.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from itertools import pairwise
from typing import Any

import networkx as nx
import pandas as pd

from engagement.analysis import paths, profiles
from engagement.analysis.brokerage import ROLES, brokered_groups
from engagement.analysis.graph import acquaintance_graph
from engagement.frameworks import EngagementLevel
from engagement.i18n import t
from engagement.model import ProgramInfo
from engagement.services.coalition import network
from engagement.services.exchange.briefing_model import NO_SECTOR_COLOUR, KeyPlayer, MapNode

#: Key players listed at most (the most powerful first); the rest are counted.
MAX_KEY_PLAYERS = 12
#: Supporters tried as door openers for each key player.
DOOR_OPENERS = 6
#: Nodes drawn on the static map at most (the most connected first), and labelled.
MAX_NODES = 600
MAX_EDGES = 3000
LABELLED = 12
MAX_BROKERS = 6
#: Pairs of sectors named for a broker at most; past that they are counted.
MAX_PAIRS = 3
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain(text: str) -> str:
    """Catalog advice without its Markdown emphasis."""
    return _BOLD.sub(r"\1", text)


def _shown(graph: nx.DiGraph) -> dict[Hashable, object]:
    """The name of every node (the name the reader sees)."""
    return dict(graph.nodes(data="name"))


def _friends(graph: nx.DiGraph, node: int) -> set[int]:
    """Neighbours through a tie that is not a conflict, in either direction."""
    out = {v for v in graph.successors(node) if not graph[node][v]["conflict"]}
    return out | {u for u in graph.predecessors(node) if not graph[u][node]["conflict"]}


def key_players(
    graph: nx.DiGraph, placed: pd.DataFrame, program: ProgramInfo, lang: str
) -> tuple[tuple[KeyPlayer, ...], int]:
    """High-power actors of ``placed`` not yet Supportive: advice and introduction paths
    over ``graph``; and how many more there are past :data:`MAX_KEY_PLAYERS`."""
    threshold = program.power_threshold
    level = placed["engagement_current"]
    wanted = placed[(placed["power"] >= threshold) & (level.isna() | (level < 4))]
    wanted = wanted.sort_values(["power", "interest", "name"], ascending=[False, False, True])
    shown = _shown(graph)
    supporters = [
        int(i)
        for i, v in zip(placed["id"], level, strict=True)
        if pd.notna(v) and v >= EngagementLevel.SUPPORTIVE and int(i) in graph
    ]
    supporters.sort(key=lambda n: (-graph.degree(n), str(shown[n])))
    sectors = {s.key: s.label(lang) for s in program.sectors}
    acquainted = _acquainted(graph)
    found = []
    for row in wanted.head(MAX_KEY_PLAYERS).to_dict("records"):
        actor_id = int(row["id"])
        openers = [s for s in supporters[:DOOR_OPENERS] if s != actor_id]
        reach = (
            paths.cheapest_chains(acquainted, actor_id, openers) if actor_id in acquainted else None
        )
        allies = tuple(
            str(shown[n]) for n in sorted(_friends(graph, actor_id) if actor_id in graph else ())
            if n in supporters
        )  # fmt: skip
        current, desired = _int(row["engagement_current"]), _int(row["engagement_desired"])
        approach = profiles.recommended_approach(
            int(row["power"]), int(row["interest"]), current, desired, threshold, allies
        )
        words: dict[str, Any] = {
            "current": t(EngagementLevel(current).key, lang) if current else "",
            "desired": t(EngagementLevel(desired).key, lang) if desired else "",
            "gap": approach.gap,
            "names": ", ".join(allies[:5]),
        }
        found.append(
            KeyPlayer(
                name=str(row["name"]),
                sector=sectors.get(row["sector"], t("grid.no_sector", lang)),
                power=int(row["power"]),
                interest=int(row["interest"]),
                engagement=str(words["current"] or t("grid.not_rated", lang)),
                desired=str(words["desired"] or t("grid.not_rated", lang)),
                advice=tuple(plain(t(key, lang, **words)) for key in approach.keys),
                doors=_doors(reach, shown, acquainted, lang),
            )
        )
    return tuple(found), max(0, len(wanted) - MAX_KEY_PLAYERS)


def _doors(
    reach: tuple[dict[Hashable, float], dict[Hashable, list[Hashable]]] | None,
    shown: Mapping[Hashable, object],
    acquainted: nx.Graph,
    lang: str,
) -> tuple[str, ...]:
    """Up to two sentences: which supporters can reach the actor, and through whom.

    ``reach`` holds the cheapest chains from the actor to the supporters tried as door
    openers, in their order (:func:`engagement.analysis.paths.cheapest_chains` over the
    acquaintance graph, weighed as :func:`engagement.analysis.paths.introduction_paths`
    weighs them: fewest steps, then the strongest ties).
    """
    if reach is None:
        return ()
    cost, routes = reach
    openers = sorted(cost, key=lambda s: cost[s])
    found = []
    for source in openers[:2]:
        chain = tuple(reversed(routes[source]))
        strengths = tuple(
            int(acquainted[a][b].get("strength") or paths.STRONGEST) for a, b in pairwise(chain)
        )
        found.append(network.describe_path(paths.IntroductionPath(chain, strengths), shown, lang))
    return tuple(found)


def _acquainted(graph: nx.DiGraph) -> nx.Graph:
    """Who knows whom, with the cost :func:`engagement.analysis.paths.introduction_paths`
    gives each tie."""
    acquainted = acquaintance_graph(graph)
    epsilon = 1.0 / (2 * paths.STRONGEST * max(len(acquainted), 2))
    for _, _, data in acquainted.edges(data=True):
        strength = int(data.get("strength") or paths.STRONGEST)
        data["cost"] = 1.0 + epsilon * (paths.STRONGEST - strength)
    return acquainted


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def network_map(
    graph: nx.DiGraph,
    table: pd.DataFrame,
    positions: Mapping[int, tuple[float, float]],
    colours: Mapping[str, str],
    state: Mapping[str, Any],
) -> tuple[tuple[MapNode, ...], tuple[tuple[int, int, bool], ...]]:
    """Nodes of ``graph`` at the map's stored ``positions`` (the most central by the
    measures ``table`` labelled) and ties.

    With a snapshot (``state``, as the reader may see it), the ties are those it froze.
    """
    between = dict(zip(table["id"].astype(int), table["betweenness"].astype(float), strict=True))
    ranked = sorted(
        (n for n in graph if n in positions),
        key=lambda n: (-graph.degree(n), -between.get(n, 0.0)),
    )[:MAX_NODES]
    central = sorted(ranked, key=lambda n: -between.get(n, 0.0))[:LABELLED]
    shown = _shown(graph)
    nodes = tuple(
        MapNode(
            id=int(n),
            name=str(shown[n]),
            colour=colours.get(str(graph.nodes[n].get("sector")), NO_SECTOR_COLOUR),
            x=float(positions[n][0]),
            y=float(positions[n][1]),
            degree=float(graph.degree(n)),
            labelled=n in central,
        )
        for n in ranked
    )
    kept = {node.id for node in nodes}
    if state:
        pairs = [(int(e["source"]), int(e["target"]), bool(e["negative"])) for e in state["ties"]]
    else:
        pairs = [(int(u), int(v), bool(d["conflict"])) for u, v, d in graph.edges(data=True)]
    edges: dict[tuple[int, int], bool] = {}
    for u, v, conflict in pairs:
        if u in kept and v in kept and u != v:
            pair = (min(u, v), max(u, v))
            edges[pair] = edges.get(pair, False) or conflict
    return nodes, tuple((u, v, c) for (u, v), c in list(edges.items())[:MAX_EDGES])


def brokers(
    ranked: pd.DataFrame, graph: nx.DiGraph, program: ProgramInfo, lang: str
) -> tuple[str, ...]:
    """The main brokers, one sentence each: who connects which sectors, in what role.

    ``ranked`` is :attr:`engagement.services.coalition.network.Brokers.actors` (most brokerage
    first), the brokers page's own ranking; the sectors are those its open two-paths
    join in its main role (:func:`engagement.analysis.brokerage.brokered_groups`), the
    most travelled first.
    """
    shown = _shown(graph)
    sectors = {s.key: s.label(lang) for s in program.sectors}
    top = ranked.head(MAX_BROKERS).to_dict("records")
    pairs = brokered_groups(graph, "sector", brokers=[int(r["id"]) for r in top])
    lines = []
    for row in top:
        node = int(row["id"])
        role = max(ROLES, key=lambda r: (row[r.value], -ROLES.index(r)))
        own = pairs[(pairs["broker"] == node) & (pairs["role"] == role.value)]
        joined = _joined(own, sectors, lang)
        words = {
            "name": shown[node],
            "sector": sectors.get(str(row["sector"]), t("grid.no_sector", lang)),
            "role": t(f"analysis.column.{role.value}", lang).lower(),
            "help": t(f"analysis.help.{role.value}", lang).rstrip(".").lower(),
        }
        if joined:
            lines.append(t("briefing.broker", lang, pairs=joined, **words))
        else:  # a broker without a sector: the sectors it is tied to
            reached = {sectors.get(str(graph.nodes[n].get("sector")), t("grid.no_sector", lang))
                       for n in _friends(graph, node)}  # fmt: skip
            lines.append(
                t("briefing.broker_ties", lang, sectors=", ".join(sorted(reached)), **words)
            )
    return tuple(lines)


def _joined(found: pd.DataFrame, sectors: dict[str, str], lang: str) -> str:
    """The sector pairs a broker joins, the most travelled first (a pair counted once
    whichever way the ties run), at most :data:`MAX_PAIRS` and how many more."""
    totals: dict[tuple[str, str], int] = {}
    for a, b, n in zip(found["from_group"], found["to_group"], found["paths"], strict=True):
        pair = (str(min(a, b)), str(max(a, b)))
        totals[pair] = totals.get(pair, 0) + int(n)
    ordered = sorted(totals, key=lambda p: (-totals[p], p))
    named = [
        t("briefing.broker.within", lang, sector=sectors.get(a, a))
        if a == b
        else t("briefing.broker.pair", lang, a=sectors.get(a, a), b=sectors.get(b, b))
        for a, b in ordered[:MAX_PAIRS]
    ]
    if len(ordered) > MAX_PAIRS:
        named.append(t("briefing.broker.more", lang, count=len(ordered) - MAX_PAIRS))
    return "; ".join(named)
