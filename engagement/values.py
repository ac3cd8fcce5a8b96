"""The fixed value lists of the domain, as ``StrEnum``s.

Each member's value is the string stored in the database, written in files and used as
the catalog key suffix (``tracking.task_status.open``), so a member compares equal to
its string and the stored data needs no migration. The storage layer maps these enums
onto its columns (:func:`engagement.storage.base.choice`); services validate input with
:meth:`Choice.parse`. Lists a program can edit (stages, sectors, tie and activity types)
are data, not enums: see :mod:`engagement.vocabulary`.

Examples
--------
>>> TaskStatus("done") is TaskStatus.DONE
True
>>> TaskStatus.parse("archived") is None, TaskStatus.parse("open")
(True, <TaskStatus.OPEN: 'open'>)
>>> f"tracking.task_status.{TaskStatus.IN_PROGRESS}"
'tracking.task_status.in_progress'
>>> Role.values()
('lead', 'mentor', 'facilitator', 'viewer')
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Choice(StrEnum):
    """A fixed list of values; members are their stored strings."""

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every value, in declaration order (the order lists and menus show)."""
        return tuple(member.value for member in cls)

    @classmethod
    def parse(cls, value: object) -> Self | None:
        """The member whose value is ``value``, or ``None`` (never raises)."""
        found = cls._value2member_map_.get(value) if isinstance(value, str) else None
        return found if isinstance(found, cls) else None


class Confidentiality(Choice):
    """Restricted actors (and everyone's contact data) are shown to leads and mentors only."""

    NORMAL = "normal"
    RESTRICTED = "restricted"


class Role(Choice):
    """A user's role in one program (see :mod:`engagement.services.access.permissions`)."""

    LEAD = "lead"
    MENTOR = "mentor"
    FACILITATOR = "facilitator"
    VIEWER = "viewer"


class AttendanceRole(Choice):
    """The part an actor took in an activity."""

    CONVENER = "convener"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class Sentiment(Choice):
    """How an attendee was seen to feel about the program."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class TaskStatus(Choice):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class InputResponse(Choice):
    """The program's reasoned response to an input (OGP standard 4)."""

    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"
    UNDER_REVIEW = "under_review"


class CommitmentStatus(Choice):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REFERRED = "referred"
    DROPPED = "dropped"


class EvidenceKind(Choice):
    """What a published piece of evidence is (OGP standard 2)."""

    MINUTES = "minutes"
    REPORT = "report"
    PUBLICATION = "publication"
    PAGE_UPDATE = "page_update"
    DATASET = "dataset"
    MEDIA = "media"
    OTHER = "other"


class Gender(Choice):
    """Keys of the optional headcount breakdown by gender (``headcount_detail["gender"]``)."""

    WOMEN = "women"
    MEN = "men"
    OTHER_GENDER = "other_gender"


class AgeGroup(Choice):
    """Keys of the optional headcount breakdown by age (``headcount_detail["age"]``)."""

    UNDER_18 = "under_18"
    AGE_18_29 = "age_18_29"
    AGE_30_59 = "age_30_59"
    AGE_60_PLUS = "age_60_plus"


#: Statuses of work still to be done (tasks and commitments alike).
OPEN_TASKS = frozenset({TaskStatus.OPEN, TaskStatus.IN_PROGRESS})
OPEN_COMMITMENTS = frozenset({CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS})
