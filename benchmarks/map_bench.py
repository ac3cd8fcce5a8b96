"""Network map speed: layout compute + store, and page load to a drawn map in chromium.

For each size (actors; ties from a Barabási-Albert graph with m=5, about 5 ties per
actor, the same synthetic program as ``network_bench.py``) the program is written to a
temporary SQLite database, then:

* **layout**: ``services.maps.map_layout`` with no stored layout (compute with
  ``analysis.layout.layout_positions`` + store every position), median of ``--repeat``;
* **app**: a Tejido server on a free port (``server.py``, as ``make run`` and deploy/
  start it; single-user mode); after one warm-up visit
  (measures and layout cached, as for any later visitor), ``--repeat`` fresh browser
  contexts open ``/network`` and we read the time from navigation start until the map
  reports its first drawing (``data-drawn-ms``: vis-network's ``afterDrawing``);
* **component**: within that, from the moment the map component is created in the page
  (the map's code loaded: vis-network parsed) to its first drawing. Each round is a
  fresh browser context, so the map's code is fetched every time (no browser cache);
* **home**: the app's home page (no map) from navigation start until its script ran:
  what any Streamlit page costs before the map;
* **bare**: a plain HTML file with only vis-network (the copy bundled with pyvis,
  inlined) and the same nodes, edges and positions, physics off, opened from disk;
  same measure (navigation start to the first ``afterDrawing``).

Both are measured in the same run, in the same headless chromium (Debian's, never a
download). The goal (issue 12) is (app - home) <= 1.0x bare: what the map page adds to
any Streamlit page costs no more than vis-network alone drawing the same data. The
``(app-home)/bare`` column is the median of the per-round ratios (each round opens the
app, the bare page and the home page back to back).

Usage: ``python benchmarks/map_bench.py [--sizes 1000,5000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
DRAWN = ".tj-map[data-state='drawn']"

BARE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>bare</title></head>
<body style="margin:16px"><div id="net" style="width:960px;height:640px"></div>
<script>%(vis)s</script>
<script>
var data = JSON.parse(%(data)s);
var network = new vis.Network(document.getElementById("net"),
  {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}, data.options);
network.once("afterDrawing", function () {
  document.body.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
});
network.fit({animation: false});
</script></body></html>"""


def layout_seconds(url: str, program_id: int, repeat: int) -> float:
    from sqlalchemy import delete

    from engagement.model import Principal
    from engagement.services import readcache
    from engagement.services.coalition import maps
    from engagement.services.view import program_view
    from engagement.storage.db import Database
    from engagement.storage.models import MapLayout, MapPosition

    db = Database.from_url(url)
    times = []
    for _ in range(repeat):
        with db.writing() as session:
            session.execute(delete(MapPosition).where(MapPosition.program_id == program_id))
            session.execute(delete(MapLayout).where(MapLayout.program_id == program_id))
        readcache.clear_cache()
        view = program_view(db, Principal("bench"), program_id)
        view.measures()  # the program is read (and its communities found) before: untimed
        start = time.perf_counter()
        stored = maps.view_layout(view)
        times.append(time.perf_counter() - start)
        assert len(stored.positions) > 0
    db.dispose()
    return statistics.median(times)


def bare_page(url: str, program_id: int, folder: Path) -> Path:
    """The same nodes, edges and positions as the app draws, in a bare vis-network page."""
    from engagement.maps import assets
    from engagement.maps.network import map_payload
    from engagement.maps.view import MapStyle
    from engagement.model import Principal
    from engagement.services.coalition import maps
    from engagement.storage.db import Database

    db = Database.from_url(url)
    view = maps.network_view(db, Principal("bench"), program_id, style=MapStyle(max_nodes=5000))
    db.dispose()
    payload = map_payload(view, title="bare", lang="es")
    data = {
        "nodes": payload["nodes"],
        "edges": payload["edges"],
        "options": {**payload["options"], "physics": {"enabled": False}},
    }
    page = folder / f"bare-{program_id}.html"
    text = json.dumps(json.dumps(data)).replace("</", "<\\/")
    page.write_text(BARE % {"vis": assets.vis_network_js(), "data": text}, encoding="utf-8")
    return page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ, TEJIDO_DATABASE_URL=url, TEJIDO_AUTH="none",
               TEJIDO_DATA_DIR=str(folder), TEJIDO_USER="bench")  # fmt: skip
    log = (folder / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("the server did not start")


def drawn_ms(browser: Any, address: str, selector: str, attribute_of: str) -> tuple[float, float]:
    """(navigation start -> first drawing, component created -> first drawing) in ms."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(address)
    page.wait_for_selector(selector, timeout=600_000, state="attached")
    found = page.locator(attribute_of).first
    drawn = float(found.get_attribute("data-drawn-ms") or "nan")
    created = float(found.get_attribute("data-created-ms") or "0")
    context.close()
    return drawn, drawn - created


def idle_ms(browser: Any, address: str) -> float:
    """Navigation start -> a Streamlit page's script has run and its title is shown."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(address)
    page.wait_for_selector(f"{IDLE} [data-testid='stMain'] h1", timeout=600_000)
    value = float(page.evaluate("performance.now()"))
    context.close()
    return value


def measure(size: int, repeat: int, browser: Any) -> dict[str, Any]:
    from network_bench import frames, store

    folder = Path(tempfile.mkdtemp(prefix="tejido-mapbench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    actors, ties = frames(size)
    program_id = store(url, actors, ties)
    result: dict[str, Any] = {"size": size, "ties": len(ties)}
    result["layout_s"] = layout_seconds(url, program_id, repeat)
    bare = bare_page(url, program_id, folder)
    process, base = start_server(url, folder)
    try:
        app = f"{base}/network?lang=es&program={program_id}"
        start = time.perf_counter()
        drawn_ms(browser, app, DRAWN, ".tj-map")  # warm-up: caches filled
        result["first_visit_s"] = time.perf_counter() - start
        home = f"{base}/?lang=es&program={program_id}"
        app_times, own_times, bare_times, home_times, added = [], [], [], [], []
        for _ in range(repeat):  # interleaved, so all see the same machine load
            total, own = drawn_ms(browser, app, DRAWN, ".tj-map")
            app_times.append(total)
            own_times.append(own)
            bare_times.append(drawn_ms(browser, bare.as_uri(), "body[data-drawn-ms]", "body")[0])
            home_times.append(idle_ms(browser, home))
            added.append((app_times[-1] - home_times[-1]) / bare_times[-1])
        result["app_ms"] = statistics.median(app_times)
        result["map_ms"] = statistics.median(own_times)
        result["bare_ms"] = statistics.median(bare_times)
        result["home_ms"] = statistics.median(home_times)
        result["ratio"] = result["app_ms"] / result["bare_ms"]
        result["map_ratio"] = result["map_ms"] / result["bare_ms"]
        result["added_ratio"] = statistics.median(added)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, args.repeat, browser))
            print(json.dumps(rows[-1]), file=sys.stderr)
        browser.close()
    print(
        "| actors | ties | layout compute+store (s) | app: load to drawn map (ms) "
        "| of which the map component (ms) | bare vis-network page (ms) | app / bare "
        "| component / bare | home page, no map (ms) | (app-home)/bare | first visit, cold (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['size']:,} | {r['ties']:,} | {r['layout_s']:.2f} | {r['app_ms']:.0f} "
            f"| {r['map_ms']:.0f} | {r['bare_ms']:.0f} | {r['ratio']:.2f} "
            f"| {r['map_ratio']:.2f} | {r['home_ms']:.0f} | {r['added_ratio']:.2f} "
            f"| {r['first_visit_s']:.1f} |"
        )
    print(f"\nload average (1 min): {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
