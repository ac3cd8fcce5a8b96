"""Bulk writes for imports: many rows in one driver ``executemany``, and their new ids.

Core's ``conn.execute(insert(table), rows)`` does per-row bookkeeping that an import of
tens of thousands of rows feels, and ``INSERT … RETURNING`` with the ids in parameter
order falls back to one statement per row on SQLite. These helpers keep the same
conversions (each column type's own bind processor) without either cost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import repeat
from operator import is_, itemgetter
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engagement.storage.db import clean_parameter_sets


def _one_encoder() -> Callable[[Any], str]:
    """``json.dumps`` with its default settings, the C encoder made once: ``dumps`` makes
    a new one per call, which costs as much as encoding a small record, and an import
    encodes one per row (its key's values, its audit entry)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the pure-Python encoder, as dumps would use
        return json.dumps
    base = json.JSONEncoder()
    # No circular check (markers None): plain values only, as every caller gives.
    encode = make(
        None,
        base.default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )

    def dumps(value: Any) -> str:
        if isinstance(value, str):  # the C encoder takes containers; dumps takes all
            return json.dumps(value)
        return "".join(encode(value, 0))

    return dumps


_DUMPS = _one_encoder()


def json_text(value: Any) -> str:
    """What a JSON column's bind processor sends for ``value`` (``json.dumps``): for rows
    that hold it already encoded (see :func:`executemany`'s ``encoded``).

    >>> json_text({"title": "Foro", "tags": ["a"], "n": None})
    '{"title": "Foro", "tags": ["a"], "n": null}'
    """
    return _DUMPS(value)


def executemany(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    chunk: int = 2000,
    encoded: Collection[str] = (),
) -> None:
    """``INSERT`` many rows (all with the same keys) through the driver's executemany.

    The same as Core's ``conn.execute(insert(table), rows)``, every value converted by its
    column type's own bind processor, minus Core's per-row bookkeeping: values are
    converted column by column, and a value that is the same object in every row (the
    import's time, user, program) is converted once. Rows go to the driver ``chunk`` at
    a time, so that their parameters never pile up in memory.
    Column defaults are not applied: give every column the rows need
    (:func:`column_defaults`). ``encoded``: columns whose values are already what the
    driver takes: JSON as text (:func:`json_text`), dates as ISO text (SQLite's own
    storage, PostgreSQL's input). A row holding only text, numbers and times is never
    tracked by the garbage collector, which thousands of rows holding dicts keep busy.
    """
    if not rows:
        return
    dialect = conn.dialect
    marks = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if marks is None:
        conn.execute(insert(table), list(rows))
        return
    converters: list[tuple[str, Any, bool, Any]] = []
    for name in rows[0]:
        column = table.c[name]
        kind = column.type
        process = None if name in encoded else kind.dialect_impl(dialect).bind_processor(dialect)
        first = rows[0][name]
        same = all(map(is_, map(itemgetter(name), rows), repeat(first)))
        converters.append((name, process, same, process(first) if process else first))
    # A column NULL in every row and without a server default is left out: NULL all the
    # same, and sqlite3 pays for each None it binds.
    kept = [
        c
        for c in converters
        if not (c[2] and c[3] is None and table.c[c[0]].server_default is None)
    ]
    converters = kept or converters
    names = [name for name, *_rest in converters]
    quote = dialect.identifier_preparer.quote
    into = f"{dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, names))})"
    copy = _copier(conn, into)
    sql = f"INSERT INTO {into} VALUES ({', '.join([marks] * len(names))})"  # noqa: S608
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        columns: list[Iterable[Any]] = []
        for name, process, same, converted in converters:
            if same:
                columns.append(repeat(converted, len(part)))
            else:
                values = map(itemgetter(name), part)
                columns.append(map(process, values) if process else values)
        params = list(zip(*columns, strict=True))
        if copy is None:
            conn.exec_driver_sql(sql, params)
        else:
            copy(clean_parameter_sets(params))


def _copier(conn: Connection, into: str) -> Callable[[list[tuple[Any, ...]]], None] | None:
    """PostgreSQL through psycopg: rows go in with ``COPY … FROM STDIN``, several times
    faster than an ``INSERT`` a row. ``COPY`` passes beside the engine's text hygiene:
    the caller cleans the rows (:func:`engagement.storage.db.clean_parameter_sets`)."""
    if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg":
        return None
    driver = conn.connection.driver_connection
    statement = f"COPY {into} FROM STDIN"

    def copy(params: list[tuple[Any, ...]]) -> None:
        with driver.cursor() as cursor, cursor.copy(statement) as stream:  # type: ignore[union-attr]
            for row in params:
                stream.write_row(row)

    return copy


_NEXT_IDS = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")


def insert_ids(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], encoded: Collection[str] = ()
) -> list[int]:
    """Insert rows (all with the same keys, defaults included); their new ids, in order.

    ``encoded``: as for :func:`executemany`.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # Ids taken from the table's sequence first (safe beside other writers), then
        # the rows with them: INSERT … RETURNING in parameter order costs far more.
        ids = list(session.scalars(_NEXT_IDS, {"t": table.name, "n": len(rows)}))
        numbered = [{"id": i, **row} for i, row in zip(ids, rows, strict=True)]
        executemany(session.connection(), table, numbered, encoded=encoded)
        return ids
    if dialect != "sqlite":
        raise NotImplementedError(f"bulk inserts on {dialect}: Tejido runs on SQLite or PostgreSQL")
    # SQLite: a plain executemany is cheaper than INSERT … RETURNING row by row. The write
    # lock (BEGIN IMMEDIATE) is held, so the rows above the highest id before the insert
    # are exactly ours, in insertion order.
    before = session.scalar(select(func.max(table.c.id))) or 0
    executemany(session.connection(), table, rows, encoded=encoded)
    ours = select(table.c.id).where(table.c.id > before).order_by(table.c.id)
    found = list(session.scalars(ours))
    if len(found) != len(rows):
        raise RuntimeError(f"{table.name}: inserted {len(rows)} rows, found {len(found)}")
    return found


def column_defaults(table: Table) -> dict[str, Any]:
    """What Core gives the columns a row leaves out, computed once for many rows: each
    column's Python-side default (a time stamp is taken now), None where there is none.
    The primary key and the columns the server fills in are left out.

    >>> from engagement.storage.tracking_models import Milestone
    >>> defaults = column_defaults(Milestone.__table__)
    >>> sorted(defaults), defaults["progress"], type(defaults["updated_at"]).__name__
    (['commitment_id', 'due_on', 'position', 'progress', 'title', 'updated_at'], 0, 'datetime')
    """
    out: dict[str, Any] = {}
    for column in table.c:
        default = column.default
        if column.primary_key or (default is None and column.server_default is not None):
            continue
        if default is None or not (default.is_scalar or default.is_callable):
            out[column.name] = None
        else:
            value = default.arg  # type: ignore[attr-defined]
            out[column.name] = value(None) if default.is_callable else value
    return out
