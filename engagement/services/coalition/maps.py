"""The network map of a program: stored layout, saved arrangement, the view, the export.

The layout is computed once per change of the graph (actors and ties) and stored; a
page view only reads it. When the graph changes, the new layout is turned to match the
old one, and positions a user dragged (pinned) are kept until "reset arrangement".
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Hashable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, aliased

from engagement.analysis.layout import align_positions, layout_positions
from engagement.errors import Problem, ValidationFailed
from engagement.i18n import t
from engagement.io.marks import ExportMark
from engagement.maps.filters import MapFilters, filter_coalition
from engagement.maps.html import standalone_html
from engagement.maps.network import map_payload
from engagement.maps.view import MapStyle, MapView, build_view
from engagement.model import Principal
from engagement.services.access import permissions
from engagement.services.coalition.layout_store import StoredLayout as StoredLayout
from engagement.services.coalition.layout_store import graph_fingerprint as graph_fingerprint
from engagement.services.coalition.layout_store import stored_layout
from engagement.services.readcache import cached, database_key
from engagement.services.view import ProgramView, program_view
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import Actor, MapLayout, MapPosition, Relationship

#: A dragged position further out than this is refused (keeps the drawing sane).
COORDINATE_LIMIT = 1e7
ALL = MapFilters()
#: Most actors in an exported page (vis-network draws ~5,000 fixed nodes in seconds).
EXPORT_MAX_NODES = 5000
DEFAULT_STYLE = MapStyle()


def view_layout(view: ProgramView) -> StoredLayout:
    """The map's stored positions of the actors ``view``'s reader may see: read with the
    program when current, else computed and stored first (once per change of the graph)."""
    stored = view.stored_layout() or cached(
        view_key(view, "layout"), lambda: _map_layout(view.db, view.program_id)
    )
    seen = view.names()
    return StoredLayout(
        positions={a: p for a, p in stored.positions.items() if a in seen},
        pinned=frozenset(a for a in stored.pinned if a in seen),
        revision=stored.revision,
    )


def _map_layout(db: Database, program_id: int) -> StoredLayout:
    """The program's positions, computed and stored first if the graph changed."""
    ids, pairs = _graph(db, program_id)
    fingerprint = graph_fingerprint(ids, pairs)
    with db.reading() as session:
        row = session.get(MapLayout, program_id)
        if row is not None and row.fingerprint == fingerprint:
            return stored_layout(session, program_id, row.revision)
    return _compute_and_store(db, program_id, ids, pairs, fingerprint)


def _layout_groups(db: Database, program_id: int) -> dict[int, int]:
    """Each actor's community on the whole map (the numbers "colour by community" shows
    to those who see every actor), so that the layout draws every community as a cluster
    of its own. A function of the graph, so the graph's fingerprint also stands for it."""
    measures = program_view(db, _EVERYONE, program_id).measures()
    found = measures[["id", "community"]].dropna()
    return {int(a): int(c) for a, c in zip(found["id"], found["community"], strict=True)}


#: The layout is one for every reader: computed on the whole graph.
_EVERYONE = Principal("layout")


def _graph(db: Database, program_id: int) -> tuple[list[int], list[tuple[int, int]]]:
    source, target = aliased(Actor), aliased(Actor)
    with db.reading() as session:
        ids = session.scalars(
            select(Actor.id).where(Actor.program_id == program_id, Actor.deleted_at.is_(None))
        ).all()
        rows = session.execute(
            select(Relationship.source_id, Relationship.target_id)
            .join(source, source.id == Relationship.source_id)
            .join(target, target.id == Relationship.target_id)
            .where(
                Relationship.program_id == program_id,
                Relationship.deleted_at.is_(None),
                source.deleted_at.is_(None),
                target.deleted_at.is_(None),
            )
        ).all()
    return list(ids), [(int(a), int(b)) for a, b in rows]


def _compute_and_store(
    db: Database, program_id: int, ids: list[int], pairs: list[tuple[int, int]], fingerprint: str
) -> StoredLayout:
    computed = layout_positions(ids, pairs, groups=_layout_groups(db, program_id))
    with db.writing() as session:
        row = session.get(MapLayout, program_id)
        if row is not None and row.fingerprint == fingerprint:
            return stored_layout(session, program_id, row.revision)  # another session just did it
        before = stored_layout(session, program_id, 0)
        placed = align_positions(computed, before.positions, keep=before.pinned)
        session.execute(
            delete(MapPosition).where(
                MapPosition.program_id == program_id, MapPosition.pinned.is_(False)
            )
        )
        fresh = [
            {"program_id": program_id, "actor_id": a, "x": x, "y": y, "pinned": False}
            for a, (x, y) in placed.items()
            if a not in before.pinned
        ]
        if fresh:
            session.execute(insert(MapPosition), fresh)
        revision = _bump(session, program_id, fingerprint)
        return stored_layout(session, program_id, revision)


def _bump(session: Session, program_id: int, fingerprint: str | None) -> int:
    row = session.get(MapLayout, program_id)
    if row is None:
        row = MapLayout(program_id=program_id, fingerprint=fingerprint or "", revision=0)
        session.add(row)
    row.revision = (row.revision or 0) + 1
    if fingerprint is not None:
        row.fingerprint = fingerprint
    row.computed_at = utcnow()
    session.flush()
    return row.revision


def save_positions(
    db: Database, by: Principal, program_id: int, moved: Mapping[int, tuple[float, float]]
) -> int:
    """Keep positions a user dragged (pinned until reset). Returns the new revision.

    Ids that are not live actors of the program (deleted meanwhile) are ignored.

    Raises
    ------
    PermissionDenied
        Unless the user may edit the program's registry (leads and mentors).
    ValidationFailed
        If a coordinate is not a finite number within range.
    """
    permissions.require(by, program_id, permissions.Action.EDIT_REGISTRY)
    clean = _clean_positions(moved)
    with db.writing() as session:
        live = set(
            session.scalars(
                select(Actor.id).where(
                    Actor.program_id == program_id,
                    Actor.deleted_at.is_(None),
                    Actor.id.in_(list(clean)),
                )
            ).all()
        )
        existing = set(
            session.scalars(
                select(MapPosition.actor_id).where(MapPosition.actor_id.in_(list(live)))
            ).all()
        )
        for actor_id in sorted(live):
            x, y = clean[actor_id]
            values = {"x": x, "y": y, "pinned": True, "updated_by": by.username}
            if actor_id in existing:
                session.execute(
                    update(MapPosition).where(MapPosition.actor_id == actor_id).values(**values)
                )
            else:
                session.add(MapPosition(program_id=program_id, actor_id=actor_id, **values))
        return _bump(session, program_id, None)


def _clean_positions(moved: Mapping[int, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    clean: dict[int, tuple[float, float]] = {}
    problems: list[Problem] = []
    for key, value in moved.items():
        try:
            actor_id, (x, y) = int(key), (float(value[0]), float(value[1]))
        except (TypeError, ValueError, IndexError):
            problems.append(Problem("map_position", "bad_number", {"value": str(value)[:40]}))
            continue
        if not all(math.isfinite(v) and abs(v) < COORDINATE_LIMIT for v in (x, y)):
            problems.append(Problem("map_position", "bad_number", {"value": str(value)[:40]}))
            continue
        clean[actor_id] = (round(x, 2), round(y, 2))
    if problems:
        raise ValidationFailed(problems)
    return clean


def reset_arrangement(db: Database, by: Principal, program_id: int) -> int:
    """Forget every dragged position; the layout is computed afresh on the next view."""
    permissions.require(by, program_id, permissions.Action.EDIT_REGISTRY)
    with db.writing() as session:
        session.execute(delete(MapPosition).where(MapPosition.program_id == program_id))
        return _bump(session, program_id, "")


def can_arrange(by: Principal, program_id: int) -> bool:
    return permissions.allowed(by, program_id, permissions.Action.EDIT_REGISTRY)


def network_view(
    db: Database,
    by: Principal,
    program_id: int,
    filters: MapFilters = ALL,
    style: MapStyle = DEFAULT_STYLE,
    *,
    presentation: bool = False,
) -> MapView:
    """The map ``by`` sees (see :func:`view_map`)."""
    view = program_view(db, by, program_id, presentation=presentation, lang=style.lang)
    return view_map(view, filters, style)


def view_map(
    view: ProgramView, filters: MapFilters = ALL, style: MapStyle = DEFAULT_STYLE
) -> MapView:
    """The map of a program as its reader sees it: restricted actors left out for those
    who may not see them; in presentation mode, individual citizens under the stand-in
    names every page uses. Computed once per data version, layout and filters.

    With ``style.co_participation``, co-participation ties (activities shared, up to
    ``filters.on_date``) are drawn between the actors on the map. They are derived from
    attendance here and never stored; the layout and the measures use relationships only.
    """
    return cached(view_key(view, "map", filters, style), lambda: _view_map(view, filters, style))


#: Payload keys the page sets per run (selection, editing); the rest is drawn as cached.
PER_RUN = ("editable", "selected")


def map_drawing(
    view: ProgramView, filters: MapFilters, style: MapStyle, title: str
) -> tuple[MapView, Mapping[str, Any], bytes]:
    """The map, the data the browser draws it from (a read-only mapping), and that data
    but for :data:`PER_RUN` as JSON bytes, written once: a 5,000-actor map is megabytes
    of text, which would otherwise be encoded again on every run. Cached."""

    def compute() -> tuple[MapView, Mapping[str, Any], bytes]:
        shown = view_map(view, filters, style)
        found = map_payload(shown, title=title, lang=style.lang)
        fixed = {k: v for k, v in found.items() if k not in PER_RUN}
        data = json.dumps(fixed, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return shown, MappingProxyType(found), data

    return cached(view_key(view, "drawing", filters, style, title), compute)


def view_key(view: ProgramView, what: str, *filters: Hashable) -> tuple[Hashable, ...]:
    """A cache key of ``view``'s reader class that also follows the stored layout."""
    return (
        database_key(view.db),
        view.program_id,
        view.stamp.data,
        view.visibility.key,
        what,
        view.stamp.layout,
        *filters,
    )


def _view_map(view: ProgramView, filters: MapFilters, style: MapStyle) -> MapView:
    found = view.coalition(on_date=filters.on_date)
    stored = view_layout(view)
    measures = view.measures(on_date=filters.on_date)
    notes = view.frame("ties")[["id", "note"]]
    descriptions = view.frame("actors")[["id", "description"]]
    actors = found.actors.merge(descriptions, on="id", how="left")
    ties = found.ties.merge(notes, on="id", how="left")
    shown, links = filter_coalition(actors, ties, filters)
    shared = view.co_participation(until=filters.on_date) if style.co_participation else None
    return build_view(
        view.program,
        shown,
        links,
        measures=measures,
        positions=stored.positions,
        pinned=stored.pinned,
        style=style,
        total=len(actors),
        co_participation=shared,
    )


def export_html(
    db: Database,
    by: Principal,
    program_id: int,
    filters: MapFilters = ALL,
    style: MapStyle = DEFAULT_STYLE,
    *,
    presentation: bool = False,
    at: dt.datetime | None = None,
) -> str:
    """The map as a standalone HTML page that works offline (the CLI and the download),
    marked with the program, the date and time (``at``, default now) and ``by``'s name."""
    reader = program_view(db, by, program_id, presentation=presentation, lang=style.lang)
    view = view_map(reader, filters, style)
    name = reader.program.name
    mark = ExportMark.now(name, by.username, presentation=presentation)
    if at is not None:
        mark = replace(mark, at=at)
    return view_html(mark, view, style.lang)


def view_html(mark: ExportMark, view: MapView, lang: str) -> str:
    """A view already computed, as a standalone HTML page; ``mark`` (program, date and
    time, who, presentation mode) is said under the title and in the footer."""
    day = mark.at.date().isoformat()
    meta = [t("network.export.made", lang, date=day, shown=len(view.nodes), total=view.total)]
    if view.capped:
        meta.append(t("network.capped", lang, shown=len(view.nodes), matching=view.matching))
    if mark.presentation:
        meta.append(t("export_mark.presentation_sentence", lang))
    title = t("network.export.title", lang, program=mark.program)
    return standalone_html(
        view, title=title, lang=lang, meta=tuple(meta), footer=mark.sentence(lang)
    )
