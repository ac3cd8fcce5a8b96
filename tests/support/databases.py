"""Test databases: a temp-file SQLite, and the real PostgreSQL when configured.

Every fixture that needs a database takes ``db_url`` which is parametrized over both
backends; the PostgreSQL case skips unless TEJIDO_TEST_POSTGRES_URL is set. Each test
session gets its own PostgreSQL database (so parallel workers never collide); each test
starts from empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engagement.services import readcache
from engagement.storage import migrate
from engagement.storage.base import Base
from engagement.storage.db import Database, make_engine

PG_ENV = "TEJIDO_TEST_POSTGRES_URL"


def private_pg_database() -> Iterator[str]:
    """A migrated PostgreSQL database of its own (dropped at the end); skips the test
    unless TEJIDO_TEST_POSTGRES_URL is set."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests skipped")
    name = f"tejido_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    own = make_url(url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(own)
    migrate.upgrade(engine)
    engine.dispose()
    yield own
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_base_url() -> Iterator[str]:
    """A migrated, private PostgreSQL database for this test session."""
    yield from private_pg_database()


def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL on each backend."""
    # The read cache is keyed by URL, program and data version: a database emptied and
    # refilled under the same URL must not meet the previous test's entries.
    readcache.clear_cache()
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_base_url")
        _truncate_pg(url)
        return url
    url = f"sqlite:///{tmp_path / 'tejido.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.from_url(db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """SQLite only, for tests of SQLite-specific behaviour."""
    url = f"sqlite:///{tmp_path / 'tejido.db'}"
    database = Database.from_url(url)
    migrate.upgrade(database.engine)
    yield database
    database.dispose()
