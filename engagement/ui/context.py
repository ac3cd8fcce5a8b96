"""The database, the acting user and the program as they may see it, shared by pages.

The engine is owned in :mod:`engagement.ui.database` (one per process and URL). Program data
is never cached here: pages read it through :func:`view`, the services' read layer
(:mod:`engagement.services.view`), which applies what this user may see and keeps
results per data version in its own cache. Streamlit's caches hold UI concerns only.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from engagement.config import load_settings
from engagement.model import Principal, ProgramInfo
from engagement.services.view import ProgramView, program_view, version_stamp
from engagement.ui import state
from engagement.ui.auth import current_principal
from engagement.ui.database import _database
from engagement.ui.database import database as database

T = TypeVar("T")


_RUNS: OrderedDict[tuple[str, Hashable], tuple[object, int, object]] = OrderedDict()
_RUNS_LOCK = threading.Lock()


def _this_run(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per page run of this browser session (and again after any write
    made by this process): the signed-in user and the data version are checked once per
    run, not once per widget. Outside a page run (tests calling helpers) it is computed.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return compute()
    marker, commits = ctx.cursors, _database(load_settings().database_url).commits
    slot = (ctx.session_id, key)
    with _RUNS_LOCK:
        kept = _RUNS.get(slot)
    if kept is not None and kept[0] is marker and kept[1] == commits:
        return kept[2]  # type: ignore[return-value]
    value = compute()
    with _RUNS_LOCK:
        _RUNS[slot] = (marker, commits, value)
        _RUNS.move_to_end(slot)
        while len(_RUNS) > 1024:
            _RUNS.popitem(last=False)
    return value


def current_user() -> Principal:
    """The signed-in user with their roles (app.py's gate has already run)."""
    user = _this_run("user", current_principal)
    if user is None:
        st.stop()
    assert user is not None
    return user


def view(program_id: int) -> ProgramView:
    """The program as the signed-in user may see it now (presentation mode included).

    Every page reads the program through this: one version check per run, everything
    else from :mod:`engagement.services.readcache`.
    """
    db = database()
    stamp = _this_run(("stamp", program_id), lambda: version_stamp(db, program_id))
    return program_view(
        db,
        current_user(),
        program_id,
        presentation=state.presentation(),
        lang=state.lang(),
        stamp=stamp,
    )


def program_version(program_id: int) -> int:
    return view(program_id).stamp.data


def program(program_id: int) -> ProgramInfo:
    """The program with its lists, as of this run."""
    return view(program_id).program


def frame(program_id: int, what: str) -> pd.DataFrame:
    """A table of the program as this user may see it: actors, deleted_actors, ties,
    deleted_ties, assessments (a copy: a page may add columns)."""
    return view(program_id).frame(what)


def network_measures(program_id: int, *, on_date: dt.date | None = None) -> pd.DataFrame:
    """Every visible actor's network measures, community and brokerage counts."""
    return view(program_id).measures(on_date=on_date)
