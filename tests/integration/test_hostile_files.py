"""Hostile files: none raises a reader's peak memory by more than 200 MB (issue 15).

Each file is read in a child process, whose peak resident set is compared before and
after the read: a fresh process per file, so one file's peak does not hide another's.
The child's timeout is generous (the 10-second goal is measured by
``benchmarks/hostile_bench.py``, not asserted here). The files are smaller than the
benchmark's where a smaller one passes the same limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from engagement.cli import main
from tests.support import hostile

ROOT = Path(__file__).resolve().parents[2]
GROWTH_LIMIT_MB = 200
CHILD = """
import json, resource, sys
from engagement.errors import UnreadableFile
from engagement.i18n import describe_error
from engagement.io.backup_files import load_json
from engagement.io.readers import read_upload

path, kind = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = {}
try:
    if kind == "backup":
        load_json(path, data)
        outcome["read"] = True
    else:
        parsed = read_upload(path.rsplit("/", 1)[-1], data, 20 * 1024 * 1024)
        outcome["widths"] = [len(s.headers) for s in parsed.sheets]
except UnreadableFile as error:
    outcome["code"] = error.code
    outcome["es"] = describe_error(error, "es")
    outcome["en"] = describe_error(error, "en")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome["growth_mb"] = (after - before) / 1024
print(json.dumps(outcome))
"""

SMALLER: dict[str, Callable[[Path], Path]] = {
    "shared_strings_bomb": partial(hostile.shared_strings_bomb, count=1_200_000),
    "inflation_bomb": partial(hostile.inflation_bomb, megabytes=160),
    "zip_entries_bomb": partial(hostile.zip_entries_bomb, entries=70_000),
}
CASES = {**hostile.UPLOADS, **SMALLER}
EXPECTED = {
    "xfd_dimension": None,  # read, one real column
    "odd_utf16_csv": None,
    "shared_strings_bomb": "file_limit.shared_strings",
    "million_cell_row": "file_limit.columns",
    "inflation_bomb": "file_limit.inflated",
    "zip_entries_bomb": "file_limit.zip_entries",
    "elements_bomb": "file_limit.xml_other",
    "deep_nesting": "not_a_spreadsheet",
    "header_128k_csv": "file_limit.cell_chars",
    "million_columns_csv": "file_limit.line_chars",
    "long_line_csv": "file_limit.line_chars",
    "json_objects_bomb": "file_limit.json_containers",
    "json_depth_bomb": "file_limit.json_depth",
}


def _read_in_child(path: Path, kind: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), kind],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("name", [*hostile.UPLOADS, *hostile.BACKUPS])
def test_a_hostile_file_is_read_or_refused_in_bounded_memory(name: str, tmp_path: Path) -> None:
    build = {**CASES, **hostile.BACKUPS}[name]
    path = build(tmp_path)
    assert path.stat().st_size < 20 * 1024 * 1024, "under the upload limit"
    outcome = _read_in_child(path, "backup" if name in hostile.BACKUPS else "upload")
    assert outcome["growth_mb"] < GROWTH_LIMIT_MB, outcome  # type: ignore[operator]
    expected = EXPECTED[name]
    assert outcome.get("code") == expected, outcome
    if expected is not None:
        # A sentence naming the file and the limit, in both languages; not a catalog key.
        assert path.name in str(outcome["es"]) and "error." not in str(outcome["es"])
        assert str(outcome["en"]) != str(outcome["es"])
    if name == "xfd_dimension":
        assert outcome["widths"] == [1]  # real cells only, not the 16,384 declared


def test_the_cli_checks_the_size_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:  # 63 MB, sparse: nothing is written to disk
        handle.truncate(63 * 1024 * 1024)

    def never(_self: Path) -> bytes:
        raise AssertionError("the file was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", never)
    monkeypatch.setenv("TEJIDO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code = main(["--lang", "en", "import", str(big), "--program", "P"])
    out = capsys.readouterr()
    assert code == 1
    assert "“big.csv” is 63.0 MB; the limit is 20.0 MB" in out.err
    assert "Traceback" not in out.err + out.out


@pytest.mark.parametrize("name", ["header_128k_csv", "odd_utf16_csv", "million_cell_row"])
def test_the_cli_names_the_problem_without_a_traceback(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.UPLOADS[name](tmp_path)
    monkeypatch.setenv("TEJIDO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code = main(["--lang", "es", "import", str(path), "--program", "P"])
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err + out.out
    assert f"«{path.name}»" in out.err or "«P»" in out.err  # the file, or the missing program
