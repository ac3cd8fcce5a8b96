"""What a SQLite backup file may hold: exactly the schema Tejido's migrations make.

A database file carries code as well as data: a trigger planted in a backup runs on
every later write (one made a viewer an administrator after a failed sign-in). Before a
file replaces the live database, its ``sqlite_master`` is compared with that of an empty
database migrated to the same revision; any table, index, trigger or view that is not
Tejido's, or any of Tejido's defined differently, refuses the file.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from functools import cache
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from engagement.errors import UnexpectedSchema
from engagement.storage import migrate
from engagement.storage.db import make_engine

#: SQLite's own bookkeeping tables, which any database may hold.
_INTERNAL_TABLES = {
    "sqlite_sequence",
    "sqlite_stat1",
    "sqlite_stat2",
    "sqlite_stat3",
    "sqlite_stat4",
}
_SPACES = re.compile(r"\s+")

SchemaObject = tuple[str, str, str, str]


def schema_of(conn: sqlite3.Connection) -> set[SchemaObject]:
    """(type, name, table, SQL) of every object but SQLite's own bookkeeping."""
    found = set()
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
    ):
        if kind == "table" and name in _INTERNAL_TABLES:
            continue
        if kind == "index" and sql is None and name.startswith("sqlite_autoindex_"):
            continue  # made by SQLite for a UNIQUE or PRIMARY KEY constraint
        found.add((kind, name, table, _canonical(_SPACES.sub(" ", sql or "").strip())))
    return found


def _canonical(sql: str) -> str:
    """A CREATE TABLE with its table constraints in sorted order: Alembic's batch mode
    (SQLite's ALTER TABLE) writes them in an order that varies from process to process.

    Examples
    --------
    >>> _canonical('CREATE TABLE t ( a INT, CONSTRAINT z CHECK (a > 0), CONSTRAINT y UNIQUE (a) )')
    'CREATE TABLE t ( a INT, CONSTRAINT y UNIQUE (a), CONSTRAINT z CHECK (a > 0) )'
    """
    head, paren, body = sql.partition("(")
    if not paren or not head.upper().startswith("CREATE TABLE") or not body.endswith(")"):
        return sql
    parts, depth, start = [], 0, 0
    inner = body[:-1]
    for i, char in enumerate(inner):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(inner[start:i].strip())
            start = i + 1
    parts.append(inner[start:].strip())
    columns = [p for p in parts if not p.upper().startswith("CONSTRAINT")]
    constraints = sorted(p for p in parts if p.upper().startswith("CONSTRAINT"))
    return f"{head}( {', '.join(columns + constraints)} )"


@cache
def expected_schema(revision: str) -> frozenset[SchemaObject]:
    """The schema of an empty database migrated to ``revision`` (made once per process)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "expected.db"
        engine = make_engine(f"sqlite:///{path}")
        try:
            migrate.upgrade(engine, revision)
        finally:
            engine.dispose()
        conn = sqlite3.connect(path)
        try:
            return frozenset(schema_of(conn))
        finally:
            conn.close()


def check_schema(conn: sqlite3.Connection, revision: str, name: str) -> None:
    """Refuse a backup whose objects are not exactly those of ``revision``."""
    found = schema_of(conn)
    expected = expected_schema(revision)
    odd = sorted(found - expected) + sorted(expected - found)
    if odd:
        objects = ", ".join(dict.fromkeys(f"{kind} «{obj}»" for kind, obj, _t, _s in odd))
        raise UnexpectedSchema(name=name, objects=objects)


def known_revisions(engine: Engine) -> set[str]:
    """Every schema revision this version of Tejido knows (a backup made by a newer
    one is refused)."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config(engine))
    return {rev.revision for rev in scripts.walk_revisions()}
