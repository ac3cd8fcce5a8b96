"""The database of the app: one engine per process and URL, migrated on first use.

Sign-in (:mod:`engagement.ui.auth`) and the page context (:mod:`engagement.ui.context`)
both need it, so it lives apart from either and neither imports the other's module to
get it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from engagement.config import load_settings
from engagement.services.database import Database, open_database
from engagement.services.exchange.daily_backup import daily_backup


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Database:
    settings = load_settings()
    return open_database(
        url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
    )


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
