"""Accounts: hashes only, throttling then lockout, password change, roles, deactivation."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from sqlalchemy import select

from engagement.cli import main
from engagement.errors import (
    AccountLocked,
    LoginFailed,
    LoginThrottled,
    PermissionDenied,
    ValidationFailed,
)
from engagement.model import Principal
from engagement.services.access import directory, sessions, throttling, users
from engagement.services.exchange import backup
from engagement.services.registry import programs
from engagement.storage.access_models import UserAccount
from engagement.storage.db import Database
from engagement.storage.queries.accounts import read_accounts_version

OPERATOR = Principal("cli")
T0 = dt.datetime(2026, 11, 23, 9, 0, 0)


def test_password_is_stored_only_as_an_argon2_hash(db: Database) -> None:
    users.create_user(db, OPERATOR, "Ana", "una-clave-larga")
    with db.reading() as session:
        stored = session.scalar(select(UserAccount.password_hash))
    assert stored.startswith("$argon2id$") and "una-clave-larga" not in stored
    assert users.authenticate(db, " ANA ", "una-clave-larga").username == "ana"


@pytest.mark.parametrize(
    ("password", "code"),
    [("corta", "password_too_short"), ("ana-lopez-1", "password_is_username")],
)
def test_weak_passwords_are_refused(db: Database, password: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        users.create_user(db, OPERATOR, "ana-lopez-1", password)
    assert [p.code for p in caught.value.problems] == [code]


def test_failures_slow_down_then_lock_then_expire(db: Database) -> None:
    users.create_user(db, OPERATOR, "luis", "clave-correcta-1")
    for _ in range(throttling.FREE_FAILURES):
        with pytest.raises(LoginFailed):
            users.authenticate(db, "luis", "mal", T0)
    # From now on each try must wait (1 s, 2 s, 4 s ...), even with the right password.
    with pytest.raises(LoginThrottled) as throttled:
        users.authenticate(db, "luis", "clave-correcta-1", T0)
    assert throttled.value.params == {"seconds": 1}
    now = T0
    for _ in range(throttling.FREE_FAILURES, throttling.LOCK_AFTER):
        now += dt.timedelta(minutes=2)
        with pytest.raises(LoginFailed):
            users.authenticate(db, "luis", "mal", now)
    with pytest.raises(AccountLocked) as locked:
        users.authenticate(db, "luis", "clave-correcta-1", now + dt.timedelta(minutes=1))
    assert locked.value.params == {"minutes": throttling.LOCK_MINUTES - 1}
    later = now + dt.timedelta(minutes=throttling.LOCK_MINUTES, seconds=1)
    assert users.authenticate(db, "luis", "clave-correcta-1", later).username == "luis"


def test_unknown_and_deactivated_users_get_the_same_refusal(db: Database) -> None:
    users.create_user(db, OPERATOR, "marta", "clave-de-marta")
    users.set_active(db, OPERATOR, "marta", False)
    for name in ("marta", "nadie"):
        with pytest.raises(LoginFailed):
            users.authenticate(db, name, "clave-de-marta")
    assert users.get_user(db, "marta").active is False  # deactivated, never deleted


def test_one_time_admin_only_while_no_account_exists(db: Database) -> None:
    created = users.bootstrap_admin(db)
    assert created is not None
    info, password = created
    assert info.is_admin and info.must_change_password and len(password) >= 12
    assert users.bootstrap_admin(db) is None
    with pytest.raises(ValidationFailed):
        users.create_first_admin(db, "otra", "otra-clave-larga")
    me = users.principal(users.authenticate(db, "admin", password))
    changed = users.change_password(db, me, password, "mi-clave-propia")
    assert not changed.must_change_password
    with pytest.raises(ValidationFailed) as caught:
        users.change_password(db, me, "equivocada", "otra-clave-nueva")
    assert caught.value.problems[0].code == "wrong_password"


def test_roles_per_program_and_who_may_grant_them(db: Database) -> None:
    program = programs.create_program(db, OPERATOR, "Tepic abierto")
    other = programs.create_program(db, OPERATOR, "Xalapa abierta")
    users.create_user(db, OPERATOR, "lidia", "clave-de-lidia")
    users.create_user(db, OPERATOR, "vero", "clave-de-vero1")
    lidia = users.principal(users.set_role(db, OPERATOR, "lidia", program.id, "lead"))
    assert lidia.role_in(program.id) == "lead" and lidia.role_in(other.id) is None
    vero = users.set_role(db, lidia, "vero", program.id, "viewer")
    assert vero.roles == ((program.id, "viewer"),)
    with pytest.raises(PermissionDenied):
        users.set_role(db, lidia, "vero", other.id, "lead")
    with pytest.raises(PermissionDenied):
        users.create_user(db, lidia, "nuevo", "clave-nueva-1")
    assert users.set_role(db, lidia, "vero", program.id, None).roles == ()


def test_cli_one_time_password_and_roles(db_url: str, db: Database) -> None:
    out = io.StringIO()
    assert (
        main(
            ["--database-url", db_url, "--lang", "en", "create-user", "--admin", "--one-time"],
            out=out,
        )
        == 0
    )
    assert "One-time password:" in out.getvalue()
    out = io.StringIO()
    main(
        ["--database-url", db_url, "--lang", "en", "create-user", "--admin", "--one-time"], out=out
    )
    assert "none was created" in out.getvalue()
    programs.create_program(db, OPERATOR, "Antigua")
    out = io.StringIO()
    code = main(
        ["--database-url", db_url, "set-role", "admin", "--program", "Antigua", "--role", "viewer"],
        out=out,
    )
    assert code == 0
    out = io.StringIO()
    main(["--database-url", db_url, "users"], out=out)
    assert out.getvalue().startswith("admin\tadmin\tAntigua: viewer")


def test_every_write_to_accounts_or_roles_raises_the_accounts_version(db: Database) -> None:
    """What the team page keeps per accounts version is read again after each of these,
    on every server (the version is in the database, read with the sign-in check)."""
    program = programs.create_program(db, OPERATOR, "Programa")
    seen = [read_accounts_version(db)]
    writes = [
        lambda: users.create_user(db, OPERATOR, "ana", "clave-de-ana-1"),
        lambda: users.set_role(db, OPERATOR, "ana", program.id, "mentor"),
        lambda: users.set_role(db, OPERATOR, "ana", program.id, "lead"),
        lambda: users.set_role(db, OPERATOR, "ana", program.id, None),
        lambda: users.change_password(db, Principal("ana"), "clave-de-ana-1", "clave-nueva-2"),
        lambda: users.set_active(db, OPERATOR, "ana", False),
        lambda: users.set_active(db, OPERATOR, "ana", True),
        lambda: users.invite_user(db, OPERATOR, "beto"),
        lambda: backup.restore_program(
            db,
            OPERATOR,
            {**backup.program_backup(db, OPERATOR, program.id), "members": [
                {"username": "beto", "role": "viewer"}
            ]},
            name="Programa restaurado",
            roles_by_name=True,
        ),
    ]  # fmt: skip
    for write in writes:
        write()
        seen.append(read_accounts_version(db))
    assert all(a < b for a, b in itertools.pairwise(seen)), seen
    # Reads and sign-ins leave it as it is.
    users.list_users(db)
    users.authenticate(db, "ana", "clave-nueva-2")
    assert read_accounts_version(db) == seen[-1]


def test_the_sign_in_check_brings_the_accounts_version(db: Database) -> None:
    users.create_user(db, OPERATOR, "ana", "clave-de-ana-1")
    version = read_accounts_version(db)
    operator = directory.local_account(db, Principal("local"))  # no program yet: one row
    assert (operator.programs, operator.accounts_version) == ((), version)
    program = programs.create_program(db, OPERATOR, "Programa")
    users.set_role(db, OPERATOR, "ana", program.id, "viewer")
    started = sessions.start(db, "ana", max_age_hours=1)
    resolved = sessions.resolve(db, session_id=started.session_id, idle_minutes=60)
    assert resolved is not None
    assert resolved.accounts_version == read_accounts_version(db) > version
    assert [p.id for p in resolved.programs] == [program.id]
    found = directory.account(db, "ana")
    assert found is not None and found.accounts_version == resolved.accounts_version
    assert [p.id for p in directory.local_account(db, Principal("local")).programs] == [program.id]


def test_a_restored_database_takes_an_accounts_version_it_never_had(db: Database) -> None:
    users.create_user(db, OPERATOR, "ana", "clave-de-ana-1")
    saved = backup.database_backup(db, OPERATOR)
    for name in ("beto", "carla"):
        users.create_user(db, OPERATOR, name, f"clave-de-{name}-1")
    before = read_accounts_version(db)
    backup.restore_database(db, OPERATOR, saved, replace=True)
    assert read_accounts_version(db) > before
    assert [u.username for u in users.list_users(db)] == ["ana"]
