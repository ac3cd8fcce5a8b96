"""Roles are enforced in the services: every write service refuses a viewer.

The registry below calls each write service with real records of a program the viewer
belongs to, so the refusal comes from the permission check and not from a missing row.
A contract test fails when a new write service (a public ``engagement.services``
function taking ``db`` and ``by`` that opens a write transaction) is not in the registry.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import engagement.services as services_package
from engagement.errors import PermissionDenied
from engagement.io.activity_sheets import read_activity_upload
from engagement.io.decidim_zip import read_decidim_zip
from engagement.io.readers import read_upload
from engagement.model import AssessmentInput, Principal
from engagement.services.access import privacy, users
from engagement.services.coalition import maps
from engagement.services.exchange import (
    activity_import_write,
    backup,
    decidim_write,
    demo,
    import_undo,
    imports,
    sqlite_file,
)
from engagement.services.exchange.decidim_plan import DecidimOptions
from engagement.services.registry import (
    actor_edits,
    actors,
    assessments,
    programs,
    relationships,
    terms,
)
from engagement.services.tracking import activities, commitments, evidence, inputs, snapshots, tasks
from engagement.storage.db import Database
from engagement.storage.queries import programs as stored_programs
from engagement.tracking import (
    ActivityInput,
    Attendee,
    CommitmentInput,
    EvidenceInput,
    InputInput,
    MilestoneInput,
    TaskInput,
)
from tests.support.decidim_zips import decidim_zip
from tests.support.kumu import kumu_workbook, workbook

LEAD = Principal("cli")
DAY = dt.date(2024, 5, 6)
LIMIT = 20 * 2**20


@dataclass
class World:
    db: Database
    pid: int
    stage: int
    sector: int
    tie: int
    activity_type: int
    actor: int
    other: int
    tie_id: int
    activity: int
    task: int
    input: int
    commitment: int
    milestone: int
    evidence: int
    snapshot: int
    batch: int
    gone: dict[str, int]


@pytest.fixture
def world(db: Database) -> World:
    p = programs.create_program(db, LEAD, "Impulso Local")
    stage, sector, tie = p.stages[0].id, p.sectors[0].id, p.tie_types[0].id
    kind = p.activity_types[0].id
    a = actors.add_actor(db, LEAD, p.id, {"name": "Municipalidad", "sector_id": sector})
    b = actors.add_actor(db, LEAD, p.id, {"name": "ONU-Hábitat", "sector_id": sector})
    t = relationships.add_relationship(
        db, LEAD, p.id, {"source_id": a.id, "target_id": b.id, "tie_type_id": tie}
    )
    act = activities.record_activity(
        db, LEAD, p.id, ActivityInput(kind, stage, "Taller", DAY), [Attendee(a.id)]
    )
    task = tasks.add_tasks(db, LEAD, act.id, [TaskInput("Enviar acta")])[0]
    inp = inputs.add_input(db, LEAD, p.id, InputInput("Más luminarias", DAY, a.id))
    com = commitments.add_commitment(
        db, LEAD, p.id, CommitmentInput("Parque", milestones=(MilestoneInput("Diseño"),))
    )
    ev = evidence.add_evidence(db, LEAD, p.id, EvidenceInput("Informe", DAY))
    snap = snapshots.take_snapshot(db, LEAD, p.id, "Antes")
    files = [read_upload("kumu.xlsx", kumu_workbook(), LIMIT)]
    batch = imports.apply_import(db, LEAD, p.id, files).batch_id
    assert com.milestones[0].id is not None
    gone = _deleted_records(db, p.id, kind, stage, tie, a.id)
    return World(
        db, p.id, stage, sector, tie, kind, a.id, b.id, t.id, act.id, task.id, inp.id,
        com.id, com.milestones[0].id, ev, snap.id, batch, gone,
    )  # fmt: skip


def _deleted_records(
    db: Database, pid: int, kind: int, stage: int, tie: int, actor: int
) -> dict[str, int]:
    """One deleted record of each restorable kind, for the restore services."""
    c = actors.add_actor(db, LEAD, pid, {"name": "Antiguo comité"})
    t = relationships.add_relationship(
        db, LEAD, pid, {"source_id": c.id, "target_id": actor, "tie_type_id": tie}
    )
    act = activities.record_activity(db, LEAD, pid, ActivityInput(kind, stage, "Viejo", DAY))
    com = commitments.add_commitment(db, LEAD, pid, CommitmentInput("Viejo"))
    inp = inputs.add_input(db, LEAD, pid, InputInput("Vieja", DAY))
    relationships.delete_relationship(db, LEAD, t.id)
    actors.delete_actor(db, LEAD, c.id)
    activities.delete_activity(db, LEAD, act.id)
    commitments.delete_commitment(db, LEAD, com.id)
    inputs.delete_input(db, LEAD, inp.id)
    return {"actor": c.id, "tie": t.id, "activity": act.id, "commitment": com.id, "input": inp.id}


def _activity_file() -> Any:
    data = workbook(
        {
            "Activities": [
                ["Activity", "Date", "Stage", "Type", "Participation level", "Headcount"],
                ["Foro", "2024-05-07", "Diseño", "Taller", "Consultar", 30],
            ],
            "Attendance": [["Activity", "Date", "Actor", "Role", "Sentiment"]],
        }
    )
    return read_activity_upload("actividades.xlsx", data, LIMIT)


Call = Callable[[World, Principal], Any]
A = activities
REGISTRY: dict[str, Call] = {
    "activities.record_activity": lambda w, u: A.record_activity(
        w.db, u, w.pid, ActivityInput(w.activity_type, w.stage, "Otro taller", DAY)
    ),
    "activities.update_activity": lambda w, u: A.update_activity(
        w.db, u, w.activity, ActivityInput(w.activity_type, w.stage, "Taller 2", DAY), None, None
    ),
    "activities.delete_activity": lambda w, u: A.delete_activity(w.db, u, w.activity),
    "activities.restore_activity": lambda w, u: A.restore_activity(w.db, u, w.gone["activity"]),
    "activity_import_write.apply_activity_import": lambda w, u: (
        activity_import_write.apply_activity_import(w.db, u, w.pid, [_activity_file()])
    ),
    "decidim_write.apply_decidim_import": lambda w, u: decidim_write.apply_decidim_import(
        w.db, u, w.pid, read_decidim_zip("d.zip", decidim_zip()), DecidimOptions()
    ),
    "actor_edits.apply_actor_changes": lambda w, u: actor_edits.apply_actor_changes(
        w.db, u, [actor_edits.ActorChange(w.actor, {"territory": "Centro"}, None)]
    ),
    "actors.add_actor": lambda w, u: actors.add_actor(w.db, u, w.pid, {"name": "Nuevo"}),
    "actors.update_actor": lambda w, u: actors.update_actor(
        w.db, u, w.actor, {"territory": "Centro"}, None
    ),
    "actors.delete_actor": lambda w, u: actors.delete_actor(w.db, u, w.actor),
    "actors.restore_actor": lambda w, u: actors.restore_actor(w.db, u, w.gone["actor"]),
    "assessments.record_assessments": lambda w, u: assessments.record_assessments(
        w.db, u, w.pid, [AssessmentInput(w.actor, w.stage, DAY, 4, 4, 3, 4, 3)]
    ),
    "backup.restore_program": lambda w, u: backup.restore_program(
        w.db, u, backup.program_backup(w.db, LEAD, w.pid), name="Copia"
    ),
    "sqlite_file.restore_sqlite_file": lambda w, u: sqlite_file.restore_sqlite_file(
        w.db, u, Path("copia-inexistente.db")
    ),
    "backup.restore_database": lambda w, u: backup.restore_database(
        w.db, u, backup.database_backup(w.db, LEAD), replace=True
    ),
    "commitments.add_commitment": lambda w, u: commitments.add_commitment(
        w.db, u, w.pid, CommitmentInput("Otro")
    ),
    "commitments.update_commitment": lambda w, u: commitments.update_commitment(
        w.db, u, w.commitment, CommitmentInput("Parque 2"), None
    ),
    "commitments.set_status": lambda w, u: commitments.set_status(
        w.db, u, w.commitment, "done", None
    ),
    "commitments.set_milestone_progress": lambda w, u: commitments.set_milestone_progress(
        w.db, u, w.milestone, 50
    ),
    "commitments.delete_commitment": lambda w, u: commitments.delete_commitment(
        w.db, u, w.commitment
    ),
    "commitments.restore_commitment": lambda w, u: commitments.restore_commitment(
        w.db, u, w.gone["commitment"]
    ),
    "demo.load_demo": lambda w, u: demo.load_demo(w.db, u, demo.demo_data("tepic")),
    "evidence.add_evidence": lambda w, u: evidence.add_evidence(
        w.db, u, w.pid, EvidenceInput("Otro", DAY)
    ),
    "evidence.delete_evidence": lambda w, u: evidence.delete_evidence(w.db, u, w.evidence),
    "import_undo.undo_import": lambda w, u: import_undo.undo_import(w.db, u, w.batch),
    "imports.apply_import": lambda w, u: imports.apply_import(
        w.db, u, w.pid, [read_upload("kumu.xlsx", kumu_workbook(), LIMIT)]
    ),
    "inputs.add_input": lambda w, u: inputs.add_input(w.db, u, w.pid, InputInput("Otra", DAY)),
    "inputs.update_input": lambda w, u: inputs.update_input(
        w.db, u, w.input, InputInput("Cambio", DAY), None
    ),
    "inputs.respond_to_input": lambda w, u: inputs.respond_to_input(
        w.db, u, w.input, "accepted", "Se incluye", DAY, None
    ),
    "inputs.delete_input": lambda w, u: inputs.delete_input(w.db, u, w.input),
    "inputs.restore_input": lambda w, u: inputs.restore_input(w.db, u, w.gone["input"]),
    "maps.save_positions": lambda w, u: maps.save_positions(w.db, u, w.pid, {w.actor: (1.0, 2.0)}),
    "maps.reset_arrangement": lambda w, u: maps.reset_arrangement(w.db, u, w.pid),
    "privacy.erase_person": lambda w, u: privacy.erase_person(w.db, u, w.actor),
    "programs.create_program": lambda w, u: programs.create_program(w.db, u, "Otro programa"),
    "programs.update_program": lambda w, u: programs.update_program(
        w.db,
        u,
        w.pid,
        {"municipality": "Antigua"},
        stored_programs.get_program(w.db, w.pid).version,
    ),
    "relationships.add_relationship": lambda w, u: relationships.add_relationship(
        w.db, u, w.pid, {"source_id": w.other, "target_id": w.actor, "tie_type_id": w.tie}
    ),
    "relationships.update_relationship": lambda w, u: relationships.update_relationship(
        w.db, u, w.tie_id, {"strength": 3}, None
    ),
    "relationships.delete_relationship": lambda w, u: relationships.delete_relationship(
        w.db, u, w.tie_id
    ),
    "relationships.restore_relationship": lambda w, u: relationships.restore_relationship(
        w.db, u, w.gone["tie"]
    ),
    "snapshots.take_snapshot": lambda w, u: snapshots.take_snapshot(w.db, u, w.pid, "Ahora"),
    "snapshots.close_stage": lambda w, u: snapshots.close_stage(
        w.db, u, w.pid, w.stage, DAY, "Cierre"
    ),
    "snapshots.reopen_stage": lambda w, u: snapshots.reopen_stage(w.db, u, w.pid, w.stage),
    "snapshots.delete_snapshot": lambda w, u: snapshots.delete_snapshot(w.db, u, w.snapshot),
    "tasks.add_tasks": lambda w, u: tasks.add_tasks(w.db, u, w.activity, [TaskInput("Otra")]),
    "tasks.update_task": lambda w, u: tasks.update_task(w.db, u, w.task, TaskInput("Cambio"), None),
    "tasks.delete_task": lambda w, u: tasks.delete_task(w.db, u, w.task),
    "terms.add_term": lambda w, u: terms.add_term(w.db, u, w.pid, "sector", "Cooperativas"),
    "terms.update_term": lambda w, u: terms.update_term(
        w.db, u, w.pid, "sector", w.sector, label_es="Alcaldía", label_en="City hall"
    ),
    "terms.move_term": lambda w, u: terms.move_term(w.db, u, w.pid, "sector", w.sector, 1),
    "terms.remove_term": lambda w, u: terms.remove_term(w.db, u, w.pid, "sector", w.sector),
    "users.create_user": lambda w, u: users.create_user(w.db, u, "nuevo", "clave-muy-larga"),
    "users.set_role": lambda w, u: users.set_role(w.db, u, "viewer1", w.pid, "lead"),
    "users.set_active": lambda w, u: users.set_active(w.db, u, "viewer1", False),
    "users.unlock": lambda w, u: users.unlock(w.db, u, "viewer1"),
}
#: Write services every signed-in user may call on their own account.
SELF_SERVICE = {"users.change_password"}


def write_services() -> set[str]:
    found = set()
    # Every module, in area subpackages too; keyed by the module's own name.
    for info in pkgutil.walk_packages(services_package.__path__, "engagement.services."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = inspect.signature(fn).parameters
            if {"db", "by"} <= set(params) and "writing()" in inspect.getsource(fn):
                found.add(f"{info.name.rsplit('.', 1)[-1]}.{name}")
    return found


def test_every_write_service_is_in_the_registry() -> None:
    assert write_services() - SELF_SERVICE == set(REGISTRY)


def test_every_write_service_refuses_a_viewer(world: World) -> None:
    users.create_user(world.db, LEAD, "viewer1", "clave-de-viewer")
    viewer = users.principal(users.set_role(world.db, LEAD, "viewer1", world.pid, "viewer"))
    before = stored_programs.get_program(world.db, world.pid).data_version
    allowed = []
    for name, call in REGISTRY.items():
        try:
            call(world, viewer)
        except PermissionDenied:
            continue
        allowed.append(name)
    assert allowed == []
    assert (
        stored_programs.get_program(world.db, world.pid).data_version == before
    )  # nothing was written


def test_facilitator_adds_actors_and_edits_only_their_own(world: World) -> None:
    users.create_user(world.db, LEAD, "fede", "clave-de-fede1")
    fede = users.principal(users.set_role(world.db, LEAD, "fede", world.pid, "facilitator"))
    own = actors.add_actor(world.db, fede, world.pid, {"name": "Comité de vecinos"})
    assert actors.update_actor(world.db, fede, own.id, {"territory": "Sur"}, None).territory
    with pytest.raises(PermissionDenied):
        actors.update_actor(world.db, fede, world.actor, {"territory": "Sur"}, None)
    with pytest.raises(PermissionDenied):
        assessments.record_assessments(
            world.db, fede, world.pid, [AssessmentInput(own.id, world.stage, DAY, 2, 2, 2, 3, 2)]
        )
    activity = activities.record_activity(
        world.db, fede, world.pid, ActivityInput(world.activity_type, world.stage, "Foro", DAY)
    )
    assert activity.created_by == "fede"
