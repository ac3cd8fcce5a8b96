"""Dashboard figures, OGP checks and snapshot movement on constructed histories.

Pure: frames and dictionaries built here, no database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from engagement.analysis.coparticipation import co_participation
from engagement.analysis.movement import compare_frozen
from engagement.model import ProgramInfo, Term
from engagement.services.tracking import commitments, inputs
from engagement.services.tracking.changes import category_of
from engagement.services.tracking.commitments import progress_of
from engagement.services.tracking.dashboard import (
    TrackingFrames,
    engagement_by_stage,
    figures,
    monthly_series,
    stale_from,
)
from engagement.services.tracking.ogp import (
    add_months,
    evidence_item,
    forum_item,
    implementation_item,
    responses_item,
)
from engagement.services.tracking.tasks import is_overdue
from engagement.storage.queries import activities as stored_activities
from engagement.tracking import Evidence
from engagement.ui.editor_state import edited_rows

D = dt.date
DESIGN, CODESIGN, IMPL = 1, 2, 3


def acts(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {
        "title": "Taller",
        "activity_type_id": 1,
        "activity_type_key": "workshop",
        "forum": False,
        "stage_id": DESIGN,
        "held_on": D(2024, 3, 1),
        "start_time": None,
        "end_time": None,
        "place": "",
        "facilitators": [],
        "participation_target": None,
        "participation_reached": None,
        "headcount": 0,
        "headcount_detail": {},
        "tags": [],
        "summary": "",
        "agreements": "",
        "attendees": 0,
        "version": 1,
    }
    records = [base | {"id": i} | r for i, r in enumerate(rows, start=1)]
    return pd.DataFrame(records, columns=stored_activities.ACTIVITY_COLUMNS)


def present(*rows: tuple[int, int, int, D]) -> pd.DataFrame:
    """(activity_id, actor_id, stage_id, held_on)."""
    records = [
        {
            "activity_id": a,
            "actor_id": p,
            "actor": f"A{p}",
            "role": "participant",
            "sentiment": None,
            "held_on": d,
            "stage_id": s,
            "activity_type_id": 1,
        }
        for a, p, s, d in rows
    ]
    return pd.DataFrame(records, columns=stored_activities.ATTENDANCE_COLUMNS)


def received(*rows: tuple[int | None, bool]) -> pd.DataFrame:
    """(stage_id, answered)."""
    records = [
        {
            "id": i,
            "received_on": D(2024, 1, i),
            "text": f"input {i}",
            "stage_id": s,
            "answered": a,
            "response": "accepted" if a else None,
            "reasoning": "x" if a else "",
        }
        for i, (s, a) in enumerate(rows, start=1)
    ]
    return pd.DataFrame(records, columns=inputs.INPUT_COLUMNS)


def promised(*rows: tuple[int | None, str]) -> pd.DataFrame:
    records = [{"id": i, "stage_id": s, "status": st} for i, (s, st) in enumerate(rows, 1)]
    return pd.DataFrame(records, columns=commitments.COMMITMENT_COLUMNS)


def frames(
    a: pd.DataFrame | None = None,
    p: pd.DataFrame | None = None,
    i: pd.DataFrame | None = None,
    c: pd.DataFrame | None = None,
) -> TrackingFrames:
    return TrackingFrames(
        a if a is not None else acts(),
        p if p is not None else present(),
        i if i is not None else received(),
        c if c is not None else promised(),
    )


# --- Figures ------------------------------------------------------------------------------


def test_empty_program_has_zero_figures_and_no_share() -> None:
    f = figures(frames())
    assert (f.activities, f.citizens_involved, f.organisations_participating) == (0, 0, 0)
    assert (f.facilitators_active, f.inputs_received, f.inputs_answered) == (0, 0, 0)
    assert f.answered_share is None and f.activities_by_type == {}
    assert f.commitments == {"open": 0, "in_progress": 0, "done": 0, "referred": 0, "dropped": 0}
    assert monthly_series(frames()).empty


def test_activities_without_attendees_count_headcounts_but_no_organisations() -> None:
    history = frames(
        acts({"headcount": 260, "activity_type_key": "city_encounter"}, {"headcount": 45})
    )
    f = figures(history)
    assert f.activities == 2 and f.citizens_involved == 305
    assert f.organisations_participating == 0
    assert f.activities_by_type == {"city_encounter": 1, "workshop": 1}


def test_organisations_are_distinct_actors_and_facilitators_distinct_names() -> None:
    history = frames(
        acts({"facilitators": ["Rosa", "Mario"]}, {"facilitators": ["Rosa"], "stage_id": CODESIGN}),
        present(
            (1, 10, DESIGN, D(2024, 3, 1)),
            (1, 11, DESIGN, D(2024, 3, 1)),
            (2, 10, CODESIGN, D(2024, 3, 1)),
        ),
    )
    overall = figures(history)
    assert overall.organisations_participating == 2 and overall.facilitators_active == 2
    codesign = figures(history, CODESIGN)
    assert (codesign.activities, codesign.organisations_participating) == (1, 1)
    assert codesign.facilitators_active == 1
    assert figures(history, IMPL).activities == 0


def test_inputs_answered_share_and_commitments_per_stage() -> None:
    history = frames(
        i=received((DESIGN, True), (DESIGN, False), (CODESIGN, True), (None, True)),
        c=promised((DESIGN, "done"), (DESIGN, "open"), (None, "dropped")),
    )
    overall = figures(history)
    assert (overall.inputs_received, overall.inputs_answered) == (4, 3)
    assert overall.answered_share == 0.75
    design = figures(history, DESIGN)
    assert (design.inputs_received, design.inputs_answered, design.answered_share) == (2, 1, 0.5)
    assert design.commitments["done"] == 1 and design.commitments["open"] == 1
    assert overall.commitments["dropped"] == 1 and design.commitments["dropped"] == 0


def test_monthly_series_fills_empty_months() -> None:
    history = frames(
        acts(
            {"held_on": D(2024, 1, 15), "headcount": 10},
            {"held_on": D(2024, 3, 2), "headcount": 5},
            {"held_on": D(2024, 3, 30), "headcount": 1},
        ),
        present(
            (1, 10, DESIGN, D(2024, 1, 15)),
            (2, 10, DESIGN, D(2024, 3, 2)),
            (3, 11, DESIGN, D(2024, 3, 30)),
        ),
    )
    series = monthly_series(history)
    assert [m.strftime("%Y-%m") for m in series["month"]] == ["2024-01", "2024-02", "2024-03"]
    assert list(series["activities"]) == [1, 0, 2]
    assert list(series["citizens_involved"]) == [10, 0, 6]
    assert list(series["organisations_participating"]) == [1, 0, 2]


def test_engagement_by_stage_uses_latest_assessment_in_each_stage() -> None:
    history = pd.DataFrame(
        {
            "actor_id": [1, 1, 2, 1],
            "stage_id": [DESIGN, DESIGN, DESIGN, CODESIGN],
            "engagement_current": [2, 4, 4, 5],
        }
    )
    counts = engagement_by_stage(history)
    assert counts.values.tolist() == [[DESIGN, 4, 2], [CODESIGN, 5, 1]]


def test_stale_key_players_boundary() -> None:
    actors_ = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Key", "Quiet", "Minor"],
            "power": [5, 4, 1],
            "interest": [5, 3, 1],
        }
    )
    seen = present((1, 1, DESIGN, D(2024, 1, 1)))
    assert list(stale_from(actors_, seen, 3, 45, D(2024, 2, 15))["name"]) == ["Quiet"]
    stale = stale_from(actors_, seen, 3, 45, D(2024, 2, 16))
    assert list(stale["name"]) == ["Quiet", "Key"] and stale.loc[1, "days_since"] == 46


# --- OGP checks at their boundaries -----------------------------------------------------


def meetings(*days: D) -> list[Evidence]:
    return [Evidence("activity", i, d, f"Foro {i}") for i, d in enumerate(days, start=1)]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 6, D(2024, 7, 31)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2024, 3, 15), -12, D(2023, 3, 15)),
    ],
)
def test_add_months(day: D, months: int, expected: D) -> None:
    assert add_months(day, months) == expected


def test_forum_exactly_six_months_is_on_time_a_day_more_is_late() -> None:
    assert forum_item(meetings(D(2024, 1, 10)), None, D(2024, 7, 10)).status == "green"
    late = forum_item(meetings(D(2024, 1, 10)), None, D(2024, 7, 11))
    assert (late.status, late.reason) == ("red", "overdue")
    assert late.params == {"last": D(2024, 1, 10), "due": D(2024, 7, 10)}


def test_forum_gap_between_meetings_at_the_boundary() -> None:
    on_time = forum_item(meetings(D(2024, 1, 10), D(2024, 7, 10)), None, D(2024, 8, 1))
    assert on_time.status == "green"
    gap = forum_item(meetings(D(2024, 1, 10), D(2024, 7, 11)), None, D(2024, 8, 1))
    assert (gap.status, gap.reason) == ("amber", "gap")
    assert gap.params["start"] == D(2024, 1, 10) and gap.params["end"] == D(2024, 7, 11)


def test_forum_from_program_start() -> None:
    start = D(2024, 1, 1)
    assert forum_item([], start, D(2024, 7, 1)).status == "amber"  # first one not due yet
    assert forum_item([], start, D(2024, 7, 2)).status == "red"
    assert forum_item([], None, D(2024, 7, 2)).reason == "never"
    late_first = forum_item(meetings(D(2024, 7, 2)), start, D(2024, 8, 1))
    assert (late_first.status, late_first.reason) == ("amber", "gap")
    assert forum_item(meetings(D(2024, 7, 1)), start, D(2024, 8, 1)).status == "green"


def test_forum_ignores_future_meetings_and_lists_evidence_newest_first() -> None:
    item = forum_item(meetings(D(2024, 1, 10), D(2024, 3, 1), D(2030, 1, 1)), None, D(2024, 4, 1))
    assert [e.on for e in item.evidence] == [D(2024, 3, 1), D(2024, 1, 10)]


def test_evidence_twice_a_year_boundaries() -> None:
    today = D(2024, 12, 31)
    twice = meetings(D(2023, 12, 31), D(2024, 6, 30))
    assert evidence_item(twice, today).status == "green"
    assert evidence_item(meetings(D(2023, 12, 30), D(2024, 6, 30)), today).status == "amber"
    stale_latest = meetings(D(2024, 1, 5), D(2024, 6, 29))
    assert evidence_item(stale_latest, today).status == "amber"
    assert evidence_item(meetings(D(2023, 12, 30)), today).status == "red"
    assert evidence_item([], today).reason == "none"


@pytest.mark.parametrize(
    ("answered", "total", "status"),
    [(9, 10, "green"), (8, 10, "amber"), (1, 2, "amber"), (4, 9, "red"), (0, 0, "amber")],
)
def test_reasoned_response_thresholds(answered: int, total: int, status: str) -> None:
    rows = [(DESIGN, n < answered) for n in range(total)]
    item = responses_item(received(*rows))
    assert item.status == status
    assert item.params["answered"] == answered and item.params["total"] == total
    if answered < total:  # the inputs still waiting are listed first
        first = received(*rows).set_index("id").loc[item.evidence[0].id]
        assert not bool(first["answered"])


def program_with(closed_design: bool) -> ProgramInfo:
    stages = (
        Term(
            DESIGN,
            "design",
            "Diseño",
            "Design",
            position=0,
            closed_on=D(2024, 1, 1) if closed_design else None,
        ),
        Term(IMPL, "implementation", "Implementación", "Implementation", position=1),
    )
    return ProgramInfo(1, "P", "", "", "", None, None, 3, 45, False, 0, 1, stages=stages)


def test_implementation_meetings_with_civil_society() -> None:
    today = D(2024, 12, 31)
    held = acts({"stage_id": IMPL, "held_on": D(2024, 6, 30)})
    civil = present((1, 10, IMPL, D(2024, 6, 30))).assign(sector_key="civil_society")
    officials = present((1, 11, IMPL, D(2024, 6, 30))).assign(sector_key="municipal_government")
    assert (
        implementation_item(program_with(False), acts(), officials.iloc[:0], today).reason
        == "not_started"
    )
    assert (
        implementation_item(program_with(True), acts(), officials.iloc[:0], today).status == "red"
    )
    assert implementation_item(program_with(True), held, officials, today).status == "red"
    assert implementation_item(program_with(True), held, civil, today).status == "green"
    older = implementation_item(program_with(True), held, civil, D(2025, 1, 1))
    assert (older.status, older.reason) == ("amber", "old")


# --- Snapshot movement -------------------------------------------------------------------


def state(
    scores: dict[int, tuple[str, str, int]],
    ties: list[tuple[int, int, str]],
    measures: dict[int, float] | None = None,
) -> dict[str, Any]:
    return {
        "actors": [{"id": i, "name": f"Actor {i}", "sector": None} for i in (1, 2, 3)],
        "assessments": [
            {
                "actor_id": i,
                "quadrant": q,
                "salience": s,
                "engagement_current": e,
                "power": 3,
                "interest": 3,
            }
            for i, (q, s, e) in scores.items()
        ],
        "ties": [
            {"source": s, "target": t, "tie_type": k, "directed": k != "collaborates"}
            for s, t, k in ties
        ],
        "measures": [{"id": i, "degree": v} for i, v in (measures or {}).items()],
    }


def test_snapshot_comparison() -> None:
    before = state(
        {1: ("monitor", "dormant", 2), 2: ("keep_informed", "dependent", 3)},
        [(1, 2, "collaborates"), (2, 3, "funds")],
        {1: 1.0, 2: 2.0},
    )
    after = state(
        {
            1: ("manage_closely", "definitive", 4),
            2: ("keep_informed", "dependent", 3),
            3: ("monitor", "dormant", 1),
        },
        [(2, 1, "collaborates"), (3, 1, "funds")],
        {1: 2.0, 2: 2.0},
    )
    found = compare_frozen(before, after)
    moved = found.moved
    assert list(moved["id"]) == [1]
    assert moved.iloc[0][["quadrant_before", "quadrant_after"]].tolist() == [
        "monitor",
        "manage_closely",
    ]
    assert bool(moved.iloc[0]["salience_changed"]) and bool(moved.iloc[0]["engagement_changed"])
    # An undirected tie is the same whichever way round it is written.
    assert found.ties_added[["source", "target", "tie_type"]].values.tolist() == [[3, 1, "funds"]]
    assert found.ties_removed[["source", "target", "tie_type"]].values.tolist() == [[2, 3, "funds"]]
    assert found.measures[
        ["id", "degree_before", "degree_after", "degree_change"]
    ].values.tolist() == [[1, 1.0, 2.0, 1.0]]
    counts = found.counts()
    assert counts["quadrant_changed"] == 1 and counts["ties_added"] == 1
    # Actor 3 was not assessed before: no change is claimed for it.
    row3 = found.actors.set_index("id").loc[3]
    assert not row3["quadrant_changed"] and row3["quadrant_after"] == "monitor"


def test_comparing_a_state_with_itself_finds_nothing() -> None:
    same = state({1: ("monitor", "dormant", 2)}, [(1, 2, "funds")], {1: 0.5})
    found = compare_frozen(same, same)
    assert found.moved.empty and found.measures.empty
    assert found.ties_added.empty and found.ties_removed.empty


def test_added_and_removed_actors() -> None:
    before = state({}, [])
    after = dict(before) | {
        "actors": [*before["actors"][:2], {"id": 4, "name": "New", "sector": None}]
    }
    counts = compare_frozen(before, after).counts()
    assert counts["actors_added"] == 1 and counts["actors_removed"] == 1


# --- Small rules -------------------------------------------------------------------------


def test_co_participation_weights() -> None:
    rows = pd.DataFrame({"activity_id": [1, 1, 2, 2, 2, 3], "actor_id": [1, 2, 1, 2, 2, 3]})
    assert co_participation(rows).values.tolist() == [[1, 2, 2]]


def test_task_overdue_boundary() -> None:
    assert not is_overdue("open", D(2024, 5, 10), D(2024, 5, 10))
    assert is_overdue("in_progress", D(2024, 5, 10), D(2024, 5, 11))
    assert not is_overdue("done", D(2024, 5, 10), D(2024, 5, 11))
    assert not is_overdue("open", None, D(2024, 5, 11))


def test_commitment_progress() -> None:
    assert progress_of([100, 20], "in_progress") == 60
    assert progress_of([], "done") == 100 and progress_of([], "open") == 0


@pytest.mark.parametrize(
    ("entity", "action", "category"),
    [
        ("actor", "create", "new_actors"),
        ("actor", "update", None),
        ("assessment", "create", "assessments"),
        ("activity", "update", "activities"),
        ("input", "respond", "responses"),
        ("input", "create", "inputs"),
        ("milestone", "update", "commitments"),
    ],
)
def test_changes_categories(entity: str, action: str, category: str | None) -> None:
    assert category_of(entity, action) == category


def test_editor_rows() -> None:
    base = [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]
    edits = {"edited_rows": {"0": {"b": "z"}}, "deleted_rows": [1], "added_rows": [{"a": 3}]}
    assert edited_rows(base, edits) == [{"a": 1, "b": "z"}, {"a": 3, "b": None}]
    assert edited_rows([], None) == []
