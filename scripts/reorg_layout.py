#!/usr/bin/env python3
"""Move Tejido's modules into area subpackages and rewrite every reference to them.

Usage: python scripts/reorg_layout.py /path/to/repo [--dry-run]

Prepared and checked this session on a merged clone (ruff, mypy, 723 unit, contract and
registry tests passed), not yet applied: the next step of issue 10, point 5. After
applying it, the read-layer registry keys "coalition.coalition_actors" and
"coalition.coalition_ties" become "tables.…" (coalition.py moves to coalition/tables.py).

Issue 10, point 5, first two bullets: engagement/services/ grouped by area (registry,
exchange, tracking, coalition, access), engagement/ui/ grouped by page area around a small
shared root, and the pure modules that never touch the database (grid, profiles,
movement, frames) moved to engagement/analysis/.

What it does, in order:

1. For every entry of ``MOVES`` whose old file exists and whose new file does not, creates
   the new package (``__init__.py`` with the docstring from ``PACKAGES``) and ``git mv``s
   the module. Entries already applied, or whose module is gone, are skipped and listed:
   running the script twice changes nothing the second time. Modules that are not in
   ``MOVES`` stay where they are.
2. Any ``pages/*.py`` left beside app.py (added on a branch made before the page scripts
   moved to ``app_pages/``) is moved there too, and every quoted ``"pages/x.py"`` and
   ``(ROOT / "pages").glob(...)`` becomes ``app_pages`` (``tests/pages/`` is left alone).
3. Rewrites references in engagement/, app_pages/, app.py, conftest.py, tests/,
   benchmarks/, scripts/, docs and the README:
   - every dotted name (``engagement.services.actors``, in imports, monkeypatch targets,
     ``python -m engagement.x``, docs) and every file path (``engagement/services/actors.py``)
     of a moved module; then
   - ``from engagement.services import actors, network`` is split by new package
     (``from engagement.services.registry import actors`` ...), keeping aliases; a module
     that changes its name is imported ``as`` its old name, so code using it is unchanged.
4. Sorts imports and formats the rewritten Python files with ruff (``ruff check --select I
   --fix`` and ``ruff format``), using the repository's .venv when it has one.

It never commits: review with ``git status`` / ``git diff -M --stat`` and commit.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

S = "engagement.services"
U = "engagement.ui"
A = "engagement.analysis"

#: old module -> new module (dotted). A module not listed here stays where it is.
MOVES: dict[str, str] = {
    # services/registry: the program, its lists and the registry of actors, ties, scores
    f"{S}.programs": f"{S}.registry.programs",
    f"{S}.terms": f"{S}.registry.terms",
    f"{S}.actors": f"{S}.registry.actors",
    f"{S}.actor_edits": f"{S}.registry.actor_edits",
    f"{S}.relationships": f"{S}.registry.relationships",
    f"{S}.assessments": f"{S}.registry.assessments",
    # services/exchange: files in and out, backups, the demo programs
    f"{S}.imports": f"{S}.exchange.imports",
    f"{S}.import_plan": f"{S}.exchange.import_plan",
    f"{S}.import_rows": f"{S}.exchange.import_rows",
    f"{S}.import_write": f"{S}.exchange.import_write",
    f"{S}.import_undo": f"{S}.exchange.import_undo",
    f"{S}.activity_import": f"{S}.exchange.activity_import",
    f"{S}.activity_import_write": f"{S}.exchange.activity_import_write",
    f"{S}.exports": f"{S}.exchange.exports",
    f"{S}.backup": f"{S}.exchange.backup",
    f"{S}.daily_backup": f"{S}.exchange.daily_backup",
    f"{S}.demo": f"{S}.exchange.demo",
    f"{S}.demo_tracking": f"{S}.exchange.demo_tracking",
    f"{S}.demo_dates": f"{S}.exchange.demo_dates",
    f"{S}.import_model": f"{S}.exchange.import_model",
    f"{S}.backup_schema": f"{S}.exchange.backup_schema",
    f"{S}.briefing": f"{S}.exchange.briefing",
    f"{S}.briefing_export": f"{S}.exchange.briefing_export",
    f"{S}.briefing_model": f"{S}.exchange.briefing_model",
    f"{S}.briefing_network": f"{S}.exchange.briefing_network",
    # services/tracking: activities, tasks, inputs, commitments, evidence, snapshots
    f"{S}.activities": f"{S}.tracking.activities",
    f"{S}.tasks": f"{S}.tracking.tasks",
    f"{S}.inputs": f"{S}.tracking.inputs",
    f"{S}.commitments": f"{S}.tracking.commitments",
    f"{S}.evidence": f"{S}.tracking.evidence",
    f"{S}.snapshots": f"{S}.tracking.snapshots",
    f"{S}.dashboard": f"{S}.tracking.dashboard",
    f"{S}.ogp": f"{S}.tracking.ogp",
    f"{S}.changes": f"{S}.tracking.changes",
    # services/coalition: the coalition read as tables, its network measures and map
    f"{S}.coalition": f"{S}.coalition.tables",
    f"{S}.network": f"{S}.coalition.network",
    f"{S}.maps": f"{S}.coalition.maps",
    f"{S}.layout_store": f"{S}.coalition.layout_store",
    # services/access: accounts, roles, permissions, privacy
    f"{S}.users": f"{S}.access.users",
    f"{S}.team": f"{S}.access.team",
    f"{S}.permissions": f"{S}.access.permissions",
    f"{S}.privacy": f"{S}.access.privacy",
    f"{S}.credentials": f"{S}.access.credentials",
    f"{S}.throttling": f"{S}.access.throttling",
    f"{S}.sessions": f"{S}.access.sessions",
    f"{S}.session_records": f"{S}.access.session_records",
    # (staying at the services root, shared by every area: the read layer (view,
    #  visibility, readcache), database, audit, audit_names, validation, concurrency)
    # analysis: pure pandas/frameworks code that never touches the database
    f"{S}.grid": f"{A}.grid",
    f"{S}.profiles": f"{A}.profiles",
    f"{S}.movement": f"{A}.movement",
    f"{S}.frames": f"{A}.frames",
    # ui/registry: actors, ties, assessments pages
    f"{U}.actor_forms": f"{U}.registry.actor_forms",
    f"{U}.actor_views": f"{U}.registry.actor_views",
    f"{U}.actor_detail": f"{U}.registry.actor_detail",
    f"{U}.actor_panel": f"{U}.registry.actor_panel",
    f"{U}.quick_edit": f"{U}.registry.quick_edit",
    f"{U}.tie_forms": f"{U}.registry.tie_forms",
    f"{U}.tie_views": f"{U}.registry.tie_views",
    f"{U}.assessment_grid": f"{U}.registry.assessment_grid",
    f"{U}.score_history": f"{U}.registry.score_history",
    # ui/coalition: grid and network pages
    f"{U}.grid_chart": f"{U}.coalition.grid_chart",
    f"{U}.grid_views": f"{U}.coalition.grid_views",
    f"{U}.network_component": f"{U}.coalition.network_component",
    f"{U}.network_views": f"{U}.coalition.network_views",
    f"{U}.analysis_tables": f"{U}.coalition.analysis_tables",
    f"{U}.coalition_data": f"{U}.coalition.coalition_data",
    f"{U}.broker_views": f"{U}.coalition.broker_views",
    # ui/tracking: dashboard, activities, commitments and inputs, snapshots
    f"{U}.activity_forms": f"{U}.tracking.activity_forms",
    f"{U}.activity_views": f"{U}.tracking.activity_views",
    f"{U}.commitment_views": f"{U}.tracking.commitment_views",
    f"{U}.input_views": f"{U}.tracking.input_views",
    f"{U}.snapshot_views": f"{U}.tracking.snapshot_views",
    f"{U}.dashboard_views": f"{U}.tracking.dashboard_views",
    f"{U}.tracking_data": f"{U}.tracking.tracking_data",
    f"{U}.briefing_widgets": f"{U}.tracking.briefing_widgets",
    # ui/data: import and export, program settings, team
    f"{U}.import_widgets": f"{U}.data.import_widgets",
    f"{U}.export_widgets": f"{U}.data.export_widgets",
    f"{U}.settings_forms": f"{U}.data.settings_forms",
    f"{U}.term_lists": f"{U}.data.term_lists",
    f"{U}.team_widgets": f"{U}.data.team_widgets",
    # (the shared ui root keeps: context, database, auth, state, i18n, feedback, forms,
    #  markup, tables, fit, rights, sidebar, editor_state, and the app-wide pieces
    #  navigation, session_gate, session_cookie, outage, print_css)
}

#: Docstrings of the packages the moves create.
PACKAGES: dict[str, str] = {
    f"{S}.registry": "Use cases of the registry: the program and its lists, actors, ties "
    "and assessments.",
    f"{S}.exchange": "Files in and out: imports (actors, ties, assessments, activities) "
    "with preview and undo, exports, backups and restores, the demo programs.",
    f"{S}.tracking": "Engagement tracking: activities and attendance, follow-up tasks, "
    "inputs and responses, commitments, evidence, snapshots, the stage dashboard.",
    f"{S}.coalition": "The coalition as a whole: its tables, network measures and the network map.",
    f"{S}.access": "Who may do what: accounts, roles in programs, permissions and privacy.",
    f"{U}.registry": "Widgets of the actors, ties and assessments pages.",
    f"{U}.coalition": "Widgets of the power/interest grid and network map pages.",
    f"{U}.tracking": "Widgets of the dashboard, activities, commitments and snapshots pages.",
    f"{U}.data": "Widgets of the import/export, program settings and team pages.",
}

#: Where references are rewritten (relative to the repository).
PY_ROOTS = ("engagement", "app_pages", "pages", "tests", "benchmarks", "scripts")
PY_FILES = ("app.py", "conftest.py")
TEXT_GLOBS = ("*.md", "docs/**/*.md", "Makefile", "pyproject.toml", "scripts/*.sh", ".ci/**/*")


def run(repo: Path, *args: str) -> str:
    done = subprocess.run(args, cwd=repo, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stdout}{done.stderr}")
    return done.stdout


def module_path(repo: Path, dotted: str) -> Path:
    return repo.joinpath(*dotted.split(".")).with_suffix(".py")


def package_dir(repo: Path, dotted: str) -> Path:
    return repo.joinpath(*dotted.split("."))


def active_moves(repo: Path) -> tuple[dict[str, str], list[str]]:
    moves, skipped = {}, []
    for old, new in MOVES.items():
        source, target = module_path(repo, old), module_path(repo, new)
        if source.is_file() and not target.exists():
            moves[old] = new
        elif target.exists():
            skipped.append(f"already moved: {old} -> {new}")
        else:
            skipped.append(f"not found (left alone): {old}")
    return moves, skipped


def move_modules(repo: Path, moves: dict[str, str], dry: bool) -> list[Path]:
    """Create the new packages and ``git mv`` the modules; returns the created files."""
    created = []
    for new in sorted({n.rsplit(".", 1)[0] for n in moves.values()}):
        init = package_dir(repo, new) / "__init__.py"
        if not init.exists():
            print(f"create {init.relative_to(repo)}")
            if not dry:
                init.parent.mkdir(parents=True, exist_ok=True)
                doc = PACKAGES.get(new, f"The {new.rsplit('.', 1)[-1]} area.")
                body = "\n".join(textwrap.wrap(f'"""{doc}', width=88)) + '\n"""\n'
                init.write_text(body, encoding="utf-8")
                run(repo, "git", "add", str(init.relative_to(repo)))
                created.append(init)
    for old, new in moves.items():
        source = module_path(repo, old).relative_to(repo)
        target = module_path(repo, new).relative_to(repo)
        print(f"git mv {source} {target}")
        if not dry:
            run(repo, "git", "mv", str(source), str(target))
    return created


def move_stray_pages(repo: Path, dry: bool) -> list[str]:
    """Page scripts still in pages/ (from branches older than app_pages/) join app_pages/."""
    legacy = repo / "pages"
    if not legacy.is_dir() or not (repo / "app_pages").is_dir():
        return []
    names = sorted(p.name for p in legacy.glob("*.py"))
    for name in names:
        print(f"git mv pages/{name} app_pages/{name}")
        if not dry:
            if (repo / "app_pages" / name).exists():
                raise SystemExit(f"app_pages/{name} exists: merge pages/{name} into it by hand")
            run(repo, "git", "mv", f"pages/{name}", f"app_pages/{name}")
    return names


def _import_text(indent: str, package: str, names: list[tuple[str, str | None]]) -> str:
    parts = [f"{n} as {a}" if a and a != n else n for n, a in names]
    return f"{indent}from {package} import {', '.join(parts)}"


def rewrite_from_package_imports(source: str, moves: dict[str, str]) -> str:
    """Split ``from pkg import a, b`` where ``pkg.a`` moved, by the new package."""
    parents = {old.rsplit(".", 1)[0] for old in moves}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in parents):
            continue
        if not any(f"{node.module}.{a.name}" in moves for a in node.names):
            continue
        groups: dict[str, list[tuple[str, str | None]]] = {}
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            if full in moves:
                package, name = moves[full].rsplit(".", 1)
                keep = alias.asname or (alias.name if name != alias.name else None)
                groups.setdefault(package, []).append((name, keep))
            else:
                groups.setdefault(node.module, []).append((alias.name, alias.asname))
        indent = " " * node.col_offset
        text = "\n".join(_import_text(indent, p, n) for p, n in groups.items()) + "\n"
        edits.append((node.lineno - 1, node.end_lineno or node.lineno, text))
    for start, end, text in sorted(edits, reverse=True):
        lines[start:end] = [text]
    return "".join(lines)


def dotted_pattern(moves: dict[str, str]) -> re.Pattern[str] | None:
    if not moves:
        return None
    names = sorted(moves, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def path_pattern(moves: dict[str, str]) -> re.Pattern[str] | None:
    if not moves:
        return None
    paths = sorted((o.replace(".", "/") + ".py" for o in moves), key=len, reverse=True)
    return re.compile(r"(?<![\w/])(" + "|".join(re.escape(p) for p in paths) + r")")


def rewrite_text(text: str, moves: dict[str, str], app_pages: bool, is_python: bool) -> str:
    # Dotted names first, then ``from pkg import module``: the import statements the
    # second step writes name new packages (``engagement.services.coalition``) that can
    # equal an old module's name, and must not be rewritten again.
    dotted, paths = dotted_pattern(moves), path_pattern(moves)
    if dotted:
        text = dotted.sub(lambda m: moves[m.group(1)], text)
    if is_python:
        text = rewrite_from_package_imports(text, moves)
    if paths:
        by_path = {
            o.replace(".", "/") + ".py": n.replace(".", "/") + ".py" for o, n in moves.items()
        }
        text = paths.sub(lambda m: by_path[m.group(1)], text)
    if app_pages:
        # "pages/x.py" (st.Page, st.page_link, switch_page) and (ROOT / "pages").glob(...)
        # (contract tests listing the page scripts: left alone they would find none and
        # pass). "tests/pages/..." is never quoted right before "pages/", so it stays, and
        # so do mentions of the legacy folder itself ("``pages/``", ROOT / "pages" tested
        # for existence).
        text = re.sub(r"""(["'`])pages/(?=[\w*])""", r"\1app_pages/", text)
        text = re.sub(
            r"""(\bROOT\s*/\s*)(["'])pages\2(\)?\.(?:r?glob|iterdir)\()""",
            r"\1\2app_pages\2\3",
            text,
        )
    return text


def files_to_rewrite(repo: Path) -> list[Path]:
    found: set[Path] = set()
    for root in PY_ROOTS:
        found |= {p for p in (repo / root).rglob("*.py") if ".venv" not in p.parts}
    found |= {repo / f for f in PY_FILES if (repo / f).is_file()}
    for pattern in TEXT_GLOBS:
        found |= {p for p in repo.glob(pattern) if p.is_file()}
    return sorted(found)


def tidy(repo: Path, changed: list[Path]) -> None:
    python = [str(p.relative_to(repo)) for p in changed if p.suffix == ".py"]
    if not python:
        return
    venv = repo / ".venv" / "bin" / "python"
    if venv.exists():
        ruff = [str(venv), "-m", "ruff"]
    elif shutil.which("ruff"):
        ruff = ["ruff"]
    else:
        print("ruff not found: sort imports and format by hand")
        return
    subprocess.run([*ruff, "check", "--select", "I", "--fix", "-q", *python], cwd=repo, check=False)
    subprocess.run([*ruff, "format", "-q", *python], cwd=repo, check=False)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    dry = "--dry-run" in argv
    if len(args) != 1:
        print(__doc__)
        return 2
    repo = Path(args[0]).resolve()
    if not (repo / "engagement" / "__init__.py").is_file():
        raise SystemExit(f"{repo} is not a Tejido checkout")
    moves, skipped = active_moves(repo)
    for line in skipped:
        print(line)
    created = move_modules(repo, moves, dry)
    pages = move_stray_pages(repo, dry)
    changed = []
    for path in files_to_rewrite(repo):
        try:
            before = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        after = rewrite_text(before, moves, (repo / "app_pages").is_dir(), path.suffix == ".py")
        if after != before:
            changed.append(path)
            if not dry:
                path.write_text(after, encoding="utf-8")
    print(
        f"{len(moves)} modules moved, {len(pages)} page scripts moved, "
        f"{len(changed)} files rewritten{' (dry run)' if dry else ''}"
    )
    if not dry:
        tidy(repo, [*changed, *created])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
