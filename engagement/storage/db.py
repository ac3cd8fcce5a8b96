"""Engines and the unit of work.

SQLite runs in WAL mode and every write transaction starts with ``BEGIN IMMEDIATE``:
with pysqlite's default handling, concurrent read-modify-write transactions silently
lose updates or fail with "database is locked" (see platform notes). Reads begin
deferred so they never wait for a writer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engagement.errors import ConcurrentEdit, DatabaseUnavailable, EngagementError
from engagement.text import has_controls, strip_controls

_BEGIN_OPTION = "tejido_begin"
#: Begin mode of :meth:`Database.one_statement` on SQLite: no BEGIN at all.
_NO_BEGIN = "NONE"
#: The read session of the :meth:`Database.snapshot` open in this thread, if any.
_SNAPSHOT: ContextVar[tuple[Database, Session] | None] = ContextVar("snapshot", default=None)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite, set up WAL, foreign keys and explicit BEGIN."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
        _strip_controls_on_write(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
    _configure_sqlite(engine)
    _strip_controls_on_write(engine)
    return engine


def _strip_controls_on_write(engine: Engine) -> None:
    """Text hygiene in the one place every write passes: forms, imports (which write
    with Core ``executemany`` and raw driver SQL, past any ORM hook), restores and the
    CLI. Control characters other than tab and newline never reach the database, so
    nothing stored can make an XML export invalid or hide text on a page."""

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _clean(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool
    ) -> tuple[str, Any]:
        if many and isinstance(parameters, list | tuple):
            return statement, clean_parameter_sets(parameters)
        return statement, _clean_parameters(parameters)


def clean_parameter_sets(many: list[Any] | tuple[Any, ...]) -> Any:
    """An executemany's parameter sets with no control character in their texts: the
    rule of the hook above, also for the writes that pass beside it (PostgreSQL's
    ``COPY`` in :mod:`engagement.storage.bulk`)."""
    if not _any_controls(many):
        return many
    return [_clean_parameters(p) for p in many]


def _any_controls(many: list[Any] | tuple[Any, ...], chunk: int = 2000) -> bool:
    """Whether any text in an executemany's parameter sets (or a batched statement's
    flat values) holds a control character:
    one scan of the joined texts per chunk of rows, not a check per value (an import
    passes tens of thousands of rows, almost always clean). A chunk whose text is all
    printable (JSON text is: it escapes the rest) is told so by one C pass."""
    for start in range(0, len(many), chunk):
        texts = [v for v in _flat_values(many[start : start + chunk]) if isinstance(v, str)]
        joined = "".join(texts)
        if not joined.isprintable() and has_controls(joined):
            return True
    return False


def _flat_values(rows: list[Any] | tuple[Any, ...]) -> Iterator[Any]:
    """The values of parameter sets: tuples, lists or dicts (all of one kind, as an
    executemany passes them), else any mix of those and single values."""
    kinds = set(map(type, rows))
    if kinds <= {tuple, list}:
        return itertools.chain.from_iterable(rows)
    if kinds == {dict}:
        return itertools.chain.from_iterable(map(dict.values, rows))
    return itertools.chain.from_iterable(
        row.values() if isinstance(row, dict) else row if isinstance(row, list | tuple) else (row,)
        for row in rows
    )


def _clean_parameters(parameters: Any) -> Any:
    if isinstance(parameters, dict):
        if all(not isinstance(v, str) or v.isprintable() for v in parameters.values()):
            return parameters
        return {k: strip_controls(v) if isinstance(v, str) else v for k, v in parameters.items()}
    if isinstance(parameters, list | tuple):
        if all(not isinstance(v, str) or v.isprintable() for v in parameters):
            return parameters
        cleaned = [strip_controls(v) if isinstance(v, str) else v for v in parameters]
        return tuple(cleaned) if isinstance(parameters, tuple) else cleaned
    return parameters


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite; WAL must be set outside a transaction.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        if mode != _NO_BEGIN:  # one statement alone is its own transaction
            conn.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _lost_connection(engine: Engine, exc: BaseException) -> bool:
    """A database server that cannot be reached, as opposed to a bad statement.

    On SQLite an OperationalError is a statement or file problem: never masked."""
    if is_sqlite(engine) or not isinstance(exc, DBAPIError):
        return False
    return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)


def _rollback_quietly(session: Session) -> None:
    # A rollback on a connection the server dropped fails too; the pool discards it.
    with suppress(DBAPIError):
        session.rollback()


class Database:
    """Owns one engine and hands out units of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        writer = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(bind=writer, expire_on_commit=False)
        if is_sqlite(engine):
            # SQLite in WAL mode: a deferred read transaction already sees one version.
            self._snapshot = self._read
            alone = engine.execution_options(**{_BEGIN_OPTION: _NO_BEGIN})
        else:
            consistent = engine.execution_options(isolation_level="REPEATABLE READ")
            self._snapshot = sessionmaker(bind=consistent, expire_on_commit=False)
            alone = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._alone = sessionmaker(bind=alone, expire_on_commit=False)
        self._commits = itertools.count(1)
        self.commits = 0
        """How many write transactions this object has committed (a cheap change marker
        for callers that keep something for the length of one page run)."""

    @classmethod
    def from_url(cls, url: str, **engine_options: Any) -> Database:
        return cls(make_engine(url, **engine_options))

    def reading(self) -> AbstractContextManager[Session]:
        """A read-only session; rolled back at the end.

        Inside :meth:`snapshot` it is the snapshot's session, so every read sees the
        same version of the data. A lost database server raises
        :class:`DatabaseUnavailable` (``writing=False``).
        """
        return self._reads(self._read)

    def one_statement(self) -> AbstractContextManager[Session]:
        """A read session for a single statement, outside any transaction.

        One statement is consistent by itself, so it needs no ``BEGIN``/``ROLLBACK``
        round trips: the check every page run makes costs exactly one statement. Run
        only one statement in it (each would see its own version of the data). Inside
        :meth:`snapshot` it is the snapshot's session.
        """
        return self._reads(self._alone)

    @contextmanager
    def _reads(self, sessions: sessionmaker[Session]) -> Iterator[Session]:
        shared = _SNAPSHOT.get()
        if shared is not None and shared[0] is self:
            yield shared[1]
            return
        with sessions() as session:
            try:
                yield session
            except DBAPIError as exc:
                if _lost_connection(self.engine, exc):
                    _rollback_quietly(session)
                    raise DatabaseUnavailable(writing=False) from exc
                raise
            finally:
                _rollback_quietly(session)

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """One read transaction that every :meth:`reading` inside it joins.

        The reads then see one version of the data, even while other sessions write
        (SQLite's WAL read transaction; PostgreSQL's REPEATABLE READ).
        """
        shared = _SNAPSHOT.get()
        if shared is not None and shared[0] is self:
            yield shared[1]
            return
        with self._snapshot() as session:
            token = _SNAPSHOT.set((self, session))
            try:
                yield session
            finally:
                _SNAPSHOT.reset(token)
                session.rollback()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction: commits at the end, rolls back on any error.

        Database errors that mean a user-level condition become errors of the family; a
        lost database server raises :class:`DatabaseUnavailable` (``writing=True``):
        the transaction did not commit, so nothing of it was saved.
        """
        with self._write() as session:
            try:
                yield session
                session.commit()
                self.commits = next(self._commits)
            except StaleDataError as exc:
                session.rollback()
                raise ConcurrentEdit() from exc
            except IntegrityError as exc:
                session.rollback()
                raise EngagementError(detail=str(exc.orig)) from exc
            except DBAPIError as exc:
                _rollback_quietly(session)
                if _lost_connection(self.engine, exc):
                    raise DatabaseUnavailable(writing=True) from exc
                raise
            except BaseException:
                _rollback_quietly(session)
                raise

    def reachable(self) -> bool:
        """True when the database answers a trivial query now."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
