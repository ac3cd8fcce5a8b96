"""``report --format json``: the dashboard's figures with the documented keys."""

from __future__ import annotations

import datetime as dt
import io
import json

from engagement.cli import main
from engagement.model import Principal
from engagement.services.registry import actors, programs
from engagement.services.tracking import activities, inputs
from engagement.storage.db import Database
from engagement.tracking import ActivityInput, Attendee, InputInput

ANA = Principal("ana")
KEYS = {
    "activities", "citizens_involved", "organisations_participating", "facilitators_active",
    "inputs_received", "inputs_answered", "commitments", "stages", "ogp_checklist",
}  # fmt: skip


def run(db_url: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--database-url", db_url, "--lang", "en", *args], out=out)
    return code, out.getvalue()


def test_report_json_on_an_empty_and_a_used_program(db_url: str, db: Database) -> None:
    program = programs.create_program(db, ANA, "Tejido Tepic")
    code, out = run(db_url, "report", "--program", "tejido tepic", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= KEYS
    assert data["activities"] == 0 and data["citizens_involved"] == 0
    assert data["commitments"] == {
        "open": 0,
        "in_progress": 0,
        "done": 0,
        "referred": 0,
        "dropped": 0,
    }
    assert set(data["stages"]) == {"design", "co_design", "implementation"}
    assert set(data["ogp_checklist"]) == {"forum", "evidence", "responses", "implementation"}
    actor = actors.add_actor(db, ANA, program.id, {"name": "Colectivo"}).id
    workshop = next(t.id for t in program.activity_types if t.key == "workshop")
    design = next(s.id for s in program.stages if s.key == "design")
    held = ActivityInput(
        workshop, design, "Taller", dt.date.today(), headcount=30, facilitators=("Rosa",)
    )
    activities.record_activity(db, ANA, program.id, held, [Attendee(actor)])
    inputs.add_input(db, ANA, program.id, InputInput("Más luz", dt.date.today()))
    code, out = run(
        db_url, "report", "--program", "Tejido Tepic", "--format", "json", "--stage", "Design"
    )
    data = json.loads(out)
    assert data["stage"] == "design"
    assert (data["activities"], data["citizens_involved"], data["organisations_participating"]) == (
        1,
        30,
        1,
    )
    assert data["facilitators_active"] == 1
    assert data["stages"]["co_design"]["activities"] == 0
    assert data["ogp_checklist"]["responses"] == "red"
    code, out = run(db_url, "report", "--program", "Tejido Tepic")
    assert code == 0 and "People involved" in out and "30" in out
    code, out = run(db_url, "report", "--program", "Tejido Tepic", "--stage", "Nope")
    assert code == 1
