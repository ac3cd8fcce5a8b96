"""Fixtures shared by every kind of test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine


@pytest.fixture
def same_day(request: pytest.FixtureRequest) -> Iterator[None]:
    """Hold the calendar on the test module's ``TODAY``, from noon with the clock ticking.

    A module takes ``TODAY`` when it is imported and builds its data on it; the app reads
    ``date.today()`` again while the test runs. A run that crosses midnight would compare
    two different days, so every ``today()`` and ``now()`` in the test (the app's included:
    AppTest runs it in this process) answers as on ``TODAY``.
    """
    day: dt.date = request.module.TODAY
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=True):
        yield
