"""Load: N concurrent real Streamlit sessions against Tejido servers.

Each session is a real Streamlit session spoken over the websocket with Streamlit's own
protobufs (``tests/support/streamlit_client.py``): the server does for it exactly what
it does for a browser tab (a session, a script run per request, every element sent).
Fifty chromium contexts would measure chromium on a 2-core machine, not the server.

Each session opens the dashboard, then the network map page, then reruns the map page
``--reruns`` times by changing a choice (colour by sector / community / engagement),
as a user changing a filter does, pausing ``--think`` seconds (0.5-1.5x, random) before
each change as a person reading the page does; ``--think 0`` measures saturation
(every session rerunning back to back). Sessions arrive spread over one think time.
Reported per N: p50/p95 rerun latency, errors, the server's resident memory per
session (RSS growth from idle, divided by N), throughput (reruns per second, all
sessions together), the server's CPU time per script run (page opens and reruns; the
machine may be shared, CPU time is not) and the p95 of the page opens (the sessions
arriving together). The yardstick, one session alone, reruns 20 times.

Think time: the default (3 s) is a person clicking through choices as fast as the map
redraws. In a strategy session people read the redrawn map and talk before the next
change: ~10 s (5-15 s) between one person's changes is a busy but realistic peak.
Report both (``--think 3`` and ``--think 10``).

Like a browser tab, each session keeps Streamlit's message cache (an element it already
has is sent again as a reference), and the server is ``server.py`` as deployed (the
map's drawing code is a file the browser keeps, never part of a rerun).

Two programs: the Antigua demo (54 actors) and a generated 1,000-actor program. With
``--postgres URL`` the same is then run on one server and on two servers sharing one
PostgreSQL database (sessions split between them); ``--think 0`` shows how throughput
(reruns a second, flat out) scales from one server to two.

Run:  .venv/bin/python benchmarks/load_bench.py [--sizes 1,10,25,50] [--postgres URL]
Goal: at 50 sessions on one server, p95 <= 3x the single-session rerun, 0 errors.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.support.kumu import workbook  # noqa: E402
from tests.support.streamlit_client import StreamlitSession  # noqa: E402

COLOURS = ("Community", "Engagement", "Sector")
#: Reruns of the single session whose p95 is the yardstick (the p95 of five is their
#: slowest: too few to say what one user waits).
SINGLE_RERUNS = 20


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(db_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TEJIDO_DATABASE_URL": db_url,
        "TEJIDO_DATA_DIR": str(data_dir),
        "TEJIDO_AUTH": "none",
        "TEJIDO_LANG": "en",
        "TEJIDO_BACKUP_KEEP": "0",
    }


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "engagement", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _prepare(db_url: str, data_dir: Path) -> dict[str, int]:
    """The demo programs plus a 1,000-actor program; their ids by short name."""
    env = _env(db_url, data_dir)
    _cli(env, "load-demo")
    _cli(env, "create-program", "Coalición 1000")
    sectors = ("Sociedad civil", "Gobierno municipal", "Academia", "Sector privado")
    elements = [["Label", "Type"], *([f"Actor {i:04d}", sectors[i % 4]] for i in range(1000))]
    targets = ((i, (i * 7 + 3 + k * 131) % 1000) for i in range(1000) for k in range(3))
    connections = [
        ["From", "To", "Type"],
        *([f"Actor {a:04d}", f"Actor {b:04d}", "Colabora"] for a, b in targets if a != b),
    ]
    sheet = data_dir / "mil.xlsx"
    sheet.write_bytes(workbook({"Elements": elements, "Connections": connections}))
    _cli(env, "import", str(sheet), "--program", "Coalición 1000")
    found: dict[str, int] = {}
    for line in _cli(env, "programs").splitlines():
        pid, name, *_ = line.split("\t")
        found["demo" if name.startswith("Impulso") else "1000" if "1000" in name else name] = int(
            pid
        )
    return found


class Server:
    def __init__(self, db_url: str, data_dir: Path) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        log = (data_dir / f"server-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.headless=true",
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none",
            ],
            cwd=ROOT,
            env=_env(db_url, data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        import urllib.request

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base_url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("server did not start")

    def rss_mb(self) -> float:
        pages = int(Path(f"/proc/{self.process.pid}/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _session(
    base_url: str, program: int, reruns: int, think: float, out: dict[str, list[float]]
) -> None:
    query = f"program={program}&lang=en"
    pause = random.Random(hash((base_url, threading.get_ident())))
    try:
        time.sleep(pause.uniform(0, think))  # people do not all arrive in the same instant
        with StreamlitSession(base_url, timeout=300) as session:
            for page in ("", "network"):
                run = session.open(page, query)
                out["opens"].append(run.seconds)
                if run.exceptions:
                    out["errors"].append(1)
            colour = run.widget("Colour by")
            for i in range(reruns):
                time.sleep(pause.uniform(0.5, 1.5) * think)  # a person reads, then clicks
                run = session.change(colour, COLOURS[i % len(COLOURS)])
                out["reruns"].append(run.seconds)
                if run.exceptions or run.status != "FINISHED_SUCCESSFULLY":
                    out["errors"].append(1)
    except Exception as error:  # a failed session is counted, not fatal to the bench
        out["errors"].append(1)
        out.setdefault("messages", []).append(repr(error)[:200])  # type: ignore[arg-type]


def _measure(
    servers: list[Server], program: int, n: int, reruns: int, think: float
) -> dict[str, float]:
    out: dict[str, list[float]] = {"reruns": [], "errors": [], "opens": []}
    idle = sum(s.rss_mb() for s in servers)
    cpu = sum(s.cpu_seconds() for s in servers)
    threads = [
        threading.Thread(
            target=_session,
            args=(servers[i % len(servers)].base_url, program, reruns, think, out),
        )
        for i in range(n)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    peak = idle
    while any(t.is_alive() for t in threads):
        peak = max(peak, sum(s.rss_mb() for s in servers))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    cpu = sum(s.cpu_seconds() for s in servers) - cpu
    latencies = sorted(out["reruns"]) or [float("nan")]
    return {
        "p50": statistics.median(latencies),
        "p95": _p95(latencies),
        "open_p95": _p95(sorted(out["opens"]) or [float("nan")]),
        "errors": float(len(out["errors"])),
        "mb_per_session": (peak - idle) / n,
        "throughput": len(out["reruns"]) / wall,
        # Server CPU per script run (each session opens two pages, then reruns).
        "cpu_ms": 1000 * cpu / max(1, len(out["reruns"]) + 2 * n),
    }


def _p95(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _cost_of_one_rerun(server: Server, program: int) -> None:
    """What one map rerun costs the server alone: CPU seconds and bytes sent."""
    with StreamlitSession(server.base_url, timeout=300) as session:
        session.open("", f"program={program}&lang=en")
        colour = session.open("network", f"program={program}&lang=en").widget("Colour by")
        cpu, sent, runs = server.cpu_seconds(), 0, 6
        for i in range(runs):
            sent += session.change(colour, COLOURS[i % len(COLOURS)]).received
        cpu = server.cpu_seconds() - cpu
    kib = sent / runs / 1024
    print(f"  one session alone: {cpu / runs:.2f} s server CPU, {kib:.0f} KiB sent per rerun")


def _report(
    label: str, sizes: list[int], servers: list[Server], program: int, reruns: int, think: float
) -> None:
    print(f"\n{label} (think time ~{think:g} s between reruns)")
    _measure(servers, program, len(servers), 3, 0)  # warm the caches: not counted
    _cost_of_one_rerun(servers[0], program)
    print(
        "  N   p50 s   p95 s  errors  MB/session  reruns/s  p95/p95(N=1)  server CPU ms/run"
        "  page open p95 s"
    )
    single = None
    for n in sizes:
        # One session alone reruns SINGLE_RERUNS times: its p95 is the yardstick.
        row = _measure(servers, program, n, max(reruns, SINGLE_RERUNS) if n == 1 else reruns, think)
        single = single or row["p95"]
        print(
            f"{n:>3}  {row['p50']:6.3f}  {row['p95']:6.3f}  {row['errors']:6.0f}"
            f"  {row['mb_per_session']:10.1f}  {row['throughput']:8.2f}"
            f"  {row['p95'] / single:12.2f}  {row['cpu_ms']:17.0f}  {row['open_p95']:15.3f}"
        )


def _load() -> str:
    with open("/proc/loadavg") as f:
        return f.read().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,25,50")
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument(
        "--think", type=float, default=3.0, help="seconds a person pauses between reruns"
    )
    parser.add_argument("--pg-sizes", default="1,10,25,50", help="sizes for the PostgreSQL runs")
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL for the two-server run")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"cores: {os.cpu_count()}, load average before: {_load()}")
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        url = f"sqlite:///{data_dir / 'tejido.db'}"
        ids = _prepare(url, data_dir)
        server = Server(url, data_dir)
        try:
            for key in ("demo", "1000"):
                label = f"one server, SQLite, program {key}"
                _report(label, sizes, [server], ids[key], args.reruns, args.think)
        finally:
            server.stop()
        if args.postgres:
            pg_sizes = [int(s) for s in args.pg_sizes.split(",")]
            _two_servers(args.postgres, data_dir, pg_sizes, args.reruns, args.think)
    print(f"\nload average after: {_load()}")


def _two_servers(base: str, data_dir: Path, sizes: list[int], reruns: int, think: float) -> None:
    name = f"tejido_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        ids = _prepare(url, data_dir)
        one = [Server(url, data_dir)]
        try:
            _report("one server, PostgreSQL, program 1000", sizes, one, ids["1000"], reruns, think)
            two = [*one, Server(url, data_dir)]
            try:
                label = "two servers, PostgreSQL, program 1000"
                _report(label, sizes, two, ids["1000"], reruns, think)
            finally:
                two[1].stop()
        finally:
            one[0].stop()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
