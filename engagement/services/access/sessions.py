"""Server-side sign-in sessions: a reload, a new tab or a reopened browser stay signed in.

A session is a row holding the SHA-256 of a random token; the token itself lives only in
the browser's cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure`` over HTTPS; see
``engagement.web.session_routes``). Because the app's pages talk to Python over a
websocket, which cannot set a cookie, a session starts with a one-time hand-over code:
the page posts it once, within :data:`HANDOFF_SECONDS`, to the cookie route, which mints
the token. Neither the code nor the token is ever stored in clear.

A session is refused once it is revoked (sign-out, password change, deactivation), idle
for longer than the idle timeout, past its absolute expiry, or when its user is inactive.
Roles are read from the database on every check, so removing a user's role in a program
takes effect at their next action. The check is one statement, which also lists the
programs the user may open with their data stamps, and the accounts version: a page
rerun on unchanged data needs no other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from engagement.model import Principal
from engagement.services.access.directory import ProgramEntry, account_of, with_programs
from engagement.services.access.session_records import revoke_all
from engagement.services.access.users import get_user
from engagement.storage.access_models import UserAccount, UserSession
from engagement.storage.base import utcnow
from engagement.storage.db import Database

#: How long the page has to exchange its hand-over code for the cookie.
HANDOFF_SECONDS = 60
#: A session is touched (its idle clock restarted) at most this often: reruns stay reads.
TOUCH_SECONDS = 30
COOKIE_NAME = "tejido_session"

__all__ = [
    "COOKIE_NAME",
    "Claimed",
    "Resolved",
    "Started",
    "claim",
    "live_sessions",
    "resolve",
    "revoke",
    "revoke_all",
    "revoke_token",
    "start",
    "token_hash",
]


@dataclass(frozen=True)
class Started:
    """A new session: its id (kept server-side) and the code the page hands over once."""

    session_id: int
    handoff: str


@dataclass(frozen=True)
class Claimed:
    """The cookie to set: the token in clear (never stored) and when it expires."""

    token: str
    expires_at: dt.datetime
    max_age: int


@dataclass(frozen=True)
class Resolved:
    """A valid session: who it is, and the session's id."""

    session_id: int
    principal: Principal
    must_change_password: bool
    #: True while the browser has not yet exchanged the hand-over code.
    handoff_pending: bool
    #: The programs the user may open, by name, each with its data stamp.
    programs: tuple[ProgramEntry, ...]
    #: The accounts version (what kept reads of accounts and roles depend on).
    accounts_version: int


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(
    db: Database, username: str, *, max_age_hours: int, now: dt.datetime | None = None
) -> Started:
    """Open a session for a user who has just proved who they are."""
    now = now or utcnow()
    handoff = secrets.token_urlsafe(32)
    info = get_user(db, username)
    with db.writing() as session:
        row = UserSession(
            user_id=info.id,
            handoff_hash=token_hash(handoff),
            handoff_expires_at=now + dt.timedelta(seconds=HANDOFF_SECONDS),
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=max_age_hours),
        )
        session.add(row)
        session.flush()
        return Started(row.id, handoff)


def claim(db: Database, handoff: str, now: dt.datetime | None = None) -> Claimed | None:
    """Exchange a hand-over code for the cookie's token, once; ``None`` if refused."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with db.writing() as session:
        row = session.scalar(
            select(UserSession).where(UserSession.handoff_hash == token_hash(handoff))
        )
        if row is None:
            return None
        expires = row.handoff_expires_at
        row.handoff_hash, row.handoff_expires_at = None, None
        if row.revoked_at is not None or expires is None or expires < now:
            return None
        row.token_hash = token_hash(token)
        max_age = int((row.expires_at - now).total_seconds())
        return Claimed(token, row.expires_at, max(0, max_age))


def resolve(
    db: Database,
    *,
    session_id: int | None = None,
    token: str | None = None,
    idle_minutes: int,
    now: dt.datetime | None = None,
) -> Resolved | None:
    """The user of a session (by its server-side id or by the cookie's token), or ``None``.

    One statement reads the session, its account with its roles, and the programs the
    account may open with their data stamps (:mod:`engagement.services.access.directory`).
    An idle or expired session is revoked on the way, so it can never come back.
    """
    now = now or utcnow()
    if session_id is None and not token:
        return None
    query = with_programs(
        select(
            UserSession.id,
            UserSession.revoked_at,
            UserSession.expires_at,
            UserSession.last_seen_at,
            UserSession.token_hash,
        ).join(UserAccount, UserAccount.id == UserSession.user_id)
    )
    if session_id is not None:
        query = query.where(UserSession.id == session_id)
    else:
        query = query.where(UserSession.token_hash == token_hash(token or ""))
    with db.one_statement() as session:
        rows = session.execute(query).all()
    if not rows:
        return None
    sid, revoked_at, expires_at, last_seen_at, hashed = rows[0][:5]
    account = account_of(rows)
    if revoked_at is not None or not account.active:
        return None
    reason = _lapsed(now, expires_at, last_seen_at, idle_minutes)
    if reason:
        revoke(db, sid, reason, now=now)
        return None
    if (now - last_seen_at).total_seconds() >= TOUCH_SECONDS:
        _touch(db, sid, now)
    return Resolved(
        sid,
        account.principal,
        account.must_change_password,
        hashed is None,
        account.programs,
        account.accounts_version,
    )


def _lapsed(
    now: dt.datetime, expires_at: dt.datetime, last_seen_at: dt.datetime, idle_minutes: int
) -> str | None:
    if expires_at <= now:
        return "expired"
    if now - last_seen_at > dt.timedelta(minutes=idle_minutes):
        return "idle"
    return None


def _touch(db: Database, session_id: int, now: dt.datetime) -> None:
    with db.writing() as session:
        session.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.last_seen_at < now)
            .values(last_seen_at=now)
        )


def revoke(db: Database, session_id: int, reason: str, now: dt.datetime | None = None) -> None:
    """End one session (sign-out, or found idle/expired)."""
    with db.writing() as session:
        session.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=now or utcnow(), revoked_reason=reason, handoff_hash=None)
        )


def revoke_token(db: Database, token: str) -> None:
    """End the session a cookie's token belongs to (the sign-out route)."""
    with db.writing() as session:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason="sign_out")
        )


def live_sessions(db: Database, username: str) -> int:
    """How many sessions of a user are not revoked (the team page, the tests)."""
    info = get_user(db, username)
    with db.reading() as session:
        rows = session.scalars(
            select(UserSession.id).where(
                UserSession.user_id == info.id, UserSession.revoked_at.is_(None)
            )
        )
        return len(list(rows))
