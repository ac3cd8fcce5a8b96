"""The registry's rows: actors, ties and assessments of a program, as frames."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import aliased

from engagement.errors import ActorNotFound
from engagement.model import ActorInfo
from engagement.storage.db import Database
from engagement.storage.models import Actor, Assessment, Relationship, Sector, Stage, TieType
from engagement.storage.queries.frames import frame_of

ACTOR_COLUMNS = [
    "id", "name", "sector_id", "sector_key", "description", "tags", "territory", "website",
    "contact_name", "contact_email", "contact_phone", "consent_to_contact", "confidentiality",
    "last_verified", "custom_fields", "external_id", "version", "deleted",
]  # fmt: skip


def actors_frame(db: Database, program_id: int, *, deleted: bool = False) -> pd.DataFrame:
    """Live actors of a program (or only the deleted ones), one row each, by name.

    Read as plain rows, not ORM objects (large programs list thousands of actors).
    """
    joined = {"sector_key": Sector.key, "deleted": Actor.deleted_at}
    stmt = (
        select(*(joined[c] if c in joined else getattr(Actor, c) for c in ACTOR_COLUMNS))
        .outerjoin(Sector, Actor.sector_id == Sector.id)
        .where(Actor.program_id == program_id)
        .where(Actor.deleted_at.is_not(None) if deleted else Actor.deleted_at.is_(None))
        .order_by(Actor.name_key)
    )
    with db.reading() as session:
        rows = session.execute(stmt).all()
    frame = frame_of(rows, ACTOR_COLUMNS)
    frame["sector_key"] = frame["sector_key"].replace("", None)
    frame["tags"] = [tuple(tags or ()) for tags in frame["tags"]]
    frame["custom_fields"] = pd.Series(
        [dict(fields or {}) for fields in frame["custom_fields"]], index=frame.index, dtype=object
    )
    frame["deleted"] = [at is not None for at in frame["deleted"]]
    return frame


def actor_info(row: Actor, sector_key: str | None = None) -> ActorInfo:
    return ActorInfo(
        id=row.id,
        program_id=row.program_id,
        name=row.name,
        sector_id=row.sector_id,
        sector_key=sector_key
        if sector_key is not None
        else (row.sector.key if row.sector else None),
        description=row.description,
        tags=tuple(row.tags or ()),
        territory=row.territory,
        website=row.website,
        contact_name=row.contact_name,
        contact_email=row.contact_email,
        contact_phone=row.contact_phone,
        consent_to_contact=row.consent_to_contact,
        confidentiality=row.confidentiality,
        last_verified=row.last_verified,
        custom_fields=dict(row.custom_fields or {}),
        external_id=row.external_id,
        version=row.version,
        deleted=row.deleted_at is not None,
    )


def get_actor(db: Database, actor_id: int) -> ActorInfo:
    with db.reading() as session:
        row = session.get(Actor, actor_id)
        if row is None:
            raise ActorNotFound(key=actor_id)
        return actor_info(row)


REL_COLUMNS = [
    "id", "source_id", "source", "target_id", "target", "tie_type_id", "tie_type_key", "negative",
    "directed", "strength", "valid_from", "valid_to", "source_info", "note", "tags",
    "external_id", "version", "deleted",
]  # fmt: skip


def relationships_frame(db: Database, program_id: int, *, deleted: bool = False) -> pd.DataFrame:
    """Ties of a program whose two actors are live; ``deleted`` lists the deleted ties.

    Columns :data:`REL_COLUMNS` (the fields of ``RelationshipInfo`` with both actors'
    names and whether the tie type is negative). Read as plain rows, not ORM objects: a
    5,000-actor program has tens of thousands of ties and this frame feeds every map.
    """
    src, dst = aliased(Actor), aliased(Actor)
    R = Relationship
    joined = {
        "source": src.name,
        "target": dst.name,
        "tie_type_key": TieType.key,
        "negative": TieType.negative,
        "deleted": R.deleted_at,
    }
    stmt = (
        select(*(joined[c] if c in joined else getattr(R, c) for c in REL_COLUMNS))
        .join(src, R.source_id == src.id)
        .join(dst, R.target_id == dst.id)
        .join(TieType, R.tie_type_id == TieType.id)
        .where(R.program_id == program_id, src.deleted_at.is_(None), dst.deleted_at.is_(None))
        .where(R.deleted_at.is_not(None) if deleted else R.deleted_at.is_(None))
        .order_by(src.name_key, dst.name_key, R.id)
    )
    with db.reading() as session:
        rows = session.execute(stmt).all()
    frame = frame_of(rows, REL_COLUMNS)
    frame["tags"] = [tuple(tags or ()) for tags in frame["tags"]]
    frame["deleted"] = [at is not None for at in frame["deleted"]]
    return frame


HISTORY_COLUMNS = [
    "id", "actor_id", "actor", "stage_id", "stage_key", "stage_position", "assessed_on",
    "assessor", "power", "interest", "legitimacy", "urgency", "engagement_current",
    "engagement_desired", "participation_target", "note", "created_at", "created_by",
]  # fmt: skip


def assessments_frame(db: Database, program_id: int, actor_id: int | None = None) -> pd.DataFrame:
    """Every assessment of live actors (or of one actor), oldest first."""
    stored = {"actor": Actor.name, "stage_key": Stage.key, "stage_position": Stage.position}
    stmt = (
        select(*(stored[c] if c in stored else getattr(Assessment, c) for c in HISTORY_COLUMNS))
        .join(Actor, Assessment.actor_id == Actor.id)
        .join(Stage, Assessment.stage_id == Stage.id)
        .where(Actor.program_id == program_id, Actor.deleted_at.is_(None))
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    if actor_id is not None:
        stmt = stmt.where(Assessment.actor_id == actor_id)
    with db.reading() as session:
        rows = session.execute(stmt).all()
    return frame_of(rows, HISTORY_COLUMNS)
