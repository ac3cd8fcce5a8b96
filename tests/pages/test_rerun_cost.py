"""What a page run costs the database, counted in statements (never timed).

Goals (issue 10): a rerun on unchanged data costs one statement in one session, the
sign-in check that also brings the program's data stamp and the accounts version (the
team page's members); a cold run (the services' read cache empty) reads the program in
one session besides that check. SQLAlchemy's
engine and session events count what reaches the database; ``BEGIN`` counts too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from engagement.services import readcache
from engagement.services.access import sessions, users
from engagement.storage.db import Database
from engagement.ui.auth import SESSION
from tests.support.restricted import OPERATOR, Restricted, build_restricted
from tests.support.signin import sign_in

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))
#: The pages each reader opens: the audit trail is not offered to viewers. A lead and an
#: administrator also get the team tools (members, candidates, new accounts, backups).
OPENED = {
    "visor": [p for p in PAGES if not p.endswith("audit.py")],
    "mentora": PAGES,
    "lider": PAGES,
    "admin": PAGES,
}


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)
    sessions: int = 0


@contextmanager
def counting() -> Iterator[Counted]:
    """Every statement any engine executes, and every session that begins, meanwhile."""
    counted = Counted()

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        counted.statements.append(" ".join(sql.split())[:80])

    def began(*_args: Any) -> None:
        counted.sessions += 1

    event.listen(Engine, "before_cursor_execute", statement)
    event.listen(Session, "after_begin", began)
    try:
        yield counted
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        event.remove(Session, "after_begin", began)


@pytest.fixture
def world(app_db: Database, monkeypatch: pytest.MonkeyPatch) -> Restricted:
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    return build_restricted(app_db)


def _signed_in(world: Restricted, username: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["tejido.lang"] = "es"
    at.session_state["tejido.program_id"] = world.program_id
    sign_in(at, username)
    at.run()
    assert not at.exception, at.exception
    return at


def _run(at: AppTest) -> Counted:
    with counting() as counted:
        at.run()
    assert not at.exception, at.exception
    return counted


@pytest.mark.parametrize("username", sorted(OPENED))
def test_a_warm_rerun_of_every_page_costs_one_statement(world: Restricted, username: str) -> None:
    at = _signed_in(world, username)
    costs = {}
    for page in OPENED[username]:
        at.switch_page(page)
        _run(at)  # the first run fills what the page reads; the map stores its layout,
        _run(at)  # which the next run reads
        warm = _run(at)
        costs[page] = (len(warm.statements), warm.sessions, warm.statements)
    assert {p: c for p, c in costs.items() if c[:2] != (1, 1)} == {}


@pytest.mark.parametrize("page", ["app_pages/network.py", "app_pages/dashboard.py"])
def test_a_cold_run_reads_the_program_in_one_session(world: Restricted, page: str) -> None:
    at = _signed_in(world, "visor")
    at.switch_page(page)
    _run(at)  # the map's layout is computed and stored once, on a first view
    _run(at)
    readcache.clear_cache()
    st.cache_data.clear()
    cold = _run(at)
    # The sign-in check (one statement), then the program in one read transaction.
    assert cold.sessions == 2, cold.statements
    assert cold.statements[0].startswith("SELECT user_session.id")
    assert len(cold.statements) > 10  # the program was read, not served from a cache
    warm = _run(at)
    assert (len(warm.statements), warm.sessions) == (1, 1), warm.statements


def test_recording_the_sessions_activity_costs_one_small_write(
    world: Restricted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Now and then (every ``TOUCH_SECONDS``) the check also restarts the session's idle
    clock: one small write, and the rest of the run still reads nothing."""
    at = _signed_in(world, "visor")
    at.switch_page("app_pages/network.py")
    _run(at)
    _run(at)
    monkeypatch.setattr(sessions, "TOUCH_SECONDS", 0)
    touched = _run(at)
    assert [s.split()[0] for s in touched.statements] == ["SELECT", "BEGIN", "UPDATE"]


def test_what_changes_elsewhere_reaches_the_next_rerun(world: Restricted, app_db: Database) -> None:
    """The one statement is the check that matters: a role removed, or the session
    ended elsewhere, takes effect at this tab's next rerun, not when a cache expires."""
    at = _signed_in(world, "visor")
    at.switch_page("app_pages/dashboard.py")
    _run(at)
    assert at.selectbox(key="tejido.program_id").value == world.program_id
    users.set_role(app_db, OPERATOR, "visor", world.program_id, None)
    assert _run(at).sessions == 1
    assert not any(s.key == "tejido.program_id" for s in at.selectbox)
    session_id = at.session_state[SESSION]
    sessions.revoke(app_db, session_id, "sign_out")
    _run(at)
    assert any(t.key == "auth.username" for t in at.text_input)  # the sign-in screen
