"""Engagement tracking in headless chromium: log a workshop with its attendees on the
Activities page, then see the stage dashboard's figures change.

Runs against the shared demo server (``live_app``) in a program of its own, so the demo
programs keep their figures for the other browser tests.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from engagement.model import Principal
from engagement.services.registry import actors, programs
from engagement.storage.db import Database
from tests.browser.conftest import LiveApp, goto, main_text, wait_for_rerun

pytestmark = pytest.mark.browser

USER = Principal("browser-test")
ATTENDEES = ("Colectivo Río Verde", "Junta vecinal Las Palmas")


def metric(page: Page, label: str) -> str:
    """The value shown under a metric's label on the dashboard."""
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{label}$"))
    )
    value: str = box.first.locator("[data-testid='stMetricValue']").inner_text()
    return value.strip()


def add_attendee(page: Page, row: int, name: str) -> None:
    """Add row ``row`` to the attendees table and pick the actor by typing part of its name.

    The table is a canvas grid: the new row's Actor cell is opened with a double click at
    its position (header and rows are 35 px high), then the typed text filters the list.
    """
    form = page.locator("[data-testid='stForm']").first
    grid = form.locator("[data-testid='stDataFrameResizable']").first
    grid.hover()
    grid.locator("xpath=..").locator(
        "button[data-testid='stBaseButton-elementToolbar'][aria-label='Add row']"
    ).first.click(force=True)
    page.wait_for_timeout(400)
    page.keyboard.press("Escape")
    box = grid.bounding_box()
    assert box is not None
    page.mouse.dblclick(box["x"] + 120, box["y"] + 35 + 35 * row + 17)
    page.wait_for_timeout(400)
    page.keyboard.type(name[:12])
    page.wait_for_timeout(400)
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)


def test_logging_a_workshop_changes_the_dashboard(
    page: Page, live_app: LiveApp, screenshot: Callable[[str], Path]
) -> None:
    db = Database.from_url(live_app.db_url)
    program = programs.create_program(db, USER, f"Gobierno Abierto {uuid.uuid4().hex[:6]}")
    for name in ATTENDEES:
        actors.add_actor(db, USER, program.id, {"name": name})
    db.dispose()

    goto(page, live_app, "", program=program.id)
    assert (metric(page, "Actividades"), metric(page, "Personas")) == ("0", "0")
    assert metric(page, "Organizaciones") == "0"
    screenshot("dashboard-before")

    goto(page, live_app, "activities", program=program.id)
    form = page.locator("[data-testid='stForm']").first
    form.get_by_label("Título").fill("Taller de co-diseño en Las Palmas")
    form.get_by_role("spinbutton", name="Asistentes (total)").fill("37")
    for row, name in enumerate(ATTENDEES):
        add_attendee(page, row, name)
    screenshot("log-form-filled")
    form.get_by_role("button", name="Guardar actividad").click()
    wait_for_rerun(page)
    expect(page.get_by_text("con 2 actor(es) presentes")).to_be_visible()
    assert "Taller de co-diseño en Las Palmas" in main_text(page)

    goto(page, live_app, "", program=program.id)
    assert metric(page, "Actividades") == "1"
    assert metric(page, "Personas") == "37"
    assert metric(page, "Organizaciones") == "2"
    screenshot("dashboard-after")
