"""The tables of engagement tracking: activities and who attended, follow-up tasks,
inputs and the answers to them, commitments with their milestones and links, snapshots
and evidence. Typed SQLAlchemy 2 declarative models (the registry's are in
:mod:`engagement.storage.models`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.storage.base import Base, Term, choice, created_at, intpk, utcnow
from engagement.values import (
    AttendanceRole,
    CommitmentStatus,
    EvidenceKind,
    InputResponse,
    Sentiment,
    TaskStatus,
)

# --- Engagement tracking (activities, inputs, commitments, snapshots) -------------------


class ActivityType(Term, Base):
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
