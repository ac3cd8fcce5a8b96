"""Alembic migrations, run from code (CLI ``init-db``, the app on start, the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from engagement.errors import DatabaseUnavailable

_SCRIPTS = Path(__file__).parent / "migrations"
#: Any fixed number: PostgreSQL advisory lock that serialises upgrades across processes.
_PG_LOCK_ID = 7_314_159


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to call from several processes."""
    config = alembic_config(engine)
    if engine.dialect.name == "postgresql":
        try:
            _upgrade_locked(engine, config, revision)
        except OperationalError as exc:
            raise DatabaseUnavailable(writing=False) from exc
    else:
        command.upgrade(config, revision)


def _upgrade_locked(engine: Engine, config: Config, revision: str) -> None:
    """Upgrade under a PostgreSQL advisory lock: one server migrates, the others wait
    for it and then find nothing left to do."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _PG_LOCK_ID})
        try:
            command.upgrade(config, revision)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _PG_LOCK_ID})
            conn.commit()


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
