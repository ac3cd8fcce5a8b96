"""Write a Decidim import: the plan made again inside one write transaction, then every
row as part of one ImportBatch with an audit entry each, so that
:func:`engagement.services.exchange.imports.undo_import` takes it all back.

Conflicting fields (edited in Tejido since the last import) are left as Tejido has them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
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
from engagement.services.registry.programs import get_program
from engagement.storage.db import Database
from engagement.storage.models import (
    Actor,
    Attendance,
    CommitmentInput,
    DecidimLink,
    ImportBatch,
    Program,
)
from engagement.text import name_key

_DATES = {"held_on", "received_on", "responded_on", "start_on", "due_on"}
_TIMES = {"start_time", "end_time"}
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
    batch = ImportBatch(
        program_id=program_id,
        username=by.username,
        filename=export.name[:500],
        layout="decidim",
        formats=["zip"],
        summary={"host": plan.host, "release": plan.release, "counts": plan.counts()}
        | {"new_actors": list(plan.missing_actors)},
    )
    session.add(batch)
    session.flush()
    log = audit.BatchLog(by, program_id, batch.id)
    note, now = log.note, log.at
    actor_ids = {
        name_key(name): insert_actor(session, by, program_id, {"name": name}, batch.id).id
        for name in plan.missing_actors
    }
    ids: dict[tuple[str, str], int] = {}
    for resource in _ORDER:
        rows = [r for r in plan.rows if r.resource == resource]
        _write_rows(session, program_id, plan.host, rows, ids, note, now)
    _write_attendance(session, program_id, plan, ids, actor_ids, note)
    _write_inputs_of_commitments(session, program_id, plan, ids)
    _write_links(session, program_id, plan, ids, note)
    log.write(session)
    return DecidimOutcome(batch.id, plan.counts(), list(plan.missing_actors), len(plan.conflicts))


def _typed(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATES:
        return dt.date.fromisoformat(value)
    if name in _TIMES:
        return dt.time.fromisoformat(value)
    return value


def _columns(
    planned: PlannedRow, program_id: int, ids: dict[tuple[str, str], int]
) -> dict[str, Any]:
    model = _MODELS[planned.entity]
    values = {k: _typed(k, v) for k, v in planned.values.items() if k in model.__table__.c}
    if planned.entity == "milestone":
        values["commitment_id"] = ids[("result", planned.parent)]
        values["position"] = 0
    else:
        values["program_id"] = program_id
    return values


def _write_rows(
    session: Session,
    program_id: int,
    host: str,
    rows: list[PlannedRow],
    ids: dict[tuple[str, str], int],
    note: audit.Note,
    now: dt.datetime,
) -> None:
    if not rows:
        return
    model = _MODELS[rows[0].entity]
    for planned in rows:
        if planned.existing_id is not None:
            ids[(planned.resource, planned.decidim_id)] = planned.existing_id
    if rows[0].resource == "child_result":
        _known_parents(session, program_id, host, rows, ids)
    new = [r for r in rows if r.existing_id is None]
    if new:
        # The table, not the ORM entity: an ORM bulk insert leaves out None values, so
        # an unknown headcount would take the column's default, 0.
        table = model.__table__
        created = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [_columns(r, program_id, ids) for r in new],
        ).scalars()
        for planned, new_id in zip(new, created, strict=True):
            ids[(planned.resource, planned.decidim_id)] = new_id
            planned.existing_id = new_id
            note(planned.entity, new_id, "create", planned.values)
    for planned in rows:
        wanted = {k: v[1] for k, v in planned.changes.items() if k in model.__table__.c}
        if planned.outcome != "updated" or planned.existing_id in {None} or not wanted:
            continue
        values = {k: _typed(k, v) for k, v in wanted.items()}
        if "version" in model.__table__.c:
            values["version"] = model.version + 1
        values["updated_at"] = now
        session.execute(update(model).where(model.id == planned.existing_id).values(values))
        changes = {k: planned.changes[k] for k in wanted}
        note(planned.entity, planned.existing_id or 0, "update", changes)


def _known_parents(
    session: Session,
    program_id: int,
    host: str,
    rows: list[PlannedRow],
    ids: dict[tuple[str, str], int],
) -> None:
    """Children whose parent came in an earlier download: their parent's commitment id."""
    wanted = {r.parent for r in rows if ("result", r.parent) not in ids}
    if not wanted:
        return
    found = session.execute(
        select(DecidimLink.decidim_id, DecidimLink.entity_id).where(
            DecidimLink.program_id == program_id,
            DecidimLink.host == host,
            DecidimLink.resource == "result",
            DecidimLink.decidim_id.in_(sorted(wanted)),
        )
    )
    for decidim_id, entity_id in found:
        ids[("result", decidim_id)] = entity_id


def _write_attendance(
    session: Session,
    program_id: int,
    plan: DecidimPlan,
    ids: dict[tuple[str, str], int],
    actor_ids: dict[str, int],
    note: audit.Note,
) -> None:
    activities = sorted({ids[("meeting", r.decidim_id)] for r in plan.rows if r.organisations})
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
    for planned in plan.rows:
        activity_id = ids.get(("meeting", planned.decidim_id))
        if planned.resource != "meeting" or activity_id is None:
            continue
        for name in planned.organisations:
            actor_id = actor_ids.get(name_key(name)) or registry.get(name_key(name))
            if actor_id is not None and (activity_id, actor_id) not in present:
                present.add((activity_id, actor_id))
                wanted.append((activity_id, actor_id))
    if not wanted:
        return
    created = session.execute(
        insert(_table(Attendance)).returning(_table(Attendance).c.id, sort_by_parameter_order=True),
        [{"activity_id": a, "actor_id": b, "role": "participant"} for a, b in wanted],
    ).scalars()
    for (activity_id, actor_id), new_id in zip(wanted, created, strict=True):
        changes = {"activity_id": activity_id, "actor_id": actor_id, "role": "participant"}
        note("attendance", new_id, "create", changes)


def _chunks(items: list[int], size: int = 5000) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _write_inputs_of_commitments(
    session: Session,
    program_id: int,
    plan: DecidimPlan,
    ids: dict[tuple[str, str], int],
) -> None:
    """Links from commitments to the inputs of their ``proposal_urls`` (new ones only)."""
    proposals = dict(
        session.execute(
            select(DecidimLink.decidim_id, DecidimLink.entity_id).where(
                DecidimLink.program_id == program_id,
                DecidimLink.host == plan.host,
                DecidimLink.resource == "proposal",
            )
        ).all()
    ) | {key: value for (resource, key), value in ids.items() if resource == "proposal"}
    commitments = sorted({ids[("result", r.decidim_id)] for r in plan.rows if r.proposals})
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
    for planned in (r for r in plan.rows if r.resource == "result"):
        commitment_id = ids[("result", planned.decidim_id)]
        for proposal in planned.proposals:
            input_id = proposals.get(proposal)
            if input_id is not None and (commitment_id, input_id) not in present:
                present.add((commitment_id, input_id))
                wanted.append({"commitment_id": commitment_id, "input_id": input_id})
    if wanted:
        session.execute(insert(_table(CommitmentInput)), wanted)


def _write_links(
    session: Session,
    program_id: int,
    plan: DecidimPlan,
    ids: dict[tuple[str, str], int],
    note: audit.Note,
) -> None:
    """Remember what each row became and the values written, for the next download."""
    new: list[PlannedRow] = []
    for planned in plan.rows:
        if planned.link_id is None:
            new.append(planned)
            continue
        if not planned.changes:
            continue
        link = session.get(DecidimLink, planned.link_id)
        assert link is not None
        written = dict(link.imported) | {k: v[1] for k, v in planned.changes.items()}
        note("decidim_link", link.id, "update", {"imported": [link.imported, written]})
        link.imported = written
    if not new:
        return
    created = session.execute(
        insert(_table(DecidimLink)).returning(
            _table(DecidimLink).c.id, sort_by_parameter_order=True
        ),
        [
            {
                "program_id": program_id,
                "host": plan.host,
                "resource": r.resource,
                "decidim_id": r.decidim_id,
                "entity": r.entity,
                "entity_id": ids[(r.resource, r.decidim_id)],
                "imported": r.values,
            }
            for r in new
        ],
    ).scalars()
    for planned, new_id in zip(new, created, strict=True):
        note("decidim_link", new_id, "create", {"decidim_id": planned.decidim_id})
