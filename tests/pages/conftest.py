"""AppTest support: each test gets its own migrated SQLite database and clean caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from engagement.model import Principal, ProgramInfo
from engagement.services.registry import programs
from engagement.storage import migrate
from engagement.storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
USER = Principal("local")


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("TEJIDO_DATABASE_URL", url)
    monkeypatch.setenv("TEJIDO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TEJIDO_USER", "local")
    # Single-user mode; sign-in and roles have their own page tests (test_sign_in.py).
    monkeypatch.setenv("TEJIDO_AUTH", "none")
    st.cache_data.clear()
    st.cache_resource.clear()
    database = Database.from_url(url)
    migrate.upgrade(database.engine)
    yield database
    database.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def program(app_db: Database) -> ProgramInfo:
    return programs.create_program(
        app_db, USER, "Impulso Local", municipality="Antigua Guatemala", country="Guatemala"
    )


@pytest.fixture
def open_page(app_db: Database) -> Callable[..., AppTest]:
    """Run app.py, then switch to ``page`` (e.g. "app_pages/actors.py") in language ``lang``."""

    def _open(page: str | None = None, lang: str = "es", program_id: int | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state["tejido.lang"] = lang
        if program_id is not None:
            at.session_state["tejido.program_id"] = program_id
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, at.exception
        return at

    return _open


#: The file name each deferred download was registered with, by file id.
FILE_NAMES: dict[str, str] = {}


@pytest.fixture
def deferred_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """The file writers download buttons registered, by file id (Streamlit runs one when
    its button is clicked); their file names in :data:`FILE_NAMES`."""
    found: dict[str, Callable[[], Any]] = {}
    register = MediaFileManager.add_deferred

    def spy(self: MediaFileManager, data_callable: Callable[[], Any], *args: Any, **kw: Any) -> str:
        file_id: str = register(self, data_callable, *args, **kw)
        found[file_id] = data_callable
        name = kw.get("file_name", args[2] if len(args) > 2 else None)
        FILE_NAMES[file_id] = str(name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return found
