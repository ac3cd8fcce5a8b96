"""Plan the import of a Decidim open-data ZIP into a program; writes nothing.

Meetings become activities, proposals inputs, results commitments (child results their
milestones). Every imported row is keyed by (installation host, resource, Decidim id) in
``decidim_link``, with the values the import wrote, so that:

- a later download updates what changed and duplicates nothing;
- a field changed in Tejido since the last import is a *conflict*: shown in the preview
  and kept as Tejido has it, never silently overwritten.

:mod:`engagement.services.exchange.decidim_write` writes the plan (one transaction, an
ImportBatch with audit entries, so the ordinary undo takes it back).
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.i18n import t
from engagement.io.decidim_zip import DecidimExport
from engagement.model import Principal, ProgramInfo, Term
from engagement.services.access.permissions import Action, require
from engagement.services.exchange.decidim_match import load_links, match
from engagement.services.exchange.decidim_plan import (
    DecidimOptions,
    DecidimPlan,
    DecidimPreview,
    PlannedRow,
    Skipped,
)
from engagement.services.exchange.decidim_text import plain_text, plain_texts
from engagement.services.exchange.decidim_values import (
    a_date,
    count_of,
    first_filled,
    locale_columns,
    progress_of,
    response_of,
    split_organizations,
    status_of,
    true,
    utc_time,
)
from engagement.storage.db import Database
from engagement.storage.models import (
    DEFAULT_TIME_ZONE,
    Actor,
    Program,
)
from engagement.storage.queries.programs import get_program
from engagement.text import name_key, strip_controls


def preview_decidim_import(
    db: Database, by: Principal, program_id: int, export: DecidimExport, options: DecidimOptions
) -> DecidimPreview:
    """What importing ``export`` would do; writes nothing."""
    require(by, program_id, Action.IMPORT)
    program = get_program(db, program_id)
    with db.reading() as session:
        plan = make_plan(session, program, export, options)
    return DecidimPreview(program_id, export, plan, options, program.data_version)


def program_zone(session: Session, program_id: int) -> str:
    return session.scalar(select(Program.time_zone).where(Program.id == program_id)) or (
        DEFAULT_TIME_ZONE
    )


def make_plan(
    session: Session, program: ProgramInfo, export: DecidimExport, options: DecidimOptions
) -> DecidimPlan:
    planner = _Planner(session, program, export, options)
    meetings = export.rows("meetings")
    summaries = planner.texts(meetings, "meetings", "description")
    for row, summary in zip(meetings, summaries, strict=True):
        planner.meeting(row, summary)
    proposals = export.rows("proposals")
    texts = [planner.texts(proposals, "proposals", f) for f in ("title", "body", "answer")]
    for row, title, body, answer in zip(proposals, *texts, strict=True):
        planner.proposal(row, title, body, answer)
    results = export.rows("results")
    for row in results:
        if not row.get("parent/id"):
            planner.result(row)
    parents = set()
    for row in results:
        if row.get("parent/id"):
            planner.child_result(row)
            parents.add(row["parent/id"])
    planner.own_progress(parents)
    match(session, planner.plan, planner.links)
    return planner.plan


class _Planner:
    def __init__(
        self,
        session: Session,
        program: ProgramInfo,
        export: DecidimExport,
        options: DecidimOptions,
    ) -> None:
        self.session, self.program, self.options = session, program, options
        self.lang = options.lang
        zone_name = program_zone(session, program.id)
        try:
            self.zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            self.zone, zone_name = ZoneInfo(DEFAULT_TIME_ZONE), DEFAULT_TIME_ZONE
        self.plan = DecidimPlan(
            export.host,
            export.release,
            export.separator,
            ignored_entries=export.ignored,
            time_zone=zone_name,
        )
        self.today = dt.date.today()
        self.links = load_links(session, program.id, export.host)
        self.actors: dict[str, tuple[int, str]] = {
            key: (actor_id, name)
            for key, actor_id, name in session.execute(
                select(Actor.name_key, Actor.id, Actor.name).where(
                    Actor.program_id == program.id, Actor.deleted_at.is_(None)
                )
            )
        }
        self.kind = _meeting_type(program.activity_types)
        self.headers = {entity: table.header for entity, table in export.tables.items()}
        #: Each translated field's columns, found once per file (see :func:`locale_columns`).
        self.columns: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        #: Whether a cell may hold control characters, which the database never stores:
        #: then taken out of the values here, so that what the plan compares and its key
        #: remembers is what the record holds.
        self.controls = export.controls
        self.stages = [(s.id, s.closed_on) for s in program.stages]
        self.dated = any(closed_on for _id, closed_on in self.stages)
        self.current_stage = next(
            (stage_id for stage_id, closed_on in self.stages if closed_on is None),
            self.stages[-1][0] if self.stages else None,
        )
        #: Looked up once each: authors' names (never stored), answer states.
        self.authors: dict[str, int | None] = {}
        self.responses: dict[str, str | None] = {}
        self.results: set[str] = set()
        self.progress_rows: dict[str, dict[str, str]] = {}

    # --- stages --------------------------------------------------------------------
    def stage_for(self, day: dt.date | None) -> int | None:
        if self.options.stage_id is not None:
            return self.options.stage_id
        if not self.stages:
            return None
        start = self.program.start_date
        if day is not None and self.dated and (start is None or day >= start):
            for stage_id, closed_on in self.stages:
                if closed_on is None or day <= closed_on:
                    return stage_id
        self.plan.stage_defaulted += 1
        return self.current_stage

    # --- rows ----------------------------------------------------------------------
    def tr(self, row: dict[str, str], field: str, entity: str) -> str:
        """A translated field in the options' language (as :func:`translated` finds it)."""
        columns = self.columns.get((entity, field))
        if columns is None:
            header = self.headers.get(entity, ())
            columns = self.columns[entity, field] = locale_columns(header, field, self.lang)
        return first_filled(row, columns, field)

    def texts(self, rows: tuple[dict[str, str], ...], entity: str, field: str) -> list[str]:
        """A translated rich-text field of every row, as plain text (a column at once)."""
        return plain_texts([self.tr(row, field, entity) for row in rows])

    def skip(self, resource: str, row: dict[str, str], label: str, reason: str) -> None:
        self.plan.skipped.append(Skipped(resource, row.get("id", ""), label, reason))

    def meeting(self, row: dict[str, str], description: str) -> None:
        """A meeting, its ``description`` already as plain text."""
        title = self.tr(row, "title", "meetings")[:300]
        if not row.get("id"):
            return self.skip("meeting", row, title, "no_id")
        if row.get("published") and not true(row["published"]):
            return self.skip("meeting", row, title, "unpublished")
        if true(row.get("withdrawn", "")) or row.get("withdrawn_at"):
            return self.skip("meeting", row, title, "withdrawn")
        start = utc_time(row.get("start_time", ""))
        if start is None:
            return self.skip("meeting", row, title, "no_date")
        local = start.astimezone(self.zone)
        if local.date() > self.today:
            return self.skip("meeting", row, title, "future")
        if not title or self.kind is None:
            return self.skip("meeting", row, title, "no_title" if not title else "no_type")
        end = utc_time(row.get("end_time", ""))
        end_local = end.astimezone(self.zone) if end else None
        stage = self.stage_for(local.date())
        if stage is None:
            return self.skip("meeting", row, title, "no_stage")
        values = {
            "title": title,
            "held_on": local.date().isoformat(),
            "start_time": local.strftime("%H:%M:%S"),
            "end_time": end_local.strftime("%H:%M:%S")
            if end_local and end_local.date() == local.date()
            else None,
            "place": _place(row, self.tr(row, "location", "meetings"))[:300],
            "headcount": _headcount(row),
            "summary": _summary(row, self.lang, description),
            "stage_id": stage,
            "activity_type_id": self.kind,
        }
        names = split_organizations(
            row.get("organizations", "") or row.get("attending_organizations", "")
        )
        for name in names:
            if name_key(name) not in self.actors:
                self.plan.missing_actors.setdefault(name, self.near(name))
        self.add(PlannedRow("meeting", row["id"], title, values, organisations=tuple(names)))

    def near(self, name: str) -> list[str]:
        keys = difflib.get_close_matches(name_key(name), list(self.actors), n=3, cutoff=0.75)
        return [self.actors[k][1] for k in keys]

    def proposal(self, row: dict[str, str], title: str, body: str, answer: str) -> None:
        """A proposal, its title, body and answer already as plain text."""
        if not row.get("id"):
            return self.skip("proposal", row, title, "no_id")
        state = row.get("state", "")
        if state == "withdrawn" or true(row.get("withdrawn", "")) or row.get("withdrawn_at"):
            return self.skip("proposal", row, title, "withdrawn")
        published = utc_time(row.get("published_at", ""))
        if published is None:
            return self.skip("proposal", row, title, "unpublished")
        text = f"{title}\n\n{body}".strip() if body and body != title else title
        if not text:
            return self.skip("proposal", row, title, "no_title")
        received = published.astimezone(self.zone).date()
        values: dict[str, Any] = {
            "text": text,
            "topic": self.tr(row, "category/name", "proposals")[:200],
            "received_on": received.isoformat(),
            "stage_id": self.stage_for(received),
            "actor_id": self.author(row),
            "response": None,
            "reasoning": "",
            "responded_on": None,
        }
        if state and state not in ("not_answered", "withdrawn"):
            if state not in self.responses:
                self.responses[state] = response_of(state, self.options.states)
            response = self.responses[state]
            if response is None:
                self.plan.unmapped_states[state] = self.plan.unmapped_states.get(state, 0) + 1
            answered = utc_time(row.get("answered_at", ""))
            values["response"] = response
            values["reasoning"] = answer
            if answered:
                values["responded_on"] = answered.astimezone(self.zone).date().isoformat()
        self.add(PlannedRow("proposal", row["id"], title[:120], values))

    def author(self, row: dict[str, str]) -> int | None:
        """The registry actor of an organisation author; None (anonymous) for anyone else.

        A participant's name is read only to look it up, never stored.
        """
        name = row.get("author/name", "")
        if not name or "," in name:  # several co-authors: anonymous citizens
            return None
        if name not in self.authors:
            found = self.actors.get(name_key(name))
            self.authors[name] = found[0] if found else None
        return self.authors[name]

    def result(self, row: dict[str, str]) -> None:
        title = self.tr(row, "title", "results")[:300]
        if not row.get("id") or not title:
            return self.skip("result", row, title, "no_id" if not row.get("id") else "no_title")
        progress = progress_of(row.get("progress", ""))
        status, by_name = status_of(
            row.get("status/key", ""), self.tr(row, "status/name", "results"), progress
        )
        if not by_name:
            key = row.get("status/key") or self.tr(row, "status/name", "results") or "—"
            self.plan.statuses_from_progress[key] = self.plan.statuses_from_progress.get(key, 0) + 1
        start = a_date(row.get("start_date", ""))
        values = {
            "title": title,
            "description": plain_text(self.tr(row, "description", "results")),
            "start_on": start.isoformat() if start else None,
            "due_on": _iso(a_date(row.get("end_date", ""))),
            "status": status,
            "stage_id": self.stage_for(start),
        }
        proposals = tuple(
            url.rstrip("/").rsplit("/", 1)[-1]
            for url in row.get("proposal_urls", "").split(", ")
            if url.strip()
        )
        self.results.add(row["id"])
        self.progress_rows[row["id"]] = row
        self.add(PlannedRow("result", row["id"], title, values, proposals=proposals))

    def child_result(self, row: dict[str, str]) -> None:
        title = self.tr(row, "title", "results")[:300]
        parent = row.get("parent/id", "")
        if parent not in self.results and ("result", parent) not in self.links:
            return self.skip("child_result", row, title, "no_parent")
        if not row.get("id") or not title:
            return self.skip("child_result", row, title, "no_title")
        values = {
            "title": title,
            "due_on": _iso(a_date(row.get("end_date", ""))),
            "progress": progress_of(row.get("progress", "")),
        }
        self.add(PlannedRow("child_result", row["id"], title, values, parent=parent))

    def own_progress(self, parents: set[str]) -> None:
        """A result without children keeps its progress as the commitment's one milestone."""
        for planned in [r for r in self.plan.rows if r.resource == "result"]:
            if planned.decidim_id in parents:
                continue
            row = self.progress_rows[planned.decidim_id]
            values = {
                "title": planned.values["title"],
                "due_on": planned.values["due_on"],
                "progress": progress_of(row.get("progress", "")),
            }
            self.add(
                PlannedRow(
                    "result_progress",
                    planned.decidim_id,
                    planned.label,
                    values,
                    parent=planned.decidim_id,
                )
            )

    def add(self, planned: PlannedRow) -> None:
        if self.controls:
            planned.values = {
                k: strip_controls(v) if isinstance(v, str) else v for k, v in planned.values.items()
            }
            planned.label = strip_controls(planned.label)
        self.plan.rows.append(planned)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _place(row: dict[str, str], location: str) -> str:
    parts = [row.get("address", "").strip(), location.strip()]
    return " · ".join(p for p in parts if p)


def _headcount(row: dict[str, str]) -> int | None:
    """Attendees; None when unknown: empty, or a meeting never closed (all figures 0)."""
    count = count_of(row.get("attendees_count", row.get("attendees", "")))
    orgs = row.get("organizations") or row.get("attending_organizations")
    contributions = count_of(row.get("contributions_count", row.get("contributions", "")))
    if not count and not contributions and not orgs:
        return None
    return count


def _summary(row: dict[str, str], lang: str, text: str) -> str:
    contributions = count_of(row.get("contributions_count", row.get("contributions", "")))
    if contributions:
        text = f"{text}\n\n{_contributions_line(lang, contributions)}".strip()
    return text[:20000]


def _contributions_line(lang: str, count: int) -> str:
    return t("decidim.contributions", lang, count=count)


def _meeting_type(types: tuple[Term, ...]) -> int | None:
    """The program's activity type for meetings, else its first type."""
    for term in types:
        words = {name_key(w) for w in (term.key, term.label_es, term.label_en, *term.aliases)}
        if words & {"meeting", "reunion", "reunión", "assembly", "asamblea"}:
            return term.id
    return types[0].id if types else None
