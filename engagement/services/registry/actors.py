"""The actor registry: add, edit, delete and restore the actors of a program."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import ActorNotFound, DuplicateActor, Problem, ValidationFailed
from engagement.model import ActorInfo, Principal
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require, require_owned
from engagement.services.concurrency import check_version
from engagement.storage.db import Database
from engagement.storage.models import Actor, Sector
from engagement.storage.queries.registry import actor_info
from engagement.text import clean_name, name_key, split_multi
from engagement.values import Confidentiality

ACTOR_FIELDS = (
    "name",
    "sector_id",
    "description",
    "tags",
    "territory",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "consent_to_contact",
    "confidentiality",
    "last_verified",
    "custom_fields",
    "external_id",
)
_TEXT_LIMITS = {"description": 5000, "territory": 200, "contact_name": 200}


def clean_actor_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Normalise actor fields and list every problem (nothing is raised)."""
    unknown = set(fields) - set(ACTOR_FIELDS)
    if unknown:
        raise ValueError(f"unknown actor fields: {sorted(unknown)}")
    out, problems = dict(fields), []
    if "name" in fields:
        out["name"] = clean_name(str(fields["name"] or ""))
        problems += validation.text_rule("name", out["name"], required=True)
    for key, limit in _TEXT_LIMITS.items():
        if key in fields:
            out[key] = str(fields[key] or "").strip()
            problems += validation.text_rule(key, out[key], max_len=limit)
    if "tags" in fields:
        raw = fields["tags"]
        out["tags"] = split_multi(raw) if isinstance(raw, str) else split_multi("|".join(raw or []))
    if "website" in fields:
        out["website"] = validation.normalise_website(str(fields["website"] or ""))
        problems += validation.website_rule(out["website"])
    if "contact_email" in fields:
        out["contact_email"] = str(fields["contact_email"] or "").strip()
        problems += validation.email_rule(out["contact_email"])
    if "contact_phone" in fields:
        out["contact_phone"] = str(fields["contact_phone"] or "").strip()
        problems += validation.phone_rule(out["contact_phone"])
    if "confidentiality" in fields and Confidentiality.parse(fields["confidentiality"]) is None:
        problems.append(
            Problem("confidentiality", "not_in_list", {"value": fields["confidentiality"]})
        )
    if "last_verified" in fields:
        out["last_verified"], found = validation.clean_date(
            "last_verified", fields["last_verified"], not_future=True
        )
        problems += found
    if "consent_to_contact" in fields:
        out["consent_to_contact"] = bool(fields["consent_to_contact"])
    return out, problems


def live_actor_named(session: Session, program_id: int, name: str) -> Actor | None:
    return session.scalars(
        select(Actor).where(
            Actor.program_id == program_id,
            Actor.name_key == name_key(name),
            Actor.deleted_at.is_(None),
        )
    ).first()


def _check_sector(session: Session, program_id: int, sector_id: Any) -> list[Problem]:
    if sector_id is None:
        return []
    sector = session.get(Sector, sector_id) if isinstance(sector_id, int) else None
    if sector is None or sector.program_id != program_id:
        return [Problem("sector_id", "not_in_list", {"value": sector_id})]
    return []


def insert_actor(
    session: Session,
    by: Principal,
    program_id: int,
    fields: dict[str, Any],
    batch_id: int | None = None,
) -> Actor:
    """Insert a validated actor inside an open write transaction."""
    require(by, program_id, Action.ADD_ACTOR)
    cleaned, problems = clean_actor_fields(fields)
    problems += _check_sector(session, program_id, cleaned.get("sector_id"))
    if problems:
        raise ValidationFailed(problems)
    existing = live_actor_named(session, program_id, cleaned["name"])
    if existing is not None:
        raise DuplicateActor(name=cleaned["name"], existing=existing.name)
    row = Actor(program_id=program_id, name_key=name_key(cleaned["name"]), **cleaned)
    session.add(row)
    session.flush()
    audit.record(session, by, program_id, "actor", row.id, "create", cleaned, batch_id)
    return row


def change_actor(
    session: Session,
    by: Principal,
    row: Actor,
    changes: dict[str, Any],
    batch_id: int | None = None,
) -> dict[str, list[Any]]:
    """Apply validated changes to a live actor; return the field-level diff."""
    require_owned(session, by, row.program_id, Action.EDIT_REGISTRY, "actor", row.id)
    cleaned, problems = clean_actor_fields(changes)
    problems += _check_sector(session, row.program_id, cleaned.get("sector_id"))
    if problems:
        raise ValidationFailed(problems)
    if "name" in cleaned and name_key(cleaned["name"]) != row.name_key:
        other = live_actor_named(session, row.program_id, cleaned["name"])
        if other is not None and other.id != row.id:
            raise DuplicateActor(name=cleaned["name"], existing=other.name)
    diff = audit.diff({k: getattr(row, k) for k in cleaned}, cleaned)
    if not diff:
        return diff
    for key in diff:
        setattr(row, key, cleaned[key])
    if "name" in diff:
        row.name_key = name_key(row.name)
    session.flush()
    audit.record(session, by, row.program_id, "actor", row.id, "update", diff, batch_id)
    return diff


def add_actor(db: Database, by: Principal, program_id: int, fields: dict[str, Any]) -> ActorInfo:
    with db.writing() as session:
        return actor_info(insert_actor(session, by, program_id, fields))


def update_actor(
    db: Database,
    by: Principal,
    actor_id: int,
    changes: dict[str, Any],
    expected_version: int | None,
) -> ActorInfo:
    """Edit an actor; refuse with StaleEdit if someone saved it since ``expected_version``."""
    with db.writing() as session:
        row = _live(session, actor_id)
        check_version(session, "actor", row.id, row.name, row.version, expected_version)
        change_actor(session, by, row, changes)
        return actor_info(row)


def delete_actor(
    db: Database, by: Principal, actor_id: int, expected_version: int | None = None
) -> None:
    """Soft-delete: the actor, its assessments and ties are kept and can be restored."""
    with db.writing() as session:
        row = _live(session, actor_id)
        require_owned(session, by, row.program_id, Action.EDIT_REGISTRY, "actor", row.id)
        check_version(session, "actor", row.id, row.name, row.version, expected_version)
        audit.mark_deleted(session, by, row, "actor", deleted=True)


def restore_actor(db: Database, by: Principal, actor_id: int) -> ActorInfo:
    with db.writing() as session:
        row = session.get(Actor, actor_id, with_for_update=True)
        if row is None or row.deleted_at is None:
            raise ActorNotFound(key=actor_id)
        require_owned(session, by, row.program_id, Action.EDIT_REGISTRY, "actor", row.id)
        clash = live_actor_named(session, row.program_id, row.name)
        if clash is not None:
            raise DuplicateActor(name=row.name, existing=clash.name)
        audit.mark_deleted(session, by, row, "actor", deleted=False)
        return actor_info(row)


def _live(session: Session, actor_id: int) -> Actor:
    # Locked for the rest of the write transaction, so the version check sees the latest
    # committed version (PostgreSQL reads committed; SQLite already holds the write lock).
    row = session.get(Actor, actor_id, with_for_update=True)
    if row is None or row.deleted_at is not None:
        raise ActorNotFound(key=actor_id)
    return row
