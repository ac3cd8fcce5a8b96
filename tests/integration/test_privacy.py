"""Neighbours' data: who sees what, presentation mode, one person's report and erasure."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pandas as pd
import pytest

from engagement.errors import PermissionDenied
from engagement.model import AssessmentInput, Principal
from engagement.services.access import privacy, users
from engagement.services.registry import actors, assessments, programs
from engagement.storage.db import Database
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import registry as stored_registry

LEAD = Principal("cli")
DAY = dt.date(2024, 3, 1)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [3, 1, 2, 4],
            "name": ["Doña Rosa", "Municipalidad", "Don Julio", "Informante"],
            "sector_key": ["citizen", "municipal_government", "citizen", "citizen"],
            "confidentiality": ["normal", "normal", "normal", "restricted"],
            "contact_name": ["Rosa", "Despacho", "Julio", "X"],
            "contact_email": ["rosa@example.org", "a@muni.gt", "", "x@example.org"],
            "contact_phone": ["5555-1234", "", "", ""],
        }
    )


def test_viewers_see_no_restricted_actor_and_no_contact_data() -> None:
    shown = privacy.visible_actors(
        _frame(), see_restricted=False, presentation=False, person_label="Persona"
    )
    assert list(shown["name"]) == ["Doña Rosa", "Municipalidad", "Don Julio"]
    assert set(shown["contact_email"]) == {""} and set(shown["contact_phone"]) == {""}


def test_presentation_hides_citizens_not_organisations() -> None:
    shown = privacy.visible_actors(
        _frame(), see_restricted=True, presentation=True, person_label="Persona"
    )
    assert dict(zip(shown["id"], shown["name"], strict=True)) == {
        1: "Municipalidad",
        2: "Persona 1",
        3: "Persona 2",
        4: "Persona 3",
    }
    assert set(shown["contact_name"]) == {""}


def test_presentation_without_citizens_changes_nothing_and_warns_nothing() -> None:
    organisations = _frame()[lambda f: f["sector_key"] != "citizen"].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shown = privacy.visible_actors(
            organisations, see_restricted=True, presentation=True, person_label="Persona"
        )
        ties = pd.DataFrame({"source_id": [1], "target_id": [1], "source": ["M"], "target": ["M"]})
        renamed = privacy.rename_actors(ties, {}, {"source": "source_id", "target": "target_id"})
    assert list(shown["name"]) == ["Municipalidad"]
    assert shown["name"].dtype == organisations["name"].dtype
    assert list(renamed["source"]) == ["M"] and renamed["source"].dtype == ties["source"].dtype


def test_person_report_and_erasure_keep_the_audit_consistent(db: Database) -> None:
    p = programs.create_program(db, LEAD, "Privacidad")
    citizen = next(s.id for s in p.sectors if s.key == "citizen")
    rosa = actors.add_actor(
        db,
        LEAD,
        p.id,
        {"name": "Doña Rosa", "sector_id": citizen, "contact_phone": "5555-1234"},
    )
    actors.update_actor(db, LEAD, rosa.id, {"contact_email": "rosa@example.org"}, None)
    assessments.record_assessments(
        db, LEAD, p.id, [AssessmentInput(rosa.id, p.stages[0].id, DAY, 2, 5, 3, 4, 2)]
    )
    report = privacy.person_report(db, LEAD, rosa.id)
    assert report["actor"]["contact_phone"] == "5555-1234"
    assert len(report["assessments"]) == 1 and len(report["audit"]) == 2
    json.dumps(report)  # exportable as JSON

    users.create_user(db, LEAD, "mentora", "clave-mentora")
    mentor = users.principal(users.set_role(db, LEAD, "mentora", p.id, "mentor"))
    with pytest.raises(PermissionDenied):
        privacy.erase_person(db, mentor, rosa.id)  # leads only
    privacy.erase_person(db, LEAD, rosa.id)

    erased = stored_registry.get_actor(db, rosa.id)
    assert erased.name == f"[—] {rosa.id}" and erased.contact_phone == ""
    trail = stored_audit.audit_log(db, p.id)
    text = json.dumps(trail.to_dict("records"), default=str, ensure_ascii=False)
    assert "Rosa" not in text and "5555-1234" not in text and "rosa@example.org" not in text
    assert "erase" in set(trail["action"])
    assert len(stored_registry.assessments_frame(db, p.id, rosa.id)) == 1  # history kept
