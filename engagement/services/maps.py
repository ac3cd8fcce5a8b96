"""The network map of a program: stored layout, saved arrangement, the view, the export.

The layout is computed once per change of the graph (actors and ties) and stored; a
page view only reads it. When the graph changes, the new layout is turned to match the
old one, and positions a user dragged (pinned) are kept until "reset arrangement".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, aliased

from engagement.analysis.layout import Positions, align_positions, layout_positions
from engagement.errors import Problem, ValidationFailed
from engagement.i18n import t
from engagement.io.marks import ExportMark
from engagement.maps.filters import MapFilters, filter_coalition
from engagement.maps.html import standalone_html
from engagement.maps.view import MapStyle, MapView, build_view
from engagement.model import Principal
from engagement.services import activities, network, permissions, privacy, programs
from engagement.storage.base import utcnow
from engagement.storage.db import Database
from engagement.storage.models import Actor, MapLayout, MapPosition, Relationship

#: A dragged position further out than this is refused (keeps the drawing sane).
COORDINATE_LIMIT = 1e7
ALL = MapFilters()
#: Most actors in an exported page (vis-network draws ~5,000 fixed nodes in seconds).
EXPORT_MAX_NODES = 5000
DEFAULT_STYLE = MapStyle()


@dataclass(frozen=True)
class StoredLayout:
    positions: Positions
    pinned: frozenset[int]
    revision: int


def layout_revision(db: Database, program_id: int) -> int:
    """Grows with every stored change of positions (cheap: one small query)."""
    with db.reading() as session:
        value = session.scalar(select(MapLayout.revision).where(MapLayout.program_id == program_id))
        return int(value or 0)


def map_layout(db: Database, program_id: int) -> StoredLayout:
    """The program's positions, computed and stored first if the graph changed."""
    ids, pairs = _graph(db, program_id)
    groups = _communities(db, program_id)
    fingerprint = graph_fingerprint(ids, pairs, groups)
    with db.reading() as session:
        row = session.get(MapLayout, program_id)
        if row is not None and row.fingerprint == fingerprint:
            return _stored(session, program_id, row.revision)
    return _compute_and_store(db, program_id, ids, pairs, groups, fingerprint)


def graph_fingerprint(
    ids: list[int], pairs: list[tuple[int, int]], groups: Mapping[int, int] | None = None
) -> str:
    """A hash of the actors, (undirected) ties and communities: what the layout depends on.

    Examples
    --------
    >>> graph_fingerprint([1, 2], [(1, 2)]) == graph_fingerprint([2, 1], [(2, 1)])
    True
    >>> graph_fingerprint([1, 2], [(1, 2)], {1: 1, 2: 1}) == graph_fingerprint([1, 2], [(1, 2)])
    False
    """
    edges = sorted({(min(a, b), max(a, b)) for a, b in pairs})
    text = f"{sorted(ids)}|{edges}"
    if groups:
        text += f"|{sorted(groups.items())}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _communities(db: Database, program_id: int) -> dict[int, int]:
    """Each actor's community on the whole map (the numbers "colour by community" shows),
    so that the layout draws every community as a cluster of its own."""
    measures = network.actor_measures(db, program_id)
    found = measures[["id", "community"]].dropna()
    return {int(a): int(c) for a, c in zip(found["id"], found["community"], strict=True)}


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


def _stored(session: Session, program_id: int, revision: int) -> StoredLayout:
    rows = session.execute(
        select(MapPosition.actor_id, MapPosition.x, MapPosition.y, MapPosition.pinned).where(
            MapPosition.program_id == program_id
        )
    ).all()
    return StoredLayout(
        positions={int(a): (float(x), float(y)) for a, x, y, _ in rows},
        pinned=frozenset(int(a) for a, _, _, p in rows if p),
        revision=revision,
    )


def _compute_and_store(
    db: Database,
    program_id: int,
    ids: list[int],
    pairs: list[tuple[int, int]],
    groups: Mapping[int, int],
    fingerprint: str,
) -> StoredLayout:
    computed = layout_positions(ids, pairs, groups=groups)
    with db.writing() as session:
        row = session.get(MapLayout, program_id)
        if row is not None and row.fingerprint == fingerprint:
            return _stored(session, program_id, row.revision)  # another session just did it
        before = _stored(session, program_id, 0)
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
        return _stored(session, program_id, revision)


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
    """The map this user sees: restricted actors left out for those who may not see them;
    in presentation mode, individual citizens under the stand-in names every page uses.

    With ``style.co_participation``, co-participation ties (activities shared, up to
    ``filters.on_date``) are drawn between the actors on the map. They are derived from
    attendance here and never stored; the layout and the measures use relationships only.
    """
    program = programs.get_program(db, program_id)
    found = network.load_coalition(db, program_id, on_date=filters.on_date, by=by)
    measures = network.actor_measures(db, program_id, on_date=filters.on_date, by=by)
    actors = _with_descriptions(db, program_id, found.actors)
    ties = _with_notes(db, program_id, found.ties)
    if presentation:
        names = privacy.program_stand_ins(
            db,
            program_id,
            see_restricted=permissions.can_see_restricted(by, program_id),
            label=t("privacy.person", style.lang),
        )
        actors = privacy.rename_actors(actors, names, {"name": "id"})
        ties = privacy.rename_actors(
            ties, names, {"source_name": "source", "target_name": "target"}
        )
    shown, links = filter_coalition(actors, ties, filters)
    stored = map_layout(db, program_id)
    shared = _co_participation(db, program_id, filters) if style.co_participation else None
    return build_view(
        program,
        shown,
        links,
        measures=measures,
        positions=stored.positions,
        pinned=stored.pinned,
        style=style,
        total=len(actors),
        co_participation=shared,
    )


def _co_participation(db: Database, program_id: int, filters: MapFilters) -> pd.DataFrame:
    """Pairs of actors by activities shared (held on or before the map's date, if any).

    Only ids and counts leave here: names come from the map, which has already left out
    the actors this user may not see and renamed citizens in presentation mode.
    """
    ties = activities.co_participation_ties(db, program_id, until=filters.on_date)
    return ties[["source", "target", "weight"]]


def _with_descriptions(db: Database, program_id: int, frame: pd.DataFrame) -> pd.DataFrame:
    """Each actor's description (for its tooltip), read in one light query."""
    with db.reading() as session:
        rows = session.execute(
            select(Actor.id, Actor.description).where(
                Actor.program_id == program_id, Actor.deleted_at.is_(None)
            )
        ).all()
    found = pd.DataFrame([tuple(r) for r in rows], columns=["id", "description"])
    return frame.merge(found, on="id", how="left")


def _with_notes(db: Database, program_id: int, frame: pd.DataFrame) -> pd.DataFrame:
    """Each tie's note (for its tooltip), read in one light query."""
    with db.reading() as session:
        rows = session.execute(
            select(Relationship.id, Relationship.note).where(
                Relationship.program_id == program_id, Relationship.deleted_at.is_(None)
            )
        ).all()
    found = pd.DataFrame([tuple(r) for r in rows], columns=["id", "note"])
    return frame.merge(found, on="id", how="left")


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
    view = network_view(db, by, program_id, filters, style, presentation=presentation)
    name = programs.get_program(db, program_id).name
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
