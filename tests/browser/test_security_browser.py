"""Security in the browser: script-like text in every free-text field, shown on every
page, fires no dialog; search boxes treat SQL as text.

A program is seeded (through the services, as a user would type it) with each payload in
each free-text field: actor name, description, tags, territory, contact; tie note and
source; assessment note; program name, municipality and description; activity title,
place, summary and agreements; input text, topic and reasoning; commitment title and
description. Every page of the navigation is then opened in chromium, in both languages;
the page guard fails the test on any JavaScript dialog or request leaving localhost, and
each page must show the payloads it displays as literal text (a page that showed nothing,
or swallowed a payload as markup, fails).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from engagement.model import AssessmentInput, Principal
from engagement.services.registry import actors, assessments, programs, relationships
from engagement.services.tracking import activities, commitments, inputs
from engagement.storage import migrate
from engagement.storage.db import Database
from engagement.tracking import ActivityInput, Attendee, CommitmentInput, InputInput
from tests.browser.conftest import LiveApp, goto, main_text, running_app, wait_for_rerun
from tests.browser.test_foundation_browser import navigation_paths

pytestmark = pytest.mark.browser

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "[clic](javascript:alert(4)) href",
    "<b onmouseover=alert(5)>negrita</b>",
)
ALL = tuple(range(len(PAYLOADS)))
#: The payloads (indices into PAYLOADS) each page shows as text: program name and
#: municipality in the dashboard heading, every actor name in the registry, tie, map and
#: audit tables, the activity title, the program name on the grid and in the settings.
SHOWN: dict[str, tuple[int, ...]] = {
    "": (0, 1),
    "home": (0, 1, 2),
    "actors": ALL,
    "relationships": ALL,
    "grid": (0,),
    "network": ALL,
    "activities": (0,),
    "settings": (0,),
    "audit": ALL,
}
LEAD = Principal("cli")
DAY = dt.date(2024, 4, 2)
FIELDS_SEEDED: list[str] = []


def _seed(db: Database) -> int:
    """One program holding every payload in every free-text field; returns its id."""
    first = PAYLOADS[0]
    p = programs.create_program(
        db, LEAD, f"Programa {first}", municipality=PAYLOADS[1], description=PAYLOADS[2]
    )
    FIELDS_SEEDED.extend(["program.name", "program.municipality", "program.description"])
    citizen = next(s.id for s in p.sectors if s.key == "citizen")
    ids = []
    for n, payload in enumerate(PAYLOADS):
        actor = actors.add_actor(
            db,
            LEAD,
            p.id,
            {
                "name": f"{payload} #{n}",
                "description": payload,
                "tags": payload,
                "territory": payload,
                "contact_name": payload,
                "sector_id": citizen if n % 2 else None,
            },
        )
        ids.append(actor.id)
    FIELDS_SEEDED.extend(
        f"actor.{f}" for f in ("name", "description", "tags", "territory", "contact_name")
    )
    tie = next(t.id for t in p.tie_types if t.key == "collaborates")
    for n, payload in enumerate(PAYLOADS[:-1]):
        relationships.add_relationship(
            db,
            LEAD,
            p.id,
            {
                "source_id": ids[n],
                "target_id": ids[n + 1],
                "tie_type_id": tie,
                "note": payload,
                "source_info": payload,
            },
        )
    FIELDS_SEEDED.extend(["relationship.note", "relationship.source_info"])
    assessments.record_assessments(
        db,
        LEAD,
        p.id,
        [
            AssessmentInput(a, p.stages[0].id, DAY, 1 + n % 5, 5 - n % 5, 2, 4, 3, note=PAYLOADS[n])
            for n, a in enumerate(ids)
        ],
    )
    FIELDS_SEEDED.append("assessment.note")
    kind = p.activity_types[0].id
    activity = activities.record_activity(
        db,
        LEAD,
        p.id,
        ActivityInput(
            kind, p.stages[0].id, PAYLOADS[0], DAY, place=PAYLOADS[1], summary=PAYLOADS[2],
            agreements=PAYLOADS[3], headcount=12,
        ),
        [Attendee(ids[0])],
    )  # fmt: skip
    FIELDS_SEEDED.extend(f"activity.{f}" for f in ("title", "place", "summary", "agreements"))
    found = inputs.add_input(
        db,
        LEAD,
        p.id,
        InputInput(PAYLOADS[4], DAY, ids[1], topic=PAYLOADS[0], activity_id=activity.id),
    )
    inputs.respond_to_input(db, LEAD, found.id, "accepted", PAYLOADS[2], DAY, None)
    FIELDS_SEEDED.extend(["input.text", "input.topic", "input.reasoning"])
    commitments.add_commitment(
        db, LEAD, p.id, CommitmentInput(PAYLOADS[3], description=PAYLOADS[4], responsible_id=ids[0])
    )
    FIELDS_SEEDED.extend(["commitment.title", "commitment.description"])
    return p.id


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApp, int]]:
    data_dir = tmp_path_factory.mktemp("tejido-xss")
    url = f"sqlite:///{data_dir / 'tejido.db'}"
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    program_id = _seed(db)
    db.dispose()
    with running_app(data_dir, url) as app:
        yield app, program_id


@pytest.mark.parametrize("lang", ["es", "en"])
def test_script_like_text_never_runs_on_any_page(
    page: Page, hostile_app: tuple[LiveApp, int], lang: str
) -> None:
    app, program_id = hostile_app
    paths = navigation_paths()
    assert set(SHOWN) <= set(paths)
    missing: dict[str, list[str]] = {}
    for path in paths:
        goto(page, app, path, lang=lang, program=program_id)
        page.mouse.move(700, 450)  # hover over whatever is in the middle
        page.wait_for_timeout(300)
        wanted = [PAYLOADS[i] for i in SHOWN.get(path, ())]
        shown = _shown_text(page, wanted)
        missing.update({path: [p for p in wanted if p not in shown]} if wanted else {})
    assert {path: gone for path, gone in missing.items() if gone} == {}
    assert {p for path in SHOWN for p in (PAYLOADS[i] for i in SHOWN[path])} == set(PAYLOADS)
    # payloads x fields x pages tried, for the report
    fields = len(set(FIELDS_SEEDED))
    print(f"XSS: {len(PAYLOADS)} payloads x {fields} fields x {len(paths)} pages ({lang})")


def _shown_text(page: Page, wanted: list[str], tries: int = 40) -> str:
    """The page's visible text: the main area plus the cells of its tables (drawn on a
    canvas, their text sits in a hidden accessible table). Tables fill in a moment after
    the script ends, so this reads again (up to ``tries`` times) until ``wanted`` shows."""
    text = ""
    for _ in range(tries):
        frames = page.locator("[data-testid='stDataFrame']")
        cells = [frames.nth(i).evaluate("e => e.textContent") for i in range(frames.count())]
        text = "\n".join([main_text(page), *cells])
        if all(payload in text for payload in wanted):
            break
        page.wait_for_timeout(250)
    return text


@pytest.mark.parametrize("attack", ["'; DROP TABLE actor; --", "%' OR 1=1 --", '" OR ""="'])
def test_search_treats_sql_as_text(
    page: Page, hostile_app: tuple[LiveApp, int], attack: str
) -> None:
    app, program_id = hostile_app
    goto(page, app, "actors", program=program_id)
    box = page.get_by_label("Buscar", exact=True)
    box.fill(attack)
    box.press("Enter")
    wait_for_rerun(page)
    assert "#0" not in main_text(page)  # no actor matches: the text was only text
    database = Path(str(app.db_url).removeprefix("sqlite:///"))
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM actor").fetchone() == (len(PAYLOADS),)
