"""The database, the acting user and the program as they may see it, shared by pages.

The engine is owned in :mod:`engagement.ui.database` (one per process and URL). Program data
is never cached here: pages read it through :func:`view`, the services' read layer
(:mod:`engagement.services.view`), which applies what this user may see and keeps
results per data version in its own cache. Streamlit's caches hold UI concerns only.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from engagement.model import Principal, ProgramInfo
from engagement.services.access.directory import ProgramEntry
from engagement.services.view import ProgramView, program_view
from engagement.ui import state
from engagement.ui.auth import arrival, current_principal
from engagement.ui.database import database as database


def current_user() -> Principal:
    """The signed-in user with their roles (app.py's gate has already run)."""
    user = current_principal()
    if user is None:
        st.stop()
    assert user is not None
    return user


def view(program_id: int) -> ProgramView:
    """The program as the signed-in user may see it now (presentation mode included).

    Every page reads the program through this. Its data stamp comes with this run's
    sign-in check (:func:`engagement.ui.auth.arrival`): everything else comes from
    :mod:`engagement.services.readcache` while the data is unchanged.
    """
    return program_view(
        database(),
        current_user(),
        program_id,
        presentation=state.presentation(),
        lang=state.lang(),
        stamp=entry.stamp if (entry := _listed(program_id)) else None,
    )


def _listed(program_id: int) -> ProgramEntry | None:
    """The program as this run's sign-in check listed it, with its data stamp (``None``:
    the read layer reads the stamp itself)."""
    found = arrival()
    return next((p for p in (found.programs if found else ()) if p.id == program_id), None)


def accounts_version() -> int | None:
    """The accounts version as this run's sign-in check read it (``None``: nobody is
    signed in, and the services read it themselves)."""
    found = arrival()
    return found.accounts_version if found else None


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
