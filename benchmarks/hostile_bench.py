"""Hostile files: peak memory and time of reading each one, before and after the limits.

Builds the hostile files of issue 15 (a workbook that declares 16,384 columns, a
shared-strings bomb, a row of a million cells, zip bombs, a CSV with a 128 KB header, a
million columns, a 19 MB line, odd-length UTF-16, a 63 MB CSV given to the CLI, JSON
backups of six million objects or nested a million deep, and the largest sheet the
limits let through: two million numbers) and reads each one in a fresh
child process with the code under ``--code`` (a checkout's root, put first on
PYTHONPATH), as the upload page, the CLI ``import`` or the CLI ``restore`` would.

Peak memory is the growth of the child's peak resident set (``ru_maxrss``) over its size
just before the read, once the file's bytes are loaded. Time is wall-clock for the read,
and the child's CPU time (steadier on a busy machine).
Each child runs under an address-space cap (``--cap-gb``) and a timeout, so the old code
cannot take the machine down: a row that hits either says so.

Usage::

    python benchmarks/hostile_bench.py                      # this checkout only
    python benchmarks/hostile_bench.py --before /work/main  # and an older checkout

Goal (issue 15): no hostile file under the upload limit raises peak memory by more than
200 MB or takes more than 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import hostile  # noqa: E402

CHILD = r"""
import json, resource, sys, time
path, how, database = sys.argv[1], sys.argv[2], sys.argv[3]
from engagement.errors import EngagementError
from engagement.i18n import describe_error
if how == "upload":
    from engagement.io.readers import read_upload
elif how == "cli":
    import io
    from engagement.cli import build_parser, main
    build_parser()  # imports every command's modules: not the file's cost
data = open(path, "rb").read() if how != "cli" else b""
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start, cpu = time.perf_counter(), time.process_time()
try:
    if how == "upload":
        parsed = read_upload(path.rsplit("/", 1)[-1], data, 20 * 1024 * 1024)
        outcome = "read: " + ", ".join(f"{len(s.headers)} cols" for s in parsed.sheets)
    elif how == "json":
        try:
            from engagement.io.backup_files import load_json
            load_json(path, data)
        except ImportError:  # the code before the limits
            json.loads(data.decode("utf-8"))
        outcome = "read"
    else:
        out = io.StringIO()
        args = ["--database-url", database, "--lang", "en", "import", path, "--program", "P"]
        code = main(args, out=out)
        outcome = f"exit {code}: " + out.getvalue().strip().splitlines()[-1][:60]
except EngagementError as error:
    outcome = describe_error(error, "en")[:70]
except BaseException as error:
    outcome = f"CRASH {type(error).__name__}: {str(error)[:50]}"
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "growth_mb": (after - before) / 1024, "seconds": seconds, "cpu": cpu, "outcome": outcome
}))
"""

CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    **{name: (build, "upload") for name, build in hostile.UPLOADS.items()},
    "largest_sheet": (hostile.largest_sheet, "upload"),
    "cli_63mb_csv": (hostile.big_csv, "cli"),
    "cli_50mb_line": (lambda folder: hostile.long_line_csv(folder, 50), "cli"),
    **{name: (build, "json") for name, build in hostile.BACKUPS.items()},
}


def measure(code: Path, path: Path, how: str, cap_gb: float, timeout: int) -> dict[str, object]:
    cap = int(cap_gb * 2**30)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    database = f"sqlite:///{path.parent / f'cli-{os.getpid()}.db'}"
    env = {**os.environ, "PYTHONPATH": str(code)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), how, database],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=code,
            env=env,
            preexec_fn=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        nan = float("nan")
        return {"growth_mb": nan, "seconds": float(timeout), "cpu": nan, "outcome": "TIMEOUT"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        nan = float("nan")
        return {"growth_mb": nan, "seconds": nan, "cpu": nan, "outcome": f"DIED {tail}"}
    result: dict[str, object] = json.loads(lines[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout measured as 'after'")
    parser.add_argument("--before", type=Path, help="an older checkout, measured as 'before'")
    parser.add_argument("--cap-gb", type=float, default=4.0, help="address-space cap per child")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per child")
    parser.add_argument("--only", help="comma-separated case names")
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else set(CASES)
    runs = [("before", args.before)] if args.before else []
    runs.append(("after", args.code))
    heads = " | ".join(f"{r} MB | {r} s | {r} CPU s | {r} outcome" for r, _ in runs)
    print(f"| file | size | {heads} |")
    print("|---|---:|" + "---:|---:|---:|---|" * len(runs))
    with tempfile.TemporaryDirectory() as folder:
        for name, (build, how) in CASES.items():
            if name not in wanted:
                continue
            path = build(Path(folder))
            cells = [name, f"{path.stat().st_size / 2**20:.2f} MB"]
            for _label, code in runs:
                found = measure(code, path, how, args.cap_gb, args.timeout)
                cells += [
                    f"{found['growth_mb']:.0f}",
                    f"{found['seconds']:.2f}",
                    f"{found['cpu']:.2f}",
                    str(found["outcome"]).replace("|", "/"),
                ]
            print("| " + " | ".join(cells) + " |", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
