"""What a Decidim import would do: the plan's types, shared by the planner
(:mod:`engagement.services.exchange.decidim_import`), the writer, the page and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engagement.io.decidim_zip import DecidimExport
from engagement.storage.models import DEFAULT_TIME_ZONE
from engagement.storage.tracking_models import Activity, Commitment, Input, Milestone

RESOURCES = ("meeting", "proposal", "result", "child_result")
OUTCOMES = ("new", "updated", "unchanged", "skipped")
ENTITY_OF = {
    "result_progress": "milestone",
    "meeting": "activity",
    "proposal": "input",
    "result": "commitment",
    "child_result": "milestone",
}
_MODELS: dict[str, Any] = {
    "activity": Activity,
    "input": Input,
    "commitment": Commitment,
    "milestone": Milestone,
}


@dataclass(frozen=True)
class DecidimOptions:
    lang: str = "es"
    #: Stage id for every row, instead of the one told by the date.
    stage_id: int | None = None
    #: Answer states mapped by the user: Decidim state → InputResponse value.
    states: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class PlannedRow:
    resource: str
    decidim_id: str
    label: str
    values: dict[str, Any]
    existing_id: int | None = None
    link_id: int | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    conflicts: dict[str, list[Any]] = field(default_factory=dict)
    outcome: str = "new"
    #: Meetings: attending organisations; proposals: none; results: linked proposal ids.
    organisations: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    parent: str = ""
    #: The values the last import wrote (from its link), for the link's update.
    imported: dict[str, Any] | None = None
    #: Child results whose parent came in an earlier download: its commitment's id.
    parent_id: int | None = None

    @property
    def entity(self) -> str:
        return ENTITY_OF[self.resource]


@dataclass(frozen=True)
class Skipped:
    resource: str
    decidim_id: str
    label: str
    reason: str


@dataclass
class DecidimPlan:
    host: str
    release: str
    separator: str
    rows: list[PlannedRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: Attending organisations not in the registry, each with near-miss suggestions.
    missing_actors: dict[str, list[str]] = field(default_factory=dict)
    #: Published answer states Tejido cannot map by name, with how many proposals.
    unmapped_states: dict[str, int] = field(default_factory=dict)
    #: Result statuses that were not recognised by name (mapped from progress instead).
    statuses_from_progress: dict[str, int] = field(default_factory=dict)
    #: Rows that took the program's current stage (no stage dates, or outside them).
    stage_defaulted: int = 0
    ignored_entries: tuple[str, ...] = ()
    time_zone: str = DEFAULT_TIME_ZONE

    def counts(self) -> list[dict[str, Any]]:
        table: dict[str, dict[str, Any]] = {
            r: {"resource": r} | dict.fromkeys(OUTCOMES, 0) for r in RESOURCES
        }
        for planned in self.rows:
            if planned.resource in table:
                table[planned.resource][planned.outcome] += 1
        for skipped in self.skipped:
            if skipped.resource in table:
                table[skipped.resource]["skipped"] += 1
        return list(table.values())

    @property
    def conflicts(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.conflicts]

    @property
    def withdrawn_unknown(self) -> bool:
        """0.27 and 0.28 have no withdrawn flag on meetings: they cannot be told apart."""
        return self.release in ("0.27", "0.28")

    def can_apply(self, create_missing: bool = False) -> bool:
        return not self.unmapped_states and (create_missing or not self.missing_actors)


@dataclass
class DecidimPreview:
    program_id: int
    export: DecidimExport
    plan: DecidimPlan
    options: DecidimOptions
    data_version: int
    #: Set once its plan was written: a plan is written at most once.
    used: bool = False


def plan_notes(plan: DecidimPlan) -> list[tuple[str, dict[str, object]]]:
    """What the preview must say about the file as a whole (catalog key, params)."""
    notes: list[tuple[str, dict[str, object]]] = [
        ("decidim.note.time_zone", {"zone": plan.time_zone})
    ]
    if plan.withdrawn_unknown:
        notes.append(("decidim.note.withdrawn_unknown", {"release": plan.release}))
    if plan.separator == ",":
        notes.append(("decidim.note.comma", {}))
    if plan.stage_defaulted:
        notes.append(("decidim.note.stage_defaulted", {"count": plan.stage_defaulted}))
    for status, count in plan.statuses_from_progress.items():
        notes.append(("decidim.note.status_from_progress", {"status": status, "count": count}))
    if plan.ignored_entries:
        notes.append(("decidim.note.ignored", {"names": ", ".join(plan.ignored_entries)[:300]}))
    return notes
