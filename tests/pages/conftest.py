"""AppTest support: each test gets its own migrated SQLite database and clean caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
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
