"""The map service on both databases: stored layout, pinned drags, reset, roles, export."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from pathlib import Path

import pytest

from engagement.cli import main
from engagement.errors import PermissionDenied, ValidationFailed
from engagement.maps.filters import MapFilters
from engagement.maps.view import MapStyle
from engagement.model import Principal, ProgramInfo
from engagement.services import readcache
from engagement.services.coalition import maps
from engagement.services.registry import actors, programs, relationships
from engagement.storage.db import Database
from engagement.storage.queries.programs import read_stamp
from tests.support.reads import read_all

LEAD = Principal("lead")


@pytest.fixture(autouse=True)
def _fresh_analysis_cache() -> None:
    # The analysis cache keys on (database URL, data version); test databases reuse both.
    readcache.clear_cache()


def _viewer(program_id: int) -> Principal:
    return Principal("viewer", memberships=((program_id, "viewer"),))


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    return programs.create_program(db, LEAD, "Mapa")


def _tie(db: Database, program: ProgramInfo, a: int, b: int) -> None:
    kind = next(tt.id for tt in program.tie_types if tt.key == "collaborates")
    relationships.add_relationship(
        db, LEAD, program.id, {"source_id": a, "target_id": b, "tie_type_id": kind}
    )


def _chain(db: Database, program: ProgramInfo, n: int) -> list[int]:
    ids = [actors.add_actor(db, LEAD, program.id, {"name": f"Actor {i}"}).id for i in range(n)]
    for a, b in itertools.pairwise(ids):
        _tie(db, program, a, b)
    return ids


def test_layout_is_computed_once_and_stored(db: Database, program: ProgramInfo) -> None:
    ids = _chain(db, program, 5)
    first = maps.view_layout(read_all(db, program.id))
    assert set(first.positions) == set(ids) and first.revision == 1
    again = maps.view_layout(read_all(db, program.id))
    assert again == first  # unchanged graph: read, not recomputed
    assert read_stamp(db, program.id).layout == 1


def test_a_new_actor_gets_a_place_and_dragged_actors_stay(
    db: Database, program: ProgramInfo
) -> None:
    ids = _chain(db, program, 6)
    before = maps.view_layout(read_all(db, program.id))
    revision = maps.save_positions(db, LEAD, program.id, {ids[0]: (1234.5, -99.25)})
    assert revision == before.revision + 1
    newcomer = actors.add_actor(db, LEAD, program.id, {"name": "Nuevo"}).id
    _tie(db, program, ids[2], newcomer)
    after = maps.view_layout(read_all(db, program.id))
    assert after.positions[ids[0]] == (1234.5, -99.25)
    assert after.pinned == frozenset({ids[0]})
    assert newcomer in after.positions
    # The recomputed layout is turned to match the old one: nobody jumps across the map.
    for actor in ids[1:]:
        (x0, y0), (x1, y1) = before.positions[actor], after.positions[actor]
        assert abs(x1 - x0) + abs(y1 - y0) < 400


def test_reset_forgets_dragged_positions(db: Database, program: ProgramInfo) -> None:
    ids = _chain(db, program, 4)
    computed = maps.view_layout(read_all(db, program.id)).positions
    maps.save_positions(db, LEAD, program.id, {ids[1]: (5000.0, 5000.0)})
    assert maps.view_layout(read_all(db, program.id)).positions[ids[1]] == (5000.0, 5000.0)
    maps.reset_arrangement(db, LEAD, program.id)
    fresh = maps.view_layout(read_all(db, program.id))
    assert fresh.pinned == frozenset()
    assert fresh.positions == computed  # the same graph gives the same picture


def test_viewers_cannot_save_or_reset(db: Database, program: ProgramInfo) -> None:
    ids = _chain(db, program, 3)
    viewer = _viewer(program.id)
    assert maps.can_arrange(LEAD, program.id) and not maps.can_arrange(viewer, program.id)
    with pytest.raises(PermissionDenied):
        maps.save_positions(db, viewer, program.id, {ids[0]: (1.0, 1.0)})
    with pytest.raises(PermissionDenied):
        maps.reset_arrangement(db, viewer, program.id)


@pytest.mark.parametrize("bad", [(float("nan"), 0.0), (1e12, 0.0), ("x", 1.0), (1.0,)])
def test_bad_positions_are_refused_and_nothing_is_saved(
    db: Database, program: ProgramInfo, bad: tuple[object, ...]
) -> None:
    ids = _chain(db, program, 3)
    before = maps.view_layout(read_all(db, program.id))
    with pytest.raises(ValidationFailed) as caught:
        maps.save_positions(db, LEAD, program.id, {ids[0]: (5.0, 5.0), ids[1]: bad})  # type: ignore[dict-item]
    assert caught.value.problems[0].field == "map_position"
    assert maps.view_layout(read_all(db, program.id)) == before


def test_positions_of_other_programs_or_deleted_actors_are_ignored(
    db: Database, program: ProgramInfo
) -> None:
    ids = _chain(db, program, 3)
    other = programs.create_program(db, LEAD, "Otro")
    stranger = actors.add_actor(db, LEAD, other.id, {"name": "Ajeno"}).id
    maps.save_positions(db, LEAD, program.id, {stranger: (1.0, 1.0), ids[0]: (2.0, 2.0)})
    assert stranger not in maps.view_layout(read_all(db, program.id)).positions
    assert maps.view_layout(read_all(db, other.id)).positions[stranger] != (1.0, 1.0)


def test_restricted_actors_stay_off_a_viewers_map(db: Database, program: ProgramInfo) -> None:
    ids = _chain(db, program, 3)
    secret = actors.add_actor(
        db, LEAD, program.id, {"name": "Fuente reservada", "confidentiality": "restricted"}
    ).id
    _tie(db, program, ids[0], secret)
    lead_view = maps.network_view(db, LEAD, program.id)
    viewer_view = maps.network_view(db, _viewer(program.id), program.id)
    assert secret in {n.id for n in lead_view.nodes}
    assert secret not in {n.id for n in viewer_view.nodes}
    assert "Fuente reservada" not in maps.export_html(db, _viewer(program.id), program.id)


def test_export_html_of_a_filtered_view(db: Database, program: ProgramInfo) -> None:
    ids = _chain(db, program, 4)
    page = maps.export_html(
        db,
        LEAD,
        program.id,
        MapFilters(ego_actor=ids[0], ego_steps=1),
        MapStyle(lang="en"),
    )
    assert "Network map — Mapa" in page
    assert f"Exported on {dt.date.today().isoformat()}: 2 of 4 actors." in page
    assert '"title":"Actor 1\\n' in page and '"Actor 3' not in page


def test_cli_export_writes_the_map_as_an_offline_page(
    db_url: str, db: Database, program: ProgramInfo, tmp_path: Path
) -> None:
    _chain(db, program, 3)
    target = tmp_path / "out" / "mapa.html"
    out = io.StringIO()
    args = ["--database-url", db_url, "--lang", "es", "export", "--program", "Mapa"]
    code = main([*args, "--format", "html", "--output", str(target)], out=out)
    assert code == 0, out.getvalue()
    assert "exportado" in out.getvalue()
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Mapa de la red — Mapa" in page
    assert '"title":"Actor 2\\n' in page and "<script src" not in page
