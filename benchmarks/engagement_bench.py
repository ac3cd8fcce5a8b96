"""Engagement tracking at scale: the stage dashboard cold and warm, and snapshot comparison.

A temporary SQLite database holds two programs built with a fixed seed:

* **large**: 5,000 actors (one assessment each), 15,000 ties, 2,000 activities over two
  years across the three stages, 50,000 attendance rows (25 per activity), 1,000 inputs
  (two thirds answered) and 200 commitments with two milestones each;
* **empty**: a new program with nothing recorded.

Measured (median of ``--repeat`` runs, each in this process):

* **service cold**: ``services.dashboard.dashboard`` (every figure, per stage and overall,
  monthly series, engagement per stage, flags), reading the database, no cache;
* **page cold / warm**: ``app_pages/dashboard.py`` run through Streamlit's AppTest: first run
  after clearing the caches, then a rerun with warm caches (what a user pays when the
  data did not change). The goal is warm large <= 1.5x warm empty, same run;
* **OGP checklist** and **stale key players** (service, cold);
* **snapshot**: taking one (frozen actors, assessments, ties and network measures), and
  comparing two snapshots, and a snapshot with now.

Usage: ``python benchmarks/engagement_bench.py [--repeat 3]``. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTORS, TIES, ACTIVITIES, PER_ACTIVITY, INPUTS, COMMITMENTS = 5000, 15000, 2000, 25, 1000, 200
START = dt.date(2023, 1, 2)


def timed(call: Callable[[], Any], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def build(url: str) -> tuple[int, int]:
    """The large and the empty program; bulk inserts (the services are timed, not this)."""
    from sqlalchemy import insert, select

    from engagement.model import Principal
    from engagement.services.registry import programs
    from engagement.storage import migrate
    from engagement.storage import models as m
    from engagement.storage.db import Database
    from engagement.values import CommitmentStatus

    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    by = Principal("bench")
    big = programs.create_program(db, by, "Bench large", start_date=START)
    empty = programs.create_program(db, by, "Bench empty", start_date=START)
    programs.create_program(db, by, "Bench start", start_date=START)
    rnd = random.Random(7)
    with db.writing() as s:
        pid = big.id
        sectors = [t.id for t in big.sectors]
        s.execute(insert(m.Actor), [
            {"program_id": pid, "name": f"Actor {i:05d}", "name_key": f"actor {i:05d}",
             "sector_id": rnd.choice(sectors), "tags": [], "custom_fields": {}}
            for i in range(ACTORS)
        ])  # fmt: skip
        ids = list(s.scalars(select(m.Actor.id).where(m.Actor.program_id == pid)))
        stages = [st.id for st in big.stages]
        s.execute(insert(m.Assessment), [
            {"actor_id": a, "stage_id": stages[0], "assessed_on": START, "power": rnd.randint(1, 5),
             "interest": rnd.randint(1, 5), "legitimacy": rnd.random() < 0.5,
             "urgency": rnd.random() < 0.3, "engagement_current": rnd.randint(1, 5),
             "engagement_desired": 4, "participation_target": 3}
            for a in ids
        ])  # fmt: skip
        ties: set[tuple[int, int]] = set()
        while len(ties) < TIES:
            a, b = rnd.sample(ids, 2)
            ties.add((a, b))
        kinds = [t.id for t in big.tie_types if not t.negative]
        s.execute(insert(m.Relationship), [
            {"program_id": pid, "source_id": a, "target_id": b, "tie_type_id": rnd.choice(kinds),
             "tags": []}
            for a, b in ties
        ])  # fmt: skip
        types = [t.id for t in big.activity_types]
        s.execute(insert(m.Activity), [
            {"program_id": pid, "activity_type_id": rnd.choice(types),
             "stage_id": stages[min(2, i * 3 // ACTIVITIES)], "title": f"Actividad {i}",
             "held_on": START + dt.timedelta(days=i * 730 // ACTIVITIES),
             "facilitators": [f"Facilitador {rnd.randint(1, 40)}"], "headcount": rnd.randint(0, 80),
             "headcount_detail": {}, "tags": []}
            for i in range(ACTIVITIES)
        ])  # fmt: skip
        acts = list(s.scalars(select(m.Activity.id).where(m.Activity.program_id == pid)))
        s.execute(insert(m.Attendance), [
            {"activity_id": act, "actor_id": actor, "role": "participant", "sentiment": "neutral"}
            for act in acts
            for actor in rnd.sample(ids, PER_ACTIVITY)
        ])  # fmt: skip
        s.execute(insert(m.Input), [
            {"program_id": pid, "activity_id": rnd.choice(acts), "stage_id": rnd.choice(stages),
             "received_on": START + dt.timedelta(days=rnd.randint(0, 700)), "text": f"Aporte {i}",
             "actor_id": rnd.choice(ids),
             **({"response": "accepted", "reasoning": "Incluido.",
                 "responded_on": START + dt.timedelta(days=720)} if i % 3 else {})}
            for i in range(INPUTS)
        ])  # fmt: skip
        s.execute(insert(m.Commitment), [
            {"program_id": pid, "title": f"Compromiso {i}", "stage_id": rnd.choice(stages),
             "responsible_id": rnd.choice(ids), "status": rnd.choice(CommitmentStatus.values()),
             "due_on": START + dt.timedelta(days=rnd.randint(100, 900))}
            for i in range(COMMITMENTS)
        ])  # fmt: skip
        promised = list(s.scalars(select(m.Commitment.id).where(m.Commitment.program_id == pid)))
        s.execute(insert(m.Milestone), [
            {"commitment_id": c, "title": f"Hito {k}", "progress": rnd.randint(0, 100),
             "position": k}
            for c in promised
            for k in range(2)
        ])  # fmt: skip
    db.dispose()
    return big.id, empty.id


def page_times(program_id: int, start_id: int, repeat: int) -> tuple[float, float]:
    """app_pages/dashboard.py through AppTest: cold (caches cleared) and warm (rerun).

    The app first opens on a third, empty program (start-up, imports), then the program
    measured is chosen: that run is the cold one.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    colds, warms = [], []
    for _ in range(repeat):
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.session_state["tejido.lang"] = "es"
        at.session_state["tejido.program_id"] = start_id
        at.run()
        at.session_state["tejido.program_id"] = program_id
        began = time.perf_counter()
        at.run()
        colds.append(time.perf_counter() - began)
        assert not at.exception, at.exception
        began = time.perf_counter()
        at.run()
        warms.append(time.perf_counter() - began)
    return statistics.median(colds), statistics.median(warms)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tejido-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    os.environ.update(TEJIDO_DATABASE_URL=url, TEJIDO_DATA_DIR=str(folder), TEJIDO_AUTH="none")
    began = time.perf_counter()
    big, empty = build(url)
    built = time.perf_counter() - began

    from engagement.model import Principal
    from engagement.services import readcache
    from engagement.services.registry import programs
    from engagement.services.tracking import snapshots
    from engagement.services.view import ProgramView, program_view
    from engagement.storage.db import Database

    db, by = Database.from_url(url), Principal("bench")

    def cold(pid: int, read: Callable[[ProgramView], Any]) -> Callable[[], Any]:
        """The read layer with its cache emptied: the program is read, then computed."""

        def run() -> Any:
            readcache.clear_cache()
            return read(program_view(db, by, pid))

        return run

    rows: list[tuple[str, str, str]] = []
    for label, pid in (("large", big), ("empty", empty)):
        cold_board = timed(cold(pid, lambda v: v.dashboard()), args.repeat)
        checklist = timed(cold(pid, lambda v: v.checklist()), args.repeat)
        stale = timed(cold(pid, lambda v: v.table("stale")), args.repeat)
        start = programs.find_program(db, "Bench start").id
        page_cold, page_warm = page_times(pid, start, args.repeat)
        rows += [
            (f"service: dashboard figures ({label})", f"{cold_board:.3f}", ""),
            (f"service: OGP checklist ({label})", f"{checklist:.3f}", ""),
            (f"service: stale key players ({label})", f"{stale:.3f}", ""),
            (f"page cold ({label})", f"{page_cold:.3f}", ""),
            (f"page warm ({label})", f"{page_warm:.3f}", ""),
        ]
        if label == "large":
            large_warm = page_warm
    ratio = large_warm / page_warm
    rows.append(("warm large / warm empty", f"{ratio:.2f}x", "goal <= 1.5x"))

    readcache.clear_cache()
    began = time.perf_counter()
    first = snapshots.take_snapshot(db, by, big, "Antes")
    take = time.perf_counter() - began
    from sqlalchemy import update

    from engagement.storage.models import Assessment

    with db.writing() as s:  # move a fifth of the actors
        s.execute(update(Assessment).where(Assessment.id % 5 == 0).values(power=5, interest=5))
    second = snapshots.take_snapshot(db, by, big, "Después")
    pair = timed(cold(big, lambda v: v.comparison(first.id, second.id)), args.repeat)
    now = timed(cold(big, lambda v: v.comparison(first.id, None)), 1)
    moved = program_view(db, by, big).comparison(first.id, second.id).counts()["quadrant_changed"]
    rows += [
        ("snapshot: take (5,000 actors, 15,000 ties, measures)", f"{take:.3f}", ""),
        ("snapshot: compare two snapshots", f"{pair:.3f}", f"{moved} changed quadrant"),
        ("snapshot: compare with now (measures recomputed)", f"{now:.3f}", ""),
    ]
    sizes = (
        f"{ACTORS:,} actors, {TIES:,} ties, {ACTIVITIES:,} activities, "
        f"{ACTIVITIES * PER_ACTIVITY:,} attendance rows, {INPUTS:,} inputs, "
        f"{COMMITMENTS} commitments"
    )
    load = os.getloadavg()[0]
    print(f"Built in {built:.1f} s: {sizes}. Median of {args.repeat}; load {load:.2f}.\n")
    print("| measurement | seconds | note |\n|---|---:|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")
    db.dispose()


if __name__ == "__main__":
    main()
