"""Import speed and memory: Tejido's import against the floor, from XLSX and from CSV.

For each size (actors, with 5 ties each) and each format, two measurements run, each in
a fresh process on a fresh database:

* **import**: what a user's import does: ``read_upload`` (type detection, encoding and
  delimiter sniffing, header matching), ``preview_import`` (validation of every cell,
  matching against the program, list names in either language) and ``apply_import``
  (one transaction, an ImportBatch, an audit entry per row);
* **floor**: the least any importer must do with the same files: ``pandas`` reads
  them, then SQLAlchemy Core ``executemany`` inserts the same actor rows, maps names to
  ids and inserts the same tie rows, in one transaction.

Time is wall-clock and the process's CPU time (steadier on a busy machine), each the
best of ``--repeat`` runs; peak memory is the growth of the process's peak resident set over
its size before the measured work. The goal is an import at most 2x the floor at 10k.

The Decidim case (``--decidim``): an open-data ZIP of 2,000 meetings, 20,000 proposals
with answers and 500 results (400 top-level, 100 children) through
``read_decidim_zip`` + ``preview_decidim_import`` + ``apply_decidim_import`` (links,
audit entries, batch), against pandas reading the three CSVs from the ZIP plus a Core
``executemany`` of the same activity, input, commitment and milestone rows (a milestone
per child result and one per result without children, as the import writes them; the
rows of each table are counted after the clock and must match). What the import does on
top (HTML to text, time zones, matching, the ``decidim_link`` keys, an audit entry per
row and per key, the batch) is what the ratio measures.

Usage: ``python benchmarks/import_bench.py [--sizes 1000,10000,50000] [--formats xlsx,csv]
[--repeat 2] [--database-url URL] [--decidim]``
(default database: a temporary SQLite file per run). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTORS = [
    "Gobierno local",
    "Sociedad civil",
    "Academia",
    "Private sector",
    "Medios",
    "Organización comunitaria",
    "Embajada",
]
TIE_TYPES = ["Colabora", "Financia", "Influye", "Informs", "Conflicto"]
TIES_PER_ACTOR = 5


def generate(size: int, folder: Path) -> dict[str, list[Path]]:
    """Kumu-style Elements/Connections for ``size`` actors, as XLSX and as two CSVs."""
    from engagement.io.writers import Table, csv_bytes, xlsx_bytes

    rng = random.Random(size)
    names = [f"Organización {i:06d} de Ñuñoa" for i in range(size)]
    elements = [
        [
            name,
            SECTORS[i % len(SECTORS)],
            f"Descripción del actor {i}, con acentos: participación ciudadana",
            "gobierno abierto|transparencia" if i % 3 else "",
            f"Zona {i % 12}",
        ]
        for i, name in enumerate(names)
    ]
    connections = []
    for i, name in enumerate(names):
        targets = rng.sample(range(size), TIES_PER_ACTOR + 1)
        for j in [t for t in targets if t != i][:TIES_PER_ACTOR]:
            connections.append(
                [name, names[j], TIE_TYPES[(i + j) % len(TIE_TYPES)], rng.randint(1, 3), ""]
            )
    actors = Table("Elements", ("Label", "Type", "Description", "Tags", "Zona"), elements)
    ties = Table("Connections", ("From", "To", "Type", "Strength", "Description"), connections)
    xlsx = folder / f"kumu-{size}.xlsx"
    xlsx.write_bytes(xlsx_bytes([actors, ties]))
    element_csv, connection_csv = (
        folder / f"elements-{size}.csv",
        folder / f"connections-{size}.csv",
    )
    element_csv.write_bytes(csv_bytes(actors, delimiter=";"))
    connection_csv.write_bytes(csv_bytes(ties, delimiter=";"))
    return {"xlsx": [xlsx], "csv": [element_csv, connection_csv]}


def _rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() // 1024


def _database(url: str | None, folder: Path) -> Any:
    # Load what both sides use before the clock starts: the work is timed, not imports.
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401

    import engagement.io.decidim_zip
    import engagement.services.exchange.decidim_import
    import engagement.services.exchange.decidim_write
    import engagement.services.exchange.imports  # noqa: F401
    from engagement.model import Principal
    from engagement.services.registry import programs
    from engagement.storage import migrate
    from engagement.storage.db import Database

    db = Database.from_url(url or f"sqlite:///{folder / 'bench.db'}")
    migrate.upgrade(db.engine)
    name = f"Bench {time.time_ns()}"
    program = programs.create_program(db, Principal("bench"), name)
    return db, program.id


def run_import(db: Any, program_id: int, paths: list[Path]) -> dict[str, int]:
    from engagement.model import Principal
    from engagement.services.exchange import imports

    by = Principal("bench")
    files = [imports.read_upload(p.name, p.read_bytes(), 1 << 31) for p in paths]
    preview = imports.preview_import(db, by, program_id, files)
    assert preview.can_apply, preview.problems[:5]
    outcome = imports.apply_import(db, by, program_id, preview)
    return {"actors": outcome.new.get("actor", 0), "ties": outcome.new.get("relationship", 0)}


def run_floor(db: Any, program_id: int, paths: list[Path]) -> dict[str, int]:
    import pandas as pd
    from sqlalchemy import insert, select

    from engagement.storage.base import utcnow
    from engagement.storage.models import Actor, Relationship, Sector, TieType
    from engagement.text import name_key

    if paths[0].suffix == ".xlsx":
        sheets = pd.read_excel(paths[0], sheet_name=None, dtype=str, keep_default_na=False)
        elements, connections = sheets["Elements"], sheets["Connections"]
    else:
        elements, connections = (
            pd.read_csv(p, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for p in paths
        )
    now = utcnow()
    with db.writing() as session:
        sector = session.scalar(select(Sector.id).where(Sector.program_id == program_id))
        tie_type = session.scalar(select(TieType.id).where(TieType.program_id == program_id))
        rows = [
            {
                "program_id": program_id,
                "name": name,
                "name_key": name_key(name),
                "sector_id": sector,
                "description": description,
                "tags": tags.split("|") if tags else [],
                "territory": zone,
                "custom_fields": {},
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for name, description, tags, zone in zip(
                elements["Label"],
                elements["Description"],
                elements["Tags"],
                elements["Zona"],
                strict=True,
            )
        ]
        session.execute(insert(Actor.__table__), rows)
        ids = dict(
            session.execute(
                select(Actor.name, Actor.id).where(Actor.program_id == program_id)
            ).all()
        )
        ties = [
            {
                "program_id": program_id,
                "source_id": ids[a],
                "target_id": ids[b],
                "tie_type_id": tie_type,
                "strength": int(s),
                "note": note,
                "tags": [],
                "directed": True,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for a, b, s, note in zip(
                connections["From"],
                connections["To"],
                connections["Strength"],
                connections["Description"],
                strict=True,
            )
        ]
        session.execute(insert(Relationship.__table__), ties)
    return {"actors": len(rows), "ties": len(ties)}


DECIDIM_SIZES = {"meetings": 2000, "proposals": 20000, "results": 500}


def generate_decidim(folder: Path) -> list[Path]:
    """A 0.28 open-data ZIP of the sizes above, written as Decidim writes it."""
    from tests.support.decidim_zips import HOST, decidim_zip, meeting, proposal, result

    states = ["accepted", "rejected", "evaluating", ""]
    meetings = [
        meeting("0.28", i, organizations=None, attendees=10 + i % 50)
        for i in range(1, DECIDIM_SIZES["meetings"] + 1)
    ]
    proposals = [
        proposal(
            "0.28",
            i,
            state=states[i % 4],
            **{
                "body/es": f"<p>Propuesta {i}: más <b>luminarias</b> en la calle {i % 700}</p>",
                "answer/es": f"<p>Respuesta {i}: se estudia en la <i>mesa</i> {i % 40}</p>",
            },
        )
        for i in range(1, DECIDIM_SIZES["proposals"] + 1)
    ]
    results = [
        result(i, parent=None if i <= 400 else i - 400, proposal_urls="")
        for i in range(1, DECIDIM_SIZES["results"] + 1)
    ]
    path = folder / f"{HOST}-open-data.zip"
    path.write_bytes(decidim_zip(meetings, proposals, results, release="0.28"))
    return [path]


def run_decidim_import(db: Any, program_id: int, paths: list[Path]) -> dict[str, int]:
    from engagement.io.decidim_zip import read_decidim_zip
    from engagement.model import Principal
    from engagement.services.exchange.decidim_import import preview_decidim_import
    from engagement.services.exchange.decidim_plan import DecidimOptions
    from engagement.services.exchange.decidim_write import apply_decidim_import

    by = Principal("bench")
    export = read_decidim_zip(paths[0].name, paths[0].read_bytes())
    options = DecidimOptions()
    preview = preview_decidim_import(db, by, program_id, export, options)
    assert preview.plan.can_apply(), preview.plan.unmapped_states
    outcome = apply_decidim_import(db, by, program_id, export, options, preview=preview)
    counts = {r["resource"]: r["new"] for r in outcome.counts}
    return {"actors": counts["meeting"] + counts["proposal"], "ties": counts["result"]}


def run_decidim_floor(
    db: Any, program_id: int, paths: list[Path], keys: bool = False
) -> dict[str, int]:
    """pandas reads the three CSVs; Core ``executemany`` writes the same records.

    ``keys``: also what any Tejido import of them must write besides the records: a
    ``decidim_link`` key per record with the values written, and an audit entry each.
    """
    import zipfile

    import pandas as pd
    from sqlalchemy import insert, select

    from engagement.storage.base import utcnow
    from engagement.storage.models import AuditEntry, DecidimLink, Stage
    from engagement.storage.tracking_models import (
        Activity,
        ActivityType,
        Commitment,
        Input,
        Milestone,
    )

    with zipfile.ZipFile(paths[0]) as archive:
        frames = {
            entity: pd.read_csv(
                archive.open(f"{paths[0].name[:-4]}-{entity}.csv"),
                sep=";",
                dtype=str,
                keep_default_na=False,
            )
            for entity in ("meetings", "proposals", "results")
        }
    now = utcnow()
    meetings, proposals, results = frames["meetings"], frames["proposals"], frames["results"]
    # Dates the pandas way (vectorised), answer states through a dict: the floor does
    # no work per row that pandas or a lookup does not need.
    held = pd.to_datetime(meetings["start_time"].str.slice(0, 19)).dt.date
    received = pd.to_datetime(proposals["published_at"].str.slice(0, 19)).dt.date
    responses = {"accepted": "accepted", "rejected": "rejected", "evaluating": "under_review"}
    common = {"program_id": program_id, "created_at": now, "updated_at": now, "version": 1}

    def write(model: Any, resource: Any, rows: list[dict[str, Any]], decidim: Any) -> list[int]:
        table = model.__table__
        if not keys and model is not Commitment:
            session.execute(insert(table), rows)
            return []
        ids: list[int] = session.execute(insert(table).returning(table.c.id), rows).scalars().all()
        if keys:
            session.execute(
                insert(DecidimLink.__table__),
                [
                    {
                        "program_id": program_id,
                        "host": paths[0].name[: -len("-open-data.zip")],
                        "resource": r,
                        "decidim_id": d,
                        "entity": table.name,
                        "entity_id": i,
                        "imported": {k: str(v) for k, v in row.items() if k not in common},
                    }
                    for r, d, i, row in zip(
                        [resource] * len(rows) if isinstance(resource, str) else resource,
                        decidim,
                        ids,
                        rows,
                        strict=True,
                    )
                ],
            )
            session.execute(
                insert(AuditEntry.__table__),
                [
                    {
                        "at": now,
                        "username": "bench",
                        "program_id": program_id,
                        "entity": table.name,
                        "entity_id": i,
                        "action": "create",
                        "changes": {"decidim_id": d},
                    }
                    for d, i in zip(decidim, ids, strict=True)
                ],
            )
        return ids

    with db.writing() as session:
        stage = session.scalar(select(Stage.id).where(Stage.program_id == program_id))
        kind = session.scalar(select(ActivityType.id).where(ActivityType.program_id == program_id))
        activities = [
            common
            | {
                "activity_type_id": kind,
                "stage_id": stage,
                "title": title,
                "held_on": day,
                "place": place,
                "headcount": int(n),
                "summary": text,
                "facilitators": [],
                "headcount_detail": {},
                "tags": [],
            }
            for title, day, place, n, text in zip(
                meetings["title/es"],
                held,
                meetings["address"],
                meetings["attendees"],
                meetings["description/es"],
                strict=True,
            )
        ]
        write(Activity, "meeting", activities, meetings["id"])
        inputs = [
            common
            | {
                "stage_id": stage,
                "received_on": day,
                "text": f"{title}\n\n{body}",
                "topic": topic,
                "response": responses.get(state),
                "reasoning": answer,
            }
            for title, body, topic, state, answer, day in zip(
                proposals["title/es"],
                proposals["body/es"],
                proposals["category/name/es"],
                proposals["state"],
                proposals["answer/es"],
                received,
                strict=True,
            )
        ]
        write(Input, "proposal", inputs, proposals["id"])
        top = results[results["parent/id"] == ""]
        promised = [
            common
            | {"title": title, "description": text, "stage_id": stage, "status": "in_progress"}
            for title, text in zip(top["title/es"], top["description/es"], strict=True)
        ]
        parents = dict(
            zip(top["id"], write(Commitment, "result", promised, top["id"]), strict=True)
        )
        # A child result is a milestone of its parent; a result without children keeps
        # its own progress as its commitment's one milestone (as the import writes it).
        children = results[results["parent/id"] != ""]
        alone = top[~top["id"].isin(children["parent/id"])]
        milestones = pd.concat(
            [
                pd.DataFrame({"parent": children["parent/id"], "row": children.index}),
                pd.DataFrame({"parent": alone["id"], "row": alone.index}),
            ]
        )
        steps = [
            {
                "commitment_id": parents[p],
                "title": results.at[row, "title/es"],
                "progress": round(float(results.at[row, "progress"])),
                "position": 0,
                "updated_at": now,
            }
            for p, row in zip(milestones["parent"], milestones["row"], strict=True)
        ]
        kinds = ["child_result"] * len(children) + ["result_progress"] * len(alone)
        write(Milestone, kinds, steps, [results.at[row, "id"] for row in milestones["row"]])
    return {"actors": len(meetings) + len(proposals), "ties": len(top)}


def run_decidim_floor_keys(db: Any, program_id: int, paths: list[Path]) -> dict[str, int]:
    return run_decidim_floor(db, program_id, paths, keys=True)


def measure(kind: str, paths: list[str], url: str | None) -> dict[str, Any]:
    """Run one measurement in this process (called in a child process)."""
    with tempfile.TemporaryDirectory() as folder:
        db, program_id = _database(url, Path(folder))
        work = {
            "import": run_import,
            "floor": run_floor,
            "decidim-import": run_decidim_import,
            "decidim-floor": run_decidim_floor,
            "decidim-floor-keys": run_decidim_floor_keys,
        }[kind]
        before = _rss_kb()
        start, cpu = time.perf_counter(), time.process_time()
        counts = work(db, program_id, [Path(p) for p in paths])
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        written = _table_rows(db, program_id) if kind.startswith("decidim") else {}
        db.dispose()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": max(peak, 0) / 1024,
        "written": written,
        **counts,
    }


def _table_rows(db: Any, program_id: int) -> dict[str, int]:
    """The program's rows in the tables both sides fill (after the clock): they must be
    the same."""
    from sqlalchemy import func, select

    from engagement.storage.tracking_models import Activity, Commitment, Input, Milestone

    count = select(func.count())
    with db.reading() as session:
        rows = {
            model.__tablename__: session.scalar(
                count.select_from(model).where(model.program_id == program_id)
            )
            for model in (Activity, Input, Commitment)
        }
        rows["milestone"] = session.scalar(
            count.select_from(Milestone)
            .join(Commitment, Milestone.commitment_id == Commitment.id)
            .where(Commitment.program_id == program_id)
        )
    return rows


def best(kind: str, paths: list[Path], url: str | None, repeat: int) -> dict[str, Any]:
    """Each measure at its best over ``repeat`` runs (the rest measured the machine's
    other load): wall-clock, CPU time and peak memory."""
    runs = [child(kind, paths, url) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r["seconds"])
    return fastest | {m: min(r[m] for r in runs) for m in ("cpu", "peak_mb")}


def child(kind: str, paths: list[Path], url: str | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--paths", *map(str, paths)]
    if url:
        command += ["--database-url", url]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def decidim_case(url: str | None, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = generate_decidim(Path(folder))
        ours = best("decidim-import", paths, url, repeat)
        floors = {
            "records": best("decidim-floor", paths, url, repeat),
            "records + keys + audit entries": best("decidim-floor-keys", paths, url, repeat),
        }
    for floor in floors.values():
        assert ours["written"] == floor["written"], (ours["written"], floor["written"])
    print(
        "| case | floor writes | import s | floor s | ratio | import CPU s | floor CPU s "
        "| CPU ratio | import peak MB | floor peak MB |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for writes, floor in floors.items():
        print(
            f"| Decidim 2,000 meetings, 20,000 proposals, 500 results | {writes} "
            f"| {ours['seconds']:.2f} | {floor['seconds']:.2f} "
            f"| {ours['seconds'] / floor['seconds']:.2f}x | {ours['cpu']:.2f} "
            f"| {floor['cpu']:.2f} | {ours['cpu'] / floor['cpu']:.2f}x "
            f"| {ours['peak_mb']:.0f} | {floor['peak_mb']:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="actor counts, comma-separated")
    parser.add_argument("--database-url", help="database to use (default: temporary SQLite)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (best kept)")
    parser.add_argument("--formats", default="xlsx,csv", help="file formats, comma-separated")
    parser.add_argument("--decidim", action="store_true", help="the Decidim open-data case only")
    parser.add_argument(
        "--child",
        choices=["import", "floor", "decidim-import", "decidim-floor", "decidim-floor-keys"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.paths, args.database_url)))
        return
    if args.decidim:
        decidim_case(args.database_url, args.repeat)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    out = io.StringIO()
    out.write(
        "| actors | ties | format | import s | floor s | ratio | import CPU s | floor CPU s "
        "| CPU ratio | import peak MB | floor peak MB |\n"
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            files = generate(size, Path(folder))
            for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
                ours = best("import", files[fmt], args.database_url, args.repeat)
                floor = best("floor", files[fmt], args.database_url, args.repeat)
                assert ours["actors"] == floor["actors"] == size, (ours, floor)
                assert ours["ties"] == floor["ties"], (ours, floor)
                ratio = ours["seconds"] / floor["seconds"]
                cpu_ratio = ours["cpu"] / floor["cpu"]
                out.write(
                    f"| {size:,} | {ours['ties']:,} | {fmt} | {ours['seconds']:.2f} "
                    f"| {floor['seconds']:.2f} | {ratio:.2f}x | {ours['cpu']:.2f} "
                    f"| {floor['cpu']:.2f} | {cpu_ratio:.2f}x | {ours['peak_mb']:.0f} "
                    f"| {floor['peak_mb']:.0f} |\n"
                )
                print(out.getvalue().splitlines()[-1], file=sys.stderr, flush=True)
    print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
