"""Contract tests: the project's rules, checked on every run (datasette's test_docs style)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from engagement.cli import build_parser
from engagement.config import __doc__ as config_doc
from engagement.i18n import LANGUAGES, catalog

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT / "engagement"
PAGES = sorted((ROOT / "app_pages").glob("*.py"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _python_files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*.py") if ".venv" not in p.parts]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_streamlit_stays_out_of_the_domain() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _python_files(DOMAIN)
        if "ui" not in p.relative_to(DOMAIN).parts[:1] and "streamlit" in _imports(p)
    ]
    assert offenders == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_is_navigable_tested_and_short(page: Path) -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert f'"app_pages/{page.name}"' in app, f"{page.name} is not in app.py's navigation"
    assert (ROOT / "tests" / "pages" / f"test_{page.name}").exists(), f"no AppTest for {page}"
    lines = page.read_text(encoding="utf-8").splitlines()
    assert 20 <= len(lines) <= 200, f"{page.name} has {len(lines)} lines (storyboards: 40-150)"


def test_catalogs_have_the_same_keys_and_no_empty_text() -> None:
    es, en = catalog("es"), catalog("en")
    assert sorted(set(es) ^ set(en)) == []
    for lang in LANGUAGES:
        assert [k for k, v in catalog(lang).items() if not str(v).strip()] == []


_KEY_CALL = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def test_every_literal_key_used_in_code_is_in_the_catalog() -> None:
    used: dict[str, str] = {}
    for path in [*_python_files(DOMAIN), *PAGES, ROOT / "app.py"]:
        for key in _KEY_CALL.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(ROOT)))
    missing = {k: where for k, where in used.items() if k not in catalog("es")}
    assert missing == {}


_REMOTE_ASSET = re.compile(
    r"""<(?:script|link|img)[^>]+(?:src|href)=["']?(?:https?:)?//|@import\s+url\(["']?https?://"""
    r"""|fonts\.googleapis|cdn\.jsdelivr|cdnjs\.cloudflare|unpkg\.com""",
    re.IGNORECASE,
)


def test_nothing_loads_from_the_internet() -> None:
    files = [*_python_files(DOMAIN), *PAGES, ROOT / "app.py"]
    files += [p for p in DOMAIN.rglob("*") if p.suffix in {".html", ".js", ".css", ".j2"}]
    offenders = [
        str(p.relative_to(ROOT)) for p in files if _REMOTE_ASSET.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_requirements_are_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt", "constraints.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), f"{name}: {line}"


def test_readme_documents_every_cli_command_and_setting() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    commands = sorted(sub.choices)  # type: ignore[arg-type]
    assert [c for c in commands if f"`{c}" not in README and f" {c} " not in README] == []
    settings = re.findall(r"TEJIDO_[A-Z_]+", config_doc or "")
    assert settings and [s for s in settings if s not in README] == []


def test_readme_gives_the_two_commands_and_ci_calls_the_test_one() -> None:
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


_SPREADSHEET_WRITES = re.compile(
    r"\.to_csv\(|\.to_excel\(|\bcsv\.(?:writer|DictWriter)\(|\bExcelWriter\(|\bWorkbook\("
)
WRITERS = DOMAIN / "io" / "writers.py"


def test_every_csv_and_xlsx_goes_through_the_formula_neutralising_writers() -> None:
    """pandas' to_csv/to_excel, csv.writer and openpyxl leave ``=cmd|...`` cells live."""
    code = [*_python_files(DOMAIN, ROOT / "app_pages", ROOT / "scripts", ROOT / "benchmarks")]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in [*code, ROOT / "app.py"]
        if path != WRITERS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _SPREADSHEET_WRITES.search(line.split("#")[0])
    ]
    assert offenders == []
    assert _SPREADSHEET_WRITES.search("table.to_csv(index=False)")  # the scan can fail
