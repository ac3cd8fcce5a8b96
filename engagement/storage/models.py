"""The tables of Tejido. Typed SQLAlchemy 2 declarative models."""

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
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.storage.base import Base, choice, created_at, intpk, utcnow
from engagement.values import (
    AttendanceRole,
    CommitmentStatus,
    Confidentiality,
    EvidenceKind,
    InputResponse,
    Sentiment,
    TaskStatus,
)

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


# --- Engagement tracking (activities, inputs, commitments, snapshots) -------------------


class ActivityType(_Term, Base):
    __tablename__ = "activity_type"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    #: Activities of this type count as meetings of the multi-stakeholder forum (OGP 1).
    forum: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (UniqueConstraint("program_id", "key"),)


class Activity(Base):
    """Something held with stakeholders: a workshop, a forum, a mentoring call..."""

    __tablename__ = "activity"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    activity_type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(300), default="")
    #: Names of the people who facilitated (team members, trained facilitators).
    facilitators: Mapped[list[str]] = mapped_column(default=list)
    participation_target: Mapped[int | None] = mapped_column(Integer)
    participation_reached: Mapped[int | None] = mapped_column(Integer)
    #: Anonymous headcount: people present, whether or not they are registered actors.
    #: None when the count is unknown (a Decidim meeting never closed), not 0.
    headcount: Mapped[int | None] = mapped_column(Integer, default=0)
    #: Optional breakdown: {"gender": {key: n}, "age": {key: n}}.
    headcount_detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[list[str]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    agreements: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    activity_type: Mapped[ActivityType] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_activity_program_held", "program_id", "held_on"),
        CheckConstraint("headcount >= 0", name="headcount_positive"),
        CheckConstraint("participation_target BETWEEN 1 AND 5", name="target_range"),
        CheckConstraint("participation_reached BETWEEN 1 AND 5", name="reached_range"),
    )


class Attendance(Base):
    """An actor present at an activity, in a role, with the sentiment seen."""

    __tablename__ = "attendance"

    id: Mapped[intpk]
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    role: Mapped[AttendanceRole] = mapped_column(
        choice(AttendanceRole, "attendance_role"), default=AttendanceRole.PARTICIPANT
    )
    sentiment: Mapped[Sentiment | None] = mapped_column(choice(Sentiment, "sentiment"))

    activity: Mapped[Activity] = relationship(back_populates="attendance")

    __table_args__ = (UniqueConstraint("activity_id", "actor_id"),)


class FollowUpTask(Base):
    """Something someone must do after an activity."""

    __tablename__ = "follow_up_task"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[TaskStatus] = mapped_column(
        choice(TaskStatus, "task_status"), default=TaskStatus.OPEN
    )
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Input(Base):
    """An input or proposal received, and the program's reasoned response (OGP 4)."""

    __tablename__ = "input"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), index=True
    )
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id"))
    received_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    #: Who raised it; None means anonymous.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(200), default="")
    response: Mapped[InputResponse | None] = mapped_column(choice(InputResponse, "input_response"))
    reasoning: Mapped[str] = mapped_column(Text, default="")
    responded_on: Mapped[dt.date | None] = mapped_column(Date)
    responded_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Commitment(Base):
    """A promise the program made, with milestones and who answers for it."""

    __tablename__ = "commitment"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id"))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(
        choice(CommitmentStatus, "commitment_status"), default=CommitmentStatus.OPEN
    )
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    milestones: Mapped[list[Milestone]] = relationship(
        order_by="Milestone.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class Milestone(Base):
    __tablename__ = "milestone"

    id: Mapped[intpk]
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),)


class CommitmentActor(Base):
    """A co-responsible actor of a commitment."""

    __tablename__ = "commitment_actor"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True
    )


class CommitmentActivity(Base):
    __tablename__ = "commitment_activity"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )


class CommitmentInput(Base):
    __tablename__ = "commitment_input"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True
    )
    input_id: Mapped[int] = mapped_column(
        ForeignKey("input.id", ondelete="CASCADE"), primary_key=True
    )


class Snapshot(Base):
    """The program frozen at one moment: actors, latest assessments, ties, measures."""

    __tablename__ = "snapshot"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[created_at]
    taken_by: Mapped[str] = mapped_column(String(200), default="")
    #: Set when the snapshot was taken automatically because this stage was closed.
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id", ondelete="SET NULL"))
    stage_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    #: {"actors": [...], "assessments": [...], "ties": [...], "measures": [...]}.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (UniqueConstraint("program_id", "name"),)


class EvidenceItem(Base):
    """A published piece of evidence about the process (OGP standard 2): what, when, where."""

    __tablename__ = "evidence_item"

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    published_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[EvidenceKind] = mapped_column(
        choice(EvidenceKind, "evidence_kind"), default=EvidenceKind.OTHER
    )
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500), default="")
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"))
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitment.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]
    deleted_at: Mapped[dt.datetime | None]


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
