"""The co-participation layer through the map service, on both databases: drawn between
the actors each user may see, limited by the map's date, in the HTML export, and never
written anywhere (no relationship, no layout change, no change to the measures)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, select

from engagement.maps.filters import MapFilters
from engagement.maps.view import MapStyle, MapView
from engagement.model import Principal, ProgramInfo
from engagement.services import readcache
from engagement.services.coalition import maps
from engagement.services.registry import actors, programs, relationships
from engagement.services.tracking import activities
from engagement.services.view import program_view
from engagement.storage.db import Database
from engagement.storage.models import AuditEntry, MapLayout, MapPosition, Relationship
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from engagement.storage.queries.programs import read_stamp
from engagement.tracking import ActivityInput, Attendee

LEAD = Principal("lead")
TODAY = dt.date.today()
# the whole module runs on TODAY, even across midnight (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("same_day")
EARLY, LATE = TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=5)
ON = MapStyle(co_participation=True)


@pytest.fixture(autouse=True)
def _fresh_analysis_cache() -> None:
    readcache.clear_cache()


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    return programs.create_program(db, LEAD, "Mapa", start_date=TODAY - dt.timedelta(days=400))


def _sector(program: ProgramInfo, key: str) -> int:
    return next(s.id for s in program.sectors if s.key == key)


def _activity(db: Database, program: ProgramInfo, day: dt.date, *people: int) -> None:
    item = ActivityInput(
        activity_type_id=next(k.id for k in program.activity_types if k.key == "workshop"),
        stage_id=program.stages[0].id,
        title=f"Taller {day.isoformat()}",
        held_on=day,
        headcount=len(people),
    )
    activities.record_activity(db, LEAD, program.id, item, [Attendee(p) for p in people])


@pytest.fixture
def people(db: Database, program: ProgramInfo) -> dict[str, int]:
    """Four organisations, a citizen and a restricted informant who attended workshops;
    one declared tie (Alcaldía — Cauce) and otherwise only shared attendance."""
    civil = _sector(program, "civil_society")
    names = {"Alcaldía": civil, "Bosque AC": civil, "Cauce AC": civil, "Duna AC": civil}
    ids = {
        name: actors.add_actor(db, LEAD, program.id, {"name": name, "sector_id": sector}).id
        for name, sector in names.items()
    }
    ids["Doña Rosa"] = actors.add_actor(
        db, LEAD, program.id, {"name": "Doña Rosa", "sector_id": _sector(program, "citizen")}
    ).id
    ids["Informante"] = actors.add_actor(
        db, LEAD, program.id, {"name": "Informante", "confidentiality": "restricted"}
    ).id
    kind = next(tt.id for tt in program.tie_types if tt.key == "collaborates")
    relationships.add_relationship(
        db,
        LEAD,
        program.id,
        {"source_id": ids["Alcaldía"], "target_id": ids["Cauce AC"], "tie_type_id": kind},
    )
    a, b, c, d = ids["Alcaldía"], ids["Bosque AC"], ids["Cauce AC"], ids["Duna AC"]
    _activity(db, program, EARLY, a, b, ids["Informante"])
    _activity(db, program, LATE, a, b, c, ids["Doña Rosa"], ids["Informante"])
    _activity(db, program, LATE, d)  # alone: no tie
    return ids


def _pairs(view: MapView) -> dict[tuple[int, int], int]:
    return {(c.source, c.target): c.weight for c in view.co_ties}


def _viewer(program_id: int, role: str = "viewer") -> Principal:
    return Principal(role, memberships=((program_id, role),))


def test_the_layer_links_actors_by_activities_shared(
    db: Database, program: ProgramInfo, people: dict[str, int]
) -> None:
    view = maps.network_view(db, LEAD, program.id, style=ON)
    a, b, c = people["Alcaldía"], people["Bosque AC"], people["Cauce AC"]
    pairs = _pairs(view)
    assert pairs[(a, b)] == 2 and pairs[(a, c)] == 1 and pairs[(b, c)] == 1
    assert (a, people["Informante"]) in pairs  # a lead sees restricted actors
    assert people["Duna AC"] not in {x for pair in pairs for x in pair}
    assert len(view.edges) == 1  # relationships: still the one declared tie
    assert maps.network_view(db, LEAD, program.id).co_ties == ()


def test_the_date_filter_counts_activities_up_to_that_day(
    db: Database, program: ProgramInfo, people: dict[str, int]
) -> None:
    a, b, c = people["Alcaldía"], people["Bosque AC"], people["Cauce AC"]
    before = maps.network_view(db, LEAD, program.id, MapFilters(on_date=EARLY), ON)
    assert _pairs(before)[(a, b)] == 1 and (a, c) not in _pairs(before)
    none = maps.network_view(db, LEAD, program.id, MapFilters(on_date=EARLY - dt.timedelta(1)), ON)
    assert none.co_ties == () and none.co_participation


def test_the_layer_keeps_to_the_visible_actors(
    db: Database, program: ProgramInfo, people: dict[str, int]
) -> None:
    secret = people["Informante"]
    for role in ("viewer", "facilitator"):
        user = _viewer(program.id, role)
        view = maps.network_view(db, user, program.id, style=ON)
        assert secret not in {x for pair in _pairs(view) for x in pair}
        assert _pairs(view)[(people["Alcaldía"], people["Bosque AC"])] == 2
        page = maps.export_html(db, user, program.id, style=ON)
        assert "Informante" not in page and f"co:{secret}-" not in page
        assert f'-{secret}"' not in page
    ego = maps.network_view(
        db, LEAD, program.id, MapFilters(ego_actor=people["Cauce AC"], ego_steps=1), ON
    )
    assert {n.id for n in ego.nodes} == {people["Alcaldía"], people["Cauce AC"]}
    assert set(_pairs(ego)) == {(people["Alcaldía"], people["Cauce AC"])}


def test_presentation_mode_names_citizens_by_stand_in_in_the_layer(
    db: Database, program: ProgramInfo, people: dict[str, int]
) -> None:
    view = maps.network_view(db, LEAD, program.id, style=ON, presentation=True)
    titles = " ".join(c.title for c in view.co_ties)
    assert "Doña Rosa" not in titles and "Persona 1" in titles
    page = maps.export_html(db, LEAD, program.id, style=ON, presentation=True)
    assert "Doña Rosa" not in page


def test_the_export_carries_the_layer_only_when_on(
    db: Database, program: ProgramInfo, people: dict[str, int]
) -> None:
    style = MapStyle(lang="en", co_participation=True)
    page = maps.export_html(db, LEAD, program.id, style=style)
    data = json.loads(re.search(r'id="tejido-map-data">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    co = [e for e in data["edges"] if str(e["id"]).startswith("co:")]
    assert len(co) == len(maps.network_view(db, LEAD, program.id, style=style).co_ties) > 0
    assert "2 shared activities" in {e["title"].splitlines()[1] for e in co}
    assert "Co-participation in activities (dotted)" in page
    plain = maps.export_html(db, LEAD, program.id, style=MapStyle(lang="en"))
    assert '"co:' not in plain and "Co-participation" not in plain


def test_the_layer_writes_nothing_and_leaves_layout_and_measures_alone(
    db: Database, program: ProgramInfo, people: dict[str, int]
) -> None:
    off = maps.network_view(db, LEAD, program.id)  # computes and stores the layout once

    def stored() -> tuple[object, ...]:
        with db.reading() as session:
            layout = session.get(MapLayout, program.id)
            assert layout is not None
            positions = session.execute(
                select(MapPosition.actor_id, MapPosition.x, MapPosition.y).order_by(
                    MapPosition.actor_id
                )
            ).all()
            return (
                session.scalar(select(func.count()).select_from(Relationship)),
                session.scalar(select(func.count()).select_from(AuditEntry)),
                layout.revision,
                layout.fingerprint,
                layout.computed_at,
                tuple(tuple(p) for p in positions),
            )

    before = stored()
    version = stored_programs.get_program(db, program.id).data_version
    measures = program_view(db, LEAD, program.id).measures()
    on = maps.network_view(db, LEAD, program.id, style=ON)
    maps.export_html(db, LEAD, program.id, style=ON)
    assert stored() == before
    assert stored_programs.get_program(db, program.id).data_version == version
    assert stored_registry.relationships_frame(db, program.id).shape[0] == 1
    assert program_view(db, LEAD, program.id).measures().equals(measures)
    assert on.nodes == off.nodes  # same sizes (relationship measures) and same positions
    assert read_stamp(db, program.id).layout == before[2]
