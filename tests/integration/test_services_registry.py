"""Programs, actors, ties and assessments through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from engagement.errors import (
    ActorNotFound,
    DuplicateActor,
    DuplicateName,
    DuplicateRelationship,
    InUse,
    SelfTie,
    StaleEdit,
    ValidationFailed,
)
from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services.registry import actors, assessments, programs, relationships, terms
from engagement.storage.db import Database
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from tests.support.reads import read_all

ANA = Principal("ana")
LUIS = Principal("luis")


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    return programs.create_program(db, ANA, "Impulso Local", municipality="Antigua Guatemala")


def sector(program: ProgramInfo, key: str) -> int:
    return next(s.id for s in program.sectors if s.key == key)


def tie(program: ProgramInfo, key: str) -> int:
    return next(t.id for t in program.tie_types if t.key == key)


def test_new_program_has_builtin_lists_in_both_languages(
    db: Database, program: ProgramInfo
) -> None:
    assert [s.label_es for s in program.stages] == [
        "Diseño",
        "Co-diseño",
        "Acompañamiento a la implementación",
    ]
    assert [s.label_en for s in program.stages][2] == "Implementation support"
    assert len(program.sectors) == 11 and len(program.tie_types) == 7
    conflict = next(t for t in program.tie_types if t.key == "conflict")
    assert conflict.negative and not conflict.directed
    assert program.power_threshold == 3


def test_program_names_are_unique_ignoring_case(db: Database, program: ProgramInfo) -> None:
    with pytest.raises(DuplicateName):
        programs.create_program(db, ANA, "impulso local")


def test_actor_duplicates_ignore_case_accents_and_spaces(
    db: Database, program: ProgramInfo
) -> None:
    actors.add_actor(db, ANA, program.id, {"name": "Asociación de Vecinos  San Felipe"})
    with pytest.raises(DuplicateActor) as caught:
        actors.add_actor(db, ANA, program.id, {"name": " asociacion de vecinos san FELIPE "})
    assert caught.value.params["existing"] == "Asociación de Vecinos San Felipe"


def test_actor_validation_names_every_bad_field(db: Database, program: ProgramInfo) -> None:
    with pytest.raises(ValidationFailed) as caught:
        actors.add_actor(
            db,
            ANA,
            program.id,
            {
                "name": " ",
                "contact_email": "no-at-sign",
                "contact_phone": "call me",
                "website": "a b",
            },
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {"name", "contact_email", "contact_phone", "website"}
    assert stored_registry.actors_frame(db, program.id).empty


def test_update_records_field_level_audit_and_bumps_version(
    db: Database, program: ProgramInfo
) -> None:
    actor = actors.add_actor(db, ANA, program.id, {"name": "INGUAT", "territory": "Centro"})
    before = stored_programs.get_program(db, program.id).data_version
    updated = actors.update_actor(
        db,
        LUIS,
        actor.id,
        {"territory": "Casco histórico", "tags": "turismo|patrimonio"},
        actor.version,
    )
    assert updated.version == actor.version + 1
    assert updated.tags == ("turismo", "patrimonio")
    assert stored_programs.get_program(db, program.id).data_version > before
    log = stored_audit.audit_log(db, program.id, entity="actor")
    last = log.iloc[0]
    assert last["username"] == "luis" and last["action"] == "update"
    assert last["changes"]["territory"] == ["Centro", "Casco histórico"]


def test_saving_over_a_newer_version_is_refused_naming_who(
    db: Database, program: ProgramInfo
) -> None:
    actor = actors.add_actor(db, ANA, program.id, {"name": "COCODE El Calvario"})
    actors.update_actor(db, LUIS, actor.id, {"description": "Junta vecinal"}, actor.version)
    with pytest.raises(StaleEdit) as caught:
        actors.update_actor(db, ANA, actor.id, {"description": "otra"}, actor.version)
    assert caught.value.params["changed_by"] == "luis"
    assert stored_registry.get_actor(db, actor.id).description == "Junta vecinal"


def test_delete_keeps_history_and_restore_brings_ties_back(
    db: Database, program: ProgramInfo
) -> None:
    a = actors.add_actor(db, ANA, program.id, {"name": "Municipalidad"})
    b = actors.add_actor(db, ANA, program.id, {"name": "ONU-Hábitat"})
    relationships.add_relationship(
        db,
        ANA,
        program.id,
        {"source_id": a.id, "target_id": b.id, "tie_type_id": tie(program, "funds")},
    )
    actors.delete_actor(db, ANA, b.id)
    assert list(stored_registry.actors_frame(db, program.id)["name"]) == ["Municipalidad"]
    assert stored_registry.relationships_frame(db, program.id).empty
    assert list(stored_registry.actors_frame(db, program.id, deleted=True)["name"]) == [
        "ONU-Hábitat"
    ]
    actors.restore_actor(db, ANA, b.id)
    assert len(stored_registry.relationships_frame(db, program.id)) == 1


def test_restore_refuses_when_the_name_was_reused(db: Database, program: ProgramInfo) -> None:
    a = actors.add_actor(db, ANA, program.id, {"name": "Cámara de Comercio"})
    actors.delete_actor(db, ANA, a.id)
    actors.add_actor(db, ANA, program.id, {"name": "Camara de comercio"})
    with pytest.raises(DuplicateActor):
        actors.restore_actor(db, ANA, a.id)


def test_relationship_rules(db: Database, program: ProgramInfo) -> None:
    a = actors.add_actor(db, ANA, program.id, {"name": "A"})
    b = actors.add_actor(db, ANA, program.id, {"name": "B"})
    collab = tie(program, "collaborates")
    with pytest.raises(SelfTie):
        relationships.add_relationship(
            db, ANA, program.id, {"source_id": a.id, "target_id": a.id, "tie_type_id": collab}
        )
    with pytest.raises(ActorNotFound):
        relationships.add_relationship(
            db, ANA, program.id, {"source_id": a.id, "target_id": 9999, "tie_type_id": collab}
        )
    first = relationships.add_relationship(
        db,
        ANA,
        program.id,
        {"source_id": a.id, "target_id": b.id, "tie_type_id": collab, "strength": 3},
    )
    assert first.directed is False  # collaborates defaults to undirected
    with pytest.raises(DuplicateRelationship):  # undirected: either order is the same tie
        relationships.add_relationship(
            db, ANA, program.id, {"source_id": b.id, "target_id": a.id, "tie_type_id": collab}
        )
    with pytest.raises(ValidationFailed) as caught:
        relationships.add_relationship(
            db,
            ANA,
            program.id,
            {
                "source_id": a.id,
                "target_id": b.id,
                "tie_type_id": tie(program, "funds"),
                "strength": 4,
                "valid_from": dt.date(2024, 5, 1),
                "valid_to": dt.date(2024, 1, 1),
            },
        )
    assert {p.field for p in caught.value.problems} == {"strength"}
    frame = stored_registry.relationships_frame(db, program.id)
    assert list(frame[["source", "target", "strength"]].itertuples(index=False)) == [("A", "B", 3)]


def test_assessments_are_append_only_and_latest_is_current(
    db: Database, program: ProgramInfo
) -> None:
    a = actors.add_actor(db, ANA, program.id, {"name": "Concejo Municipal"})
    design, codesign = program.stages[0].id, program.stages[1].id

    def item(stage: int, day: dt.date, current: int) -> AssessmentInput:
        return AssessmentInput(a.id, stage, day, 5, 4, current, 4, 3, legitimacy=True)

    assessments.record_assessments(db, ANA, program.id, [item(design, dt.date(2024, 2, 1), 2)])
    assessments.record_assessments(db, ANA, program.id, [item(codesign, dt.date(2024, 6, 1), 4)])
    history = stored_registry.assessments_frame(db, program.id, a.id)
    assert list(history["engagement_current"]) == [2, 4]
    latest = read_all(db, program.id).coalition_actors()
    assert latest.iloc[0]["engagement_current"] == 4
    in_design = read_all(db, program.id).coalition_actors(stage_id=design)
    assert in_design.iloc[0]["engagement_current"] == 2


def test_multi_actor_assessment_is_all_or_nothing(db: Database, program: ProgramInfo) -> None:
    a = actors.add_actor(db, ANA, program.id, {"name": "A"})
    stage = program.stages[0].id
    good = AssessmentInput(a.id, stage, dt.date(2024, 3, 1), 3, 3, 3, 4, 2)
    bad = AssessmentInput(a.id, stage, dt.date(2024, 3, 1), 9, 3, 3, 4, 2)
    with pytest.raises(ValidationFailed) as caught:
        assessments.record_assessments(db, ANA, program.id, [good, bad])
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "power")]
    assert stored_registry.assessments_frame(db, program.id).empty


def test_terms_match_either_language_and_aliases(db: Database, program: ProgramInfo) -> None:
    sectors = program.sectors
    assert terms.match_term(sectors, "Gobierno local").key == "municipal_government"  # type: ignore[union-attr]
    assert terms.match_term(sectors, "MUNICIPAL GOVERNMENT").key == "municipal_government"  # type: ignore[union-attr]
    assert terms.match_term(sectors, "Embajada").key == "international_cooperation"  # type: ignore[union-attr]
    assert terms.match_term(sectors, "Iglesia") is None


def test_terms_add_rename_move_and_remove(db: Database, program: ProgramInfo) -> None:
    church = terms.add_term(db, ANA, program.id, "sector", "Iglesias", "Churches")
    assert church.key == "iglesias" and church.position == 11
    with pytest.raises(DuplicateName):
        terms.add_term(db, ANA, program.id, "sector", "churches")
    renamed = terms.update_term(
        db,
        ANA,
        program.id,
        "sector",
        church.id,
        label_es="Iglesias y credos",
        label_en="Faith groups",
    )
    assert renamed.label_en == "Faith groups"
    order = terms.move_term(db, ANA, program.id, "sector", church.id, -11)
    assert order[0].id == church.id
    actors.add_actor(db, ANA, program.id, {"name": "Parroquia", "sector_id": church.id})
    with pytest.raises(InUse):
        terms.remove_term(db, ANA, program.id, "sector", church.id)
    media = sector(program, "media")
    terms.remove_term(db, ANA, program.id, "sector", media)
    assert "media" not in [s.key for s in stored_programs.get_program(db, program.id).sectors]


def test_update_program_settings(db: Database, program: ProgramInfo) -> None:
    updated = programs.update_program(
        db, ANA, program.id, {"power_threshold": 4, "country": "Guatemala"}, program.version
    )
    assert updated.power_threshold == 4 and updated.country == "Guatemala"
    with pytest.raises(StaleEdit):
        programs.update_program(db, ANA, program.id, {"power_threshold": 2}, program.version)
    with pytest.raises(ValidationFailed):
        programs.update_program(db, ANA, program.id, {"power_threshold": 9}, updated.version)
