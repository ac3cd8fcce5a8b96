"""The demo programs' engagement tracking tells the public case studies' story."""

from __future__ import annotations

from engagement.model import Principal
from engagement.services.exchange import demo
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import registry as stored_registry
from tests.support.reads import read_all

ANA = Principal("ana")
INSTITUTIONS = {
    "municipal_government", "national_government", "academia", "civil_society",
    "multilateral", "international_cooperation",
}  # fmt: skip


def test_demo_tracking_matches_the_seeds(db) -> None:  # type: ignore[no-untyped-def]
    antigua, tepic = demo.load_demos(db, ANA)

    acts = stored_activities.activities_frame(db, antigua.id)
    public = acts[acts["activity_type_key"].isin(["workshop", "citizen_forum"])]
    citizen = public[~public["title"].str.contains("direcciones|Mapeo|Diseño colaborativo|gestión")]
    assert int(citizen["headcount"].sum()) >= 450  # 450+ citizens in workshops and forums
    board = read_all(db, antigua.id).dashboard()
    assert board.overall.facilitators_active == 10  # 10 facilitators trained
    assert (acts["activity_type_key"] == "mentoring_session").sum() >= 20
    assert set(acts["stage_id"]) == {s.id for s in antigua.stages}

    acts = stored_activities.activities_frame(db, tepic.id)
    encounter = acts[acts["activity_type_key"] == "city_encounter"]
    assert list(encounter["headcount"]) == [260]  # 260 public servants
    sectors = stored_registry.actors_frame(db, tepic.id).set_index("id")["sector_key"]
    present = stored_activities.attendance_frame(db, tepic.id)
    for activity_id in acts[acts["title"].str.startswith("Jornada de recuperación")]["id"]:
        here = present[present["activity_id"] == activity_id]["actor_id"]
        assert sum(sectors.get(a) in INSTITUTIONS for a in here) >= 12  # 12+ institutions
    park = acts[acts["title"].str.startswith("Jornada")]["headcount"].sum()
    assert park > 500  # over 500 officials and neighbours

    for program in (antigua, tepic):
        view = read_all(db, program.id)
        assert not view.table("waiting").empty
        assert len(view.table("commitments")) >= 4
        closed = [s for s in view.snapshots() if s.stage_closed]
        assert len(closed) == 2
        oldest, newest = sorted(closed, key=lambda s: s.taken_at)
        moved = view.comparison(oldest.id, newest.id)
        assert moved.counts()["engagement_changed"] > 0


def test_the_demo_history_is_dated_as_it_happened(db) -> None:  # type: ignore[no-untyped-def]
    """Loaded today, the demo's trail carries the illustrative dates: the mentor's
    "since the last call" shows what happened after that call, not all 54 actors."""
    antigua, _ = demo.load_demos(db, ANA)
    log = stored_audit.audit_log(db, antigua.id, limit=100000)
    end = antigua.end_date
    assert end is not None and log["at"].max().date() <= end
    view = read_all(db, antigua.id)
    last = view.last_mentoring_call()
    assert last is not None
    found = view.changes_since(last)
    assert found.counts["new_actors"] < 10
    assert sum(found.counts.values()) < 30
    assert not found.entries.empty and found.entries["at"].min().date() >= last
    shots = view.snapshots()
    assert shots and all(s.taken_at.date() <= end for s in shots)
