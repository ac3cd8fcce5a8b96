"""The database and acting user, shared by pages.

The engine is owned with ``st.cache_resource`` (one per process and URL). Derived data is
cached with ``st.cache_data`` keyed by the program's data version, so it is recomputed once
after each change and never per rerun. Nothing per-user is kept in these caches.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engagement.config import load_settings
from engagement.model import Principal, ProgramInfo
from engagement.services import actors, assessments, programs, relationships
from engagement.storage import migrate
from engagement.storage.db import Database


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Database:
    database = Database.from_url(url)
    migrate.upgrade(database.engine)
    return database


def database() -> Database:
    return _database(load_settings().database_url)


def current_user() -> Principal:
    """Until sign-in exists, the local user configured by TEJIDO_USER stands in."""
    return Principal(load_settings().local_user)


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
    return _frames(url, program_id, program_version(program_id), what).copy()
