"""Translation in the current user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from engagement.i18n import has, t
from engagement.model import Term
from engagement.ui import state


def tr(key: str, /, **params: Any) -> str:
    """Translate ``key`` into the language chosen in this session."""
    return t(key, state.lang(), **params)


def label(term: Term) -> str:
    """A list entry (stage, sector, tie type) in the session's language."""
    return term.label(state.lang())


def short_date(day: dt.date) -> str:
    """A date as users here write it: 23/11/2026 (both languages, like the rest of the app)."""
    return f"{day:%d/%m/%Y}"


def reference_date(as_of: dt.date) -> str:
    """Which day waiting days, deadlines and staleness are counted to, in words: today,
    or the end of a program that has ended."""
    if as_of < dt.date.today():
        return tr("pages.as_of.ended", date=short_date(as_of))
    return tr("pages.as_of.today", date=short_date(as_of))


def change_value(value: object) -> str:
    """A value from the audit trail as users read it: booleans as «Sí» / «No», dates
    (stored as ISO text) as 31/10/2019."""
    if isinstance(value, bool):
        return tr("common.yes") if value else tr("common.no")
    if isinstance(value, str) and len(value) == 10:
        try:
            return short_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def field_label(field: str) -> str:
    """A field's name as users see it ("Territorio"), or the key when it has none."""
    key = f"field.{field}"
    return tr(key) if has(key, state.lang()) else field
