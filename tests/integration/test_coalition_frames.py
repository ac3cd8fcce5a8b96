from __future__ import annotations

import datetime as dt

import pandas as pd

from engagement.model import AssessmentInput, Principal
from engagement.services.registry import actors, assessments, programs, relationships
from engagement.storage.db import Database
from tests.support.reads import read_all

LEAD = Principal("lead")


def test_frames_carry_latest_assessment_and_valid_ties(db: Database) -> None:
    program = programs.create_program(db, LEAD, "P")
    design, codesign = program.stages[0].id, program.stages[1].id
    muni_sector = next(s.id for s in program.sectors if s.key == "municipal_government")
    muni = actors.add_actor(
        db, LEAD, program.id, {"name": "Municipalidad", "sector_id": muni_sector}
    )
    un = actors.add_actor(db, LEAD, program.id, {"name": "ONU-Hábitat"})
    actors.add_actor(db, LEAD, program.id, {"name": "Sin evaluar"})
    assessments.record_assessments(
        db,
        LEAD,
        program.id,
        [
            AssessmentInput(muni.id, design, dt.date(2024, 2, 1), 5, 3, 2, 4, 3),
            AssessmentInput(muni.id, codesign, dt.date(2024, 6, 1), 5, 5, 4, 5, 3),
        ],
    )
    funds = next(t.id for t in program.tie_types if t.key == "funds")
    relationships.add_relationship(
        db,
        LEAD,
        program.id,
        {
            "source_id": un.id,
            "target_id": muni.id,
            "tie_type_id": funds,
            "valid_from": dt.date(2024, 1, 1),
            "valid_to": dt.date(2024, 12, 31),
        },
    )
    frame = read_all(db, program.id).coalition_actors().set_index("name")
    assert frame.loc["Municipalidad", "engagement_current"] == 4
    assert frame.loc["Municipalidad", "sector"] == "municipal_government"
    assert pd.isna(frame.loc["Sin evaluar", "power"])
    in_design = read_all(db, program.id).coalition_actors(stage_id=design).set_index("name")
    assert in_design.loc["Municipalidad", "engagement_current"] == 2
    before = read_all(db, program.id).coalition_actors(as_of=dt.date(2024, 3, 1)).set_index("name")
    assert before.loc["Municipalidad", "interest"] == 3

    ties = read_all(db, program.id).coalition_ties()
    assert ties.iloc[0][["source", "target", "tie_type", "negative"]].tolist() == [
        un.id,
        muni.id,
        "funds",
        False,
    ]
    assert len(read_all(db, program.id).coalition_ties(on_date=dt.date(2024, 6, 1))) == 1
    assert read_all(db, program.id).coalition_ties(on_date=dt.date(2025, 6, 1)).empty
