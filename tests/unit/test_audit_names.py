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


def test_codes_of_value_lists_are_written_as_names() -> None:
    assert NAMES.changes({"role": [None, "viewer"]}, "membership") == {"role": [None, "Consulta"]}
    assert NAMES.changes({"response": [None, "partly_accepted"]}, "input", "respond") == {
        "response": [None, "Aceptado en parte"]
    }
    assert NAMES.changes({"status": "in_progress"}, "commitment", "create") == {
        "status": "En curso"
    }
    assert NAMES.changes({"kind": "page_update"}, "evidence_item", "create")["kind"] != (
        "page_update"
    )


def test_a_new_records_lists_are_its_values_not_an_old_new_pair() -> None:
    created = {
        "co_responsible_ids": [1, 2],
        "tags": ["agua", "aldeas"],
        "attendees": [{"actor_id": 1, "role": "convener", "sentiment": "positive"}],
        "milestones": [["Primera mesa", "2024-10-17", 100]],
        "headcount_detail": {"gender": {"women": 3, "men": 2}},
    }
    assert NAMES.changes(created, "activity", "create") == {
        "co_responsible_ids": "Municipalidad, ONU-Hábitat",
        "tags": "agua, aldeas",
        "attendees": "Municipalidad (Convocante, Positivo)",
        "milestones": "Primera mesa (17/10/2024, 100 %)",
        "headcount_detail": "Mujeres 3, Hombres 2",
    }
    changed = {"tags": [["agua"], ["agua", "aldeas"]]}
    assert NAMES.changes(changed, "actor", "update") == {"tags": ["agua", "agua, aldeas"]}
