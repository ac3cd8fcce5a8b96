"""Alembic environment: the engine comes from the caller (engagement.storage.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from engagement.storage import access_models, models  # noqa: F401  (registers every table)
from engagement.storage.base import Base

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)

with engine.connect() as connection:
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        # SQLite's ALTER TABLE is "copy, drop, rename" (batch mode): with foreign keys on,
        # dropping a table deletes every row that cascades from it (attendance when
        # activity is rebuilt). Off for the migration, before any transaction begins.
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if sqlite:
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
