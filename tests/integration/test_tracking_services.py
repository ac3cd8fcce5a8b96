"""Activities, attendance, tasks, inputs, commitments, evidence, snapshots through the
services, on SQLite and PostgreSQL: what is written, what is refused, what is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from engagement.errors import DuplicateName, PermissionDenied, StaleEdit, ValidationFailed
from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services.registry import actors, assessments, programs, relationships, terms
from engagement.services.tracking import (
    activities,
    commitments,
    dashboard,
    evidence,
    inputs,
    snapshots,
    tasks,
)
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from engagement.storage.queries import tracking as stored_tracking
from engagement.tracking import (
    ActivityInput,
    Attendee,
    CommitmentInput,
    EvidenceInput,
    InputInput,
    MilestoneInput,
    TaskInput,
)
from tests.support.reads import read_all

ANA = Principal("ana")
TODAY = dt.date.today()
# the whole module runs on TODAY, even across midnight (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("same_day")


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    return programs.create_program(
        db, ANA, "Tejido Tepic", start_date=TODAY - dt.timedelta(days=400)
    )


def kind(program: ProgramInfo, key: str) -> int:
    return next(t.id for t in program.activity_types if t.key == key)


def stage(program: ProgramInfo, key: str) -> int:
    return next(s.id for s in program.stages if s.key == key)


def new_actor(db: Database, program: ProgramInfo, name: str, sector: str = "civil_society") -> int:
    sector_id = next(s.id for s in program.sectors if s.key == sector)
    return actors.add_actor(db, ANA, program.id, {"name": name, "sector_id": sector_id}).id


def workshop(program: ProgramInfo, **changes: object) -> ActivityInput:
    values: dict[str, object] = {
        "activity_type_id": kind(program, "workshop"),
        "stage_id": stage(program, "co_design"),
        "title": "Taller de co-diseño del parque",
        "held_on": TODAY - dt.timedelta(days=3),
        "headcount": 45,
        "facilitators": ("Rosa", "Mario"),
        "participation_target": 3,
        "participation_reached": 3,
    }
    return ActivityInput(**(values | changes))  # type: ignore[arg-type]


def test_new_programs_get_the_builtin_activity_types(program: ProgramInfo) -> None:
    keys = [t.key for t in program.activity_types]
    assert keys == [
        "workshop", "citizen_forum", "mentoring_session", "strategy_session", "meeting",
        "training", "city_encounter", "other",
    ]  # fmt: skip
    forum = next(t for t in program.activity_types if t.key == "citizen_forum")
    assert forum.forum and forum.label_es == "Foro ciudadano" and forum.label_en == "Citizen forum"


def test_activity_types_are_an_editable_list(db: Database, program: ProgramInfo) -> None:
    added = terms.add_term(db, ANA, program.id, "activity_type", "Asamblea", "Assembly", forum=True)
    assert added.forum and added.key == "asamblea"
    with pytest.raises(DuplicateName):
        terms.add_term(db, ANA, program.id, "activity_type", "taller")
    info = activities.record_activity(
        db, ANA, program.id, workshop(program, activity_type_id=added.id)
    )
    with pytest.raises(Exception) as caught:
        terms.remove_term(db, ANA, program.id, "activity_type", added.id)
    assert getattr(caught.value, "code", "") == "in_use"
    assert info.activity_type_key == "asamblea"


def test_record_activity_with_attendees_is_audited(db: Database, program: ProgramInfo) -> None:
    a, b = new_actor(db, program, "Colectivo Verde"), new_actor(db, program, "Vecinos Unidos")
    before = stored_programs.get_program(db, program.id).data_version
    info = activities.record_activity(
        db,
        ANA,
        program.id,
        workshop(program, start_time=dt.time(17, 0), end_time=dt.time(19, 30), tags=("parque",)),
        [Attendee(a, "convener", "positive"), Attendee(b, "participant", "negative")],
    )
    assert stored_programs.get_program(db, program.id).data_version > before
    assert [x.actor_id for x in info.attendees] == sorted([a, b])
    assert info.created_by == "ana" and info.start_time == dt.time(17, 0)
    frame = stored_activities.activities_frame(db, program.id)
    assert frame.loc[0, "attendees"] == 2 and frame.loc[0, "headcount"] == 45
    present = stored_activities.attendance_frame(db, program.id)
    assert set(present["actor"]) == {"Colectivo Verde", "Vecinos Unidos"}
    log = stored_audit.audit_log(db, program.id, entity="activity")
    assert log.loc[0, "action"] == "create"
    assert log.loc[0, "changes"]["start_time"] == "17:00:00"


def test_invalid_activity_names_every_problem_and_writes_nothing(
    db: Database, program: ProgramInfo
) -> None:
    ghost = 999_999
    bad = workshop(
        program,
        title=" ",
        held_on=TODAY + dt.timedelta(days=2),
        start_time=dt.time(18),
        end_time=dt.time(17),
        headcount=10,
        headcount_detail={"gender": {"women": 8, "men": 5}},
        participation_reached=7,
    )
    with pytest.raises(ValidationFailed) as caught:
        activities.record_activity(db, ANA, program.id, bad, [Attendee(ghost, "boss")])
    found = {(p.field, p.code) for p in caught.value.problems}
    assert {
        ("title", "required"),
        ("held_on", "future_date"),
        ("end_time", "before_start"),
        ("participation_reached", "out_of_range"),
        ("headcount.gender", "detail_exceeds_total"),
        ("actor", "unknown_actor"),
        ("role", "not_in_list"),
    } <= found
    assert stored_activities.activities_frame(db, program.id).empty


def test_edit_keeps_history_and_refuses_stale_versions(db: Database, program: ProgramInfo) -> None:
    a, b = new_actor(db, program, "Colectivo Verde"), new_actor(db, program, "Vecinos Unidos")
    info = activities.record_activity(db, ANA, program.id, workshop(program), [Attendee(a)])
    edited = activities.update_activity(
        db,
        ANA,
        info.id,
        workshop(program, headcount=60),
        [Attendee(a, "observer"), Attendee(b, "participant", "positive")],
        info.version,
    )
    assert edited.headcount == 60 and edited.version == info.version + 1
    assert {(x.actor_id, x.role) for x in edited.attendees} == {(a, "observer"), (b, "participant")}
    entry = stored_audit.audit_log(db, program.id, entity="activity").iloc[0]
    assert entry["action"] == "update" and entry["changes"]["headcount"] == [45, 60]
    assert len(entry["changes"]["attendees"][1]) == 2
    with pytest.raises(StaleEdit):
        activities.update_activity(db, ANA, info.id, workshop(program), None, info.version)


def test_delete_and_restore_activity(db: Database, program: ProgramInfo) -> None:
    info = activities.record_activity(db, ANA, program.id, workshop(program))
    activities.delete_activity(db, ANA, info.id, info.version)
    assert stored_activities.activities_frame(db, program.id).empty
    assert len(stored_activities.activities_frame(db, program.id, deleted=True)) == 1
    activities.restore_activity(db, ANA, info.id)
    assert len(stored_activities.activities_frame(db, program.id)) == 1


def test_viewer_and_facilitator_permissions(db: Database, program: ProgramInfo) -> None:
    viewer = Principal("vera", memberships=((program.id, "viewer"),))
    facilitator = Principal("fito", memberships=((program.id, "facilitator"),))
    with pytest.raises(PermissionDenied):
        activities.record_activity(db, viewer, program.id, workshop(program))
    own = activities.record_activity(db, facilitator, program.id, workshop(program))
    activities.update_activity(db, facilitator, own.id, workshop(program, headcount=5), None, None)
    other = activities.record_activity(db, ANA, program.id, workshop(program))
    with pytest.raises(PermissionDenied):
        activities.update_activity(db, facilitator, other.id, workshop(program), None, None)
    with pytest.raises(PermissionDenied):
        inputs.add_input(db, facilitator, program.id, InputInput("Más luz", TODAY))


def test_tasks_flag_overdue_and_record_done(db: Database, program: ProgramInfo) -> None:
    info = activities.record_activity(db, ANA, program.id, workshop(program))
    late, later = tasks.add_tasks(
        db,
        ANA,
        info.id,
        [
            TaskInput("Enviar minuta", "Rosa", TODAY - dt.timedelta(days=1)),
            TaskInput("Publicar fotos", "Mario", TODAY),
        ],
    )
    frame = read_all(db, program.id).table("tasks")
    assert list(frame["overdue"]) == [True, False]
    done = tasks.update_task(
        db, ANA, late.id, TaskInput("Enviar minuta", "Rosa", late.due_on, "done"), late.version
    )
    assert done.done_on == TODAY
    assert not read_all(db, program.id).table("tasks")["overdue"].any()
    with pytest.raises(ValidationFailed) as caught:
        tasks.add_tasks(db, ANA, info.id, [TaskInput("ok"), TaskInput("", status="later")])
    assert {(p.row, p.field) for p in caught.value.problems} == {(2, "title"), (2, "status")}
    assert len(frame) == 2 and later.owner == "Mario"


def test_inputs_responses_and_waiting_list(db: Database, program: ProgramInfo) -> None:
    actor = new_actor(db, program, "Colectivo Verde")
    act = activities.record_activity(db, ANA, program.id, workshop(program))
    old = inputs.add_input(
        db,
        ANA,
        program.id,
        InputInput("Más bancas", TODAY - dt.timedelta(days=20), actor, "parque", act.id),
    )
    assert old.stage_id == act.stage_id
    anon = inputs.add_input(
        db, ANA, program.id, InputInput("Horario nocturno", TODAY - dt.timedelta(days=5))
    )
    waiting = read_all(db, program.id).table("waiting")
    assert list(waiting["id"]) == [old.id, anon.id] and waiting.loc[0, "days_waiting"] == 20
    with pytest.raises(ValidationFailed) as caught:
        inputs.respond_to_input(db, ANA, old.id, "rejected", "  ", TODAY, old.version)
    assert caught.value.problems[0].code == "reasoning_required"
    with pytest.raises(ValidationFailed) as caught:
        inputs.respond_to_input(
            db, ANA, old.id, "accepted", "ok", old.received_on - dt.timedelta(days=1), old.version
        )
    assert caught.value.problems[0].code == "before_received"
    inputs.respond_to_input(db, ANA, anon.id, "under_review", "", TODAY, anon.version)
    done = inputs.respond_to_input(
        db, ANA, old.id, "partly_accepted", "Se pondrán 10", TODAY, old.version
    )
    assert done.responded_by == "ana"
    waiting = read_all(db, program.id).table("waiting")
    assert list(waiting["id"]) == [anon.id]
    frame = read_all(db, program.id).table("inputs")
    assert dict(zip(frame["id"], frame["answered"], strict=True)) == {old.id: True, anon.id: False}
    assert stored_audit.audit_log(db, program.id, entity="input").iloc[0]["action"] == "respond"


def test_commitments_links_milestones_and_flags(db: Database, program: ProgramInfo) -> None:
    lead, partner = (
        new_actor(db, program, "Municipio", "municipal_government"),
        new_actor(db, program, "ONG Parque"),
    )
    act = activities.record_activity(db, ANA, program.id, workshop(program))
    raised = inputs.add_input(db, ANA, program.id, InputInput("Más bancas", TODAY))
    item = CommitmentInput(
        title="Recuperar el parque La Loma",
        stage_id=stage(program, "implementation"),
        responsible_id=lead,
        co_responsible_ids=(partner, lead),
        start_on=TODAY - dt.timedelta(days=60),
        due_on=TODAY - dt.timedelta(days=1),
        status="in_progress",
        activity_ids=(act.id,),
        input_ids=(raised.id,),
        milestones=(
            MilestoneInput("Diagnóstico", progress=100),
            MilestoneInput("Obras", progress=20),
        ),
    )
    info = commitments.add_commitment(db, ANA, program.id, item)
    assert info.co_responsible_ids == (partner,) and info.progress == 60
    frame = read_all(db, program.id).table("commitments")
    assert frame.loc[0, "overdue"] and not frame.loc[0, "stalled"]
    assert frame.loc[0, "responsible"] == "Municipio" and frame.loc[0, "co_responsible"] == [
        "ONG Parque"
    ]
    stored = stored_tracking.commitments_frame(db, program.id)
    later = commitments.commitment_rows(stored, TODAY + dt.timedelta(days=60), program.stale_days)
    assert later.loc[0, "stalled"]
    obras = info.milestones[1]
    assert obras.id is not None
    moved = commitments.set_milestone_progress(db, ANA, obras.id, 80)
    assert moved.progress == 90
    edited = commitments.update_commitment(
        db,
        ANA,
        info.id,
        CommitmentInput(
            title=item.title,
            status="done",
            milestones=(MilestoneInput("Obras", progress=100, id=obras.id),),
        ),
        moved.version,
    )
    assert (
        edited.milestones[0].id == obras.id and edited.activity_ids == () and edited.progress == 100
    )
    assert read_all(db, program.id).dashboard().overall.commitments["done"] == 1
    with pytest.raises(ValidationFailed) as caught:
        commitments.add_commitment(
            db, ANA, program.id,
            CommitmentInput("x", status="late", start_on=TODAY, due_on=TODAY - dt.timedelta(days=1),
                            milestones=(MilestoneInput("", progress=120),)),
        )  # fmt: skip
    assert {(p.field, p.code) for p in caught.value.problems} >= {
        ("status", "not_in_list"), ("due_on", "before_start"), ("progress", "out_of_range"),
        ("milestone", "required"),
    }  # fmt: skip


def test_dashboard_reads_what_was_recorded(db: Database, program: ProgramInfo) -> None:
    empty = read_all(db, program.id).dashboard()
    assert empty.overall.activities == 0 and empty.overall.answered_share is None
    assert empty.monthly.empty
    a, b = new_actor(db, program, "Colectivo Verde"), new_actor(db, program, "Vecinos Unidos")
    activities.record_activity(db, ANA, program.id, workshop(program), [Attendee(a), Attendee(b)])
    activities.record_activity(
        db, ANA, program.id,
        workshop(program, activity_type_id=kind(program, "citizen_forum"), headcount=120,
                 facilitators=("Rosa", "Luz"), stage_id=stage(program, "design")),
        [Attendee(a)],
    )  # fmt: skip
    board = read_all(db, program.id).dashboard()
    assert board.overall.activities == 2
    assert board.overall.activities_by_type == {"citizen_forum": 1, "workshop": 1}
    assert board.overall.citizens_involved == 165
    assert board.overall.organisations_participating == 2
    assert board.overall.facilitators_active == 3
    design = board.stages[stage(program, "design")]
    assert (design.activities, design.citizens_involved, design.organisations_participating) == (
        1,
        120,
        1,
    )
    assert int(board.monthly["activities"].sum()) == 2


def test_stale_key_players(db: Database, program: ProgramInfo) -> None:
    key, quiet = (
        new_actor(db, program, "Alcaldía", "municipal_government"),
        new_actor(db, program, "Cámara"),
    )
    for actor_id in (key, quiet):
        assessments.record_assessments(
            db, ANA, program.id,
            [AssessmentInput(actor_id, stage(program, "design"), TODAY, 5, 5, 3, 4, 3)],
        )  # fmt: skip
    activities.record_activity(
        db,
        ANA,
        program.id,
        workshop(program, held_on=TODAY - dt.timedelta(days=10)),
        [Attendee(key)],
    )
    view = read_all(db, program.id)
    stale = view.table("stale")
    assert list(stale["name"]) == ["Cámara"] and stale.loc[0, "last_activity"] is None
    scores = dashboard.latest_scores_from(view.frame("actors"), view.frame("assessments"))
    present = view.table("attendance")
    stale = dashboard.stale_from(scores, present, program.power_threshold, 9, TODAY)
    assert list(stale["name"]) == ["Cámara", "Alcaldía"]


def test_changes_since_a_date(db: Database, program: ProgramInfo) -> None:
    a = new_actor(db, program, "Colectivo Verde")
    activities.record_activity(
        db, ANA, program.id, workshop(program, activity_type_id=kind(program, "mentoring_session"))
    )
    assessments.record_assessments(
        db, ANA, program.id, [AssessmentInput(a, stage(program, "design"), TODAY, 2, 2, 2, 4, 3)]
    )
    assessments.record_assessments(
        db, ANA, program.id, [AssessmentInput(a, stage(program, "design"), TODAY, 4, 4, 4, 4, 3)]
    )
    assert read_all(db, program.id).last_mentoring_call() == TODAY - dt.timedelta(days=3)
    found = read_all(db, program.id).changes_since(TODAY)
    # The mentoring session was held three days ago: typed in today, it is not "since today".
    assert found.counts == {
        "new_actors": 1, "assessments": 2, "activities": 0, "inputs": 0, "responses": 0,
        "commitments": 0,
    }  # fmt: skip
    assert (
        read_all(db, program.id).changes_since(TODAY - dt.timedelta(days=3)).counts["activities"]
        == 1
    )
    moved = found.entries[found.entries["detail"] != ""]
    assert list(moved["detail"]) == ["monitor>manage_closely;2>4"]
    assert read_all(db, program.id).changes_since(TODAY + dt.timedelta(days=1)).entries.empty


def test_activities_inputs_and_responses_count_by_their_own_dates(
    db: Database, program: ProgramInfo
) -> None:
    call = TODAY - dt.timedelta(days=7)
    activities.record_activity(
        db, ANA, program.id, workshop(program, held_on=call - dt.timedelta(days=20))
    )
    activities.record_activity(
        db, ANA, program.id, workshop(program, title="Foro", held_on=call + dt.timedelta(days=2))
    )
    old = inputs.add_input(
        db, ANA, program.id, InputInput("Más bancas", call - dt.timedelta(days=30))
    )
    inputs.add_input(db, ANA, program.id, InputInput("Más luz", call + dt.timedelta(days=1)))
    inputs.respond_to_input(db, ANA, old.id, "accepted", "Se instalarán.", TODAY, None)
    found = read_all(db, program.id).changes_since(call)
    assert {k: v for k, v in found.counts.items() if v} == {
        "activities": 1, "inputs": 1, "responses": 1,
    }  # fmt: skip
    dated = found.entries.set_index("label")
    assert dated.loc["Foro", "basis"] == "held_on"
    assert dated.loc["Foro", "at"].date() == call + dt.timedelta(days=2)
    assert set(found.entries["basis"]) == {"held_on", "received_on", "responded_on"}


def test_inputs_never_wait_a_negative_number_of_days(db: Database, program: ProgramInfo) -> None:
    inputs.add_input(db, ANA, program.id, InputInput("Después del cierre", TODAY))
    end = TODAY - dt.timedelta(days=719)
    waiting = inputs.awaiting(read_all(db, program.id).table("inputs"), end)
    assert list(waiting["days_waiting"]) == [0]


def test_ogp_checklist_on_a_real_program(db: Database, program: ProgramInfo) -> None:
    items = {i.key: i for i in read_all(db, program.id).checklist()}
    assert [i.status for i in items.values()] == ["red", "red", "amber", "amber"]
    forum = activities.record_activity(
        db,
        ANA,
        program.id,
        workshop(
            program,
            activity_type_id=kind(program, "citizen_forum"),
            held_on=TODAY - dt.timedelta(days=30),
        ),
    )
    evidence.add_evidence(
        db,
        ANA,
        program.id,
        EvidenceInput("Minuta", TODAY - dt.timedelta(days=10), "minutes", "tepic.gob.mx/minuta"),
    )
    items = {i.key: i for i in read_all(db, program.id).checklist()}
    assert items["forum"].status == "amber" and items["forum"].reason == "gap"
    assert items["forum"].evidence[0].id == forum.id
    assert items["evidence"].status == "amber"
    assert items["evidence"].evidence[0].url == "https://tepic.gob.mx/minuta"


def test_snapshot_close_stage_and_compare_with_now(db: Database, program: ProgramInfo) -> None:
    a, b = (
        new_actor(db, program, "Alcaldía", "municipal_government"),
        new_actor(db, program, "Colectivo"),
    )
    collab = next(t.id for t in program.tie_types if t.key == "collaborates")
    assessments.record_assessments(
        db, ANA, program.id, [AssessmentInput(a, stage(program, "design"), TODAY, 2, 2, 2, 4, 3)]
    )
    first = snapshots.close_stage(
        db, ANA, program.id, stage(program, "design"), TODAY, "Cierre diseño"
    )
    assert first.stage_closed and first.actors == 2 and first.ties == 0
    assert stored_programs.get_program(db, program.id).stages[0].closed_on == TODAY
    with pytest.raises(DuplicateName):
        snapshots.take_snapshot(
            db, ANA, program.id, "cierre diseño ".strip().title().replace("D", "d")
        )
    assessments.record_assessments(
        db, ANA, program.id,
        [AssessmentInput(a, stage(program, "co_design"), TODAY, 5, 5, 4, 4, 3, legitimacy=True)],
    )  # fmt: skip
    relationships.add_relationship(
        db, ANA, program.id, {"source_id": a, "target_id": b, "tie_type_id": collab}
    )
    found = read_all(db, program.id).comparison(first.id, None)
    moved = found.moved.set_index("name")
    assert moved.loc["Alcaldía", "quadrant_before"] == "monitor"
    assert moved.loc["Alcaldía", "quadrant_after"] == "manage_closely"
    assert moved.loc["Alcaldía", "salience_after"] == "dominant"
    assert list(found.ties_added["tie_type"]) == ["collaborates"] and found.ties_removed.empty
    second = snapshots.take_snapshot(db, ANA, program.id, "Hoy")
    again = read_all(db, program.id).comparison(second.id, None)
    assert again.counts()["quadrant_changed"] == 0 and again.ties_added.empty
    assert next(s.name for s in read_all(db, program.id).snapshots()) == "Hoy"
    snapshots.delete_snapshot(db, ANA, second.id)
    assert [s.name for s in read_all(db, program.id).snapshots()] == ["Cierre diseño"]
    with pytest.raises(ValidationFailed):
        read_all(db, program.id).frozen(second.id)


def test_co_participation_ties(db: Database, program: ProgramInfo) -> None:
    a, b, c = (new_actor(db, program, n) for n in ("Ana AC", "Bosque AC", "Cauce AC"))
    activities.record_activity(
        db, ANA, program.id, workshop(program), [Attendee(a), Attendee(b), Attendee(c)]
    )
    activities.record_activity(db, ANA, program.id, workshop(program), [Attendee(a), Attendee(b)])
    activities.record_activity(db, ANA, program.id, workshop(program))
    ties = read_all(db, program.id).table("co_participation")
    assert ties[["source_name", "target_name", "weight"]].values.tolist() == [
        ["Ana AC", "Bosque AC", 2], ["Ana AC", "Cauce AC", 1], ["Bosque AC", "Cauce AC", 1],
    ]  # fmt: skip
    assert stored_registry.relationships_frame(db, program.id).empty
