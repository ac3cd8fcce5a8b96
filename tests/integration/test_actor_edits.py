"""Quick edits of several actors: one transaction, version-checked, problems by row."""

from __future__ import annotations

import pytest

from engagement.errors import DuplicateActor, StaleEdit, ValidationFailed
from engagement.model import Principal, ProgramInfo
from engagement.services.registry import actors, programs
from engagement.services.registry.actor_edits import ActorChange, apply_actor_changes
from engagement.storage.db import Database
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import registry as stored_registry

ME, OTHER = Principal("local"), Principal("marta")


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    return programs.create_program(db, ME, "Impulso Local")


@pytest.fixture
def three(db: Database, program: ProgramInfo) -> list[int]:
    names = ("Alcaldía", "Concejo", "Red Ciudadana")
    return [actors.add_actor(db, ME, program.id, {"name": n}).id for n in names]


def test_all_changes_are_saved_with_audit(
    db: Database, program: ProgramInfo, three: list[int]
) -> None:
    changed = apply_actor_changes(
        db,
        ME,
        [
            ActorChange(three[0], {"territory": "Casco urbano"}, 1, row=1),
            ActorChange(three[2], {"name": "Red Ciudadana GT", "tags": ["red"]}, 1, row=3),
            ActorChange(three[1], {"territory": ""}, 1, row=2),  # no real change
        ],
    )
    assert changed == 2
    assert stored_registry.get_actor(db, three[0]).territory == "Casco urbano"
    renamed = stored_registry.get_actor(db, three[2])
    assert (renamed.name, renamed.tags, renamed.version) == ("Red Ciudadana GT", ("red",), 2)
    log = stored_audit.audit_log(db, program.id, entity="actor")
    assert log.iloc[0]["changes"] == {
        "name": ["Red Ciudadana", "Red Ciudadana GT"],
        "tags": [[], ["red"]],
    }


def test_a_bad_value_writes_nothing_and_names_every_row(
    db: Database, program: ProgramInfo, three: list[int]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        apply_actor_changes(
            db,
            ME,
            [
                ActorChange(three[0], {"territory": "Casco urbano"}, 1, row=1),
                ActorChange(three[1], {"contact_email": "no-mail"}, 1, row=2),
                ActorChange(three[2], {"name": " "}, 1, row=3),
            ],
        )
    assert [(p.row, p.field, p.code) for p in caught.value.problems] == [
        (2, "contact_email", "bad_email"),
        (3, "name", "required"),
    ]
    assert stored_registry.get_actor(db, three[0]).territory == ""


def test_a_stale_actor_refuses_the_whole_batch_naming_who(
    db: Database, program: ProgramInfo, three: list[int]
) -> None:
    actors.update_actor(db, OTHER, three[1], {"description": "cambio"}, None)
    with pytest.raises(StaleEdit) as caught:
        apply_actor_changes(
            db,
            ME,
            [
                ActorChange(three[0], {"territory": "Casco urbano"}, 1),
                ActorChange(three[1], {"territory": "Zona 1"}, 1),
            ],
        )
    assert caught.value.params["changed_by"] == "marta"
    assert caught.value.params["name"] == "Concejo"
    assert stored_registry.get_actor(db, three[0]).territory == ""


def test_a_duplicate_name_refuses_the_whole_batch(
    db: Database, program: ProgramInfo, three: list[int]
) -> None:
    with pytest.raises(DuplicateActor):
        apply_actor_changes(
            db,
            ME,
            [
                ActorChange(three[0], {"territory": "Casco urbano"}, 1),
                ActorChange(three[1], {"name": "ALCALDIA"}, 1),
            ],
        )
    assert stored_registry.get_actor(db, three[0]).territory == ""
