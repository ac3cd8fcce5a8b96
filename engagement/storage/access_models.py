"""Tables for sign-in and roles: user accounts and their membership of programs.

Users are deactivated, never deleted, so the audit trail always names a real account.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engagement.storage.base import Base, choice, created_at, intpk
from engagement.values import Role


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[intpk]
    #: Lower-case, stripped: sign-in ignores case.
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    #: argon2id hash; empty for accounts that only sign in through a single-sign-on proxy.
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_at]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Membership(Base):
    __tablename__ = "membership"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(choice(Role, "member_role", length=20))
    created_at: Mapped[created_at]

    __table_args__ = (UniqueConstraint("user_id", "program_id"),)


class AccountsVersion(Base):
    """One number that every write to accounts or roles raises, in the same transaction.

    Reads of the accounts (the team page's members and candidates) are kept per version,
    and the sign-in check that every page run makes brings the version back with it
    (:mod:`engagement.storage.queries.accounts`). One row; a table, not a counter in
    memory, so that every server on the database sees the same number.
    """

    __tablename__ = "accounts_version"

    id: Mapped[intpk]
    version: Mapped[int] = mapped_column(Integer, default=1)


class SignInFailures(Base):
    """Failed sign-ins counted per account name and client, whether the account exists.

    One row per (account, client) pair, and one per account with ``client == "*"`` for
    the failures from every client. ``account`` is a SHA-256 of the normalised name, so
    what people type in the name field (sometimes a password) is never stored.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[intpk]
    account: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The last successful sign-in from this client: it is then spared the account-wide
    #: slow-down that failures from other clients cause.
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("account", "client"),)


class UserSession(Base):
    """A signed-in browser: only the SHA-256 of its cookie token is stored.

    A session starts with a one-time hand-over code (also stored hashed) that the
    browser exchanges once, within a minute, for the token set as an HttpOnly cookie.
    """

    __tablename__ = "user_session"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_at]
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: sign_out, password_changed, deactivated, idle, expired
    revoked_reason: Mapped[str | None] = mapped_column(String(20))
