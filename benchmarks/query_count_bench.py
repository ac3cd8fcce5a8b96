"""SQL statements and sessions of one page run: the network page and the dashboard for a
viewer, the team page ("Equipo y datos") for a lead and for an administrator.

For each page, a synthetic program (``--actors`` actors, about 5 ties each, assessments,
activities with attendance, inputs and commitments; one restricted citizen) is written
to a temporary SQLite database, and the page is run with Streamlit's AppTest, signed in
as the reader (password mode, so roles apply):

* **cold**: the page run with every cache of the process emptied first (Streamlit's,
  the database engine included, and the services' own), after signing in;
* **warm**: the same page run again on unchanged data (a rerun).

SQLAlchemy events count what reaches the database: ``statements`` (every statement the
engine executes, ``BEGIN`` included) and ``sessions`` (ORM sessions that began a
transaction: each is one read or write transaction). The app's own sign-in check and
sidebar are part of the page run and are counted too.

Goals (issue 10): a warm rerun costs at most one small query for the program (its data
version, and the accounts version, with the sign-in check); a cold run reads the program
in one session.

Usage: ``python benchmarks/query_count_bench.py [--actors 300]``. Runs against whatever
``engagement`` is importable (``PYTHONPATH=/path/to/other/tree`` measures another tree).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

PASSWORD = "clave-de-medicion-1"
#: Accounts with a role in the program besides the readers below.
MEMBERS = 12
READERS = {"visor": "viewer", "lider": "lead", "gestora": "administrator"}
RUNS = (
    ("app_pages/network.py", "visor"),
    ("app_pages/dashboard.py", "visor"),
    ("app_pages/team.py", "lider"),
    ("app_pages/team.py", "gestora"),
)


class Counts:
    """Statements and sessions seen since the last :meth:`reset`."""

    def __init__(self) -> None:
        self.statements = 0
        self.sessions = 0
        self.kinds: Counter[str] = Counter()
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Session, "after_begin", self._session)

    def _statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements += 1
        self.kinds[" ".join(statement.split()[:4])[:60]] += 1

    def _session(self, *args: Any) -> None:
        self.sessions += 1

    def reset(self) -> None:
        self.statements = 0
        self.sessions = 0
        self.kinds.clear()


def _build(url: str, size: int) -> tuple[int, str]:
    from engagement.model import Principal
    from engagement.services.access import users
    from engagement.services.registry import actors, programs, relationships
    from engagement.services.tracking import activities
    from engagement.storage import migrate
    from engagement.storage.db import Database
    from engagement.tracking import ActivityInput, Attendee

    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    admin = Principal("admin")
    program = programs.create_program(db, admin, "Medición")
    rng = random.Random(7)
    sector = program.sectors[0].id
    citizen = next(s.id for s in program.sectors if s.key == "citizen")
    ids = []
    for n in range(size):
        fields: dict[str, Any] = {"name": f"Actor {n}", "sector_id": sector}
        if n == 0:
            fields |= {
                "name": "Vecina Reservada",
                "sector_id": citizen,
                "confidentiality": "restricted",
                "contact_email": "reservada@example.org",
            }
        ids.append(actors.add_actor(db, admin, program.id, fields).id)
    tie = program.tie_types[0].id
    seen: set[frozenset[int]] = set()
    for source in ids[1:]:
        for target in rng.sample(ids, 5):
            if target != source and frozenset((source, target)) not in seen:
                seen.add(frozenset((source, target)))
                relationships.add_relationship(
                    db,
                    admin,
                    program.id,
                    {"source_id": source, "target_id": target, "tie_type_id": tie},
                )
    stage, kind = program.stages[0].id, program.activity_types[0].id
    for n in range(10):
        present = [Attendee(i) for i in rng.sample(ids, 8)]
        day = dt.date(2024, 1, 1) + dt.timedelta(days=7 * n)
        activities.record_activity(
            db, admin, program.id, ActivityInput(kind, stage, f"Taller {n}", day), present
        )
    for n in range(MEMBERS):  # a team to list on the team page
        users.create_user(db, admin, f"miembro{n}", PASSWORD)
        users.set_role(db, admin, f"miembro{n}", program.id, "facilitator")
    users.create_user(db, admin, "visor", PASSWORD)
    users.set_role(db, admin, "visor", program.id, "viewer")
    users.create_user(db, admin, "lider", PASSWORD)
    users.set_role(db, admin, "lider", program.id, "lead")
    users.create_user(db, admin, "gestora", PASSWORD, admin=True)
    db.dispose()
    return program.id


def measure(root: Path, page: str, program_id: int, viewer: str, counts: Counts) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.session_state["tejido.lang"] = "es"
    at.session_state["tejido.program_id"] = program_id
    _sign_in(at, viewer)
    at.switch_page(page)
    at.run()
    _clear_caches()
    counts.reset()
    at.run()
    assert not at.exception, at.exception
    cold = (counts.statements, counts.sessions, dict(counts.kinds))
    counts.reset()
    at.run()
    assert not at.exception, at.exception
    warm = (counts.statements, counts.sessions, dict(counts.kinds))
    return {"cold": cold, "warm": warm}


def _clear_caches() -> None:
    """Every cache of the process: Streamlit's (the engine too) and the services' own."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    try:  # the read layer's cache, where there is one
        from engagement.services import readcache

        readcache.clear_cache()
    except ImportError:
        from engagement.services.coalition import network

        network.clear_cache()


def _sign_in(at: Any, viewer: str) -> None:
    """Sign in through the form (password mode). AppTest drops the values of a form's
    first submission in a fresh app, so the form is sent until the sign-in holds."""
    at.run()
    for _attempt in range(3):
        at.text_input(key="auth.username").input(viewer)
        at.text_input(key="auth.password").input(PASSWORD)
        at.button[0].click()  # the form's submit button
        at.run()
        assert not at.exception, at.exception
        if not any(w.key == "auth.username" for w in at.text_input):
            return
    raise RuntimeError(f"could not sign in as {viewer}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=300)
    parser.add_argument("--detail", action="store_true", help="print statements by kind")
    args = parser.parse_args()
    if importlib.util.find_spec("engagement") is None:  # run from this tree
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import engagement

    root = Path(engagement.__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ.update(
            TEJIDO_DATABASE_URL=url,
            TEJIDO_DATA_DIR=tmp,
            TEJIDO_AUTH="password",
            TEJIDO_USER="admin",
        )
        program_id = _build(url, args.actors)
        counts = Counts()
        print(f"tree: {root}  actors: {args.actors}  members: {MEMBERS + 2}\n")
        print("| page | reader | run | statements | sessions |")
        print("|---|---|---|---:|---:|")
        for page, reader in RUNS:
            found = measure(root, page, program_id, reader, counts)
            for run in ("cold", "warm"):
                statements, sessions, kinds = found[run]
                print(f"| {page} | {READERS[reader]} | {run} | {statements} | {sessions} |")
                if args.detail:
                    for kind, n in sorted(kinds.items(), key=lambda x: -x[1]):
                        print(f"|  | | {n} | {kind} |", file=sys.stderr)


if __name__ == "__main__":
    main()
