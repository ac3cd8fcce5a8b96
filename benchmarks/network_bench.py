"""Coalition analysis speed and memory, against exact betweenness alone as the yardstick.

For each size (actors; ties from a Barabási-Albert graph with m=5, so about 5 ties per
actor, scale-free; sectors, tie types, strengths and assessments drawn with a fixed
seed) a fresh process builds the program in a temporary SQLite database and measures,
interleaved ``--repeat`` times (medians reported; the ratio is the median of the
per-round ratios, each round timing both sides back to back, and in brackets the ratio of
the best times):

* **yardstick**: ``rustworkx.digraph_betweenness_centrality`` (exact, parallel) alone on
  the same graph the analysis uses (the positive ties as arcs), graph already built;
* **analysis**: everything from the coalition frames: building the graph, every actor
  measure (degree, betweenness, closeness, eigenvector, PageRank, two-step reach,
  Louvain, effective size, constraint, brokerage roles), coalition balance, sector gaps
  and key players;
* **service cold / warm**: the read layer's measures
  (``services.view.program_view(...).measures()``) with an empty cache (reading the
  whole program in one transaction included) and again on unchanged data;
* **layout** (only when ``engagement.analysis.layout`` exists): ``layout_positions``.

Peak memory is the growth of the process's peak resident set during the first (cold)
analysis, Rust and numpy allocations included; from 800 actors betweenness runs in a
helper process (``engagement.analysis.offload``), whose whole peak resident set is
reported apart. ``load`` is the machine's one-minute load
average at the end: on a shared machine, compare ratios only between runs of similar
load.

Usage: ``python benchmarks/network_bench.py [--sizes 100,1000,5000,20000] [--repeat 3]``.
Prints a markdown table; the goal at 5,000 actors is analysis <= 1.5x the yardstick and
warm <= 5% of cold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIES_PER_ACTOR = 5
#: Tie type key -> share of ties (collaborates and conflict are undirected).
TIE_MIX = {
    "collaborates": 0.40,
    "funds": 0.10,
    "oversees": 0.10,
    "influences": 0.15,
    "informs": 0.15,
    "member_of": 0.05,
    "conflict": 0.05,
}


def frames(size: int) -> tuple[Any, Any]:
    """The coalition frames of a synthetic program (as coalition_actors/_ties give)."""
    import networkx as nx
    import pandas as pd

    from engagement.vocabulary import SECTORS, TIE_TYPES

    rng = random.Random(size)
    graph = nx.barabasi_albert_graph(size, min(TIES_PER_ACTOR, size - 1), seed=size)
    sectors = [s.key for s in SECTORS]
    actors = pd.DataFrame(
        {
            "id": range(1, size + 1),
            "name": [f"Actor {i:06d}" for i in range(1, size + 1)],
            "sector": [rng.choice(sectors) for _ in range(size)],
            "power": [rng.randint(1, 5) for _ in range(size)],
            "interest": [rng.randint(1, 5) for _ in range(size)],
            "engagement_current": [rng.randint(1, 5) for _ in range(size)],
            "engagement_desired": [rng.randint(3, 5) for _ in range(size)],
            "confidentiality": "normal",
        }
    )
    kinds = {t.key: t for t in TIE_TYPES}
    keys, weights = list(TIE_MIX), list(TIE_MIX.values())
    rows = []
    for u, v in graph.edges:
        kind = kinds[rng.choices(keys, weights)[0]]
        if rng.random() < 0.5:
            u, v = v, u
        rows.append(
            {
                "source": u + 1,
                "target": v + 1,
                "tie_type": kind.key,
                "negative": kind.negative,
                "directed": kind.directed,
                "strength": rng.randint(1, 3),
            }
        )
    return actors, pd.DataFrame(rows)


def store(url: str, actors: Any, ties: Any) -> int:
    """The same program in a database, written in bulk; returns the program id."""
    from sqlalchemy import insert, select

    from engagement.model import Principal
    from engagement.services.registry import programs
    from engagement.storage import migrate
    from engagement.storage.db import Database
    from engagement.storage.models import Actor, Assessment, Relationship
    from engagement.text import name_key

    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    program = programs.create_program(db, Principal("bench"), "Bench")
    sector = {s.key: s.id for s in program.sectors}
    tie = {t.key: t.id for t in program.tie_types}
    stage = program.stages[0].id
    with db.writing() as session:
        session.execute(
            insert(Actor),
            [
                {
                    "program_id": program.id,
                    "name": r.name,
                    "name_key": name_key(r.name),
                    "sector_id": sector[r.sector],
                }
                for r in actors.itertuples()
            ],
        )
        ids = dict(session.execute(select(Actor.name, Actor.id)).all())
        by_row = {r.id: ids[r.name] for r in actors.itertuples()}
        session.execute(
            insert(Assessment),
            [
                {
                    "actor_id": by_row[r.id],
                    "stage_id": stage,
                    "assessed_on": dt.date(2024, 3, 1),
                    "power": r.power,
                    "interest": r.interest,
                    "engagement_current": r.engagement_current,
                    "engagement_desired": r.engagement_desired,
                    "participation_target": 3,
                }
                for r in actors.itertuples()
            ],
        )
        session.execute(
            insert(Relationship),
            [
                {
                    "program_id": program.id,
                    "source_id": by_row[r.source],
                    "target_id": by_row[r.target],
                    "tie_type_id": tie[r.tie_type],
                    "directed": r.directed,
                    "strength": r.strength,
                }
                for r in ties.itertuples()
            ],
        )
    db.dispose()
    return program.id


def analysis(actors: Any, ties: Any) -> None:
    """Every measure and table, from the coalition frames."""
    from engagement.analysis import balance
    from engagement.analysis.graph import coalition_graph
    from engagement.analysis.measures import measures_table

    graph = coalition_graph(actors, ties)
    measures_table(graph)
    balance.coalition_balance(actors, by=None)
    balance.coalition_balance(actors)
    balance.sector_gaps(graph)
    balance.unlinked_key_players(graph)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int, repeat: int) -> dict[str, Any]:
    """One size, in this process."""
    import rustworkx as rx

    from engagement.analysis.centrality import rustworkx_digraph
    from engagement.analysis.graph import coalition_graph, indexed_graph
    from engagement.model import Principal
    from engagement.services import readcache
    from engagement.services.view import program_view
    from engagement.storage.db import Database

    local = Principal("bench")  # the local operator: the whole program

    actors, ties = frames(size)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        program_id = store(url, actors, ties)
        db = Database.from_url(url)
        yard_graph = rustworkx_digraph(indexed_graph(coalition_graph(actors, ties), weight=None))

        before = peak_rss_mb()
        first = timed(lambda: analysis(actors, ties))
        memory = peak_rss_mb() - before
        times: dict[str, list[float]] = {"yardstick": [], "analysis": [], "cold": [], "warm": []}
        for round_ in range(repeat):
            # Adjacent in time, so that both sides of a ratio see the same machine load.
            times["yardstick"].append(
                timed(lambda: rx.digraph_betweenness_centrality(yard_graph, normalized=True))
            )
            times["analysis"].append(first if not round_ else timed(lambda: analysis(actors, ties)))
            readcache.clear_cache()
            times["cold"].append(timed(lambda: program_view(db, local, program_id).measures()))
            times["warm"].append(
                min(timed(lambda: program_view(db, local, program_id).measures()) for _ in range(5))
            )
        result = {name: statistics.median(values) for name, values in times.items()}
        ratios = [a / y for a, y in zip(times["analysis"], times["yardstick"], strict=True)]
        result["ratio"] = statistics.median(ratios)
        result["ratio_best"] = min(times["analysis"]) / min(times["yardstick"])
        result |= {"size": size, "ties": len(ties), "arcs": yard_graph.num_edges()}
        result["load"] = os.getloadavg()[0]
        result["memory_mb"] = memory
        result["helper_mb"] = helper_peak_mb()
        if importlib.util.find_spec("engagement.analysis.layout") is not None:
            result["layout"] = layout_time(actors, ties)
        db.dispose()
    return result


def helper_peak_mb() -> float:
    """Peak resident set of the betweenness helper process (0 when none ran)."""
    from engagement.analysis import offload

    helper = offload._helper
    if helper is None:
        return 0.0
    for line in Path(f"/proc/{helper.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def layout_time(actors: Any, ties: Any) -> float:
    from engagement.analysis import layout

    pairs = list(zip(ties["source"].tolist(), ties["target"].tolist(), strict=True))
    return timed(lambda: layout.layout_positions(actors["id"].tolist(), pairs))


def table(rows: list[dict[str, Any]]) -> str:
    has_layout = any("layout" in r for r in rows)
    head = (
        "| actors | ties | arcs | betweenness alone (s) | analysis cold (s) | ratio (best) "
        "| service cold (s) | service warm (s) | warm/cold | peak memory (MB) "
        "| helper process peak (MB) | load |"
    )
    rule = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    if has_layout:
        head, rule = head + " layout (s) |", rule + "---:|"
    lines = [head, rule]
    for r in rows:
        line = (
            f"| {r['size']:,} | {r['ties']:,} | {r['arcs']:,} | {r['yardstick']:.3f} "
            f"| {r['analysis']:.3f} | {r['ratio']:.2f}x ({r['ratio_best']:.2f}x) "
            f"| {r['cold']:.3f} | {r['warm']:.4f} | {100 * r['warm'] / r['cold']:.1f}% "
            f"| {r['memory_mb']:.0f} | {r.get('helper_mb', 0):.0f} "
            f"| {r.get('load', float('nan')):.1f} |"
        )
        if has_layout:
            line += f" {r['layout']:.2f} |" if "layout" in r else " |"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size (median)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.repeat)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        repeat = args.repeat if size <= 5000 else 1
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--repeat", str(repeat)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{size:,} actors: {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
