"""Rules for user names and passwords, checked wherever an account is created or changed.

User names are NFKC-normalised, lower-cased and space-collapsed (:func:`username_key`),
at most :data:`MAX_USERNAME_LENGTH` characters, and refused when they hold control,
format (zero-width) or unassigned characters, or letters of two scripts (``аdmin`` with
a Cyrillic ``а``). A name that only *looks* like an existing one (same
:func:`skeleton`) is refused when the account is created.

Passwords need :data:`MIN_PASSWORD_LENGTH` characters and must not be guessable: not in
the list of common passwords shipped beside this module (``common_passwords.txt``), not
made of few different characters, not a run of the keyboard or the alphabet, and not
the user name or the app's name with little else around it.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

from engagement.errors import Problem

MAX_USERNAME_LENGTH = 64
MIN_PASSWORD_LENGTH = 10
#: Longer passwords are refused when set: argon2 hashes every byte of what it is given.
MAX_PASSWORD_LENGTH = 1024
#: A password (or what is left of it around the user name) needs this many distinct
#: characters: ``aaaaaaaaaa`` and ``ababababab`` are refused.
MIN_DISTINCT_CHARACTERS = 5
#: What is left once the user name and the words below are taken out must be this long.
MIN_REMAINDER = 6
#: Words a password must not lean on: the app's name and the usual stand-ins.
GUESSABLE_WORDS = (
    "tejido",
    "password",
    "contraseña",
    "contrasena",
    "qwerty",
    "admin",
    "administrador",
    "usuario",
    "welcome",
    "bienvenido",
    "letmein",
    "iloveyou",
    "teamo",
)
_RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "1234567890",
    "qwertyuiop",
    "asdfghjklñ",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "azertyuiop",
    "1q2w3e4r5t6y7u8i9o0p",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "!@#$%^&*()",
)
#: Letters of these scripts are written together (Japanese, Korean): not "mixed".
_WRITTEN_TOGETHER = {"CJK": "HAN", "HIRAGANA": "HAN", "KATAKANA": "HAN", "HANGUL": "HAN"}
#: Letters of other scripts that look like Latin ones (Unicode's confusables, the common
#: part): two names with the same skeleton cannot both exist.
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("аеорсухіјѕԁһӏԛԝѵкмпвтг", "aeopcyxijsdhlqwvkmnbtr", strict=True)),
        **dict(zip("αεορνικτυχ", "aeopviktux", strict=True)),
        "ı": "i",
        "ℓ": "l",
    }
)


def username_key(name: str) -> str:
    """The name an account is stored and found by: NFKC, spaces collapsed, lower case.

    >>> username_key("  Ana   López ")
    'ana lópez'
    >>> username_key("ＡＤＭＩＮ")  # full-width letters fold to plain ones
    'admin'
    """
    return " ".join(unicodedata.normalize("NFKC", str(name)).split()).lower()


def skeleton(name: str) -> str:
    """What a name looks like: lookalike Cyrillic and Greek letters read as Latin.

    >>> skeleton("асе") == skeleton("ace")  # Cyrillic а, с, е
    True
    """
    return username_key(name).translate(_LOOKALIKES)


def username_problems(name: str) -> list[Problem]:
    """Why ``name`` cannot be a user name (an empty list when it can)."""
    key = username_key(name)
    if not key:
        return [Problem("username", "required")]
    if len(key) > MAX_USERNAME_LENGTH:
        return [Problem("username", "username_too_long", {"max": MAX_USERNAME_LENGTH})]
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in key):
        return [Problem("username", "username_invisible_characters")]
    if len(scripts(key)) > 1:
        return [Problem("username", "username_mixed_scripts")]
    return []


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (digits, marks and punctuation have none).

    >>> sorted(scripts("аdmin"))  # the first letter is Cyrillic
    ['CYRILLIC', 'LATIN']
    >>> sorted(scripts("josé-2"))
    ['LATIN']
    """
    found = set()
    for char in text:
        if unicodedata.category(char).startswith("L"):
            first = unicodedata.name(char, "UNKNOWN").split()[0]
            found.add(_WRITTEN_TOGETHER.get(first, first))
    return found


def password_problems(password: str, username: str = "") -> list[Problem]:
    """Why ``password`` is not good enough for ``username`` (empty when it is)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [Problem("password", "password_too_short", {"min": MIN_PASSWORD_LENGTH})]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [Problem("password", "password_too_long", {"max": MAX_PASSWORD_LENGTH})]
    folded = password.casefold()
    key = username_key(username)
    if key and (folded == key or " ".join(folded.split()) == key):
        return [Problem("password", "password_is_username")]
    if _guessable(folded) or _leans_on(folded, key):
        return [Problem("password", "password_guessable")]
    return []


def _guessable(text: str) -> bool:
    return (
        text in common_passwords()
        or len(set(text)) < MIN_DISTINCT_CHARACTERS
        or _is_run(text)
        or _repeats_a_short_unit(text)
    )


def _leans_on(folded: str, key: str) -> bool:
    """True when the password is the user name or a guessable word with little else."""
    words = [w for w in (key, *key.split(), *GUESSABLE_WORDS) if len(w) >= 3]
    rest = folded
    for word in sorted(set(words), key=len, reverse=True):
        rest = rest.replace(word, "")
    if rest == folded:
        return False
    return len(rest) < MIN_REMAINDER or _guessable(rest)


def _is_run(text: str) -> bool:
    """A stretch of the alphabet, the digits or a keyboard row, either way round."""
    return any(text in run or text in run[::-1] for run in _RUNS)


def _repeats_a_short_unit(text: str) -> bool:
    for size in range(1, 6):
        unit = text[:size]
        if len(text) > size and (unit * (len(text) // size + 1)).startswith(text):
            return True
    return False


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower case; ``#`` lines are comments)."""
    text = resources.files("engagement.services").joinpath("common_passwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )
