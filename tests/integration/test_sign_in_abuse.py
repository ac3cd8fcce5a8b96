"""Sign-in against an adversary: no enumeration, no lock-out of others, argon2 outside
the write transaction, a CLI way back in (issue 15, findings 6, 7 and 9)."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import make_url

from engagement.cli import main
from engagement.errors import AccountLocked, EngagementError, LoginThrottled, ValidationFailed
from engagement.model import Principal
from engagement.services.access import throttling, users
from engagement.storage.db import Database

OPERATOR = Principal("cli")
T0 = dt.datetime(2026, 12, 3, 9, 0, 0)
ATTACKER, OFFICE, HOTEL = "203.0.113.9", "198.51.100.7", "192.0.2.44"
ADMIN_PASSWORD = "clave-del-admin-2026"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast hashes for these many tries (same work on every path, only less of it)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "_HASHER", cheap)
    monkeypatch.setattr(users, "_DUMMY_HASH", cheap.hash("tejido-no-such-user"))


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification made, by the hash it checked against."""
    seen: list[str] = []
    verify = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        seen.append(str(hash))
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return seen


def _outcome(call: Callable[[], Any]) -> tuple[str, dict[str, Any]]:
    try:
        call()
    except EngagementError as error:
        return type(error).__name__, dict(error.params)
    return "signed in", {}


def test_unknown_and_known_names_get_the_same_answers_after_the_same_work(
    db: Database, verifications: list[str]
) -> None:
    users.create_user(db, OPERATOR, "admin", ADMIN_PASSWORD, admin=True)
    seen: dict[str, list[tuple[str, dict[str, Any], int]]] = {}
    for name in ("admin", "nadie"):
        seen[name] = []
        now = T0
        for step in range(14):
            now += dt.timedelta(seconds=3 if step % 2 else 40)
            before = len(verifications)
            kind, params = _outcome(
                lambda n=name, at=now: users.authenticate(db, n, "adivina", at, client=ATTACKER)
            )
            seen[name].append((kind, params, len(verifications) - before))
    # Same refusals (wrong password, then waits, then the lock-out) in the same order,
    # each after the same number of argon2 checks (timing is measured in
    # benchmarks/sign_in_bench.py).
    assert seen["admin"] == seen["nadie"]
    kinds = {kind for kind, _, _ in seen["admin"]}
    assert {"LoginFailed", "LoginThrottled", "AccountLocked"} <= kinds
    assert {n for kind, _, n in seen["admin"] if kind == "LoginFailed"} == {1}
    assert {n for kind, _, n in seen["admin"] if kind != "LoginFailed"} == {0}


def test_deactivated_and_password_less_accounts_cost_one_check_like_any_other(
    db: Database, verifications: list[str]
) -> None:
    users.create_user(db, OPERATOR, "marta", "clave-de-marta")
    users.set_active(db, OPERATOR, "marta", False)
    for name in ("marta", "nadie"):
        before = len(verifications)
        assert _outcome(lambda n=name: users.authenticate(db, n, "clave-de-marta"))[0] == (
            "LoginFailed"
        )
        assert len(verifications) - before == 1


def _fail(db: Database, name: str, client: str, times: int, start: dt.datetime) -> dt.datetime:
    """``times`` wrong passwords from ``client``, each as soon as allowed; the last time."""
    now = start
    for _ in range(times):
        while True:
            kind, params = _outcome(
                lambda at=now: users.authenticate(db, name, "adivina", at, client=client)
            )
            if kind == "LoginThrottled":
                now += dt.timedelta(seconds=params["seconds"])
            elif kind == "AccountLocked":
                now += dt.timedelta(minutes=params["minutes"])
            else:
                break
    return now


def test_an_anonymous_client_cannot_lock_the_administrator_out(db: Database) -> None:
    users.create_user(db, OPERATOR, "admin", ADMIN_PASSWORD, admin=True)
    users.authenticate(db, "admin", ADMIN_PASSWORD, T0, client=OFFICE)
    now = _fail(db, "admin", ATTACKER, 40, T0 + dt.timedelta(minutes=1))
    # The attacker is held back from the account, even with the right password ...
    with pytest.raises((AccountLocked, LoginThrottled)):
        users.authenticate(db, "admin", ADMIN_PASSWORD, now, client=ATTACKER)
    # ... the administrator, at the office, signs in at once ...
    assert users.authenticate(db, "admin", ADMIN_PASSWORD, now, client=OFFICE).is_admin
    # ... and from a new place waits at most the account-wide cap, never a lock-out.
    kind, params = _outcome(
        lambda: users.authenticate(db, "admin", ADMIN_PASSWORD, now, client=HOTEL)
    )
    assert kind == "signed in" or (
        kind == "LoginThrottled" and params["seconds"] <= throttling.ACCOUNT_MAX_WAIT_SECONDS
    )
    later = now + dt.timedelta(seconds=throttling.ACCOUNT_MAX_WAIT_SECONDS)
    assert users.authenticate(db, "admin", ADMIN_PASSWORD, later, client=HOTEL).is_admin


def test_guesses_spread_over_many_clients_are_slowed_for_the_account(db: Database) -> None:
    users.create_user(db, OPERATOR, "admin", ADMIN_PASSWORD, admin=True)
    now = T0
    for index in range(throttling.ACCOUNT_FREE_FAILURES + 4):
        now += dt.timedelta(milliseconds=10)
        client = f"10.0.{index // 250}.{index % 250}"
        kind, params = _outcome(
            lambda at=now, c=client: users.authenticate(db, "admin", "adivina", at, client=c)
        )
        if index < throttling.ACCOUNT_FREE_FAILURES:
            assert kind == "LoginFailed"
    assert kind == "LoginThrottled"
    assert params["seconds"] <= throttling.ACCOUNT_MAX_WAIT_SECONDS


def test_a_locked_client_waits_the_lock_out_and_the_cli_lifts_it(db: Database, db_url: str) -> None:
    users.create_user(db, OPERATOR, "admin", ADMIN_PASSWORD, admin=True)
    now = _fail(db, "admin", OFFICE, throttling.LOCK_AFTER, T0)
    with pytest.raises(AccountLocked) as locked:
        users.authenticate(db, "admin", ADMIN_PASSWORD, now, client=OFFICE)
    assert locked.value.params == {"minutes": throttling.LOCK_MINUTES}
    out = io.StringIO()
    assert main(["--database-url", db_url, "--lang", "en", "unlock-user", "ADMIN"], out=out) == 0
    assert "admin: failed sign-ins forgotten; 1 locked-out" in out.getvalue()
    assert users.authenticate(db, "admin", ADMIN_PASSWORD, now, client=OFFICE).is_admin


def test_unlocking_needs_an_administrator(db: Database) -> None:
    users.create_user(db, OPERATOR, "vero", "clave-de-vero1")
    vero = users.principal(users.get_user(db, "vero"))
    with pytest.raises(EngagementError):
        users.unlock(db, vero, "admin")


def test_a_right_password_takes_back_its_counted_attempt(db: Database) -> None:
    users.create_user(db, OPERATOR, "luis", "clave-correcta-1")
    now = T0
    for _ in range(throttling.FREE_FAILURES * 3):
        now += dt.timedelta(seconds=1)
        users.authenticate(db, "luis", "clave-correcta-1", now, client=OFFICE)
    _fail(db, "luis", OFFICE, throttling.FREE_FAILURES, now)  # free again after success


def test_throttled_tries_are_not_counted_nor_checked(
    db: Database, verifications: list[str]
) -> None:
    users.create_user(db, OPERATOR, "luis", "clave-correcta-1")
    now = _fail(db, "luis", OFFICE, throttling.FREE_FAILURES, T0)
    before = len(verifications)
    for _ in range(20):
        with pytest.raises(LoginThrottled):
            users.authenticate(db, "luis", "clave-correcta-1", now, client=OFFICE)
    assert len(verifications) == before
    later = now + dt.timedelta(seconds=1)
    assert users.authenticate(db, "luis", "clave-correcta-1", later, client=OFFICE)


# --- argon2 outside the write transaction (finding 9) ----------------------------------


@pytest.fixture
def writer_free_during_argon2(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[bool]]:
    """For each argon2 call: could another connection start a write transaction then?"""
    path = make_url(str(sqlite_db.engine.url)).database
    assert path
    free: list[bool] = []

    def probe() -> None:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            free.append(True)
        except sqlite3.OperationalError:
            free.append(False)
        finally:
            other.close()

    verify, hash_ = PasswordHasher.verify, PasswordHasher.hash

    def probing_verify(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        probe()
        return verify(self, hash, password)

    def probing_hash(self: PasswordHasher, password: str | bytes, **kw: Any) -> str:
        probe()
        return hash_(self, password, **kw)

    monkeypatch.setattr(PasswordHasher, "verify", probing_verify)
    monkeypatch.setattr(PasswordHasher, "hash", probing_hash)
    yield free


def test_argon2_never_runs_inside_a_write_transaction(
    sqlite_db: Database, writer_free_during_argon2: list[bool]
) -> None:
    db = sqlite_db
    users.create_user(db, OPERATOR, "ana", "una-clave-larga")
    with pytest.raises(EngagementError):
        users.authenticate(db, "ana", "equivocada")
    with pytest.raises(EngagementError):
        users.authenticate(db, "nadie", "equivocada")
    me = users.principal(users.authenticate(db, "ana", "una-clave-larga"))
    users.change_password(db, me, "una-clave-larga", "otra-clave-de-ana")
    with pytest.raises(ValidationFailed):
        users.change_password(db, me, "equivocada", "otra-clave-nueva")
    assert len(writer_free_during_argon2) >= 6
    assert all(writer_free_during_argon2)


def test_a_burst_of_simultaneous_tries_gets_no_more_guesses_than_the_limit(
    db: Database, verifications: list[str]
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    users.create_user(db, OPERATOR, "admin", ADMIN_PASSWORD, admin=True)

    def attempt(_: int) -> str:
        return _outcome(lambda: users.authenticate(db, "admin", "adivina", T0, client=ATTACKER))[0]

    before = len(verifications)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = sorted(pool.map(attempt, range(16)))
    assert answers.count("LoginFailed") == throttling.FREE_FAILURES
    assert answers.count("LoginThrottled") == 16 - throttling.FREE_FAILURES
    assert len(verifications) - before == throttling.FREE_FAILURES
