"""Account rules (issue 15, finding 8): guessable passwords and deceptive user names."""

from __future__ import annotations

import pytest

from engagement.errors import ValidationFailed
from engagement.model import Principal
from engagement.services.access import credentials, users
from engagement.storage.db import Database

OPERATOR = Principal("cli")


def _refusal(db: Database, username: str, password: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        users.create_user(db, OPERATOR, username, password)
    return [p.code for p in caught.value.problems]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("ana", "aaaaaaaaaa"),
        ("ana", "1234567890"),
        ("ana", "0987654321"),
        ("ana", "ababababab"),
        ("ana", "abcabcabcabc"),
        ("ana", "qwertyuiop"),
        ("ana", "Password123"),
        ("ana", "contraseña123"),
        ("ana", "tejidotejido"),
        ("ana", "Tejido2026!"),
        ("ana", "tejido12345"),
        ("ana", "TEJIDO-1234"),
        ("admin", "admin12345678"),
        ("admin", "adminadmin"),
        ("ana lópez", "ana lópez 123"),
        ("ana-lopez-1", "ana-lopez-1"),
    ],
)
def test_guessable_passwords_are_refused(db: Database, username: str, password: str) -> None:
    codes = _refusal(db, username, password)
    assert codes in (["password_guessable"], ["password_is_username"])


def test_the_user_name_is_refused_as_a_password_whatever_its_case(db: Database) -> None:
    assert _refusal(db, "Mentora-Xela", "MENTORA-XELA") == ["password_is_username"]


@pytest.mark.parametrize(
    "password",
    [
        "clave-de-lidia",
        "mi-clave-propia",
        "una-clave-larga",
        "caballo correcto 7",
        "Tejido-de-Xela-19",
    ],
)
def test_ordinary_passphrases_are_accepted(db: Database, password: str) -> None:
    assert users.create_user(db, OPERATOR, "lidia", password).username == "lidia"


def test_the_common_password_list_ships_with_the_app() -> None:
    common = credentials.common_passwords()
    assert {"1234567890", "password123", "qwertyuiop", "contraseña123", "tejido2026"} <= common
    assert len(common) > 300


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("a" * 100_000, "username_too_long"),
        ("a" * 65, "username_too_long"),
        ("ad\u200bmin", "username_invisible_characters"),  # zero-width space
        ("ad\u2060min", "username_invisible_characters"),  # word joiner
        ("ad\x00min", "username_invisible_characters"),
        ("ad\x1bmin", "username_invisible_characters"),
        ("ad\u202emin", "username_invisible_characters"),  # right-to-left override
        ("\u0430dmin", "username_mixed_scripts"),  # Cyrillic а
        ("p\u0430y\u0440al", "username_mixed_scripts"),  # Cyrillic а and р
        ("\u03bfscar", "username_mixed_scripts"),  # Greek ο
    ],
)
def test_deceptive_user_names_are_refused(db: Database, username: str, code: str) -> None:
    assert _refusal(db, username, "una-clave-larga") == [code]


def test_names_that_only_look_like_an_existing_one_are_taken(db: Database) -> None:
    users.create_user(db, OPERATOR, "admin", "una-clave-larga", admin=True)
    users.create_user(db, OPERATOR, "ace", "una-clave-larga")
    # Full-width letters are the same name once NFKC-normalised; all-Cyrillic "асе"
    # looks exactly like "ace".
    for lookalike in ("ＡＤＭＩＮ", "Admin", "\u0430\u0441\u0435"):
        assert _refusal(db, lookalike, "otra-clave-larga") == ["username_taken"]
    assert [u.username for u in users.list_users(db)] == ["ace", "admin"]


@pytest.mark.parametrize("name", ["josé pérez", "mentora.xela@example.org", "東京の人", "ана"])
def test_names_in_one_script_with_accents_are_welcome(db: Database, name: str) -> None:
    assert users.create_user(db, OPERATOR, name, "una-clave-larga").username == name


def test_signing_in_normalises_the_name_the_same_way(db: Database) -> None:
    users.create_user(db, OPERATOR, "admin", "una-clave-larga", admin=True)
    assert users.authenticate(db, " ＡＤＭＩＮ ", "una-clave-larga").username == "admin"
