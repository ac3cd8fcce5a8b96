"""Ids in the audit trail written as names, and what is left when a name is gone."""

from __future__ import annotations

from engagement.services.audit_names import AuditNames

NAMES = AuditNames(
    actors={1: "Municipalidad", 2: "ONU-Hábitat"},
    terms={"sector_id": {10: "Academia"}, "stage_id": {20: "Diseño"}},
    titles={"activity": {30: "Taller de co-diseño"}, "commitment": {40: "Ventanilla única"}},
    ties={50: (1, 2)},
    assessed={60: 2},
)


def test_ids_become_names_in_both_values() -> None:
    changes = {
        "sector_id": [None, 10],
        "source_id": [1, 2],
        "activity_id": 30,
        "commitment_id": [40, None],
        "stage_id": [20, 99],
        "strength": [2, 3],
        "active": [True, False],
    }
    assert NAMES.changes(changes) == {
        "sector_id": [None, "Academia"],
        "source_id": ["Municipalidad", "ONU-Hábitat"],
        "activity_id": "Taller de co-diseño",
        "commitment_id": ["Ventanilla única", None],
        "stage_id": ["Diseño", "#99"],  # a removed list entry keeps its number
        "strength": [2, 3],  # not an id: unchanged
        "active": [True, False],  # booleans are not ids
    }


def test_each_entry_says_what_it_is_about() -> None:
    assert NAMES.subject("actor", 1) == "Municipalidad"
    assert NAMES.subject("relationship", 50) == "Municipalidad → ONU-Hábitat"
    assert NAMES.subject("assessment", 60) == "ONU-Hábitat"
    assert NAMES.subject("activity", 30) == "Taller de co-diseño"
    assert NAMES.subject("actor", 7) == "#7"
    assert NAMES.subject("user", 3) == "#3"
