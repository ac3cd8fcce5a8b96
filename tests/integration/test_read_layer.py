"""The read layer: every read of a program takes the reader, and shows only what they may see.

A registry in the style of ``test_roles_enforced.py``: every public read function of
``engagement.services`` is either a *reader* (it takes the acting principal, or a
:class:`ProgramView` made for one) and is called here as a viewer, or program-independent.
A new read function that is in neither fails the contract test; so does one that takes
no principal and is not listed as program-independent. The raw reads of a program's rows
live in storage (:mod:`engagement.storage.queries`), where only the services reach them.

The world (``tests/support/restricted.py``) holds a restricted citizen with contact data
in every place data can name her; a viewer's every read must name nothing of her.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import importlib.util
import inspect
import io
import json
import pkgutil
import threading
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import streamlit as st

import engagement.services as services_package
from engagement.cli import main
from engagement.errors import PermissionDenied
from engagement.io.activity_sheets import read_activity_upload
from engagement.io.decidim_zip import read_decidim_zip
from engagement.io.marks import ExportMark
from engagement.io.readers import read_upload
from engagement.maps.filters import MapFilters
from engagement.maps.view import MapStyle
from engagement.model import Principal
from engagement.services import readcache
from engagement.services.access import permissions, privacy, team, users
from engagement.services.coalition import maps
from engagement.services.exchange import (
    activity_import,
    backup,
    briefing,
    briefing_export,
    decidim_export,
    decidim_import,
    exports,
    imports,
    sqlite_file,
)
from engagement.services.exchange.decidim_plan import DecidimOptions
from engagement.services.registry import actors, programs
from engagement.services.tracking import activities, ogp
from engagement.services.view import ProgramView, kept, program_view
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored
from engagement.tracking import ActivityInput, Attendee, ChecklistItem
from tests.support.decidim_zips import decidim_zip
from tests.support.kumu import kumu_workbook, workbook
from tests.support.restricted import OPERATOR, Restricted, build_restricted

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 20 * 2**20
DAY = dt.date.today()


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    readcache.clear_cache()


@pytest.fixture
def world(db: Database) -> Restricted:
    return build_restricted(db)


# -- the registry --------------------------------------------------------------------

Call = Callable[[Database, Restricted, Principal], Any]


def _activity_file() -> Any:
    data = workbook(
        {
            "Activities": [
                ["Activity", "Date", "Stage", "Type"],
                ["Foro", "2024-05-07", "Diseño", "Taller"],
            ],
            "Attendance": [
                ["Activity", "Date", "Actor"],
                ["Foro", "2024-05-07", "Vecina Reservada"],
            ],
        }
    )
    return read_activity_upload("actividades.xlsx", data, LIMIT)


def _view(db: Database, w: Restricted, u: Principal, **kw: Any) -> ProgramView:
    return program_view(db, u, w.program_id, **kw)


def _briefings(db: Database, w: Restricted, u: Principal) -> list[Any]:
    """The briefing's data, now and as of the snapshot, plain and in presentation mode."""
    taken = _view(db, w, u).snapshots()[0].id
    return [
        briefing.briefing_data(db, u, w.program_id, snapshot_id=snapshot, presentation=shown)
        for snapshot in (None, taken)
        for shown in (False, True)
    ]


def _briefing_files(db: Database, w: Restricted, u: Principal) -> list[Any]:
    """The briefing as HTML (its text readable here) in both languages, and as a PDF."""
    return [
        briefing_export.build_briefing(db, u, w.program_id, fmt="html", lang=lang)
        for lang in ("es", "en")
    ] + [briefing_export.build_briefing(db, u, w.program_id, presentation=True)]


#: Readers: they take the acting principal. Each is called as the viewer.
READERS: dict[str, Call] = {
    "activity_import.preview_activity_import": lambda db, w, u: (
        activity_import.preview_activity_import(db, u, w.program_id, [_activity_file()])
    ),
    "sqlite_file.copy_database": lambda db, w, u: sqlite_file.copy_database(
        db, u, Path("/nonexistent")
    ),
    "backup.program_backup": lambda db, w, u: backup.program_backup(db, u, w.program_id),
    "backup.database_backup": lambda db, w, u: backup.database_backup(db, u),
    "briefing.briefing_data": _briefings,
    "briefing.find_scope": lambda db, w, u: briefing.find_scope(
        db, u, "Programa con reserva", None, None
    ),
    "briefing_export.build_briefing": _briefing_files,
    "exports.export_program": lambda db, w, u: [
        exports.export_program(db, w.program_id, fmt, by=u, lang="es")
        for fmt in ("xlsx", "csv", "kumu", "gexf", "graphml")
    ],
    "decidim_export.decidim_results_csv": lambda db, w, u: decidim_export.decidim_results_csv(
        db, u, w.program_id, "participa.example.org"
    ),
    "decidim_export.imported_hosts": lambda db, w, u: decidim_export.imported_hosts(
        db, u, w.program_id
    ),
    "decidim_import.preview_decidim_import": lambda db, w, u: decidim_import.preview_decidim_import(
        db, u, w.program_id, read_decidim_zip("d.zip", decidim_zip()), DecidimOptions()
    ),
    "imports.preview_import": lambda db, w, u: imports.preview_import(
        db, u, w.program_id, [read_upload("kumu.xlsx", kumu_workbook(), LIMIT)]
    ),
    "maps.export_html": lambda db, w, u: maps.export_html(db, u, w.program_id),
    "permissions.own_records": lambda db, w, u: [
        permissions.own_records(db, u, w.program_id, entity) for entity in ("actor", "input")
    ],
    "maps.network_view": lambda db, w, u: [
        maps.network_view(db, u, w.program_id, style=MapStyle(co_participation=True)),
        maps.network_view(db, u, w.program_id, presentation=True),
    ],
    "privacy.person_report": lambda db, w, u: privacy.person_report(db, u, w.hidden),
    "team.candidates": lambda db, w, u: team.candidates(db, u, w.program_id),
    "team.team": lambda db, w, u: team.team(db, u, w.program_id),
    "view.program_view": lambda db, w, u: _view(db, w, u),
}

#: Functions of a ProgramView (already made for one reader).
VIEW_FUNCTIONS: dict[str, Callable[[ProgramView], Any]] = {
    "maps.view_map": lambda v: maps.view_map(v, style=MapStyle(co_participation=True)),
    "maps.map_drawing": lambda v: maps.map_drawing(v, MapFilters(), MapStyle(), "Mapa"),
    "maps.view_key": lambda v: maps.view_key(v, "map"),
    "maps.view_html": lambda v: maps.view_html(
        ExportMark.now("Programa", "visor"), maps.view_map(v), "es"
    ),
    "exports.program_data": exports.program_data,
    "maps.view_layout": maps.view_layout,
    "imports.list_imports": imports.list_imports,
    "team.audit_summary": team.audit_summary,
    "team.program_audit": lambda v: team.program_audit(v, start=DAY - dt.timedelta(days=9)),
    "view.kept": lambda v: kept(v, "a frame", lambda: v.frame("actors")),
}

#: Every public method of ProgramView, called as the viewer.
VIEW_METHODS: dict[str, Callable[[ProgramView, Restricted], Any]] = {
    "activity": lambda v, w: v.activity(w.activity),
    "actors": lambda v, w: [v.actors(), v.actors(deleted=True)],
    "as_of": lambda v, w: v.as_of,
    "assessments": lambda v, w: v.assessments(),
    "balance": lambda v, w: v.balance(),
    "changes_since": lambda v, w: v.changes_since(DAY - dt.timedelta(days=60)),
    "checklist": lambda v, w: [v.checklist(), v.checklist(DAY)],
    "co_participation": lambda v, w: v.co_participation(),
    "coalition": lambda v, w: v.coalition(),
    "coalition_actors": lambda v, w: v.coalition_actors(),
    "coalition_ties": lambda v, w: v.coalition_ties(),
    "commitment": lambda v, w: [v.commitment(i) for i in v.table("commitments")["id"]],
    "communities": lambda v, w: v.communities(),
    "comparison": lambda v, w: v.comparison(v.snapshots()[0].id, None),
    "counts": lambda v, w: v.counts(),
    "dashboard": lambda v, w: v.dashboard(None),
    "frame": lambda v, w: [
        v.frame(f) for f in ("actors", "deleted_actors", "ties", "deleted_ties", "assessments")
    ],
    "frozen": lambda v, w: [v.frozen(None), v.frozen(v.snapshots()[0].id)],
    "key_players": lambda v, w: v.key_players(),
    "brokers": lambda v, w: [v.brokers().actors, v.brokers().pairs],
    "last_mentoring_call": lambda v, w: v.last_mentoring_call(),
    "measures": lambda v, w: v.measures(),
    "names": lambda v, w: v.names(),
    "paths": lambda v, w: v.paths(w.muni, w.onu),
    "program": lambda v, w: v.program,
    "role": lambda v, w: v.role,
    "sector_gaps": lambda v, w: v.sector_gaps(),
    "snapshots": lambda v, w: v.snapshots(),
    "stored_layout": lambda v, w: v.stored_layout(),
    "table": lambda v, w: [
        v.table(t)
        for t in (
            "activities",
            "deleted_activities",
            "attendance",
            "tasks",
            "inputs",
            "waiting",
            "commitments",
            "evidence",
            "stale",
            "co_participation",
        )
    ],
    "ties": lambda v, w: [v.ties(), v.ties(deleted=True)],
    "tracking_frames": lambda v, w: v.tracking_frames(),
    "without_restricted": lambda v, w: v.without_restricted().frame("actors"),
}

#: Reads that belong to no program: accounts, the directory of programs, the database.
PROGRAM_INDEPENDENT = {
    "sqlite_file.backup_sqlite_file",  # the daily backup job
    "backup.program_count",
    "daily_backup.daily_backup",
    "directory.account",  # the sign-in check: an account and the programs it may open
    "directory.local_account",  # the same for the local operator, who may open them all
    "database.holds_sqlite",
    "demo.database_is_empty",
    "programs.find_program",
    "programs.list_programs",
    "users.get_user",
    "users.list_users",
    "users.user_count",
    "sessions.live_sessions",  # an account's sign-in sessions, not a program's data
    "sessions.resolve",  # the sign-in itself
    "readcache.database_key",  # no read at all: the first part of the cache's keys
}
#: Public functions taking ``db`` that write through registered write services.
WRITES_ELSEWHERE = {
    "demo.load_demos",
    "demo_tracking.close_stages",
    "users.bootstrap_admin",
    "users.create_first_admin",
    "users.invite_user",
}


def read_functions() -> tuple[set[str], set[str]]:
    """(public functions taking ``db`` that open no write transaction themselves,
    public functions taking a ``view``)."""
    by_db, by_view = set(), set()
    for info in pkgutil.walk_packages(services_package.__path__, "engagement.services."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = set(inspect.signature(fn).parameters)
            if "db" in params and "writing()" not in inspect.getsource(fn):
                by_db.add(f"{info.name.rsplit('.', 1)[-1]}.{name}")
            elif "view" in params:
                by_view.add(f"{info.name.rsplit('.', 1)[-1]}.{name}")
    return by_db, by_view


def test_every_read_function_is_in_the_registry() -> None:
    by_db, by_view = read_functions()
    assert by_db == set(READERS) | PROGRAM_INDEPENDENT | WRITES_ELSEWHERE
    assert by_view == set(VIEW_FUNCTIONS)
    methods = {n for n, _ in inspect.getmembers(ProgramView) if not n.startswith("_")}
    assert methods - {"db", "by", "program_id", "visibility", "stamp", "lang"} == set(VIEW_METHODS)


def _function(name: str) -> Callable[..., Any]:
    module, function = name.split(".")
    found: Callable[..., Any] = getattr(
        importlib.import_module(_service_modules()[module]), function
    )
    return found


def test_every_public_read_takes_the_principal_or_is_program_independent() -> None:
    """Issue 10, point 4: a read of a program's data without the acting principal has no
    public door in ``engagement.services``."""
    by_db, _ = read_functions()
    without = {n for n in by_db if "by" not in inspect.signature(_function(n)).parameters}
    assert without - WRITES_ELSEWHERE == PROGRAM_INDEPENDENT


def test_the_check_catches_a_read_without_the_principal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guard for the test above: a new public loader in a services module is seen."""

    def actors_again(db: Database, program_id: int) -> None:
        """A raw read, as the loaders were."""

    actors_again.__module__ = actors.__name__
    monkeypatch.setattr(actors, "actors_again", actors_again, raising=False)
    by_db, _ = read_functions()
    assert "actors.actors_again" in by_db
    assert "by" not in inspect.signature(_function("actors.actors_again")).parameters


def _service_modules() -> dict[str, str]:
    """Each services module's own name -> its dotted name (area subpackages included)."""
    return {
        info.name.rsplit(".", 1)[-1]: info.name
        for info in pkgutil.walk_packages(services_package.__path__, "engagement.services.")
    }


def test_every_reader_takes_the_principal() -> None:
    for name in READERS:
        assert "by" in inspect.signature(_function(name)).parameters, name


def _storage_reads_reached(path: Path) -> set[str]:
    """The raw storage reads a file reaches: imported from ``engagement.storage.queries``,
    or called through a services module that imported them (``programs.get_program``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, modules = set(), {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
            "engagement."
        ):
            continue
        if node.module.startswith("engagement.storage.queries"):  # type: ignore[union-attr]
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif node.module.startswith("engagement.services"):  # type: ignore[union-attr]
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if _is_module(dotted):
                    modules[alias.asname or alias.name] = importlib.import_module(dotted)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in modules
        ):
            target = getattr(modules[node.func.value.id], node.func.attr, None)
            if getattr(target, "__module__", "").startswith("engagement.storage.queries"):
                found.add(f"{node.func.value.id}.{node.func.attr}")
    return found


def _is_module(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


def _interface_files() -> list[Path]:
    return [
        ROOT / "app.py",
        *sorted((ROOT / "app_pages").glob("*.py")),
        *sorted((ROOT / "engagement" / "ui").rglob("*.py")),
        *sorted((ROOT / "engagement" / "cli").rglob("*.py")),
    ]


def test_the_interface_and_the_cli_never_reach_a_raw_read() -> None:
    reached = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in _interface_files()
        for name in _storage_reads_reached(path)
    }
    assert reached == set()


def test_the_raw_reads_check_sees_one(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "from engagement.services.exchange import activity_import\n"
        "from engagement.storage.queries.registry import actors_frame\n"
        "activity_import.get_program(None, 1)\n",
        encoding="utf-8",
    )
    assert _storage_reads_reached(page) == {
        "activity_import.get_program",
        "engagement.storage.queries.registry.actors_frame",
    }


def test_only_the_services_import_the_raw_reads() -> None:
    """``engagement.storage.queries`` is for the read layer and the write services."""
    importers = set()
    for path in sorted((ROOT / "engagement").rglob("*.py")):
        dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if dotted.startswith(("engagement.services", "engagement.storage")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "engagement.storage.queries"
            ):
                importers.add(dotted)
    assert importers == set()


def test_ui_and_pages_never_import_storage_or_sqlalchemy() -> None:
    files = [p for p in _interface_files() if "engagement/cli" not in p.as_posix()]
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                if name.startswith(("engagement.storage", "sqlalchemy")):
                    found.add((path.relative_to(ROOT).as_posix(), name))
    assert found == set()


# -- nothing of a hidden actor reaches a viewer -----------------------------------------


def leaks(value: Any, world: Restricted) -> list[str]:
    """Where in ``value`` the hidden actor is named: her name, contact data, or id."""
    found: list[str] = []
    strings = world.strings()

    def walk(v: Any, at: str) -> None:
        if isinstance(v, pd.DataFrame):
            walk({str(c): v[c].tolist() for c in v.columns}, at)
        elif isinstance(v, pd.Series):
            walk(v.tolist(), at)
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            for f in dataclasses.fields(v):
                walk(getattr(v, f.name), f"{at}.{f.name}")
        elif isinstance(v, Mapping):
            for k, x in v.items():
                walk(k, f"{at}[key]")
                walk(x, f"{at}[{k!r}]")
        elif isinstance(v, list | tuple | set | frozenset):
            for i, x in enumerate(v):
                walk(x, f"{at}[{i}]")
        elif isinstance(v, bytes):
            if v[:2] == b"PK":
                with zipfile.ZipFile(io.BytesIO(v)) as archive:
                    for name in archive.namelist():
                        walk(archive.read(name), f"{at}/{name}")
            else:
                walk(v.decode("utf-8", errors="replace"), at)
        elif isinstance(v, str):
            found.extend(f"{at}: {s!r}" for s in strings if s in v)
        elif isinstance(v, bool | dt.date):
            return
        elif isinstance(v, int | np.integer) and int(v) == world.hidden:
            found.append(f"{at}: id {v}")
        elif hasattr(v, "graph") and hasattr(v, "nodes"):  # a networkx graph
            walk(list(v.nodes(data=True)), f"{at}.nodes")
            walk(list(v.edges(data=True)), f"{at}.edges")

    walk(value, "")
    return found


def _as(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except PermissionDenied:
        return None  # refused: nothing read


def test_the_world_really_holds_her_for_a_mentor(db: Database, world: Restricted) -> None:
    """The leak test below means something: a mentor reads her everywhere it looks."""
    view = _view(db, world, world.mentor)
    for name in ("frame", "table", "frozen", "changes_since", "measures", "coalition"):
        assert leaks(VIEW_METHODS[name](view, world), world), name
    assert leaks(READERS["exports.export_program"](db, world, world.mentor), world)
    assert leaks(READERS["briefing.briefing_data"](db, world, world.mentor), world)
    assert leaks(READERS["briefing_export.build_briefing"](db, world, world.mentor)[:2], world)


def test_no_read_names_the_hidden_actor_to_a_viewer(db: Database, world: Restricted) -> None:
    found: dict[str, list[str]] = {}
    for presentation in (False, True):
        view = _view(db, world, world.viewer, presentation=presentation)
        for name, method in VIEW_METHODS.items():
            found[f"ProgramView.{name}"] = leaks(
                _as(lambda m=method, v=view: m(v, world)),
                world,  # type: ignore[misc]
            )
        for name, function in VIEW_FUNCTIONS.items():
            found[name] = leaks(_as(lambda f=function, v=view: f(v)), world)  # type: ignore[misc]
    for name, call in READERS.items():
        found[name] = leaks(_as(lambda c=call: c(db, world, world.viewer)), world)  # type: ignore[misc]
    assert {k: v for k, v in found.items() if v} == {}


def test_presentation_mode_hides_contact_data_even_from_a_mentor(
    db: Database, world: Restricted
) -> None:
    view = _view(db, world, world.mentor, presentation=True)
    shown = view.frame("actors").set_index("id")
    assert shown.loc[world.hidden, "name"] == "Persona 1"
    assert set(shown["contact_email"]) == {""}
    text = view.frame("ties").to_csv() + view.table("attendance").to_csv()
    assert "Persona 1" in text and not any(s in text for s in world.strings())


# -- figures count what the reader sees ------------------------------------------------


def test_a_viewers_figures_count_only_what_they_see(db: Database, world: Restricted) -> None:
    viewer, mentor = _view(db, world, world.viewer), _view(db, world, world.mentor)
    assert viewer.counts() == (len(viewer.frame("actors")), len(viewer.frame("ties")))
    assert mentor.counts()[0] == viewer.counts()[0] + 1
    assert (mentor.counts()[1], viewer.counts()[1]) == (3, 1)
    seen, everything = viewer.dashboard(None).overall, mentor.dashboard(None).overall
    assert (everything.organisations_participating, seen.organisations_participating) == (3, 2)
    assert list(viewer.table("activities")["attendees"]) == [1, 1]
    assert list(mentor.table("activities")["attendees"]) == [2, 2]
    (taken,) = viewer.snapshots()
    assert (taken.actors, taken.ties) == (len(viewer.frame("actors")), 1)
    assert viewer.changes_since(DAY - dt.timedelta(days=60)).counts["assessments"] == 1
    assert mentor.changes_since(DAY - dt.timedelta(days=60)).counts["assessments"] == 3


def _implementation_meeting(db: Database, w: Restricted) -> None:
    """A meeting of the implementation stage where the only civil-society actor is her."""
    program = _view(db, w, w.mentor).program
    stage = ogp.implementation_stage(program)
    assert stage is not None
    kind = program.activity_types[0].id
    held = ActivityInput(kind, stage.id, "Mesa de implementación", DAY - dt.timedelta(days=3))
    activities.record_activity(
        db, OPERATOR, w.program_id, held, [Attendee(w.hidden), Attendee(w.muni)]
    )


def test_the_ogp_checklist_counts_only_the_civil_society_the_reader_sees(
    db: Database, world: Restricted
) -> None:
    _implementation_meeting(db, world)
    mentor, viewer = _view(db, world, world.mentor), _view(db, world, world.viewer)

    def implementation(view: ProgramView) -> ChecklistItem:
        return {item.key: item for item in view.checklist()}["implementation"]

    assert (implementation(mentor).status, implementation(mentor).params["count"]) == (
        "green",
        1,
    )
    # Started (a meeting was held in the stage), but with no civil society she can see.
    assert (implementation(viewer).status, implementation(viewer).evidence) == ("red", ())
    assert implementation(viewer) == {i.key: i for i in viewer.checklist(DAY)}["implementation"]


def test_the_dashboard_report_and_briefing_say_the_same_to_a_viewer(
    db_url: str, world: Restricted
) -> None:
    """The dashboard, ``report --format json`` and the briefing's at-a-glance share one
    set of figures and checks: equal for the same reader, each counting what they see."""
    db = Database.from_url(db_url)
    try:
        _implementation_meeting(db, world)
        view = _view(db, world, world.viewer)
        figures, checks = view.dashboard(None).overall, view.checklist()
        told = briefing.briefing_data(db, world.viewer, world.program_id)
        everything = _view(db, world, world.mentor).dashboard(None).overall
    finally:
        db.dispose()
    code, out = _cli(
        db_url, "--user", "visor", "report", "--program", "Programa con reserva", "--format", "json"
    )
    assert code == 0
    report = json.loads(out)
    assert {k: report[k] for k in figures.as_dict()} == figures.as_dict()
    assert report["ogp_checklist"] == {i.key: i.status for i in checks}
    assert told.figures == figures
    assert [c.status for c in told.checklist] == [i.status for i in checks]
    assert figures.organisations_participating < everything.organisations_participating


def test_a_viewers_snapshot_measures_are_those_of_the_network_they_see(
    db: Database, world: Restricted
) -> None:
    """She is tied to both others: without her ties, the municipality has one tie, and
    the snapshot, "now" and the analysis all say so to a viewer."""
    viewer, mentor = _view(db, world, world.viewer), _view(db, world, world.mentor)
    (taken,) = viewer.snapshots()

    def degree(frozen: dict[str, Any]) -> int:
        return int(next(m["degree"] for m in frozen["measures"] if m["id"] == world.muni))

    seen = viewer.measures().set_index("id")
    assert degree(viewer.frozen(taken.id)) == degree(viewer.frozen(None)) == 1
    assert int(seen.loc[world.muni, "degree"]) == 1
    assert degree(mentor.frozen(taken.id)) == degree(mentor.frozen(None)) == 2
    assert viewer.comparison(taken.id, None).counts()["measures_changed"] == 0


def test_an_edit_never_removes_an_attendee_its_author_cannot_see(
    db: Database, world: Restricted
) -> None:
    """A facilitator reads an activity without her; saving it keeps her there."""
    users.create_user(db, OPERATOR, "facilita", "clave-de-facilita-1")
    made = users.set_role(db, OPERATOR, "facilita", world.program_id, "facilitator")
    facilitator = users.principal(made)
    program = _view(db, world, world.mentor).program
    walk = ActivityInput(program.activity_types[0].id, program.stages[0].id, "Recorrido", DAY)
    own = activities.record_activity(
        db, facilitator, world.program_id, walk, [Attendee(world.muni)]
    )
    both = [Attendee(world.muni), Attendee(world.hidden)]
    activities.update_activity(db, OPERATOR, own.id, walk, both, None)
    seen = _view(db, world, facilitator).activity(own.id)
    assert [a.actor_id for a in seen.attendees] == [world.muni] and seen.created_by == ""
    renamed = dataclasses.replace(walk, title="Recorrido del barrio")
    activities.update_activity(db, facilitator, own.id, renamed, list(seen.attendees), None)
    kept = _view(db, world, world.mentor).activity(own.id)
    assert {a.actor_id for a in kept.attendees} == {world.muni, world.hidden}
    assert kept.created_by == "facilita"
    activities.update_activity(db, facilitator, own.id, renamed, [], None)
    left = _view(db, world, world.mentor).activity(own.id)
    assert [a.actor_id for a in left.attendees] == [world.hidden]


def test_who_changed_what_only_for_readers_of_the_audit(db: Database, world: Restricted) -> None:
    since = DAY - dt.timedelta(days=60)
    assert set(_view(db, world, world.viewer).changes_since(since).entries["username"]) == {""}
    assert "local" in set(_view(db, world, world.mentor).changes_since(since).entries["username"])


def test_inputs_and_commitments_stay_without_the_hidden_actor(
    db: Database, world: Restricted
) -> None:
    view = _view(db, world, world.viewer)
    raised = view.table("inputs").iloc[0]
    assert raised["text"] == "Más luminarias en el barrio" and raised["actor"] == ""
    promised = view.table("commitments").set_index("title")
    assert promised.loc["Parque del barrio", "responsible"] == ""
    assert list(promised.loc["Luminarias", "co_responsible"]) == ["ONU-Hábitat"]


# -- one session, one version; the cache -------------------------------------------------


def test_a_view_reads_one_version_while_others_write(db: Database, world: Restricted) -> None:
    """Inside one snapshot, a write made meanwhile by another session is not seen."""
    seen: list[int] = []
    with db.snapshot():
        seen.append(len(stored.actors_frame(db, world.program_id)))
        done = threading.Event()

        def write() -> None:
            actors.add_actor(db, OPERATOR, world.program_id, {"name": "Recién llegado"})
            done.set()

        threading.Thread(target=write).start()
        assert done.wait(30)
        seen.append(len(stored.actors_frame(db, world.program_id)))
    assert seen[0] == seen[1]
    assert len(_view(db, world, world.mentor).frame("actors")) == seen[0] + 1


def test_the_cache_is_keyed_by_visibility_not_by_user(db: Database, world: Restricted) -> None:
    users.create_user(db, OPERATOR, "otro", "clave-de-otro-1")
    other = users.principal(users.set_role(db, OPERATOR, "otro", world.program_id, "viewer"))
    _view(db, world, world.viewer).frame("actors")
    held = readcache.size()
    assert (
        _view(db, world, other)
        .frame("actors")
        .equals(_view(db, world, world.viewer).frame("actors"))
    )
    assert readcache.size() == held  # another viewer: the same entries
    _view(db, world, world.mentor).frame("actors")
    assert readcache.size() > held  # another visibility class: its own


def test_clearing_streamlits_caches_leaves_the_read_cache(
    db: Database, world: Restricted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An anonymous "clear cache" message clears Streamlit's caches only."""
    _view(db, world, world.viewer).measures()
    reads: list[int] = []
    original = stored.actors_frame

    def counted(*args: Any, **kwargs: Any) -> pd.DataFrame:
        reads.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(stored, "actors_frame", counted)
    st.cache_data.clear()
    st.cache_resource.clear()
    _view(db, world, world.viewer).measures()
    assert reads == []


# -- backups ----------------------------------------------------------------------------


def test_only_administrators_copy_the_whole_database(
    db: Database, world: Restricted, tmp_path: Path
) -> None:
    lead = users.principal(
        users.set_role(db, OPERATOR, world.mentor.username, world.program_id, "lead")
    )
    with pytest.raises(PermissionDenied):
        backup.database_backup(db, lead)
    with pytest.raises(PermissionDenied):
        sqlite_file.copy_database(db, lead, tmp_path / "copia.db")
    _name, data, _mime = exports.export_program(db, world.program_id, "json", by=lead)
    document = json.loads(data)
    assert document["program"]["rows"][0][1] == "Programa con reserva"
    assert "user_account" not in document["tables"] and "membership" not in document["tables"]
    with pytest.raises(PermissionDenied):  # a mentor: no backup of the program either
        exports.export_program(db, world.program_id, "json", by=world.mentor)


def test_restoring_a_program_never_grants_a_role(db: Database, world: Restricted) -> None:
    document = backup.program_backup(db, OPERATOR, world.program_id)
    crafted = json.loads(json.dumps(document))
    crafted["members"].append({"username": "otra", "role": "lead"})
    crafted["tables"]["membership"] = {
        "columns": ["id", "user_id", "program_id", "role"],
        "rows": [[99, 1, world.program_id, "lead"]],
    }
    users.create_user(db, OPERATOR, "otra", "clave-de-otra-1")
    plain = backup.restore_program(db, OPERATOR, crafted, name="Copia")
    assert all(u.roles == () or plain.id not in dict(u.roles) for u in users.list_users(db))
    mapped = backup.restore_program(db, OPERATOR, crafted, name="Copia 2", roles_by_name=True)
    roles = {u.username: dict(u.roles).get(mapped.id) for u in users.list_users(db)}
    # The world's lead keeps the role by name too; its administrator has none to restore.
    assert roles == {
        "visor": "viewer",
        "mentora": "mentor",
        "lider": "lead",
        "otra": "lead",
        "admin": None,
    }


# -- the command line acts as an account -------------------------------------------------


def _cli(db_url: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--database-url", db_url, "--lang", "en", *args], out=out)
    return code, out.getvalue()


def test_cli_user_reads_as_that_account(db_url: str, world: Restricted, tmp_path: Path) -> None:
    program = ["--program", "Programa con reserva"]
    code, out = _cli(db_url, "--user", "visor", "metrics", *program)
    assert code == 0 and "Municipalidad" in out and "Vecina" not in out
    code, out = _cli(db_url, "metrics", *program)  # the local operator sees everything
    assert code == 0 and "Vecina Reservada" in out
    target = tmp_path / "export"
    code, out = _cli(
        db_url, "--user", "visor", "export", *program, "--format", "csv", "--output", str(target)
    )
    assert code == 0
    text = "".join(p.read_text(encoding="utf-8") for p in target.iterdir())
    assert "Municipalidad" in text and "reservada@example.org" not in text and "Vecina" not in text
    code, out = _cli(db_url, "--user", "visor", "report", *program, "--format", "json")
    assert code == 0 and json.loads(out)["organisations_participating"] == 2


def test_cli_refuses_unknown_names_and_non_members(db_url: str, world: Restricted) -> None:
    program = ["--program", "Programa con reserva"]
    code, out = _cli(db_url, "--user", "nadie", "metrics", *program)
    assert code == 1 and "There is no active account named “nadie”." in out
    users_db = Database.from_url(db_url)
    try:
        users.create_user(users_db, OPERATOR, "ajena", "clave-de-ajena-1")
        users.create_user(users_db, OPERATOR, "baja", "clave-de-baja-12")
        users.set_role(users_db, OPERATOR, "baja", world.program_id, "lead")
        users.set_active(users_db, OPERATOR, "baja", False)
    finally:
        users_db.dispose()
    code, out = _cli(db_url, "--user", "ajena", "metrics", *program)
    assert code == 1 and "has no role in this program" in out
    code, out = _cli(db_url, "--user", "baja", "metrics", *program)
    assert code == 1 and "no active account" in out
    code, out = _cli(db_url, "--user", "visor", "backup", "/tmp/tejido-never-written.json")
    assert code == 1 and not Path("/tmp/tejido-never-written.json").exists()


def test_cli_user_writes_with_that_accounts_role(db_url: str, world: Restricted) -> None:
    code, out = _cli(db_url, "--user", "visor", "create-program", "Otro")
    assert code == 1
    code, out = _cli(db_url, "--user", "visor", "programs")
    assert code == 0 and out.count("\n") == 1 and "Programa con reserva" in out
    db = Database.from_url(db_url)
    try:
        assert [p.name for p in programs.list_programs(db)] == ["Programa con reserva"]
    finally:
        db.dispose()


def test_a_new_version_pushes_out_the_programs_older_entries(
    db: Database, world: Restricted
) -> None:
    _view(db, world, world.viewer).measures()
    held = readcache.size()
    actors.add_actor(db, OPERATOR, world.program_id, {"name": "Nueva junta"})
    _view(db, world, world.viewer).measures()
    assert readcache.size() <= held  # the same reads at the new version, not both


def test_a_restored_database_is_never_served_from_the_cache(
    db: Database, world: Restricted
) -> None:
    document = backup.database_backup(db, OPERATOR)
    before = _view(db, world, world.mentor)
    assert _holds_her(before.frame("actors"))
    actors.delete_actor(db, OPERATOR, world.hidden)
    stamp = _view(db, world, world.mentor).stamp
    backup.restore_database(db, OPERATOR, document, replace=True)
    restored = _view(db, world, world.mentor)
    assert restored.stamp.data > stamp.data > before.stamp.data
    assert _holds_her(restored.frame("actors"))


def _holds_her(frame: pd.DataFrame) -> bool:
    return "Vecina Reservada" in set(frame["name"])
