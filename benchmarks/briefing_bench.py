"""Briefing speed: the PDF of the demo program and of a 5,000-actor program.

Each side is timed interleaved ``--repeat`` times in one process (medians reported; the
ratio is the median of per-round ratios, and in brackets the ratio of the best times):

* **demo**: the whole PDF briefing of *Impulso Local — Antigua Guatemala 2024* (data,
  both charts, Typst), against a **one-page document with one chart from the same
  engine**: the program's power/interest grid drawn by ``charts.static`` and typeset
  alone by Typst. Goal: at most 2x.
* **5,000 actors** (the ``network_bench`` program: scale-free ties, about 5 per actor):
  the PDF with the read cache emptied first, against the **cold analysis** alone
  (the read layer's ``ProgramView.measures()`` with the cache emptied: the program read
  and every measure). The map's
  stored layout is computed once before timing, as the map page leaves it. Goal: at most
  2x.

``load`` is the one-minute load average at the end: compare ratios only between runs of
similar load. The cold analysis runs on both cores (betweenness in its helper process
while this one computes the other measures), the rest of the briefing on one: the busier
the machine, the less the analysis gains from the second core, and the *lower* the
5,000-actor ratio. The goal is judged on a quiet machine.

Usage: ``python benchmarks/briefing_bench.py [--size 5000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

ANTIGUA = "Impulso Local — Antigua Guatemala 2024"


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def one_page(data: Any) -> bytes:
    """A one-page Typst document with one chart (the program's grid, its data already
    read): the chart drawn, then typeset alone."""
    import typst

    from engagement.charts import static
    from engagement.io.briefing_typst import FONT_PATHS

    chart = static.grid_svg(
        data.grid, threshold=data.threshold, quadrant_names=data.quadrant_names,
        axis_names=("Poder", "Interés"), legend={p.sector: p.colour for p in data.grid},
    )  # fmt: skip
    source = (
        '#set text(lang: "es", font: "DejaVu Sans")\n= Mapa de poder e interés\n'
        '#image(bytes(sys.inputs.grid), format: "svg", width: 100%)\n'
    )
    pdf: bytes = typst.compile(
        source.encode(), font_paths=FONT_PATHS, ignore_system_fonts=True,
        sys_inputs={"grid": chart.svg},
    )  # fmt: skip
    return pdf


def rounds(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> dict[str, float]:
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(first))
        b.append(timed(second))
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    return {"pdf": statistics.median(a), "base": statistics.median(b),
            "ratio": statistics.median(ratios), "best": min(a) / min(b)}  # fmt: skip


def demo_case(folder: Path, repeat: int) -> dict[str, float]:
    from engagement.model import Principal
    from engagement.services.exchange import briefing, demo
    from engagement.services.exchange.briefing_export import build_briefing
    from engagement.services.registry import programs
    from engagement.storage import migrate
    from engagement.storage.db import Database

    db = Database.from_url(f"sqlite:///{folder / 'demo.db'}")
    migrate.upgrade(db.engine)
    by = Principal("bench")
    demo.load_demos(db, by)
    program = programs.find_program(db, ANTIGUA)
    build_briefing(db, by, program.id)  # warm: imports, stored layout, fonts
    data = briefing.briefing_data(db, by, program.id)
    one_page(data)
    return rounds(lambda: build_briefing(db, by, program.id), lambda: one_page(data), repeat)


def big_case(folder: Path, size: int, repeat: int) -> dict[str, float]:
    from network_bench import frames, store

    from engagement.model import Principal
    from engagement.services import readcache
    from engagement.services.coalition import maps
    from engagement.services.exchange.briefing_export import build_briefing
    from engagement.services.view import program_view
    from engagement.storage.db import Database

    url = f"sqlite:///{folder / 'big.db'}"
    actors, ties = frames(size)
    program_id = store(url, actors, ties)
    db = Database.from_url(url)
    by = Principal("bench")
    maps.view_layout(program_view(db, by, program_id))  # as the map page leaves it

    def pdf() -> None:
        readcache.clear_cache()
        build_briefing(db, by, program_id)

    def analysis() -> None:
        readcache.clear_cache()
        program_view(db, by, program_id).measures()

    pdf()
    return rounds(pdf, analysis, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = demo_case(folder, args.repeat)
        big = big_case(folder, args.size, args.repeat)
    print("| case | briefing PDF (s) | yardstick (s) | ratio | goal |")
    print("|---|---|---|---|---|")
    for case, found in (("demo (54 actors) vs one page, one chart", small),
                        (f"{args.size:,} actors vs cold analysis", big)):  # fmt: skip
        print(f"| {case} | {found['pdf']:.2f} | {found['base']:.2f} | "
              f"{found['ratio']:.2f}x ({found['best']:.2f}x) | <= 2x |")  # fmt: skip
    print(f"\nload {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
