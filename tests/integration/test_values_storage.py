"""The value lists round-trip through the database: stored as their plain strings (so
existing data needs no migration), read back as enum members."""

from __future__ import annotations

from sqlalchemy import select, text

from engagement.model import Principal
from engagement.services.registry import actors, programs
from engagement.storage.db import Database
from engagement.storage.models import Actor
from engagement.storage.queries import registry as stored_registry
from engagement.values import Confidentiality

ANA = Principal("ana")


def test_a_restricted_actor_is_stored_as_text_and_read_as_a_member(db: Database) -> None:
    pid = programs.create_program(db, ANA, "Valores").id
    info = actors.add_actor(db, ANA, pid, {"name": "Vecina", "confidentiality": "restricted"})
    with db.reading() as session:
        raw = session.execute(
            text("SELECT confidentiality FROM actor WHERE id = :id"), {"id": info.id}
        ).scalar_one()
        read = session.scalar(select(Actor.confidentiality).where(Actor.id == info.id))
    assert raw == "restricted" and type(raw) is str
    assert read is Confidentiality.RESTRICTED
    assert stored_registry.get_actor(db, info.id).confidentiality == "restricted"


def test_a_row_written_as_plain_text_reads_back_as_a_member(db: Database) -> None:
    """What an older version wrote (plain strings) is read without a data migration."""
    pid = programs.create_program(db, ANA, "Antiguos").id
    info = actors.add_actor(db, ANA, pid, {"name": "Junta"})
    with db.writing() as session:
        session.execute(
            text("UPDATE actor SET confidentiality = 'restricted' WHERE id = :id"),
            {"id": info.id},
        )
    assert stored_registry.get_actor(db, info.id).confidentiality is Confidentiality.RESTRICTED
