"""Session-state keys, defined once. Session state holds small values only (ids,
filters, language), never ORM objects, sessions or engines."""

from __future__ import annotations

from typing import Any

import streamlit as st

from engagement.i18n import DEFAULT_LANGUAGE, LANGUAGES

LANG = "tejido.lang"
PROGRAM_ID = "tejido.program_id"
SELECTED_ACTOR = "tejido.selected_actor"
FLASH = "tejido.flash"
PRESENTATION = "tejido.presentation"


def lang() -> str:
    value = st.session_state.get(LANG, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def program_id() -> int | None:
    value = st.session_state.get(PROGRAM_ID)
    return value if isinstance(value, int) else None


def flash(kind: str, message: str) -> None:
    """Keep a message to show after the next rerun (e.g. "Saved" after a form)."""
    st.session_state[FLASH] = (kind, message)


def pop_flash() -> tuple[str, str] | None:
    value: Any = st.session_state.pop(FLASH, None)
    return value if isinstance(value, tuple) else None


def presentation() -> bool:
    """Presentation mode: individual citizens' names and contact data are hidden."""
    return bool(st.session_state.get(PRESENTATION, False))
