"""The tables of Tejido: programs, their lists, actors, ties, assessments, imports,
the audit trail, map layouts and Decidim links. Typed SQLAlchemy 2 declarative models.

Engagement tracking has its own module (:mod:`engagement.storage.tracking_models`),
imported here so that every table is in the metadata wherever models are used;
accounts are in :mod:`engagement.storage.access_models`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.storage import tracking_models  # noqa: F401  (registers the tracking tables)
from engagement.storage.base import Base, Term, choice, created_at, intpk, utcnow
from engagement.values import Confidentiality

#: Central America and most of Mexico keep UTC-6 all year; a program changes it in settings.
DEFAULT_TIME_ZONE = "America/Guatemala"


class Program(Base):
    __tablename__ = "program"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    municipality: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    power_threshold: Mapped[int] = mapped_column(Integer, default=3)
    stale_days: Mapped[int] = mapped_column(Integer, default=45)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    #: IANA time zone of the program's municipality: imported UTC times are shown in it.
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Bumped by every write in the program; caches of derived data key on it.
    data_version: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    stages: Mapped[list[Stage]] = relationship(
        back_populates="program", order_by="Stage.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("power_threshold BETWEEN 1 AND 5", name="threshold_range"),)


class Stage(Term, Base):
    __tablename__ = "stage"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    program: Mapped[Program] = relationship(back_populates="stages")

    __table_args__ = (UniqueConstraint("program_id", "key"),)


class Sector(Term, Base):
    __tablename__ = "sector"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    __table_args__ = (UniqueConstraint("program_id", "key"),)


class TieType(Term, Base):
    __tablename__ = "tie_type"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    #: Negative ties (conflict) are drawn red and dashed and never carry introductions.
    negative: Mapped[bool] = mapped_column(Boolean, default=False)
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (UniqueConstraint("program_id", "key"),)


class Actor(Base):
    __tablename__ = "actor"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    #: Name folded for duplicate detection (case, accents, spaces ignored).
    name_key: Mapped[str] = mapped_column(String(200))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(default=list)
    territory: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(80), default="")
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    confidentiality: Mapped[Confidentiality] = mapped_column(
        choice(Confidentiality, "confidentiality"), default=Confidentiality.NORMAL
    )
    last_verified: Mapped[dt.date | None] = mapped_column(Date)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Identifier from an imported file (Kumu ``ID``): re-import updates, never duplicates.
    external_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    sector: Mapped[Sector | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index(
            "uq_actor_live_name",
            "program_id",
            "name_key",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )


class Assessment(Base):
    """A dated judgement of one actor in one stage. Never updated: a new one is a new row."""

    __tablename__ = "assessment"

    id: Mapped[intpk]
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(200), default="")
    power: Mapped[int] = mapped_column(Integer)
    interest: Mapped[int] = mapped_column(Integer)
    legitimacy: Mapped[bool] = mapped_column(Boolean, default=False)
    urgency: Mapped[bool] = mapped_column(Boolean, default=False)
    engagement_current: Mapped[int] = mapped_column(Integer)
    engagement_desired: Mapped[int] = mapped_column(Integer)
    participation_target: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    created_by: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        CheckConstraint("power BETWEEN 1 AND 5", name="power_range"),
        CheckConstraint("interest BETWEEN 1 AND 5", name="interest_range"),
        CheckConstraint("engagement_current BETWEEN 1 AND 5", name="current_range"),
        CheckConstraint("engagement_desired BETWEEN 1 AND 5", name="desired_range"),
        CheckConstraint("participation_target BETWEEN 1 AND 5", name="participation_range"),
    )


class Relationship(Base):
    __tablename__ = "relationship"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    tie_type_id: Mapped[int] = mapped_column(ForeignKey("tie_type.id"))
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    strength: Mapped[int] = mapped_column(Integer, default=2)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source_info: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(default=list)
    external_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    tie_type: Mapped[TieType] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="no_self_tie"),
        CheckConstraint("strength BETWEEN 1 AND 3", name="strength_range"),
    )


class ImportBatch(Base):
    """One import: what was written, so that it can be undone."""

    __tablename__ = "import_batch"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[created_at]
    username: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(500), default="")
    #: How the files were laid out: ``tejido`` (our template), ``kumu`` or ``activities``.
    layout: Mapped[str] = mapped_column(String(20), default="", server_default="")
    #: The formats of the files, sorted: ``["csv"]``, ``["csv", "xlsx"]``…
    formats: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    undone_at: Mapped[dt.datetime | None]


class AuditEntry(Base):
    """Who changed what, when: field-level old → new."""

    __tablename__ = "audit_entry"

    id: Mapped[intpk]
    at: Mapped[created_at]
    username: Mapped[str] = mapped_column(String(200))
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    #: {field: [old, new]} with JSON-safe values.
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class MapLayout(Base):
    """The stored network-map layout of a program: which graph it was computed for.

    ``fingerprint`` hashes the actors and ties the positions were computed from; when
    the graph changes the layout is computed again (once), never per page view.
    ``revision`` grows with every change of positions, so cached map views refresh.
    """

    __tablename__ = "map_layout"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MapPosition(Base):
    """Where one actor sits on its program's network map.

    ``pinned`` marks a position a user dragged: kept when the layout is computed again,
    dropped by "reset arrangement".
    """

    __tablename__ = "map_position"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), unique=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class DecidimLink(Base):
    """A row imported from a Decidim installation: which Tejido row it became.

    Keyed by installation host, resource type and Decidim id, so a later download updates
    the same row. ``imported`` holds the values the last import wrote, so that edits
    made in Tejido since are seen as conflicts, not overwritten.
    """

    __tablename__ = "decidim_link"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    host: Mapped[str] = mapped_column(String(255))
    resource: Mapped[str] = mapped_column(String(20))
    decidim_id: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    imported: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (UniqueConstraint("program_id", "host", "resource", "decidim_id"),)
