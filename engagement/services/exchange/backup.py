"""Backups as JSON: one program, or the whole database.

A program backup holds every row that belongs to the program, found through the
foreign keys of the schema (so tables added later are included without changing this
module), with dates as ISO text. Restoring writes it as a new program in one
transaction, with new ids and every reference (and every audit entry) remapped, so the
restored program is the same as the one saved. A whole-database backup keeps ids as
they are and restores only into an empty database (or with ``replace``). The SQLite
file copy is :mod:`engagement.services.exchange.sqlite_file`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Table,
    Time,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from engagement.errors import (
    BackupTooNew,
    DatabaseNotEmpty,
    DuplicateName,
    NotABackup,
)
from engagement.model import Principal, ProgramInfo
from engagement.services import readcache
from engagement.services.access.permissions import Action, require, require_admin
from engagement.services.exchange.backup_schema import known_revisions
from engagement.services.exchange.restored_versions import data_versions, move_past
from engagement.storage import migrate
from engagement.storage.access_models import Membership, UserAccount
from engagement.storage.base import Base, utcnow
from engagement.storage.db import Database, is_sqlite
from engagement.storage.models import AuditEntry, Program
from engagement.storage.queries import programs as stored
from engagement.storage.queries.accounts import raise_accounts_version
from engagement.text import clean_name
from engagement.values import Role

PROGRAM_FORMAT = "tejido-program-backup"
DATABASE_FORMAT = "tejido-database-backup"
VERSION = 1


def _program_table() -> Table:
    return Program.__table__  # type: ignore[return-value]


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]


def owned_tables() -> list[tuple[Table, Column[Any]]]:
    """Tables whose rows belong to one program, each with the column that says so.

    Rows that name accounts (memberships) are not the program's: a program backup names
    its members by user name in ``members`` instead, and restoring never grants a role
    unless asked to (see :func:`restore_program`).
    """
    owners: dict[str, Column[Any]] = {}
    found = []
    for table in _tables():
        if table.name == "program" or _names_accounts(table):
            continue
        refs = [(fk.parent, fk.column.table.name) for fk in table.foreign_keys]
        direct = [col for col, target in refs if target == "program"]
        via = direct or [col for col, target in refs if target in owners and target != table.name]
        if via:
            owners[table.name] = via[0]
            found.append((table, via[0]))
    # Audit entries name their rows by (entity, entity_id): restore them after every
    # table they can name, so that the ids can be followed.
    found.sort(key=lambda pair: pair[0].name == "audit_entry")
    return found


def _names_accounts(table: Table) -> bool:
    return any(fk.column.table.name == UserAccount.__tablename__ for fk in table.foreign_keys)


def _belongs(table: Table, pid: int, owned: dict[str, Column[Any]]) -> ColumnElement[bool]:
    column = owned[table.name]
    target = next(fk.column.table for fk in column.foreign_keys)
    if target.name == "program":
        return column == pid
    assert isinstance(target, Table)
    return column.in_(select(target.c.id).where(_belongs(target, pid, owned)))


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, Time):
        return dt.time.fromisoformat(value)
    return value


def _dump(session: Session, table: Table, where: ColumnElement[bool] | None) -> dict[str, Any]:
    stmt = select(table)
    if where is not None:
        stmt = stmt.where(where)
    if "id" in table.c:
        stmt = stmt.order_by(table.c.id)
    names = [c.name for c in table.columns]
    rows = [[_encode(v) for v in row] for row in session.execute(stmt)]
    return {"columns": names, "rows": rows}


def _header(fmt: str, db: Database) -> dict[str, Any]:
    return {
        "format": fmt,
        "version": VERSION,
        "schema": migrate.current_revision(db.engine),
        "exported_at": utcnow().isoformat(timespec="seconds"),
    }


def program_backup(db: Database, by: Principal, program_id: int) -> dict[str, Any]:
    """Every row of one program, as a JSON-ready document; its members by user name.

    Raises
    ------
    PermissionDenied
        Unless ``by`` manages the program (leads, administrators, the local operator).
    ProgramNotFound
        If there is no such program.
    """
    require(by, program_id, Action.MANAGE_PROGRAM)
    stored.get_program(db, program_id)
    owned = dict((t.name, c) for t, c in owned_tables())
    with db.reading() as session:
        program = _dump(session, _program_table(), _program_table().c.id == program_id)
        tables = {
            table.name: _dump(session, table, _belongs(table, program_id, owned))
            for table, _c in owned_tables()
        }
        members = session.execute(
            select(UserAccount.username, Membership.role)
            .join(Membership, Membership.user_id == UserAccount.id)
            .where(Membership.program_id == program_id)
            .order_by(UserAccount.username)
        ).all()
    return _header(PROGRAM_FORMAT, db) | {
        "program": program,
        "tables": tables,
        "members": [{"username": u, "role": r} for u, r in members],
    }


def database_backup(db: Database, by: Principal) -> dict[str, Any]:
    """Every row of every table, ids kept, as a JSON-ready document: every program and
    every account (with its password hash), so for administrators only.

    Raises
    ------
    PermissionDenied
        Unless ``by`` is an administrator (or the local operator).
    """
    require_admin(by)
    with db.reading() as session:
        tables = {table.name: _dump(session, table, None) for table in _tables()}
    return _header(DATABASE_FORMAT, db) | {"tables": tables}


def _check(document: Any, name: str, fmt: str, db: Database) -> None:
    if not isinstance(document, dict) or document.get("format") != fmt:
        raise NotABackup(name=name)
    known = known_revisions(db.engine)
    if document.get("schema") and document["schema"] not in known:
        raise BackupTooNew(revision=document["schema"])


def backup_kind(document: Any) -> str | None:
    """``program`` or ``database`` for a backup document, else None."""
    if isinstance(document, dict):
        return {PROGRAM_FORMAT: "program", DATABASE_FORMAT: "database"}.get(
            str(document.get("format"))
        )
    return None


def _rows(table: Table, dumped: dict[str, Any]) -> list[dict[str, Any]]:
    names = [n for n in dumped["columns"] if n in table.c]
    out = []
    for values in dumped["rows"]:
        row = dict(zip(dumped["columns"], values, strict=True))
        out.append({n: _decode(table.c[n], row[n]) for n in names})
    return out


def restore_program(
    db: Database,
    by: Principal,
    document: Any,
    *,
    name: str | None = None,
    source: str = "",
    roles_by_name: bool = False,
) -> ProgramInfo:
    """Write a program backup as a new program (under ``name`` if given), all or nothing.

    Restoring never grants a role by itself. With ``roles_by_name`` (an explicit choice of
    the administrator restoring), the backup's members get their roles back in the new
    program, matched by user name to existing active accounts; other names are skipped.
    """
    require_admin(by)
    _check(document, source, PROGRAM_FORMAT, db)
    table = _program_table()
    original = _rows(table, document["program"])[0]
    new_name = clean_name(name) if name else original["name"]
    with db.writing() as session:
        taken = session.scalar(
            select(func.count()).where(func.lower(table.c.name) == new_name.lower())
        )
        if taken:
            raise DuplicateName(entity="program", name=new_name)
        old_id = original.pop("id")
        original["name"] = new_name
        new_id = session.execute(insert(table).returning(table.c.id), [original]).scalar_one()
        ids: dict[str, dict[int, int]] = {"program": {old_id: new_id}}
        for owned, _column in owned_tables():
            dumped = document["tables"].get(owned.name)
            if dumped:
                _insert_remapped(session, owned, _rows(owned, dumped), ids)
        session.add(
            AuditEntry(
                username=by.username,
                program_id=new_id,
                entity="program",
                entity_id=new_id,
                action="restore",
                changes={"backup": [None, source or document.get("exported_at", "")]},
            )
        )
        if roles_by_name:
            _restore_roles(session, by, new_id, document.get("members"))
    return stored.get_program(db, new_id)


def _restore_roles(session: Session, by: Principal, program_id: int, members: Any) -> None:
    """Roles of a backup's members, by user name, for existing active accounts only."""
    raise_accounts_version(session)
    for member in members if isinstance(members, list) else []:
        if not isinstance(member, dict) or member.get("role") not in Role.values():
            continue
        account = session.scalar(
            select(UserAccount).where(
                UserAccount.username == str(member.get("username", "")),
                UserAccount.active.is_(True),
            )
        )
        if account is None:
            continue
        session.add(Membership(user_id=account.id, program_id=program_id, role=member["role"]))
        session.add(
            AuditEntry(
                username=by.username,
                program_id=program_id,
                entity="membership",
                entity_id=account.id,
                action="update",
                changes={"role": [None, member["role"]]},
            )
        )


def _insert_remapped(
    session: Session, table: Table, rows: list[dict[str, Any]], ids: dict[str, dict[int, int]]
) -> None:
    """Insert rows with new ids; foreign keys (and audit entity ids) follow the map."""
    refs = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
    own_refs = [c for c, target in refs.items() if target == table.name]
    kept, old_ids, later = [], [], []
    for row in rows:
        ok = True
        for column, target in refs.items():
            if column in own_refs or row.get(column) is None:
                continue
            if target in ids:
                mapped = ids[target].get(row[column])
                if mapped is None and not table.c[column].nullable:
                    ok = False
                row[column] = mapped
            elif not _exists(session, target, row[column]):
                if not table.c[column].nullable:
                    ok = False
                row[column] = None
        if not ok:
            continue
        if table.name == "audit_entry" and row.get("entity") in ids:
            row["entity_id"] = ids[row["entity"]].get(row["entity_id"], row["entity_id"])
        later.append({c: row.pop(c, None) for c in own_refs})
        if "id" in table.c:
            old_ids.append(row.pop("id"))
        kept.append(row)
    if not kept:
        return
    if "id" not in table.c:
        session.execute(insert(table), kept)
        return
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    new_ids = list(session.execute(stmt, kept).scalars())
    mapping = ids.setdefault(table.name, {})
    mapping.update(zip(old_ids, new_ids, strict=True))
    for new_id, refs_of_row in zip(new_ids, later, strict=True):
        values = {c: mapping.get(v) for c, v in refs_of_row.items() if v is not None}
        if values:
            session.execute(update(table).where(table.c.id == new_id).values(values))


def _exists(session: Session, table_name: str, key: Any) -> bool:
    table = Base.metadata.tables[table_name]
    return session.execute(select(table.c.id).where(table.c.id == key)).first() is not None


def program_count(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Program)) or 0)


def restore_database(
    db: Database, by: Principal, document: Any, *, replace: bool = False, source: str = ""
) -> None:
    """Load a whole-database backup, ids kept; refuses a database that holds programs.

    For administrators only (it brings every account with it).
    """
    require_admin(by)
    _check(document, source, DATABASE_FORMAT, db)
    count = program_count(db)
    if count and not replace:
        raise DatabaseNotEmpty(count=count)
    with db.writing() as session:
        before = data_versions(session)
        for table in reversed(_tables()):
            session.execute(table.delete())
        for table in _tables():
            dumped = document["tables"].get(table.name)
            if dumped and dumped["rows"]:
                _insert_kept(session, table, _rows(table, dumped))
        if not is_sqlite(db.engine):
            _reset_sequences(session, _tables())
        move_past(session, before)
    readcache.clear_cache()  # ids and data versions start over: no entry may survive


def _insert_kept(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    later = [(row.get("id"), {c: row.pop(c, None) for c in own}) for row in rows]
    session.execute(insert(table), rows)
    for row_id, values in later:
        if any(v is not None for v in values.values()):
            session.execute(update(table).where(table.c.id == row_id).values(values))


def _reset_sequences(session: Session, tables: Iterable[Table]) -> None:
    for table in tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        quoted = session.get_bind().dialect.identifier_preparer.quote(table.name)
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:name, 'id'), "  # noqa: S608
                f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {quoted}"
            ),
            {"name": quoted},
        )
