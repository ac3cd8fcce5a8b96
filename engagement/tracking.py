"""Plain values of engagement tracking that services take and return (never ORM rows).

Activities and who attended, follow-up tasks, inputs with their reasoned responses,
commitments with milestones, evidence items, and the figures the stage dashboard and the
OGP checklist are made of.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Attendee:
    actor_id: int
    role: str = "participant"
    sentiment: str | None = None


@dataclass(frozen=True)
class ActivityInput:
    """One activity to record or the new values of one being edited."""

    activity_type_id: int
    stage_id: int
    title: str
    held_on: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    facilitators: tuple[str, ...] = ()
    participation_target: int | None = None
    participation_reached: int | None = None
    #: None: unknown (an imported meeting with no closing figures), not zero.
    headcount: int | None = 0
    #: {"gender": {Gender value: n}, "age": {AgeGroup value: n}}; either part optional.
    headcount_detail: dict[str, dict[str, int]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    summary: str = ""
    agreements: str = ""


@dataclass(frozen=True)
class TaskInput:
    title: str
    owner: str = ""
    due_on: dt.date | None = None
    status: str = "open"


@dataclass(frozen=True)
class ActivityInfo:
    id: int
    program_id: int
    activity_type_id: int
    activity_type_key: str
    stage_id: int
    title: str
    held_on: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    facilitators: tuple[str, ...]
    participation_target: int | None
    participation_reached: int | None
    headcount: int | None
    headcount_detail: dict[str, dict[str, int]]
    tags: tuple[str, ...]
    summary: str
    agreements: str
    attendees: tuple[Attendee, ...]
    version: int
    deleted: bool
    created_by: str = ""


@dataclass(frozen=True)
class TaskInfo:
    id: int
    activity_id: int
    title: str
    owner: str
    due_on: dt.date | None
    status: str
    done_on: dt.date | None
    version: int


@dataclass(frozen=True)
class InputInput:
    """An input or proposal received (OGP standard 4)."""

    text: str
    received_on: dt.date
    actor_id: int | None = None
    topic: str = ""
    activity_id: int | None = None
    stage_id: int | None = None


@dataclass(frozen=True)
class InputInfo:
    id: int
    program_id: int
    text: str
    received_on: dt.date
    actor_id: int | None
    topic: str
    activity_id: int | None
    stage_id: int | None
    response: str | None
    reasoning: str
    responded_on: dt.date | None
    responded_by: str
    version: int


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: dt.date | None = None
    progress: int = 0
    id: int | None = None


@dataclass(frozen=True)
class CommitmentInput:
    title: str
    description: str = ""
    stage_id: int | None = None
    responsible_id: int | None = None
    co_responsible_ids: tuple[int, ...] = ()
    start_on: dt.date | None = None
    due_on: dt.date | None = None
    status: str = "open"
    activity_ids: tuple[int, ...] = ()
    input_ids: tuple[int, ...] = ()
    milestones: tuple[MilestoneInput, ...] = ()


@dataclass(frozen=True)
class CommitmentInfo:
    id: int
    program_id: int
    title: str
    description: str
    stage_id: int | None
    responsible_id: int | None
    co_responsible_ids: tuple[int, ...]
    start_on: dt.date | None
    due_on: dt.date | None
    status: str
    activity_ids: tuple[int, ...]
    input_ids: tuple[int, ...]
    milestones: tuple[MilestoneInput, ...]
    progress: int
    version: int


@dataclass(frozen=True)
class EvidenceInput:
    title: str
    published_on: dt.date
    kind: str = "other"
    url: str = ""
    activity_id: int | None = None
    commitment_id: int | None = None


@dataclass(frozen=True)
class Figures:
    """The dashboard's figures for one stage or the whole program."""

    activities: int
    activities_by_type: dict[str, int]
    citizens_involved: int
    organisations_participating: int
    facilitators_active: int
    inputs_received: int
    inputs_answered: int
    commitments: dict[str, int]

    @property
    def answered_share(self) -> float | None:
        """Share of inputs with a reasoned response, or None when none were received."""
        return self.inputs_answered / self.inputs_received if self.inputs_received else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "activities": self.activities,
            "activities_by_type": dict(self.activities_by_type),
            "citizens_involved": self.citizens_involved,
            "organisations_participating": self.organisations_participating,
            "facilitators_active": self.facilitators_active,
            "inputs_received": self.inputs_received,
            "inputs_answered": self.inputs_answered,
            "inputs_answered_share": self.answered_share,
            "commitments": dict(self.commitments),
        }


@dataclass(frozen=True)
class Evidence:
    """One record behind a checklist item: an activity, an input, an evidence item."""

    kind: str
    id: int
    on: dt.date | None
    label: str
    url: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    """One OGP check: ``status`` is green, amber or red; ``reason`` a catalog key suffix."""

    key: str
    status: str
    reason: str
    params: dict[str, Any]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot of a program; ``actors`` and ``ties`` count what it froze (what the
    reader may see of it, once through the read layer)."""

    id: int
    name: str
    taken_at: dt.datetime
    taken_by: str
    stage_id: int | None
    stage_closed: bool
    note: str
    actors: int
    ties: int
