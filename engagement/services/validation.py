"""Field rules shared by forms, quick edits and imports. They return Problems, never text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from engagement.errors import Problem

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+0-9 ()\-./]{6,40}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def text_rule(
    field: str, value: Any, *, required: bool = False, max_len: int = 200
) -> list[Problem]:
    text = "" if value is None else str(value)
    if required and not text.strip():
        return [Problem(field, "required")]
    if len(text) > max_len:
        return [Problem(field, "too_long", {"max": max_len})]
    return []


def int_rule(field: str, value: Any, low: int, high: int) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return [Problem(field, "out_of_range", {"min": low, "max": high, "value": value})]
    return []


def email_rule(value: str) -> list[Problem]:
    return (
        []
        if not value or _EMAIL.match(value)
        else [Problem("contact_email", "bad_email", {"value": value})]
    )


def phone_rule(value: str) -> list[Problem]:
    return (
        []
        if not value or _PHONE.match(value)
        else [Problem("contact_phone", "bad_phone", {"value": value})]
    )


def normalise_website(value: str) -> str:
    value = value.strip()
    if value and "://" not in value:
        value = "https://" + value
    return value


def website_rule(value: str) -> list[Problem]:
    return (
        [] if not value or _URL.match(value) else [Problem("website", "bad_url", {"value": value})]
    )


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")


def parse_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime, or text as YYYY-MM-DD or DD/MM/YYYY.

    Empty values give ``None``; anything else unreadable raises ``ValueError``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def clean_date(field: str, value: Any, *, not_future: bool = False) -> tuple[Any, list[Problem]]:
    """The parsed date and its problems; the raw value is kept when it cannot be read."""
    try:
        parsed = parse_date(value)
    except ValueError:
        return value, [Problem(field, "bad_date", {"value": value})]
    return parsed, date_rule(field, parsed, not_future=not_future)


def date_rule(field: str, value: Any, *, not_future: bool = False) -> list[Problem]:
    if value is None:
        return []
    if not isinstance(value, dt.date):
        return [Problem(field, "bad_date", {"value": value})]
    if not_future and value > dt.date.today():
        return [Problem(field, "future_date", {"value": value.isoformat()})]
    return []


def date_order_rule(start: dt.date | None, end: dt.date | None, end_field: str) -> list[Problem]:
    if start and end and end < start:
        return [Problem(end_field, "before_start")]
    return []
