"""Language: the sign-in screen honours ``?lang=``, the page declares its language, and
Streamlit's own words are replaced wherever Streamlit lets us (the rest is listed in the
README, "Streamlit's own words")."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engagement.i18n import t
from engagement.model import Principal
from engagement.services.access import users
from engagement.storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted([*(ROOT / "engagement" / "ui").glob("*.py"), *(ROOT / "app_pages").glob("*.py")])


@pytest.fixture
def password_mode(app_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    users.create_user(app_db, Principal("cli"), "alcaldia", "clave-alcaldia-123")
    return app_db


def _sign_in_screen(lang: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["en", None])
def test_the_sign_in_screen_and_its_errors_speak_the_asked_language(
    password_mode: Database, lang: str | None
) -> None:
    at = _sign_in_screen(lang)
    assert at.title[0].value == t("auth.title", lang or "es")
    at.text_input(key="auth.username").input("alcaldia")
    at.text_input(key="auth.password").input("equivocada")
    at.button[0].click().run()
    assert at.error[0].value == t("error.login_failed", lang or "es")


def _declared(at: AppTest) -> str:
    scripts = [h.proto.body for h in at.get("html") if "documentElement.lang" in h.proto.body]
    assert len(scripts) == 1, scripts
    return str(scripts[0])


def test_every_page_declares_its_language(
    password_mode: Database, open_page: Callable[..., AppTest]
) -> None:
    assert "lang = 'en'" in _declared(_sign_in_screen("en"))
    assert "lang = 'es'" in _declared(_sign_in_screen(None))


def _calls(name: str) -> list[tuple[Path, ast.Call]]:
    found = []
    for path in UI_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == name
            ):
                found.append((path, node))
    return found


def _where(path: Path, node: ast.Call) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def test_choosers_that_can_be_empty_say_so_in_our_words() -> None:
    """Streamlit's "Choose an option" / "Choose options" show when nothing is chosen."""
    missing = []
    for path, node in _calls("selectbox") + _calls("multiselect"):
        kws = {k.arg: k.value for k in node.keywords}
        empty_first = isinstance(kws.get("index"), ast.Constant) and kws["index"].value is None
        if (node.func.attr == "multiselect" or empty_first) and "placeholder" not in kws:  # type: ignore[attr-defined]
            missing.append(_where(path, node))
    assert missing == []


def test_forms_do_not_show_streamlits_press_enter_hint() -> None:
    """ "Press Enter to submit form" is Streamlit's English; the sign-in forms keep Enter
    (signing in with the Enter key matters more; listed in the README)."""
    missing = [
        _where(path, node)
        for path, node in _calls("form")
        if path.name != "auth.py" and "enter_to_submit" not in {k.arg for k in node.keywords}
    ]
    assert missing == []
