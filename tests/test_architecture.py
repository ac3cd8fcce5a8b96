"""Contract tests on the shape of engagement/: no import cycles, no imports hidden in
functions, one error family, Streamlit through its public API only (no legacy pages/
folder to patch around), and importing any module has no side effects.

The import graph is built from the source with ``ast`` (nothing is imported), so a cycle
is caught even where today's import order happens to work.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from streamlit.runtime.pages_manager import PagesManager

import engagement.errors as errors_module
from engagement.errors import EngagementError

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT / "engagement"

#: Imports allowed inside a function body, as {module: {imported name: why}}. Only a
#: genuinely heavy dependency needed by one rarely used path belongs here. Empty: every
#: lazy import measured so far (openpyxl ~60 ms, alembic.script already loaded by
#: migrations) was cheap enough to import at the top.
LAZY_IMPORTS: dict[str, dict[str, str]] = {}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(DOMAIN.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:  # Alembic scripts: loaded by Alembic, not imported
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _target(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The absolute module name an ``ImportFrom`` reads from (relative imports too)."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _edges(module: str, path: Path) -> set[str]:
    """The modules of engagement/ that ``module`` imports (``from pkg import mod`` names
    the submodule, ``from mod import name`` the module)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names if alias.name in MODULES}
        elif isinstance(node, ast.ImportFrom):
            source = _target(module, node, path.name == "__init__.py")
            for alias in node.names:
                if f"{source}.{alias.name}" in MODULES:
                    out.add(f"{source}.{alias.name}")
                elif source in MODULES:
                    out.add(source)
    return out - {module}


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        graph.add_edges_from((module, target) for target in _edges(module, path))
    return graph


def test_the_import_graph_sees_the_known_layers() -> None:
    """Guard for the two tests below: the graph is real, not empty by a parsing slip."""
    graph = import_graph()
    assert len(MODULES) > 100
    assert graph.has_edge("engagement.services.registry.actors", "engagement.storage.models")
    assert graph.has_edge("engagement.ui.context", "engagement.ui.auth")
    assert graph.number_of_edges() > 400


def test_engagement_has_no_import_cycles() -> None:
    cycles = [" -> ".join([*c, c[0]]) for c in nx.simple_cycles(import_graph())]
    assert cycles == []


def test_the_cycle_check_catches_a_cycle() -> None:
    graph = import_graph()
    graph.add_edge("engagement.storage.models", "engagement.services.registry.actors")
    assert not nx.is_directed_acyclic_graph(graph)


def _imports_in_functions(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            found += [
                (inner.lineno, ast.unparse(inner))
                for inner in ast.walk(node)
                if isinstance(inner, ast.Import | ast.ImportFrom)
            ]
    return found


def test_no_import_is_hidden_inside_a_function() -> None:
    hidden = {
        f"{module}:{line}": statement
        for module, path in MODULES.items()
        for line, statement in _imports_in_functions(path.read_text(encoding="utf-8"))
        if not any(name in statement for name in LAZY_IMPORTS.get(module, {}))
    }
    assert hidden == {}


def test_the_hidden_import_check_sees_one() -> None:
    source = "import os\n\ndef f():\n    from json import dumps\n    return dumps\n"
    assert _imports_in_functions(source) == [(4, "from json import dumps")]


def _exception_classes() -> list[tuple[str, str]]:
    """(module, class) for every class in engagement/ that derives from an exception."""
    out = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name | ast.Attribute) for base in node.bases
            ):
                out.append((module, node.name))
    return out


def test_every_error_class_lives_in_errors_py_in_the_one_family() -> None:
    misplaced = []
    for module, name in _exception_classes():
        cls = getattr(importlib.import_module(module), name, None)
        if not (inspect.isclass(cls) and issubclass(cls, BaseException)):
            continue
        if issubclass(cls, Warning):  # warnings are a category, not an error
            continue
        if module != "engagement.errors" or not issubclass(cls, EngagementError):
            misplaced.append(f"{module}.{name}")
    assert misplaced == []


@pytest.mark.parametrize(
    "cls",
    [
        c
        for c in vars(errors_module).values()
        if inspect.isclass(c) and issubclass(c, EngagementError)
    ],
    ids=lambda c: c.__name__,
)
def test_errors_are_domain_errors_not_builtin_value_errors(cls: type[EngagementError]) -> None:
    assert not issubclass(cls, ValueError | TypeError | KeyError | LookupError)
    assert cls.__doc__ or cls.code != EngagementError.code


def test_no_legacy_pages_folder_beside_app_py() -> None:
    """A ``pages/`` folder beside the entry point puts Streamlit in its legacy multipage
    mode until ``st.navigation`` first runs (a deep link as a fresh server's first request
    then runs the page alone). The page scripts live in ``app_pages/`` instead."""
    assert not (ROOT / "pages").exists()
    assert sorted((ROOT / "app_pages").glob("*.py"))


#: The one documented, version-pinned hook into Streamlit's internals (called explicitly
#: from app.py; tests/unit/test_session_gate.py fails when Streamlit changes).
STREAMLIT_HOOKS = {"engagement.ui.session_gate"}
#: Modules that read (never change) one internal: ``get_script_run_ctx``, the identity of
#: the current run, which has no public equivalent (``st.context`` has no session id).
STREAMLIT_READS = {"engagement.ui.this_run"}


def test_engagement_uses_only_streamlit_public_api() -> None:
    """No patching of Streamlit internals: only ``streamlit`` (and its documented
    ``components`` modules) is imported, never ``streamlit.runtime`` and the like."""
    private = {}
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                internal = name.startswith("streamlit.") and not name.startswith(
                    "streamlit.components"
                )
                if internal and module not in STREAMLIT_HOOKS | STREAMLIT_READS:
                    private[module] = name
    assert private == {}


def test_importing_the_ui_package_changes_nothing_in_streamlit() -> None:
    before = PagesManager.uses_pages_directory
    importlib.reload(importlib.import_module("engagement.ui"))
    assert PagesManager.uses_pages_directory == before


_IMPORT_ALL = """
import importlib, pkgutil, engagement
for info in pkgutil.walk_packages(engagement.__path__, "engagement."):
    if ".migrations" not in info.name and not info.name.endswith("__main__"):
        importlib.import_module(info.name)
"""
#: What Streamlit itself logs when a ``st.cache_data`` function is defined outside a run.
_STREAMLIT_NO_RUNTIME = "No runtime found, using MemoryCacheStorageManager"


def test_importing_every_module_has_no_side_effects(tmp_path: Path) -> None:
    """Doctest collection imports every module: none may write, print, warn or connect."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TEJIDO_DATA_DIR": str(tmp_path / "data"),
        "TEJIDO_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", _IMPORT_ALL],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert [line for line in done.stderr.splitlines() if _STREAMLIT_NO_RUNTIME not in line] == []
    assert list(tmp_path.iterdir()) == []
