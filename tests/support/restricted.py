"""A program holding a restricted citizen with contact data, everywhere data can name her.

She is tied to two actors, assessed, attends an activity (a mentoring call), raised an
input, is responsible for one commitment and co-responsible for another, appears in the
audit trail and in a snapshot. Her id is far above every other record's, so a number in
a result equal to it can only be her.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engagement.model import AssessmentInput, Principal
from engagement.services.access import users
from engagement.services.registry import actors, assessments, programs, relationships
from engagement.services.tracking import activities, commitments, inputs, snapshots
from engagement.storage.db import Database
from engagement.tracking import ActivityInput, Attendee, CommitmentInput, InputInput

OPERATOR = Principal("local")
NAME = "Vecina Reservada"
EMAIL = "reservada@example.org"
PHONE = "+502 5555 0199"
CONTACT = "Rosa Reservada"
#: Actors made before her, so that no other record of the program reaches her id.
FILLERS = 60


@dataclass(frozen=True)
class Restricted:
    program_id: int
    hidden: int
    muni: int
    onu: int
    activity: int
    viewer: Principal
    mentor: Principal
    lead: Principal
    #: An administrator with no role in the program (administrators may open every one).
    admin: Principal

    def strings(self) -> tuple[str, ...]:
        """What no viewer may ever read."""
        return (NAME, EMAIL, PHONE, CONTACT)


def build_restricted(db: Database, *, today: dt.date | None = None) -> Restricted:
    day = today or dt.date.today()
    program = programs.create_program(db, OPERATOR, "Programa con reserva")
    sector = {s.key: s.id for s in program.sectors}
    tie = {t.key: t.id for t in program.tie_types}
    kind = {k.key: k.id for k in program.activity_types}
    stage = program.stages[0].id
    add = actors.add_actor
    muni = add(
        db,
        OPERATOR,
        program.id,
        {"name": "Municipalidad", "sector_id": sector["municipal_government"]},
    ).id
    onu = add(
        db, OPERATOR, program.id, {"name": "ONU-Hábitat", "sector_id": sector["multilateral"]}
    ).id
    for n in range(FILLERS):
        filler = add(db, OPERATOR, program.id, {"name": f"Comité {n}"})
        if n % 2:
            actors.delete_actor(db, OPERATOR, filler.id)
    hidden = add(
        db,
        OPERATOR,
        program.id,
        {
            "name": NAME,
            "sector_id": sector["citizen"],
            "confidentiality": "restricted",
            "contact_name": CONTACT,
            "contact_email": EMAIL,
            "contact_phone": PHONE,
        },
    ).id
    for source, target, key in (
        (hidden, muni, "informs"),
        (muni, onu, "collaborates"),
        (hidden, onu, "informs"),
    ):
        relationships.add_relationship(
            db,
            OPERATOR,
            program.id,
            {
                "source_id": source,
                "target_id": target,
                "tie_type_id": tie[key],
                "strength": 3,
            },
        )
    assessments.record_assessments(
        db,
        OPERATOR,
        program.id,
        [
            AssessmentInput(hidden, stage, day - dt.timedelta(days=30), 5, 5, 2, 5, 3),
            AssessmentInput(hidden, stage, day - dt.timedelta(days=2), 5, 5, 4, 5, 3),
            AssessmentInput(muni, stage, day - dt.timedelta(days=2), 5, 5, 3, 4, 3),
        ],
    )
    call = activities.record_activity(
        db,
        OPERATOR,
        program.id,
        ActivityInput(
            kind["mentoring_session"], stage, "Mentoría semanal", day - dt.timedelta(days=10)
        ),
        [Attendee(hidden), Attendee(muni)],
    )
    activities.record_activity(
        db,
        OPERATOR,
        program.id,
        ActivityInput(
            kind["mentoring_session"], stage, "Taller de barrio", day - dt.timedelta(days=1)
        ),
        [Attendee(hidden), Attendee(onu)],
    )
    raised = inputs.add_input(
        db, OPERATOR, program.id, InputInput("Más luminarias en el barrio", day, hidden)
    )
    commitments.add_commitment(
        db,
        OPERATOR,
        program.id,
        CommitmentInput("Parque del barrio", responsible_id=hidden, co_responsible_ids=(muni,)),
    )
    commitments.add_commitment(
        db,
        OPERATOR,
        program.id,
        CommitmentInput(
            "Luminarias",
            responsible_id=muni,
            co_responsible_ids=(hidden, onu),
            input_ids=(raised.id,),
        ),
    )
    snapshots.take_snapshot(db, OPERATOR, program.id, "Antes")
    viewer = _member(db, program.id, "visor", "viewer")
    mentor = _member(db, program.id, "mentora", "mentor")
    lead = _member(db, program.id, "lider", "lead")
    users.create_user(db, OPERATOR, "admin", "clave-de-admin-1", admin=True)
    admin = users.principal(users.get_user(db, "admin"))
    return Restricted(program.id, hidden, muni, onu, call.id, viewer, mentor, lead, admin)


def _member(db: Database, program_id: int, username: str, role: str) -> Principal:
    users.create_user(db, OPERATOR, username, f"clave-de-{username}-1")
    return users.principal(users.set_role(db, OPERATOR, username, program_id, role))
