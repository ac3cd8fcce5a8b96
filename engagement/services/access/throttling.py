"""Failed sign-ins: slowed and locked per (account, client), only slowed per account.

Failures are counted for the name typed, whether or not such an account exists, so the
answers (and their timing) never tell an unknown name from a known one.

- **Per account and client** (the client is its network address): after
  :data:`FREE_FAILURES` failures each try must wait 1 s, 2 s, 4 s ... after the last one;
  at :data:`LOCK_AFTER` failures that client is locked out of that account for
  :data:`LOCK_MINUTES` minutes. Another client is not affected, so an anonymous client
  cannot lock the administrator out.
- **Per account, every client together**: after :data:`ACCOUNT_FREE_FAILURES` failures
  within :data:`ACCOUNT_WINDOW`, each try must wait after the account's last failure,
  doubling up to :data:`ACCOUNT_MAX_WAIT_SECONDS` and never more: a guesser spread over
  many addresses is slowed, and the account is never locked. A client that signed in to
  the account successfully in the last :data:`TRUSTED_DAYS` days is spared this wait.

Each attempt is counted as a failure *before* the password is checked (in one short
transaction), and the count is taken back when the password was right: a burst of
simultaneous tries cannot get more guesses than the limits allow, and the slow password
check runs outside any write transaction. ``unlock`` (the CLI's ``unlock-user``) forgets
every failure counted for an account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from engagement.errors import AccountLocked, LoginThrottled
from engagement.storage.access_models import SignInFailures

FREE_FAILURES = 3
LOCK_AFTER = 8
LOCK_MINUTES = 15
ACCOUNT_FREE_FAILURES = 20
ACCOUNT_MAX_WAIT_SECONDS = 30
ACCOUNT_WINDOW = dt.timedelta(hours=1)
TRUSTED_DAYS = 30
#: Counts of a pair with no failure for this long are forgotten (and their rows pruned).
FORGET_AFTER = dt.timedelta(days=1)
#: The row that counts an account's failures from every client.
EVERY_CLIENT = "*"
#: Clients are named by address; longer values (never an address) are cut.
MAX_CLIENT_LENGTH = 64


def account_digest(key: str) -> str:
    """How an account name is stored here: a SHA-256, so typed names are never kept."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def client_name(client: str | None) -> str:
    """The stored name of a client: its address, ``local`` for this machine."""
    name = (client or "local").strip()[:MAX_CLIENT_LENGTH]
    return name if name and name != EVERY_CLIENT else "local"


def admit(session: Session, key: str, client: str | None, now: dt.datetime) -> None:
    """Refuse the attempt while throttled or locked; otherwise count it as a failure."""
    account = account_digest(key)
    _prune(session, now)
    pair = _row(session, account, client_name(client))
    everyone = _row(session, account, EVERY_CLIENT)
    _check_pair(pair, now)
    if not _trusted(pair, now):
        _check_account(everyone, now)
    _count_failure(pair, now)
    if pair.failures >= LOCK_AFTER:
        pair.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        pair.failures = 0
    if everyone.last_failed_at and now - everyone.last_failed_at > ACCOUNT_WINDOW:
        everyone.failures = 0
    _count_failure(everyone, now)


def succeeded(session: Session, key: str, client: str | None, now: dt.datetime) -> None:
    """The password was right: take back the counted failure and trust this client."""
    account = account_digest(key)
    pair = _row(session, account, client_name(client))
    pair.failures, pair.locked_until, pair.last_success_at = 0, None, now
    everyone = _row(session, account, EVERY_CLIENT)
    everyone.failures = max(0, everyone.failures - 1)


def unlock(session: Session, key: str) -> int:
    """Forget every failure counted for the account; how many clients were held back."""
    account = account_digest(key)
    rows = session.scalars(select(SignInFailures).where(SignInFailures.account == account))
    held = 0
    for row in rows:
        if row.client != EVERY_CLIENT:
            held += bool(row.failures or row.locked_until)
        if row.last_success_at is None:
            session.delete(row)
        else:
            row.failures, row.locked_until = 0, None
    return held


def _row(session: Session, account: str, client: str) -> SignInFailures:
    """The row of (account, client), made if missing and locked until the commit.

    Made with INSERT ... ON CONFLICT DO NOTHING, so two first tries at once never clash;
    on PostgreSQL ``FOR UPDATE`` then makes simultaneous tries count one after another
    (SQLite's ``BEGIN IMMEDIATE`` already does).
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(SignInFailures)
        .values(account=account, client=client, failures=0)
        .on_conflict_do_nothing(index_elements=["account", "client"])
    )
    row = session.scalar(
        select(SignInFailures)
        .where(SignInFailures.account == account, SignInFailures.client == client)
        .with_for_update()
    )
    assert row is not None
    return row


def _check_pair(pair: SignInFailures, now: dt.datetime) -> None:
    if pair.locked_until and pair.locked_until > now:
        minutes = max(1, math.ceil((pair.locked_until - now).total_seconds() / 60))
        raise AccountLocked(minutes=minutes)
    _wait(pair.failures - FREE_FAILURES, pair.last_failed_at, now, cap=None)


def _check_account(everyone: SignInFailures, now: dt.datetime) -> None:
    if everyone.last_failed_at and now - everyone.last_failed_at > ACCOUNT_WINDOW:
        return
    extra = everyone.failures - ACCOUNT_FREE_FAILURES
    _wait(extra, everyone.last_failed_at, now, cap=ACCOUNT_MAX_WAIT_SECONDS)


def _wait(extra: int, since: dt.datetime | None, now: dt.datetime, cap: int | None) -> None:
    if extra < 0 or since is None:
        return
    seconds = 2 ** min(extra, 20)
    if cap is not None:
        seconds = min(seconds, cap)
    left = (dt.timedelta(seconds=seconds) - (now - since)).total_seconds()
    if left > 0:
        raise LoginThrottled(seconds=math.ceil(left))


def _trusted(pair: SignInFailures, now: dt.datetime) -> bool:
    return bool(pair.last_success_at) and (
        now - pair.last_success_at <= dt.timedelta(days=TRUSTED_DAYS)  # type: ignore[operator]
    )


def _count_failure(row: SignInFailures, now: dt.datetime) -> None:
    if row.last_failed_at and now - row.last_failed_at > FORGET_AFTER:
        row.failures = 0
    row.failures = (row.failures or 0) + 1
    row.last_failed_at = now


def _prune(session: Session, now: dt.datetime) -> None:
    """Rows of names nobody tried for a day (and no recent success) are dropped."""
    stale = now - FORGET_AFTER
    trusted_since = now - dt.timedelta(days=TRUSTED_DAYS)
    session.execute(
        delete(SignInFailures).where(
            SignInFailures.last_failed_at < stale,
            or_(SignInFailures.locked_until.is_(None), SignInFailures.locked_until < now),
            or_(
                SignInFailures.last_success_at.is_(None),
                SignInFailures.last_success_at < trusted_since,
            ),
        )
    )
