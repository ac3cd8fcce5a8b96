"""The dashboard's "Descargar informe": offered to every role, viewers included, with its
choices; the file it gives is the briefing of the signed-in user."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import Principal, ProgramInfo
from engagement.services.access import users
from engagement.storage.db import Database

OPERATOR = Principal("cli")


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="auth.username").input(username)
    at.text_input(key="auth.password").input(password)
    at.button[0].click()
    return at.run()


def test_a_lead_gets_the_briefing_choices(
    open_page: Callable[..., AppTest], program: ProgramInfo
) -> None:
    at = open_page(program_id=program.id)
    assert at.radio(key="briefing.format").options == [
        "PDF (para imprimir)",
        "HTML (un solo archivo)",
    ]
    assert at.radio(key="briefing.lang").value == "es"
    assert at.selectbox(key="briefing.stage").options[0] == "Todo el programa (todas las etapas)"
    assert at.selectbox(key="briefing.snapshot").options == ["Ahora"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith("Descargar impulso_local-informe-") for label in labels)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_viewer_is_offered_the_briefing_too(
    open_page: Callable[..., AppTest],
    app_db: Database,
    program: ProgramInfo,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    users.create_user(app_db, OPERATOR, "alcaldia", "clave-alcaldia-larga")
    users.set_role(app_db, OPERATOR, "alcaldia", program.id, "viewer")
    at = sign_in(open_page(lang=lang), "alcaldia", "clave-alcaldia-larga")
    assert not at.exception
    stem = "informe" if lang == "es" else "briefing"
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(stem in label and label.endswith(".pdf") for label in labels), labels
    at.radio(key="briefing.format").set_value("html").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.endswith(".html") for label in labels), labels
