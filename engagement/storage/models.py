"""The tables of Tejido. Typed SQLAlchemy 2 declarative models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.storage.base import Base, created_at, intpk, utcnow


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


class _Term:
    """Columns shared by the program's editable lists (stages, sectors, tie types).

    ``key`` is a stable slug for built-in entries (translated labels come from the
    catalog); entries a user adds have a ``key`` derived from the name.
    """

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(80))
    label_es: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Stage(_Term, Base):
    __tablename__ = "stage"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    program: Mapped[Program] = relationship(back_populates="stages")

    __table_args__ = (UniqueConstraint("program_id", "key"),)


class Sector(_Term, Base):
    __tablename__ = "sector"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    __table_args__ = (UniqueConstraint("program_id", "key"),)


class TieType(_Term, Base):
    __tablename__ = "tie_type"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    #: Negative ties (conflict) are drawn red and dashed and never carry introductions.
    negative: Mapped[bool] = mapped_column(Boolean, default=False)
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (UniqueConstraint("program_id", "key"),)


CONFIDENTIALITY = ("normal", "restricted")


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
    confidentiality: Mapped[str] = mapped_column(
        Enum(*CONFIDENTIALITY, name="confidentiality", native_enum=False), default="normal"
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
    file_format: Mapped[str] = mapped_column(String(40), default="")
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
