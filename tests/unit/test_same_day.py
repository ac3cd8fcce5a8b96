"""The ``same_day`` fixture holds the calendar on the module's TODAY, even when the real
date is another (as after midnight, for a module imported the day before)."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2024, 3, 9)  # not the real date: the module "was imported" long ago
pytestmark = pytest.mark.usefixtures("same_day")


def test_today_is_the_modules_day_and_the_clock_still_runs() -> None:
    first = dt.datetime.now()
    assert dt.date.today() == TODAY
    assert first.date() == TODAY
    assert dt.datetime.now() >= first
