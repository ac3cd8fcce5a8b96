"""The database and acting user, shared by pages.

The engine is owned with ``st.cache_resource`` (one per process and URL). Derived data is
cached with ``st.cache_data`` keyed by the program's data version, so it is recomputed once
after each change and never per rerun. Nothing per-user is kept in these caches.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from engagement.config import load_settings
from engagement.model import Principal, ProgramInfo
from engagement.services import actors, assessments, permissions, privacy, programs, relationships
from engagement.services.daily_backup import daily_backup
from engagement.storage import migrate
from engagement.storage.db import Database
from engagement.ui import state
from engagement.ui.i18n import tr


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Database:
    settings = load_settings()
    database = Database.from_url(
        url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
    )
    try:
        migrate.upgrade(database.engine)
    except BaseException:
        database.dispose()  # not cached: the next run tries again with a fresh engine
        raise
    return database


def database() -> Database:
    settings = load_settings()
    db = _database(settings.database_url)
    _backup_once_a_day(db, settings.data_dir / "backups", settings.backup_keep)
    return db


_last_backup_day: list[dt.date] = []


def _backup_once_a_day(db: Database, folder: Path, keep: int) -> None:
    """The automatic daily backup; the date check makes this free on every other rerun."""
    today = dt.date.today()
    if _last_backup_day and _last_backup_day[0] == today:
        return
    daily_backup(db, folder, keep, today)
    _last_backup_day[:] = [today]


def current_user() -> Principal:
    """The signed-in user with their roles (app.py's gate has already run)."""
    from engagement.ui.auth import current_principal  # auth needs database() from here

    user = current_principal()
    if user is None:
        st.stop()
    assert user is not None
    return user


def program_version(program_id: int) -> int:
    return programs.data_version(database(), program_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _program(url: str, program_id: int, version: int) -> ProgramInfo:
    return programs.get_program(_database(url), program_id)


def program(program_id: int) -> ProgramInfo:
    """The program with its lists, cached per data version."""
    return _program(load_settings().database_url, program_id, program_version(program_id))


@st.cache_data(show_spinner=False, max_entries=64)
def _frames(url: str, program_id: int, version: int, what: str) -> pd.DataFrame:
    db = _database(url)
    loaders = {
        "actors": lambda: actors.actors_frame(db, program_id),
        "deleted_actors": lambda: actors.actors_frame(db, program_id, deleted=True),
        "ties": lambda: relationships.relationships_frame(db, program_id),
        "deleted_ties": lambda: relationships.relationships_frame(db, program_id, deleted=True),
        "assessments": lambda: assessments.assessments_frame(db, program_id),
    }
    return loaders[what]()


def frame(program_id: int, what: str) -> pd.DataFrame:
    """A cached table of the program: actors, deleted_actors, ties, deleted_ties, assessments.

    Returns a copy, so a page can add columns without touching the cache.
    """
    url = load_settings().database_url
    version = program_version(program_id)
    table = _frames(url, program_id, version, what)
    return _as_this_user_sees_it(url, program_id, version, what, table)


def _as_this_user_sees_it(
    url: str, program_id: int, version: int, what: str, table: pd.DataFrame
) -> pd.DataFrame:
    """Restricted actors and contact data only for leads and mentors; presentation mode
    puts stand-in names on individual citizens everywhere their name appears."""
    see = permissions.can_see_restricted(current_user(), program_id)
    presenting = state.presentation()
    if see and not presenting:
        return table.copy()
    label = tr("privacy.person")
    everyone = pd.concat(
        [
            _frames(url, program_id, version, "actors"),
            _frames(url, program_id, version, "deleted_actors"),
        ]
    )
    # One numbering for every table, map and export (privacy.stand_in_names).
    stand_ins = privacy.stand_in_names(everyone, see_restricted=see, label=label)
    if what in ("actors", "deleted_actors"):
        return privacy.visible_actors(
            table, see_restricted=see, presentation=presenting, person_label=label, names=stand_ins
        )
    shown = privacy.visible_actors(
        everyone, see_restricted=see, presentation=presenting, person_label=label, names=stand_ins
    )
    names = dict(zip(shown["id"], shown["name"], strict=True))
    columns = (
        {"actor": "actor_id"}
        if what == "assessments"
        else {"source": "source_id", "target": "target_id"}
    )
    kept = table[table[list(columns.values())].isin(list(names)).all(axis=1)]
    return privacy.rename_actors(kept.reset_index(drop=True), names, columns)


def network_measures(program_id: int, *, on_date: dt.date | None = None) -> pd.DataFrame:
    """Every actor's network measures, community and brokerage counts, for this user.

    ``engagement.services.network.actor_measures`` caches per data version in the
    process, so a rerun on unchanged data costs one small query. Restricted actors are
    left out of the analysis for users who may not see them.
    """
    from engagement.services import network

    return network.actor_measures(database(), program_id, on_date=on_date, by=current_user())
