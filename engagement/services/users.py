"""User accounts: sign-in with argon2 hashes, throttling and lockout, roles per program.

No default password exists anywhere. The first administrator is created from the command
line (``create-user --admin``), by ``make run`` with a one-time password printed in the
terminal, or by the setup screen while no account exists.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.errors import (
    AccountLocked,
    LoginFailed,
    LoginThrottled,
    NotFound,
    Problem,
    ValidationFailed,
)
from engagement.model import Principal
from engagement.services import audit
from engagement.services.permissions import Action, require, require_admin
from engagement.services.session_records import revoke_all
from engagement.storage.access_models import ROLES, Membership, UserAccount
from engagement.storage.base import utcnow
from engagement.storage.db import Database

_HASHER = PasswordHasher()
#: Verified against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _HASHER.hash("tejido-no-such-user")

MIN_PASSWORD_LENGTH = 10
#: Failures allowed before each further try must wait (1 s, 2 s, 4 s, ...).
FREE_FAILURES = 3
#: Failures that lock the account, and for how long.
LOCK_AFTER = 8
LOCK_MINUTES = 15


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


def username_key(name: str) -> str:
    return " ".join(str(name).split()).lower()


def password_problems(password: str, username: str = "") -> list[Problem]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [Problem("password", "password_too_short", {"min": MIN_PASSWORD_LENGTH})]
    if username and username_key(password) == username_key(username):
        return [Problem("password", "password_is_username")]
    return []


def _info(session: Session, row: UserAccount) -> UserInfo:
    roles = session.execute(
        select(Membership.program_id, Membership.role).where(Membership.user_id == row.id)
    )
    return UserInfo(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        is_admin=row.is_admin,
        active=row.active,
        must_change_password=row.must_change_password,
        roles=tuple(sorted((pid, role) for pid, role in roles)),
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
    problems = [] if key else [Problem("username", "required")]
    problems += password_problems(password, key)
    if problems:
        raise ValidationFailed(problems)
    with db.writing() as session:
        if session.scalar(select(UserAccount.id).where(UserAccount.username == key)):
            raise ValidationFailed([Problem("username", "username_taken", {"value": key})])
        row = UserAccount(
            username=key,
            display_name=display_name.strip(),
            password_hash=_HASHER.hash(password),
            is_admin=admin,
            must_change_password=must_change_password,
            password_changed_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.record(session, by, None, "user", row.id, "create", {"username": key, "admin": admin})
        return _info(session, row)


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
    db: Database, username: str, password: str, now: dt.datetime | None = None
) -> UserInfo:
    """Check a sign-in; failures slow down and then lock the account for a while."""
    now = now or utcnow()
    with db.writing() as session:
        row = session.scalar(
            select(UserAccount).where(UserAccount.username == username_key(username))
        )
        if row is None or not row.active:
            _verify(_DUMMY_HASH, password)
            raise LoginFailed()
        _check_throttle(row, now)
        if _verify(row.password_hash, password):
            row.failed_logins, row.locked_until, row.last_failed_at = 0, None, None
            return _info(session, row)
        # The failure is committed before refusing: it must be remembered.
        row.failed_logins += 1
        row.last_failed_at = now
        if row.failed_logins >= LOCK_AFTER:
            row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            row.failed_logins = 0
    raise LoginFailed()


def _check_throttle(row: UserAccount, now: dt.datetime) -> None:
    if row.locked_until and row.locked_until > now:
        minutes = max(1, math.ceil((row.locked_until - now).total_seconds() / 60))
        raise AccountLocked(minutes=minutes)
    extra = row.failed_logins - FREE_FAILURES
    if extra >= 0 and row.last_failed_at is not None:
        wait = dt.timedelta(seconds=2**extra) - (now - row.last_failed_at)
        if wait.total_seconds() > 0:
            raise LoginThrottled(seconds=math.ceil(wait.total_seconds()))


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
    with db.writing() as session:
        row = _get(session, by.username)
        if not _verify(row.password_hash, current):
            raise ValidationFailed([Problem("current_password", "wrong_password")])
        row.password_hash = _HASHER.hash(new)
        row.must_change_password = False
        row.password_changed_at = utcnow()
        # A cookie copied earlier dies with the old password.
        revoke_all(session, row.id, "password_changed")
        audit.record(session, by, None, "user", row.id, "update", {"password": ["***", "***"]})
        return _info(session, row)


def set_role(
    db: Database, by: Principal, username: str, program_id: int, role: str | None
) -> UserInfo:
    """Give a user a role in a program, change it, or (``None``) remove them from it."""
    require(by, program_id, Action.MANAGE_PROGRAM)
    if role is not None and role not in ROLES:
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
            member.role = role
        session.flush()
        audit.record(session, by, program_id, "membership", row.id, "update", {"role": [old, role]})
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
        return _info(session, row)


def get_user(db: Database, username: str) -> UserInfo:
    with db.reading() as session:
        return _info(session, _get(session, username))


def list_users(db: Database, program_id: int | None = None) -> list[UserInfo]:
    with db.reading() as session:
        query = select(UserAccount).order_by(UserAccount.username)
        if program_id is not None:
            query = query.join(Membership).where(Membership.program_id == program_id)
        return [_info(session, row) for row in session.scalars(query)]


def _get(session: Session, username: str) -> UserAccount:
    row = session.scalar(select(UserAccount).where(UserAccount.username == username_key(username)))
    if row is None:
        raise NotFound(entity="user", name=username)
    return row
