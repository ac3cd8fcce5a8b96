"""Sign-in timing and its cost to other writers (issue 15, findings 6 and 9).

Two measurements on a temporary SQLite database holding one administrator:

* **answers**: the time ``authenticate`` takes to refuse, per kind of attempt, as the
  median of ``--repeat`` tries: a wrong password for the existing account, an unknown
  name, a deactivated account; then the same once the client is throttled (the 4th try
  in a row), for the existing and the unknown name. Known and unknown must be alike.
* **writers**: ``--sessions`` threads sign in with wrong passwords as fast as they can
  (each try from a new address, so throttling never stops them) while the main thread
  makes ``--writes`` small write transactions (a program's name changed back and forth);
  prints the write latency (median, 95th percentile, max). argon2 runs outside the write
  transaction, so the sign-ins cost the writers CPU, never the database lock.

Usage: ``python benchmarks/sign_in_bench.py [--repeat 15] [--sessions 8] [--writes 60]``.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engagement.errors import EngagementError  # noqa: E402
from engagement.model import Principal  # noqa: E402
from engagement.services.access import users  # noqa: E402
from engagement.services.registry import programs  # noqa: E402
from engagement.storage import migrate  # noqa: E402
from engagement.storage.db import Database  # noqa: E402
from engagement.storage.queries.programs import get_program  # noqa: E402

OPERATOR = Principal("bench")
PASSWORD = "una-clave-larga-de-admin"


def _refusal_ms(attempt: Callable[[], object]) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        attempt()
        answer = "signed in"
    except EngagementError as error:
        answer = error.code
    return (time.perf_counter() - start) * 1000, answer


def _timed(attempt: Callable[[], object]) -> tuple[float, float, str]:
    """Wall and CPU milliseconds (the process's CPU, argon2's own threads included:
    steadier than wall time on a busy machine; nothing else runs meanwhile)."""
    cpu = time.process_time()
    wall, answer = _refusal_ms(attempt)
    return wall, (time.process_time() - cpu) * 1000, answer


KINDS = {
    "wrong password (admin)": ("admin", 0),
    "unknown name": ("nadie", 0),
    "deactivated": ("ex", 0),
    "throttled (admin)": ("admin", 3),
    "throttled (unknown)": ("nadie", 3),
}


def answers(db: Database, repeat: int) -> list[tuple[str, float, float, str]]:
    """Each kind once per round, rounds interleaved, so load changes hit all kinds alike."""
    t0 = dt.datetime(2026, 12, 3, 9, 0)
    walls: dict[str, list[float]] = {k: [] for k in KINDS}
    cpus: dict[str, list[float]] = {k: [] for k in KINDS}
    seen: dict[str, str] = {}
    for index in range(repeat):
        # Each round a minute later: the account-wide slow-down (30 s at most) is past.
        now = t0 + dt.timedelta(minutes=index)
        for number, (label, (name, failures_first)) in enumerate(KINDS.items()):
            client = f"10.{number}.{index // 250}.{index % 250}"  # a fresh client each time

            def attempt(n: str = name, c: str = client, at: dt.datetime = now) -> object:
                return users.authenticate(db, n, "adivina", at, client=c)

            for _ in range(failures_first):  # the free failures, then the throttled try
                _refusal_ms(attempt)
            wall, cpu, seen[label] = _timed(attempt)
            walls[label].append(wall)
            cpus[label].append(cpu)
    return [(k, statistics.median(walls[k]), statistics.median(cpus[k]), seen[k]) for k in KINDS]


def writers(db: Database, program_id: int, sessions: int, writes: int) -> dict[str, float]:
    stop = threading.Event()
    tries = [0]

    def sign_in_flood(worker: int) -> None:
        index = 0
        while not stop.is_set():
            index += 1
            client = f"10.{worker}.{index // 250 % 250}.{index % 250}"
            name = f"n{index}"
            _refusal_ms(lambda c=client, n=name: users.authenticate(db, n, "x", client=c))
            tries[0] += 1

    threads = [threading.Thread(target=sign_in_flood, args=(w,)) for w in range(sessions)]
    for thread in threads:
        thread.start()
    latencies = []
    try:
        for index in range(writes):
            start = time.perf_counter()
            info = get_program(db, program_id)
            programs.update_program(
                db, OPERATOR, program_id, {"name": f"Banco {index % 2}"}, info.version
            )
            latencies.append((time.perf_counter() - start) * 1000)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    latencies.sort()
    return {
        "median": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "max": latencies[-1],
        "sign_ins": tries[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--writes", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database.from_url(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(db.engine)
        users.create_user(db, OPERATOR, "admin", PASSWORD, admin=True)
        users.create_user(db, OPERATOR, "ex", PASSWORD)
        users.set_active(db, OPERATOR, "ex", False)
        print("| attempt | median wall ms | median CPU ms | answer |\n|---|---:|---:|---|")
        for label, wall, cpu, answer in answers(db, args.repeat):
            print(f"| {label} | {wall:.1f} | {cpu:.1f} | {answer} |")
        program = programs.create_program(db, OPERATOR, "Banco de pruebas")
        alone = writers(db, program.id, 0, args.writes)
        busy = writers(db, program.id, args.sessions, args.writes)
        print("\n| writes while | median ms | p95 ms | max ms | sign-in tries |")
        print("|---|---:|---:|---:|---:|")
        for label, found in (("no sign-ins", alone), (f"{args.sessions} sign-in floods", busy)):
            print(
                f"| {label} | {found['median']:.1f} | {found['p95']:.1f} | "
                f"{found['max']:.1f} | {found['sign_ins']:.0f} |"
            )
        db.dispose()


if __name__ == "__main__":
    main()
