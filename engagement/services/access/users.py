"""User accounts: sign-in with argon2 hashes, throttling and lockout, roles per program.

The rules for names and passwords are in :mod:`engagement.services.access.credentials`, the
throttling of failed sign-ins in :mod:`engagement.services.access.throttling`. argon2 (tens of
milliseconds of CPU) never runs inside a write transaction: SQLite has one writer.

No default password exists anywhere. The first administrator is created from the command
line (``create-user --admin``), by ``make run`` with a one-time password printed in the
terminal, or by the setup screen while no account exists.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.errors import (
    LoginFailed,
    NotFound,
    Problem,
    ValidationFailed,
)
from engagement.model import Principal
from engagement.services import audit
from engagement.services.access import throttling
from engagement.services.access.credentials import (
    password_problems,
    skeleton,
    username_key,
    username_problems,
)
from engagement.services.access.permissions import Action, require, require_admin
from engagement.services.access.session_records import revoke_all
from engagement.storage.access_models import Membership, UserAccount
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.queries.accounts import raise_accounts_version
from engagement.values import Role

_HASHER = PasswordHasher()
#: Verified against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _HASHER.hash("tejido-no-such-user")


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    is_admin: bool
    active: bool
    must_change_password: bool
    roles: tuple[tuple[int, str], ...]
    version: int


def _info(session: Session, row: UserAccount) -> UserInfo:
    roles = session.execute(
        select(Membership.program_id, Membership.role).where(Membership.user_id == row.id)
    )
    return _info_with(row, [(pid, role) for pid, role in roles])


def _info_with(row: UserAccount, roles: Iterable[tuple[int, str]]) -> UserInfo:
    return UserInfo(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        is_admin=row.is_admin,
        active=row.active,
        must_change_password=row.must_change_password,
        roles=tuple(sorted(roles)),
        version=row.version,
    )


def principal(info: UserInfo) -> Principal:
    """The principal the services check: this user's roles, nothing more."""
    return Principal(info.username, memberships=info.roles, admin=info.is_admin)


def user_count(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(UserAccount)) or 0


def create_user(
    db: Database,
    by: Principal,
    username: str,
    password: str,
    *,
    display_name: str = "",
    admin: bool = False,
    must_change_password: bool = False,
) -> UserInfo:
    require_admin(by)
    key = username_key(username)
    problems = username_problems(username)
    problems += password_problems(password, key)
    if problems:
        raise ValidationFailed(problems)
    hashed = _HASHER.hash(password)  # before the transaction: argon2 is slow on purpose
    with db.writing() as session:
        _refuse_lookalike(session, key)
        row = UserAccount(
            username=key,
            display_name=display_name.strip(),
            password_hash=hashed,
            is_admin=admin,
            must_change_password=must_change_password,
            password_changed_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.record(session, by, None, "user", row.id, "create", {"username": key, "admin": admin})
        raise_accounts_version(session)
        return _info(session, row)


def _refuse_lookalike(session: Session, key: str) -> None:
    """A new name may not be, or only look like, an existing one (``аdmin``, ``admin``)."""
    looks = skeleton(key)
    for existing in session.scalars(select(UserAccount.username)):
        if existing == key or skeleton(existing) == looks:
            raise ValidationFailed([Problem("username", "username_taken", {"value": key})])


def invite_user(
    db: Database, by: Principal, username: str, display_name: str = ""
) -> tuple[UserInfo, str]:
    """Create an account with a one-time password to hand over; it must be changed."""
    password = secrets.token_urlsafe(12)
    info = create_user(
        db, by, username, password, display_name=display_name, must_change_password=True
    )
    return info, password


def create_first_admin(db: Database, username: str, password: str) -> UserInfo:
    """The setup screen's account: allowed only while no account exists at all."""
    if user_count(db):
        raise ValidationFailed([Problem("username", "setup_done")])
    return create_user(db, Principal(username_key(username)), username, password, admin=True)


def bootstrap_admin(db: Database, username: str = "admin") -> tuple[UserInfo, str] | None:
    """Create an administrator with a one-time password, only when no account exists.

    Returns the account and the password to show once, or ``None`` when accounts exist.
    The password must be changed at the first sign-in.
    """
    if user_count(db):
        return None
    password = secrets.token_urlsafe(12)
    info = create_user(
        db, Principal("setup"), username, password, admin=True, must_change_password=True
    )
    return info, password


def authenticate(
    db: Database,
    username: str,
    password: str,
    now: dt.datetime | None = None,
    *,
    client: str | None = None,
) -> UserInfo:
    """Check a sign-in from ``client`` (its network address; ``None``: this machine).

    Unknown names, deactivated accounts and wrong passwords get the same refusal after
    the same work (one argon2 check), and are throttled alike (see
    :mod:`engagement.services.access.throttling`).
    """
    now = now or utcnow()
    key = username_key(username)
    with db.writing() as session:  # short: count the attempt, read the hash
        throttling.admit(session, key, client, now)
        row = session.execute(
            select(UserAccount.password_hash, UserAccount.active).where(UserAccount.username == key)
        ).one_or_none()
    known = row is not None and row.active and bool(row.password_hash)
    right = _verify(row.password_hash if row is not None and known else _DUMMY_HASH, password)
    if not (known and right):
        raise LoginFailed()
    with db.writing() as session:
        throttling.succeeded(session, key, client, now)
        return _info(session, _get(session, key))


def unlock(db: Database, by: Principal, username: str) -> int:
    """Forget the failed sign-ins counted for ``username`` (the CLI's ``unlock-user``).

    Returns how many clients were held back. Works for any name, existing or not.
    """
    require_admin(by)
    key = username_key(username)
    with db.writing() as session:
        held = throttling.unlock(session, key)
        account = session.scalar(select(UserAccount.id).where(UserAccount.username == key))
        if account is not None:
            audit.record(session, by, None, "user", account, "update", {"unlocked": held})
        return held


def _verify(hashed: str, password: str) -> bool:
    try:
        return bool(hashed) and _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def change_password(db: Database, by: Principal, current: str, new: str) -> UserInfo:
    """The signed-in user changes their own password (the current one is required)."""
    problems = password_problems(new, by.username)
    if problems:
        raise ValidationFailed(problems)
    with db.reading() as session:
        current_hash = _get(session, by.username).password_hash
    if not _verify(current_hash, current):
        raise ValidationFailed([Problem("current_password", "wrong_password")])
    new_hash = _HASHER.hash(new)
    with db.writing() as session:
        row = _get(session, by.username)
        if row.password_hash != current_hash:  # changed meanwhile: check again
            raise ValidationFailed([Problem("current_password", "wrong_password")])
        row.password_hash = new_hash
        row.must_change_password = False
        row.password_changed_at = utcnow()
        # A cookie copied earlier dies with the old password.
        revoke_all(session, row.id, "password_changed")
        audit.record(session, by, None, "user", row.id, "update", {"password": ["***", "***"]})
        raise_accounts_version(session)
        return _info(session, row)


def set_role(
    db: Database, by: Principal, username: str, program_id: int, role: str | None
) -> UserInfo:
    """Give a user a role in a program, change it, or (``None``) remove them from it."""
    require(by, program_id, Action.MANAGE_PROGRAM)
    if role is not None and Role.parse(role) is None:
        raise ValidationFailed([Problem("role", "not_in_list", {"value": role})])
    with db.writing() as session:
        row = _get(session, username)
        member = session.scalar(
            select(Membership).where(
                Membership.user_id == row.id, Membership.program_id == program_id
            )
        )
        old = member.role if member else None
        if role is None and member is not None:
            session.delete(member)
        elif role is not None and member is None:
            session.add(Membership(user_id=row.id, program_id=program_id, role=role))
        elif role is not None and member is not None:
            member.role = Role(role)
        session.flush()
        audit.record(session, by, program_id, "membership", row.id, "update", {"role": [old, role]})
        raise_accounts_version(session)
        return _info(session, row)


def set_active(db: Database, by: Principal, username: str, active: bool) -> UserInfo:
    """Deactivate (or reactivate) an account. Accounts are never deleted."""
    require_admin(by)
    with db.writing() as session:
        row = _get(session, username)
        if row.active != active:
            audit.record(
                session, by, None, "user", row.id, "update", {"active": [row.active, active]}
            )
            row.active = active
        if not active:
            revoke_all(session, row.id, "deactivated")
        raise_accounts_version(session)
        return _info(session, row)


def get_user(db: Database, username: str) -> UserInfo:
    with db.reading() as session:
        return _info(session, _get(session, username))


def list_users(db: Database, program_id: int | None = None) -> list[UserInfo]:
    """Accounts by name (only those with a role in ``program_id``), in two statements."""
    with db.reading() as session:
        query = select(UserAccount).order_by(UserAccount.username)
        if program_id is not None:
            query = query.join(Membership).where(Membership.program_id == program_id)
        rows = session.scalars(query).all()
        roles: dict[int, list[tuple[int, str]]] = {}
        members = select(Membership.user_id, Membership.program_id, Membership.role)
        for user_id, pid, role in session.execute(members):
            roles.setdefault(user_id, []).append((pid, role))
        return [_info_with(row, roles.get(row.id, ())) for row in rows]


def _get(session: Session, username: str) -> UserAccount:
    row = session.scalar(select(UserAccount).where(UserAccount.username == username_key(username)))
    if row is None:
        raise NotFound(entity="user", name=username)
    return row
