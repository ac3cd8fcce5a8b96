"""Import activities and attendance from a workbook (or CSVs), safely.

The same contract as the actor import (:mod:`engagement.services.exchange.imports`):

- ``preview_activity_import`` computes, without writing, what would be new, updated,
  unchanged or rejected, every problem naming sheet, row and column, and the attendees
  not yet in the registry (``missing_actors``).
- ``apply_activity_import`` (:mod:`engagement.services.exchange.activity_import_write`) writes
  everything in one transaction, or nothing while any row is rejected; attendees not in
  the registry are created only with ``create_missing=True``. The write is an
  ImportBatch with an audit entry per row, so
  :func:`engagement.services.exchange.imports.undo_import` takes it back.

An activity is identified by its title and date: importing the same file twice changes
nothing. Stage, type, participation level, role and sentiment are matched in either
language (labels, keys, aliases, or the level's number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import Problem, ProgramNotFound
from engagement.frameworks import ParticipationLevel
from engagement.i18n import LANGUAGES, t
from engagement.io.activity_sheets import ActivityFile, ActivitySheet
from engagement.io.cells import as_text, is_blank
from engagement.model import Principal, ProgramInfo
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require
from engagement.services.registry.terms import match_term
from engagement.services.tracking import activities
from engagement.storage.db import Database
from engagement.storage.models import Actor, Program
from engagement.storage.queries.programs import get_program
from engagement.storage.tracking_models import Activity
from engagement.text import clean_name, name_key, split_multi
from engagement.tracking import ActivityInput
from engagement.values import AttendanceRole, Sentiment

ENTITIES = ("activity", "attendance")
OUTCOMES = ("new", "updated", "unchanged", "rejected")
_ROLE_WORDS = {
    "convener": ("convocante", "organizador", "organizadora", "anfitrión", "host", "organiser"),
    "participant": ("participante", "asistente", "attendee"),
    "observer": ("observador", "observadora", "oyente"),
}
_SENTIMENT_WORDS = {
    "positive": ("positivo", "positiva", "+", "favorable", "a favor"),
    "neutral": ("neutro", "neutra", "0", "indiferente"),
    "negative": ("negativo", "negativa", "-", "en contra", "desfavorable"),
}
Key = tuple[str, dt.date]
#: Values an existing activity keeps when the file has no column for them.
_KEPT = (
    "place", "summary", "agreements", "headcount", "participation_reached", "participation_target",
)  # fmt: skip


def _vocabulary(
    prefix: str, keys: Sequence[str], words: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    names: dict[str, str] = {}
    for key in keys:
        for text in (key, *words.get(key, ()), *(t(f"{prefix}.{key}", lang) for lang in LANGUAGES)):
            names[name_key(text)] = key
    return names


def _level_names() -> dict[str, int]:
    names = {}
    for level in ParticipationLevel:
        for text in (str(int(level)), level.name, *(t(level.key, lang) for lang in LANGUAGES)):
            names[name_key(text)] = int(level)
    return names


@dataclass
class PlannedActivity:
    key: Key
    item: ActivityInput
    existing_id: int | None
    changes: dict[str, list[Any]]
    outcome: str


@dataclass
class PlannedAttendance:
    activity: Key
    #: Set when the activity already exists (the file may name it only in Attendance).
    activity_id: int | None
    actor: str
    actor_id: int | None
    role: str
    sentiment: str | None
    existing_id: int | None
    changes: dict[str, list[Any]]
    outcome: str


@dataclass
class ActivityPlan:
    activities: list[PlannedActivity] = field(default_factory=list)
    attendance: list[PlannedAttendance] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: dict[str, int] = field(default_factory=dict)
    missing_actors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        out = {o: {e: 0 for e in ENTITIES} for o in OUTCOMES}
        for a in self.activities:
            out[a.outcome]["activity"] += 1
        for p in self.attendance:
            out[p.outcome]["attendance"] += 1
        for entity, n in self.rejected.items():
            out["rejected"][entity] += n
        return out


@dataclass
class ActivityImportPreview:
    program_id: int
    files: tuple[ActivityFile, ...]
    plan: ActivityPlan
    data_version: int

    @property
    def problems(self) -> list[Problem]:
        return self.plan.problems

    @property
    def missing_actors(self) -> list[str]:
        return self.plan.missing_actors

    def counts(self) -> list[dict[str, Any]]:
        """One row per entity: new, updated, unchanged, rejected (for a table)."""
        counts = self.plan.counts()
        return [{"entity": e} | {o: counts[o][e] for o in OUTCOMES} for e in ENTITIES]

    def can_apply(self, create_missing: bool = False) -> bool:
        return not self.plan.problems and (create_missing or not self.plan.missing_actors)


@dataclass(frozen=True)
class ActivityImportOutcome:
    batch_id: int
    counts: dict[str, dict[str, int]]
    created_actors: list[str]


class _Planner:
    """Reads the sheets row by row against the program's lists and registry."""

    def __init__(self, session: Session, program: ProgramInfo) -> None:
        self.session, self.program = session, program
        self.plan = ActivityPlan()
        self.roles = _vocabulary("tracking.role", AttendanceRole.values(), _ROLE_WORDS)
        self.sentiments = _vocabulary("tracking.sentiment", Sentiment.values(), _SENTIMENT_WORDS)
        self.levels = _level_names()
        self.existing = self._existing_activities()
        self.actors = dict(
            session.execute(
                select(Actor.name_key, Actor.id).where(
                    Actor.program_id == program.id, Actor.deleted_at.is_(None)
                )
            ).all()
        )
        self.in_file: dict[Key, tuple[str, int]] = {}

    def _existing_activities(self) -> dict[Key, Activity]:
        rows = self.session.scalars(
            select(Activity)
            .where(Activity.program_id == self.program.id, Activity.deleted_at.is_(None))
            .order_by(Activity.id.desc())
        )
        return {(name_key(a.title), a.held_on): a for a in rows}

    def problem(self, sheet: ActivitySheet, row: int, name: str, code: str, **params: Any) -> None:
        self.plan.problems.append(Problem(sheet.header_of(name), code, params, sheet.name, row))

    def date_of(self, sheet: ActivitySheet, row: int, raw: Any) -> dt.date | None:
        try:
            found = validation.parse_date(raw)
        except ValueError:
            self.problem(sheet, row, "held_on", "bad_date", value=as_text(raw))
            return None
        if found is None:
            self.problem(sheet, row, "held_on", "required")
        elif found > dt.date.today():
            self.problem(sheet, row, "held_on", "future_date", value=found.isoformat())
            return None
        return found

    def activity_row(self, sheet: ActivitySheet, values: tuple[Any, ...], row: int) -> None:
        before = len(self.plan.problems)
        raw = {f: sheet.value(values, f) for f in sheet.fields if f}
        title = clean_name(as_text(raw.get("title")))
        if not title:
            self.problem(sheet, row, "title", "required")
        held_on = self.date_of(sheet, row, raw.get("held_on"))
        stage = self.term(sheet, row, "stage", self.program.stages, raw.get("stage"))
        kind = self.term(
            sheet, row, "activity_type", self.program.activity_types, raw.get("activity_type")
        )
        values_: dict[str, Any] = {}
        for name in ("participation_reached", "participation_target"):
            if name in raw and not is_blank(raw[name]):
                values_[name] = self.level(sheet, row, name, raw[name])
        if "headcount" in raw:
            values_["headcount"] = self.count(sheet, row, raw["headcount"])
        for name in ("place", "summary", "agreements"):
            if name in raw:
                values_[name] = as_text(raw[name])
        if "facilitators" in raw:
            values_["facilitators"] = tuple(
                split_multi(as_text(raw["facilitators"]).replace(";", "|"))
            )
        if len(self.plan.problems) > before or held_on is None or not (stage and kind):
            self.plan.rejected["activity"] = self.plan.rejected.get("activity", 0) + 1
            return
        key = (name_key(title), held_on)
        if key in self.in_file:
            first_row = self.in_file[key][1]
            self.problem(sheet, row, "title", "duplicate_in_file", value=title, other_row=first_row)
            self.plan.rejected["activity"] = self.plan.rejected.get("activity", 0) + 1
            return
        self.in_file[key] = (sheet.name, row)
        self.plan.activities.append(
            self.planned(key, title, held_on, stage, kind, values_, sheet, row)
        )

    def planned(
        self, key: Key, title: str, held_on: dt.date, stage: int, kind: int,
        values: dict[str, Any], sheet: ActivitySheet, row: int,
    ) -> PlannedActivity:  # fmt: skip
        existing = self.existing.get(key)
        base = ActivityInput(activity_type_id=kind, stage_id=stage, title=title, held_on=held_on)
        if existing is not None:
            current = {k: getattr(existing, k) for k in _KEPT}
            current["facilitators"] = tuple(existing.facilitators or ())
            base = replace(base, **current, tags=tuple(existing.tags or ()),
                           headcount_detail=dict(existing.headcount_detail or {}))  # fmt: skip
        item, problems = activities.clean_activity(replace(base, **values))
        for p in problems:
            self.problem(sheet, row, p.field, p.code, **p.params)
        if existing is None:
            return PlannedActivity(key, item, None, {}, "new")
        fields = activities.activity_fields(item)
        before = {k: getattr(existing, k) for k in fields}
        changes = audit.diff(before, fields)
        return PlannedActivity(
            key, item, existing.id, changes, "updated" if changes else "unchanged"
        )

    def term(self, sheet: ActivitySheet, row: int, name: str, terms: Any, raw: Any) -> int | None:
        text = as_text(raw)
        if not text:
            self.problem(sheet, row, name, "required")
            return None
        found = match_term(terms, text)
        if found is None:
            self.problem(sheet, row, name, "not_in_list", value=text)
            return None
        return found.id

    def level(self, sheet: ActivitySheet, row: int, name: str, raw: Any) -> int | None:
        found = self.levels.get(name_key(as_text(raw)))
        if found is None:
            self.problem(sheet, row, name, "not_in_list", value=as_text(raw))
        return found

    def count(self, sheet: ActivitySheet, row: int, raw: Any) -> int:
        if is_blank(raw):
            return 0
        text = as_text(raw)
        if not text.isdigit():
            self.problem(sheet, row, "headcount", "bad_number", value=text)
            return 0
        return int(text)

    def attendance_row(
        self,
        sheet: ActivitySheet,
        values: tuple[Any, ...],
        row: int,
        seen: dict[tuple[Key, str], int],
    ) -> None:
        before = len(self.plan.problems)
        title = clean_name(as_text(sheet.value(values, "activity")))
        held_on = self.date_of(sheet, row, sheet.value(values, "held_on"))
        actor = clean_name(as_text(sheet.value(values, "actor")))
        if not title:
            self.problem(sheet, row, "activity", "required")
        if not actor:
            self.problem(sheet, row, "actor", "required")
        role = (
            self.choice(sheet, row, "role", self.roles, sheet.value(values, "role"))
            or "participant"
        )
        sentiment = self.choice(
            sheet, row, "sentiment", self.sentiments, sheet.value(values, "sentiment")
        )
        key = (name_key(title), held_on) if held_on else None
        if key and title and key not in self.in_file and key not in self.existing:
            self.problem(
                sheet,
                row,
                "activity",
                "unknown_activity",
                value=title,
                date=held_on.isoformat() if held_on else "",
            )
        if key and actor and (key, name_key(actor)) in seen:
            self.problem(
                sheet,
                row,
                "actor",
                "duplicate_in_file",
                value=actor,
                other_row=seen[(key, name_key(actor))],
            )
        if len(self.plan.problems) > before or key is None:
            self.plan.rejected["attendance"] = self.plan.rejected.get("attendance", 0) + 1
            return
        seen[(key, name_key(actor))] = row
        actor_id = self.actors.get(name_key(actor))
        if actor_id is None and name_key(actor) not in {
            name_key(n) for n in self.plan.missing_actors
        }:
            self.plan.missing_actors.append(actor)
        self.plan.attendance.append(self.planned_attendance(key, actor, actor_id, role, sentiment))

    def planned_attendance(
        self, key: Key, actor: str, actor_id: int | None, role: str, sentiment: str | None
    ) -> PlannedAttendance:
        activity = self.existing.get(key)
        present = None
        if activity is not None and actor_id is not None:
            present = next((a for a in activity.attendance if a.actor_id == actor_id), None)
        activity_id = activity.id if activity is not None else None
        if present is None:
            return PlannedAttendance(
                key, activity_id, actor, actor_id, role, sentiment, None, {}, "new"
            )
        wanted = {"role": role, "sentiment": sentiment}
        changes = {
            k: [getattr(present, k), v] for k, v in wanted.items() if getattr(present, k) != v
        }
        outcome = "updated" if changes else "unchanged"
        return PlannedAttendance(
            key, activity_id, actor, actor_id, role, sentiment, present.id, changes, outcome
        )

    def choice(
        self, sheet: ActivitySheet, row: int, name: str, names: dict[str, str], raw: Any
    ) -> str | None:
        if is_blank(raw):
            return None
        found = names.get(name_key(as_text(raw)))
        if found is None:
            self.problem(sheet, row, name, "not_in_list", value=as_text(raw))
        return found


def make_plan(
    session: Session, program: ProgramInfo, files: Sequence[ActivityFile]
) -> ActivityPlan:
    planner = _Planner(session, program)
    sheets = [s for f in files for s in f.sheets]
    for sheet in sheets:
        for missing in sheet.missing():
            planner.plan.problems.append(Problem(missing, "missing_column", {}, sheet.name, 1))
    if planner.plan.problems:
        return planner.plan
    for sheet in (s for s in sheets if s.kind == "activities"):
        for values, row in zip(sheet.rows, sheet.row_numbers, strict=True):
            planner.activity_row(sheet, values, row)
    seen: dict[tuple[Key, str], int] = {}
    for sheet in (s for s in sheets if s.kind == "attendance"):
        for values, row in zip(sheet.rows, sheet.row_numbers, strict=True):
            planner.attendance_row(sheet, values, row, seen)
    return planner.plan


def _version(session: Session, program_id: int) -> int:
    version = session.scalar(select(Program.data_version).where(Program.id == program_id))
    if version is None:
        raise ProgramNotFound(key=program_id)
    return int(version)


def preview_activity_import(
    db: Database, by: Principal, program_id: int, files: Sequence[ActivityFile]
) -> ActivityImportPreview:
    """What importing ``files`` would do; writes nothing."""
    require(by, program_id, Action.RECORD_ACTIVITY)
    program = get_program(db, program_id)
    with db.reading() as session:
        version = _version(session, program_id)
        plan = make_plan(session, program, files)
    return ActivityImportPreview(program_id, tuple(files), plan, version)
