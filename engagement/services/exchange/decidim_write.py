"""Write a Decidim import: the plan made again inside one write transaction, then every
record as part of one ImportBatch with an audit entry each, so that
:func:`engagement.services.exchange.imports.undo_import` takes it all back (a record's
Decidim key goes with it). Rows, keys and entries go in with one ``executemany`` each.

Conflicting fields (edited in Tejido since the last import) are left as Tejido has them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Date, Table, Time, bindparam, select, update
from sqlalchemy.orm import Session

from engagement.errors import Problem, ValidationFailed
from engagement.io.decidim_zip import DecidimExport
from engagement.model import Principal
from engagement.services import audit
from engagement.services.access.permissions import Action, require
from engagement.services.exchange.decidim_import import make_plan
from engagement.services.exchange.decidim_plan import (
    _MODELS,
    DecidimOptions,
    DecidimPlan,
    DecidimPreview,
    PlannedRow,
)
from engagement.services.registry.actors import insert_actor
from engagement.storage.bulk import column_defaults, executemany, insert_ids, json_text
from engagement.storage.db import Database
from engagement.storage.models import Actor, DecidimLink, ImportBatch, Program
from engagement.storage.queries.programs import get_program
from engagement.storage.tracking_models import Attendance, CommitmentInput
from engagement.text import name_key

#: What a created row's audit entry names, besides its Decidim id: the row itself holds
#: the rest, and any later change records its old value (as in every import).
_SUMMARY = {
    "activity": ("title", "held_on"),
    "input": ("received_on", "response"),
    "commitment": ("title", "status"),
    "milestone": ("title", "progress"),
}
#: The order rows are written in: parents before what points at them.
_ORDER = ("meeting", "proposal", "result", "child_result", "result_progress")


def _table(model: Any) -> Table:
    """A model's table, for Core inserts (an ORM bulk insert drops None values)."""
    return cast(Table, model.__table__)


@dataclass(frozen=True)
class DecidimOutcome:
    batch_id: int
    counts: list[dict[str, Any]]
    created_actors: list[str]
    conflicts: int


def apply_decidim_import(
    db: Database,
    by: Principal,
    program_id: int,
    export: DecidimExport,
    options: DecidimOptions,
    *,
    create_missing: bool = False,
    preview: DecidimPreview | None = None,
) -> DecidimOutcome:
    """Write the import in one transaction, or nothing (ValidationFailed).

    ``preview``: its plan is written when nothing in the program was written since it
    was made (the same data version) for the same file and options; otherwise the plan
    is made again inside the write transaction.
    """
    require(by, program_id, Action.IMPORT)
    if create_missing:
        require(by, program_id, Action.ADD_ACTOR)
    program = get_program(db, program_id)
    with db.writing() as session:
        version = session.scalar(
            select(Program.data_version).where(Program.id == program_id).with_for_update()
        )
        if (
            preview is not None
            and preview.data_version == version
            and preview.export is export
            and preview.options == options
            and preview.program_id == program_id
            and not preview.used
        ):
            plan = preview.plan
            preview.used = True
        else:
            plan = make_plan(session, program, export, options)
        problems = [
            Problem("state", "decidim_unmapped_state", {"value": s}) for s in plan.unmapped_states
        ]
        if not create_missing:
            problems += [
                Problem("organizations", "unknown_actor", {"value": n}) for n in plan.missing_actors
            ]
        if problems:
            raise ValidationFailed(problems)
        return _write(session, by, program_id, export, plan)


def _write(
    session: Session, by: Principal, program_id: int, export: DecidimExport, plan: DecidimPlan
) -> DecidimOutcome:
    counts = plan.counts()
    batch = ImportBatch(
        program_id=program_id,
        username=by.username,
        filename=export.name[:500],
        layout="decidim",
        formats=["zip"],
        summary={"host": plan.host, "release": plan.release, "counts": counts}
        | {"new_actors": list(plan.missing_actors)},
    )
    session.add(batch)
    session.flush()
    log = audit.BatchLog(by, program_id, batch.id)
    actor_ids = {
        name_key(name): insert_actor(session, by, program_id, {"name": name}, batch.id).id
        for name in plan.missing_actors
    }
    by_resource: dict[str, list[PlannedRow]] = {resource: [] for resource in _ORDER}
    for planned in plan.rows:
        by_resource[planned.resource].append(planned)
    ids: dict[tuple[str, str], int] = {}
    for resource in _ORDER:
        _write_rows(session, program_id, by_resource[resource], ids, log)
    _write_attendance(session, program_id, by_resource["meeting"], ids, actor_ids, log.note)
    _write_inputs_of_commitments(session, program_id, plan.host, by_resource["result"], ids)
    _write_links(session, program_id, plan, ids, log.note)
    log.write(session)
    return DecidimOutcome(batch.id, counts, list(plan.missing_actors), len(plan.conflicts))


#: Date columns written from the plan's ISO text as it is: SQLite stores dates as that
#: very text, PostgreSQL reads it; converting to a date and back costs more than the
#: rest of a row.
_AS_TEXT = frozenset({"held_on", "received_on", "responded_on", "start_on", "due_on"})


def _converter(column: Any) -> Callable[[Any], Any] | None:
    """The plan keeps dates and times as ISO text (as it compares them): back to values."""
    if isinstance(column.type, Date):
        return dt.date.fromisoformat
    if isinstance(column.type, Time):
        return dt.time.fromisoformat
    return None


def _new_rows(
    table: Table, base: dict[str, Any], rows: list[PlannedRow], ids: dict[tuple[str, str], int]
) -> list[dict[str, Any]]:
    """The table rows of new planned rows: the table's defaults, then the plan's values.

    Dates stay ISO text, as the drivers take them (see :data:`_AS_TEXT`); a value that
    is no column of the table is left out.
    """
    first = rows[0].values
    dropped = [n for n in first if n not in table.c]
    convert = [
        (n, to)
        for n in first
        if n in table.c and n not in _AS_TEXT and (to := _converter(table.c[n])) is not None
    ]
    milestones = rows[0].entity == "milestone"
    out = []
    for planned in rows:
        row = base | planned.values
        for name in dropped:
            del row[name]
        for name, to in convert:
            if row[name] is not None:
                row[name] = to(row[name])
        if milestones:
            row["commitment_id"] = ids.get(("result", planned.parent), planned.parent_id)
        out.append(row)
    return out


def _write_rows(
    session: Session,
    program_id: int,
    rows: list[PlannedRow],
    ids: dict[tuple[str, str], int],
    log: audit.BatchLog,
) -> None:
    if not rows:
        return
    entity = rows[0].entity
    table = _table(_MODELS[entity])
    for planned in rows:
        if planned.existing_id is not None:
            ids[(planned.resource, planned.decidim_id)] = planned.existing_id
    new = [r for r in rows if r.existing_id is None]
    if new:
        own = {"position": 0} if entity == "milestone" else {"program_id": program_id}
        base = column_defaults(table) | own
        dates = _AS_TEXT.intersection(table.c.keys())
        created = insert_ids(session, table, _new_rows(table, base, new, ids), encoded=dates)
        for planned, new_id in zip(new, created, strict=True):
            ids[(planned.resource, planned.decidim_id)] = new_id
            planned.existing_id = new_id
            summary = {k: planned.values[k] for k in _SUMMARY[entity] if k in planned.values}
            log.note(entity, new_id, "create", {"decidim_id": planned.decidim_id} | summary)
    _update_rows(session, table, entity, [r for r in rows if r.outcome == "updated"], log)


def _update_rows(
    session: Session, table: Table, entity: str, rows: list[PlannedRow], log: audit.BatchLog
) -> None:
    """The fields that changed in the file since the last import (conflicts are kept as
    Tejido has them), one ``executemany`` per set of changed fields."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for planned in rows:
        wanted = sorted(k for k in planned.changes if k in table.c)
        if planned.existing_id is None or not wanted:
            continue
        values = {"_id": planned.existing_id}
        for name in wanted:
            new, to = planned.changes[name][1], _converter(table.c[name])
            values[name] = new if to is None or new is None else to(new)
        groups[tuple(wanted)].append(values)
        log.note(entity, planned.existing_id, "update", {k: planned.changes[k] for k in wanted})
    stamps: dict[str, Any] = {"updated_at": log.at}
    if "version" in table.c:
        stamps["version"] = table.c.version + 1
    for names, params in groups.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({n: bindparam(n) for n in names} | stamps)
        )
        session.connection().execute(stmt, params)


def _write_attendance(
    session: Session,
    program_id: int,
    meetings: list[PlannedRow],
    ids: dict[tuple[str, str], int],
    actor_ids: dict[str, int],
    note: audit.Note,
) -> None:
    activities = sorted({ids[("meeting", r.decidim_id)] for r in meetings if r.organisations})
    if not activities:
        return
    present: set[tuple[int, int]] = set()
    for chunk in _chunks(activities):
        present |= {
            (a, b)
            for a, b in session.execute(
                select(Attendance.activity_id, Attendance.actor_id).where(
                    Attendance.activity_id.in_(chunk)
                )
            )
        }
    registry = dict(
        session.execute(
            select(Actor.name_key, Actor.id).where(
                Actor.program_id == program_id, Actor.deleted_at.is_(None)
            )
        ).all()
    )
    wanted: list[tuple[int, int]] = []
    for planned in meetings:
        activity_id = ids[("meeting", planned.decidim_id)]
        for name in planned.organisations:
            actor_id = actor_ids.get(name_key(name)) or registry.get(name_key(name))
            if actor_id is not None and (activity_id, actor_id) not in present:
                present.add((activity_id, actor_id))
                wanted.append((activity_id, actor_id))
    table = _table(Attendance)
    base = column_defaults(table) | {"role": "participant"}
    created = insert_ids(
        session, table, [base | {"activity_id": a, "actor_id": b} for a, b in wanted]
    )
    for (activity_id, actor_id), new_id in zip(wanted, created, strict=True):
        changes = {"activity_id": activity_id, "actor_id": actor_id, "role": "participant"}
        note("attendance", new_id, "create", changes)


def _chunks(items: list[int], size: int = 5000) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _write_inputs_of_commitments(
    session: Session,
    program_id: int,
    host: str,
    results: list[PlannedRow],
    ids: dict[tuple[str, str], int],
) -> None:
    """Links from commitments to the inputs of their ``proposal_urls`` (new ones only)."""
    commitments = sorted({ids[("result", r.decidim_id)] for r in results if r.proposals})
    if not commitments:
        return
    proposals = dict(
        session.execute(
            select(DecidimLink.decidim_id, DecidimLink.entity_id).where(
                DecidimLink.program_id == program_id,
                DecidimLink.host == host,
                DecidimLink.resource == "proposal",
            )
        ).all()
    ) | {key: value for (resource, key), value in ids.items() if resource == "proposal"}
    present: set[tuple[int, int]] = set()
    for chunk in _chunks(commitments):
        present |= {
            (a, b)
            for a, b in session.execute(
                select(CommitmentInput.commitment_id, CommitmentInput.input_id).where(
                    CommitmentInput.commitment_id.in_(chunk)
                )
            )
        }
    wanted = []
    for planned in results:
        commitment_id = ids[("result", planned.decidim_id)]
        for proposal in planned.proposals:
            input_id = proposals.get(proposal)
            if input_id is not None and (commitment_id, input_id) not in present:
                present.add((commitment_id, input_id))
                wanted.append({"commitment_id": commitment_id, "input_id": input_id})
    executemany(session.connection(), _table(CommitmentInput), wanted)


def _write_links(
    session: Session,
    program_id: int,
    plan: DecidimPlan,
    ids: dict[tuple[str, str], int],
    note: audit.Note,
) -> None:
    """Remember what each row became and the values written, for the next download."""
    new = [r for r in plan.rows if r.link_id is None]
    changed = []
    for planned in plan.rows:
        if planned.link_id is None or not planned.changes:
            continue
        before = planned.imported or {}
        written = before | {k: v[1] for k, v in planned.changes.items()}
        note("decidim_link", planned.link_id, "update", {"imported": [before, written]})
        changed.append({"_id": planned.link_id, "imported": written})
    if changed:
        links = _table(DecidimLink)
        stmt = update(links).where(links.c.id == bindparam("_id"))
        session.connection().execute(stmt.values(imported=bindparam("imported")), changed)
    if not new:
        return
    base = {"program_id": program_id, "host": plan.host}
    # No audit entry each: a key is bookkeeping, named by its record's own entry, and
    # undo removes it with the record.
    executemany(
        session.connection(),
        _table(DecidimLink),
        [
            base
            | {
                "resource": r.resource,
                "decidim_id": r.decidim_id,
                "entity": r.entity,
                "entity_id": ids[(r.resource, r.decidim_id)],
                "imported": json_text(r.values),
            }
            for r in new
        ],
        encoded={"imported"},
    )
