"""Who is signing in and which programs they may open, read in one statement.

Every page run checks its user again (a revoked session, a deactivated account or a
removed role takes effect at the next action). The same statement lists the programs the
account may open, with their names and data stamps: the sidebar's list and the read
layer's version check come with the sign-in check, and so does the accounts version
that kept reads of accounts and roles depend on (the team page): a rerun on unchanged
data costs that one statement and nothing else.

:func:`with_programs` adds the account and its programs to a query whose ``FROM`` holds
the account (the session check of :mod:`engagement.services.access.sessions`);
:func:`account` and :func:`local_account` serve the single-sign-on and single-user modes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select, true

from engagement.model import Principal
from engagement.services.access.credentials import username_key
from engagement.storage.access_models import Membership, UserAccount
from engagement.storage.db import Database
from engagement.storage.models import MapLayout, Program
from engagement.storage.queries.accounts import ACCOUNTS_VERSION
from engagement.storage.queries.programs import Stamp

#: Columns :func:`with_programs` adds: five of the account, five of each program.
ADDED_COLUMNS = 10


@dataclass(frozen=True)
class ProgramEntry:
    """A program someone may open: its name, and the stamp its cached reads depend on."""

    id: int
    name: str
    stamp: Stamp


@dataclass(frozen=True)
class Account:
    """An account as a page run needs it: who, whether active, and what they may open."""

    principal: Principal
    active: bool
    must_change_password: bool
    programs: tuple[ProgramEntry, ...]
    #: The accounts version (:mod:`engagement.storage.queries.accounts`) as of the check.
    accounts_version: int


def with_programs(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """``query`` with the account's columns and one row per program it may open (a single
    row with empty program columns when there is none). Its ``FROM`` must hold the
    account; read the rows back with :func:`account_of`."""
    member = (
        exists()
        .where(Membership.user_id == UserAccount.id, Membership.program_id == Program.id)
        .correlate(UserAccount, Program)
    )
    role = and_(Membership.user_id == UserAccount.id, Membership.program_id == Program.id)
    return (
        query.add_columns(
            UserAccount.username,
            UserAccount.active,
            UserAccount.is_admin,
            UserAccount.must_change_password,
            ACCOUNTS_VERSION,
            Program.id,
            Program.name,
            Program.data_version,
            MapLayout.revision,
            Membership.role,
        )
        .outerjoin(Program, or_(UserAccount.is_admin == true(), member))
        .outerjoin(Membership, role)
        .outerjoin(MapLayout, MapLayout.program_id == Program.id)
        .order_by(Program.name, Program.id)
    )


def account_of(rows: Sequence[Sequence[Any]]) -> Account:
    """The account read by :func:`with_programs` (its columns are each row's last)."""
    username, active, admin, must_change, accounts = rows[0][-ADDED_COLUMNS:][:5]
    programs, roles = [], []
    for row in rows:
        program_id, name, version, revision, role = row[-5:]
        if program_id is None:
            continue
        stamp = Stamp(int(version), int(revision or 0))
        programs.append(ProgramEntry(int(program_id), name, stamp))
        if role is not None:
            roles.append((int(program_id), role))
    principal = Principal(username, memberships=tuple(sorted(roles)), admin=bool(admin))
    return Account(principal, bool(active), bool(must_change), tuple(programs), int(accounts))


def account(db: Database, username: str) -> Account | None:
    """An account by name, with the programs it may open (sign-in through a proxy or
    OIDC); ``None`` if there is no such account."""
    query = with_programs(select().select_from(UserAccount)).where(
        UserAccount.username == username_key(username)
    )
    with db.one_statement() as session:
        rows = session.execute(query).all()
    return account_of(rows) if rows else None


def local_account(db: Database, principal: Principal) -> Account:
    """The local operator (single-user mode), who may open every program: the programs
    by name with their stamps, and the accounts version, in one statement."""
    stamp = select(ACCOUNTS_VERSION.label("accounts")).subquery()
    query = (
        select(stamp.c.accounts, Program.id, Program.name, Program.data_version, MapLayout.revision)
        .select_from(stamp)
        .outerjoin(Program, true())
        .outerjoin(MapLayout, MapLayout.program_id == Program.id)
        .order_by(Program.name, Program.id)
    )
    with db.one_statement() as session:
        rows = session.execute(query).all()
    programs = tuple(
        ProgramEntry(int(i), n, Stamp(int(v), int(r or 0)))
        for _, i, n, v, r in rows
        if i is not None
    )
    return Account(principal, True, False, programs, int(rows[0][0]))
