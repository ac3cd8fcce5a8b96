"""Ties between actors: add, edit, delete and restore."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from engagement.errors import (
    ActorNotFound,
    DuplicateRelationship,
    Problem,
    RelationshipNotFound,
    SelfTie,
    ValidationFailed,
)
from engagement.model import Principal, RelationshipInfo
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require, require_owned
from engagement.services.concurrency import check_version
from engagement.storage.db import Database
from engagement.storage.models import Actor, Relationship, TieType
from engagement.text import split_multi

REL_FIELDS = (
    "source_id",
    "target_id",
    "tie_type_id",
    "directed",
    "strength",
    "valid_from",
    "valid_to",
    "source_info",
    "note",
    "tags",
    "external_id",
)


def clean_relationship_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    unknown = set(fields) - set(REL_FIELDS)
    if unknown:
        raise ValueError(f"unknown relationship fields: {sorted(unknown)}")
    out, problems = dict(fields), []
    if "strength" in fields:
        problems += validation.int_rule("strength", fields["strength"], 1, 3)
    for key in ("source_info", "note"):
        if key in fields:
            out[key] = str(fields[key] or "").strip()
            problems += validation.text_rule(key, out[key], max_len=5000)
    for key in ("valid_from", "valid_to"):
        if key in fields:
            out[key], found = validation.clean_date(key, fields[key])
            problems += found
    if not problems:
        problems += validation.date_order_rule(
            out.get("valid_from"), out.get("valid_to"), "valid_to"
        )
    if "tags" in fields:
        raw = fields["tags"]
        out["tags"] = split_multi(raw) if isinstance(raw, str) else split_multi("|".join(raw or []))
    if "directed" in fields:
        out["directed"] = bool(fields["directed"])
    return out, problems


def relationship_info(row: Relationship, tie_key: str | None = None) -> RelationshipInfo:
    return RelationshipInfo(
        id=row.id,
        program_id=row.program_id,
        source_id=row.source_id,
        target_id=row.target_id,
        tie_type_id=row.tie_type_id,
        tie_type_key=tie_key if tie_key is not None else row.tie_type.key,
        directed=row.directed,
        strength=row.strength,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source_info=row.source_info,
        note=row.note,
        tags=tuple(row.tags or ()),
        external_id=row.external_id,
        version=row.version,
        deleted=row.deleted_at is not None,
    )


def _check_endpoints(session: Session, program_id: int, values: dict[str, Any]) -> None:
    for key in ("source_id", "target_id"):
        actor = session.get(Actor, values[key])
        if actor is None or actor.program_id != program_id or actor.deleted_at is not None:
            raise ActorNotFound(key=values[key], field=key)
    if values["source_id"] == values["target_id"]:
        raise SelfTie(actor=session.get(Actor, values["source_id"]).name)  # type: ignore[union-attr]
    tie = session.get(TieType, values["tie_type_id"])
    if tie is None or tie.program_id != program_id:
        raise ValidationFailed(
            [Problem("tie_type_id", "not_in_list", {"value": values["tie_type_id"]})]
        )


def find_duplicate(
    session: Session, program_id: int, values: dict[str, Any], own_id: int | None = None
) -> Relationship | None:
    """A live tie with the same ends and type (either order when undirected)."""
    s, t = values["source_id"], values["target_id"]
    same_way = and_(Relationship.source_id == s, Relationship.target_id == t)
    ends = (
        same_way
        if values.get("directed", True)
        else or_(same_way, and_(Relationship.source_id == t, Relationship.target_id == s))
    )
    stmt = select(Relationship).where(
        Relationship.program_id == program_id,
        Relationship.deleted_at.is_(None),
        Relationship.tie_type_id == values["tie_type_id"],
        ends,
    )
    if own_id is not None:
        stmt = stmt.where(Relationship.id != own_id)
    return session.scalars(stmt).first()


def _names(session: Session, values: dict[str, Any]) -> dict[str, str]:
    source, target = (
        session.get(Actor, values["source_id"]),
        session.get(Actor, values["target_id"]),
    )
    return {"source": source.name if source else "?", "target": target.name if target else "?"}


def insert_relationship(
    session: Session,
    by: Principal,
    program_id: int,
    fields: dict[str, Any],
    batch_id: int | None = None,
) -> Relationship:
    """Insert a validated tie inside an open write transaction."""
    require(by, program_id, Action.EDIT_REGISTRY)
    cleaned, problems = clean_relationship_fields(fields)
    missing = [k for k in ("source_id", "target_id", "tie_type_id") if cleaned.get(k) is None]
    problems += [Problem(k, "required") for k in missing]
    if problems:
        raise ValidationFailed(problems)
    _check_endpoints(session, program_id, cleaned)
    if "directed" not in cleaned:
        tie = session.get(TieType, cleaned["tie_type_id"])
        cleaned["directed"] = tie.directed if tie else True
    if find_duplicate(session, program_id, cleaned) is not None:
        raise DuplicateRelationship(**_names(session, cleaned))
    row = Relationship(program_id=program_id, **cleaned)
    session.add(row)
    session.flush()
    audit.record(session, by, program_id, "relationship", row.id, "create", cleaned, batch_id)
    return row


def change_relationship(
    session: Session,
    by: Principal,
    row: Relationship,
    changes: dict[str, Any],
    batch_id: int | None = None,
) -> dict[str, list[Any]]:
    require_owned(session, by, row.program_id, Action.EDIT_REGISTRY, "relationship", row.id)
    cleaned, problems = clean_relationship_fields(changes)
    merged = {k: getattr(row, k) for k in REL_FIELDS} | cleaned
    problems += validation.date_order_rule(merged["valid_from"], merged["valid_to"], "valid_to")
    if problems:
        raise ValidationFailed(problems)
    _check_endpoints(session, row.program_id, merged)
    if find_duplicate(session, row.program_id, merged, own_id=row.id) is not None:
        raise DuplicateRelationship(**_names(session, merged))
    diff = audit.diff({k: getattr(row, k) for k in cleaned}, cleaned)
    for key in diff:
        setattr(row, key, cleaned[key])
    if diff:
        session.flush()
        audit.record(session, by, row.program_id, "relationship", row.id, "update", diff, batch_id)
    return diff


def add_relationship(
    db: Database, by: Principal, program_id: int, fields: dict[str, Any]
) -> RelationshipInfo:
    with db.writing() as session:
        return relationship_info(insert_relationship(session, by, program_id, fields))


def update_relationship(
    db: Database, by: Principal, rel_id: int, changes: dict[str, Any], expected_version: int | None
) -> RelationshipInfo:
    with db.writing() as session:
        row = _live(session, rel_id)
        names = _names(session, {"source_id": row.source_id, "target_id": row.target_id})
        label = f"{names['source']} → {names['target']}"
        check_version(session, "relationship", row.id, label, row.version, expected_version)
        change_relationship(session, by, row, changes)
        return relationship_info(row)


def delete_relationship(db: Database, by: Principal, rel_id: int) -> None:
    with db.writing() as session:
        row = _live(session, rel_id)
        require_owned(session, by, row.program_id, Action.EDIT_REGISTRY, "relationship", row.id)
        audit.mark_deleted(session, by, row, "relationship", deleted=True)


def restore_relationship(db: Database, by: Principal, rel_id: int) -> RelationshipInfo:
    with db.writing() as session:
        row = session.get(Relationship, rel_id)
        if row is None or row.deleted_at is None:
            raise RelationshipNotFound(key=rel_id)
        require_owned(session, by, row.program_id, Action.EDIT_REGISTRY, "relationship", row.id)
        values = {k: getattr(row, k) for k in REL_FIELDS}
        _check_endpoints(session, row.program_id, values)
        if find_duplicate(session, row.program_id, values, own_id=row.id) is not None:
            raise DuplicateRelationship(**_names(session, values))
        audit.mark_deleted(session, by, row, "relationship", deleted=False)
        return relationship_info(row)


def _live(session: Session, rel_id: int) -> Relationship:
    row = session.get(Relationship, rel_id, with_for_update=True)
    if row is None or row.deleted_at is not None:
        raise RelationshipNotFound(key=rel_id)
    return row
