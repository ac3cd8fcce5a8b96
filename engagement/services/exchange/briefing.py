"""The briefing for a mayor's office: everything it shows, gathered in one place.

:func:`briefing_data` is the one function that reads the program for a briefing. It
reads through the read layer (:func:`engagement.services.view.program_view`) made for
the acting user, which applies membership, restricted actors, contact data and
presentation-mode stand-ins once; the briefing adds no rule of its own. The at-a-glance
figures are the view's dashboard figures, the same function the dashboard page and
``report --format json`` use, so they are equal for the same scope and reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from engagement.analysis import grid as grid_service
from engagement.analysis import movement
from engagement.errors import NotFound
from engagement.frameworks import EngagementLevel, Quadrant
from engagement.i18n import t
from engagement.io.marks import ExportMark
from engagement.model import Principal, ProgramInfo, Term
from engagement.palette import sector_colours
from engagement.services.coalition import maps, network
from engagement.services.exchange.briefing_model import (
    NO_SECTOR_COLOUR,
    Briefing,
    Check,
    CommitmentRow,
    GridPoint,
    InputRow,
    Move,
)
from engagement.services.exchange.briefing_network import brokers, key_players, network_map
from engagement.services.registry import programs
from engagement.services.registry.terms import match_term
from engagement.services.tracking import ogp
from engagement.services.view import ProgramView, program_view
from engagement.storage.db import Database
from engagement.values import OPEN_COMMITMENTS

#: Actors on the grid (and in the key table) at most; the most powerful first.
MAX_GRID = 400
#: Lines of one kind of risk at most (the most pressing first); the rest are counted.
MAX_RISKS = 15


def find_scope(
    db: Database, by: Principal, program_name: str, stage: str | None, snapshot: str | None
) -> tuple[ProgramInfo, int | None, int | None]:
    """The program, stage and snapshot ``by`` named (stage in either language).

    Raises
    ------
    NotFound
        For an unknown program, stage or snapshot (``entity`` says which).
    NotAMember
        If ``by`` has no role in the program.
    """
    program = programs.find_program(db, program_name)
    view = program_view(db, by, program.id)
    stage_id = None
    if stage:
        term = match_term(program.stages, stage)
        if term is None:
            raise NotFound(entity="stage", key=stage)
        stage_id = term.id
    snapshot_id = None
    if snapshot:
        found = [s for s in view.snapshots() if s.name == snapshot]
        if not found:
            raise NotFound(entity="snapshot", key=snapshot)
        snapshot_id = found[0].id
    return view.program, stage_id, snapshot_id


def briefing_data(
    db: Database,
    by: Principal,
    program_id: int,
    *,
    stage_id: int | None = None,
    snapshot_id: int | None = None,
    lang: str = "es",
    presentation: bool = False,
    today: dt.date | None = None,
) -> Briefing:
    """The briefing of a program (or one stage), now or as of a snapshot, as ``by`` may
    see it, in ``lang``; as of ``today`` (default: the read layer's day).

    Raises
    ------
    NotAMember
        If ``by`` has no role in the program.
    NotFound
        If the stage or snapshot is not one of the program's.
    """
    view = program_view(db, by, program_id, presentation=presentation, lang=lang)
    program = view.program
    stage = _stage(program, stage_id)
    see = view.visibility.restricted
    as_of = ogp.evaluation_date(program, today) if today else view.as_of
    kept = view.snapshots()
    state = _snapshot_state(view, kept, snapshot_id)
    coalition_now = _coalition(view, stage_id, state)
    placed = grid_service.place_actors(coalition_now, program.power_threshold)
    figures = view.dashboard(stage_id).overall
    checks = view.checklist(as_of if today else None)
    sector_names = {s.key: s.label(lang) for s in program.sectors}
    colours = _colours(program)
    whole = view.coalition()
    players, more = key_players(whole.graph, placed, program, lang)
    positions = _positions(view)
    # The brokers are ranked from these measures, not from ``view.brokers()``, which
    # computes every measure again.
    measures = view.measures()
    nodes, edges = network_map(whole.graph, measures, positions, colours, state)
    mark = ExportMark.now(
        program.name, by.username, presentation=presentation, personal=False, restricted=see
    )
    moved_since, toward, away = _movement(view, stage_id, state, coalition_now, lang)
    answered, pending = _inputs(view, stage_id, lang, as_of)
    promised = _commitments(view, stage_id, lang, as_of)
    return Briefing(
        lang=lang,
        title=t("briefing.title", lang, program=program.name),
        program=program.name,
        municipality=", ".join(p for p in (program.municipality, program.country) if p),
        scope=stage.label(lang) if stage else t("briefing.scope.all", lang),
        as_of=as_of,
        snapshot=_snapshot_name(kept, snapshot_id),
        mark=mark,
        presentation=presentation,
        see_restricted=see,
        figures=figures,
        checklist=tuple(_check(item, lang) for item in checks),
        commitment_statuses={
            s: t(f"tracking.commitment_status.{s}", lang) for s in figures.commitments
        },
        grid=_grid_points(placed, sector_names, colours, lang),
        threshold=program.power_threshold,
        quadrant_names={q.value: t(q.key, lang) for q in Quadrant},
        quadrant_counts={q.value: n for q, n in grid_service.quadrant_counts(placed).items()},
        sector_stance=_stance(placed, sector_names, lang),
        sector_legend=_legend(sector_names, colours, lang),
        unassessed=int((~grid_service.is_assessed(coalition_now)).sum()),
        key_players=players,
        key_players_more=more,
        nodes=nodes,
        edges=edges,
        brokers=brokers(network.broker_ranking(measures), whole.graph, program, lang),
        movement_since=moved_since,
        toward=toward,
        away=away,
        answered=answered,
        pending=pending,
        commitments=promised,
        risks=_risks(placed, promised, pending, checks, program, lang),
        response_limit=program.stale_days,
        sources=_sources(program, len(kept), lang, as_of),
        empty=placed.empty and not figures.activities and not figures.inputs_received,
        grid_total=len(placed),
        grid_cells=_cells(placed),
        node_total=len(whole.graph),
    )


def _stage(program: ProgramInfo, stage_id: int | None) -> Term | None:
    if stage_id is None:
        return None
    stage = next((s for s in program.stages if s.id == stage_id), None)
    if stage is None:
        raise NotFound(entity="stage", key=stage_id)
    return stage


def _snapshot_state(view: ProgramView, kept: list[Any], snapshot_id: int | None) -> dict[str, Any]:
    """The snapshot's frozen data as the reader may see it ({} for now)."""
    if snapshot_id is None:
        return {}
    if snapshot_id not in {s.id for s in kept}:
        raise NotFound(entity="snapshot", key=snapshot_id)
    return view.frozen(snapshot_id)


def _snapshot_name(kept: list[Any], snapshot_id: int | None) -> str | None:
    """The snapshot's name, with the day it was taken unless the name already says it."""
    found = [s for s in kept if s.id == snapshot_id]
    if not found:
        return None
    name, day = found[0].name, f"{found[0].taken_at:%d/%m/%Y}"
    return name if day in name else f"{name} ({day})"


def _positions(view: ProgramView) -> Mapping[int, tuple[float, float]]:
    """The map's stored positions, as the network map page reads them."""
    return maps.view_layout(view).positions


def _coalition(view: ProgramView, stage_id: int | None, state: dict[str, Any]) -> pd.DataFrame:
    """Actors the reader sees with their latest assessment (within the stage; or as the
    snapshot froze them), under the names the reader sees."""
    if not state:
        return view.coalition_actors(stage_id=stage_id)
    frame = movement.coalition_frame(state)
    if stage_id is not None:
        keep = frame["stage_id"] == stage_id
        for column in ("power", "interest", "engagement_current", "engagement_desired"):
            frame[column] = frame[column].where(keep)
    return frame


def _colours(program: ProgramInfo) -> dict[str, str]:
    return sector_colours([s.key for s in program.sectors])


def _legend(
    sector_names: Mapping[str, str], colours: Mapping[str, str], lang: str
) -> dict[str, str]:
    found = {name: colours.get(key, NO_SECTOR_COLOUR) for key, name in sector_names.items()}
    return found | {t("grid.no_sector", lang): NO_SECTOR_COLOUR}


def _grid_points(
    placed: pd.DataFrame, sector_names: Mapping[str, str], colours: Mapping[str, str], lang: str
) -> tuple[GridPoint, ...]:
    ordered = placed.sort_values(["power", "interest"], ascending=False).head(MAX_GRID)
    return tuple(
        GridPoint(
            id=int(r["id"]),
            name=str(r["name"]),
            sector=sector_names.get(r["sector"], t("grid.no_sector", lang)),
            colour=colours.get(r["sector"], NO_SECTOR_COLOUR),
            power=int(r["power"]),
            interest=int(r["interest"]),
            x=float(r["x"]),
            y=float(r["y"]),
        )
        for r in ordered.to_dict("records")
    )


def _cells(placed: pd.DataFrame) -> tuple[tuple[int, int, int], ...]:
    """How many actors each (power, interest) cell of the grid holds."""
    counts = placed.groupby(["power", "interest"]).size().reset_index(name="actors")
    rows = zip(counts["power"], counts["interest"], counts["actors"], strict=True)
    return tuple((int(p), int(i), int(n)) for p, i, n in rows)


def _stance(
    placed: pd.DataFrame, sector_names: Mapping[str, str], lang: str
) -> tuple[tuple[str, int, int, int, int], ...]:
    """Per sector: supporting (Supportive, Leading), neutral, resisting, unaware or not rated."""
    rows = []
    level = placed["engagement_current"]
    for key, name in [*sector_names.items(), (None, t("grid.no_sector", lang))]:
        mask = placed["sector"].isna() if key is None else placed["sector"] == key
        own = level[mask]
        if own.empty:
            continue
        support = int((own >= EngagementLevel.SUPPORTIVE).sum())
        neutral = int((own == EngagementLevel.NEUTRAL).sum())
        resist = int((own == EngagementLevel.RESISTANT).sum())
        rows.append((name, support, neutral, resist, len(own) - support - neutral - resist))
    return tuple(rows)


def _level_name(value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("grid.not_rated", lang)
    return t(EngagementLevel(int(value)).key, lang)


def _movement(
    view: ProgramView,
    stage_id: int | None,
    state: dict[str, Any],
    now: pd.DataFrame,
    lang: str,
) -> tuple[str | None, tuple[Move, ...], tuple[Move, ...]]:
    """Who moved toward support and who moved away: since the snapshot (to now), or since
    the stage before the one shown."""
    program = view.program
    if state:
        earlier = movement.coalition_frame(state)
        later = view.coalition_actors()
        since = t("briefing.movement.since_snapshot", lang)
    else:
        order = [s.id for s in program.stages]
        current = stage_id or next((s.id for s in program.stages if s.closed_on is None), None)
        if current is None or order.index(current) == 0:
            return None, (), ()
        previous = order[order.index(current) - 1]
        earlier = view.coalition_actors(stage_id=previous)
        later = now
        since = t("briefing.movement.since_stage", lang, stage=program.stage(previous).label(lang))
    before = dict(zip(earlier["id"], earlier["engagement_current"], strict=True))
    lang_names = dict(zip(later["id"], later["name"], strict=True))
    toward: list[tuple[str, Any, Any]] = []
    away: list[tuple[str, Any, Any]] = []
    for actor_id, after in zip(later["id"], later["engagement_current"], strict=True):
        old = before.get(actor_id)
        if old is None or pd.isna(old) or pd.isna(after) or old == after:
            continue
        name = str(lang_names.get(actor_id, ""))
        if name:
            (toward if after > old else away).append((name, old, after))
    return since, _moves(toward, lang), _moves(away, lang)


def _moves(found: list[tuple[str, Any, Any]], lang: str) -> tuple[Move, ...]:
    ordered = sorted(found, key=lambda m: m[0].casefold())
    return tuple(Move(n, _level_name(a, lang), _level_name(b, lang)) for n, a, b in ordered)


def _inputs(
    view: ProgramView, stage_id: int | None, lang: str, as_of: dt.date
) -> tuple[tuple[InputRow, ...], tuple[InputRow, ...]]:
    """Answered inputs (newest first) and pending ones (oldest first, with days waiting)."""
    received = view.table("inputs")
    if stage_id is not None:
        received = received[received["stage_id"] == stage_id]
    # The read layer leaves a source the reader may not see unnamed, like an anonymous one.
    unnamed = t(
        "briefing.inputs.anonymous" if view.visibility.restricted else "briefing.inputs.unnamed",
        lang,
    )
    answered: list[InputRow] = []
    pending: list[InputRow] = []
    for record in received.sort_values(["received_on", "id"]).to_dict("records"):
        row = {str(k): v for k, v in record.items()}
        source = str(row["actor"] or "") or unnamed
        response = t(f"tracking.response.{row['response']}", lang) if row["response"] else ""
        item = InputRow(
            received_on=row["received_on"],
            source=source,
            text=str(row["text"]),
            response=response,
            reasoning=str(row["reasoning"] or ""),
            days_waiting=None if row["answered"] else max(0, (as_of - row["received_on"]).days),
        )
        (answered if row["answered"] else pending).append(item)
    return tuple(reversed(answered)), tuple(pending)


def _commitments(
    view: ProgramView, stage_id: int | None, lang: str, as_of: dt.date
) -> tuple[CommitmentRow, ...]:
    promised = view.table("commitments")
    if stage_id is not None:
        promised = promised[promised["stage_id"] == stage_id]
    if as_of != view.as_of:
        promised = _flagged(promised, as_of, view.program.stale_days)
    rows = []
    for row in promised.to_dict("records"):
        rows.append(
            CommitmentRow(
                title=str(row["title"]),
                responsible=str(row["responsible"] or "") or "—",
                status=t(f"tracking.commitment_status.{row['status']}", lang),
                progress=int(row["progress"]),
                milestones=int(row["milestones"]),
                due_on=row["due_on"],
                overdue=bool(row["overdue"]),
                stalled=bool(row["stalled"]),
            )
        )
    return tuple(rows)


def _flagged(promised: pd.DataFrame, as_of: dt.date, stale_days: int) -> pd.DataFrame:
    """Commitments flagged overdue and stalled as of another day than the view's (the
    rule of :func:`engagement.services.tracking.commitments.commitments_frame`)."""
    active = promised["status"].isin(list(OPEN_COMMITMENTS))
    due = promised["due_on"].map(lambda d: d is not None and not pd.isna(d) and d < as_of)
    quiet = promised["last_update"].map(lambda u: (as_of - u.date()).days > stale_days)
    return promised.assign(overdue=active & due, stalled=active & quiet)


def _check(item: Any, lang: str) -> Check:
    params = {k: f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else v for k, v in item.params.items()}
    return Check(
        title=t(f"ogp.{item.key}.title", lang),
        status=item.status,
        status_name=t(f"ogp.status.{item.status}", lang),
        reason=t(f"ogp.{item.key}.{item.reason}", lang, **params),
    )


def _risks(
    placed: pd.DataFrame,
    promised: tuple[CommitmentRow, ...],
    pending: tuple[InputRow, ...],
    checks: list[Any],
    program: ProgramInfo,
    lang: str,
) -> dict[str, tuple[str, ...]]:
    """What the mayor's office must decide or watch, each as short lines."""
    threshold = program.power_threshold
    level = placed["engagement_current"]
    resisting = placed[(placed["power"] >= threshold) & (level == EngagementLevel.RESISTANT)]
    late = [
        t("briefing.risks.commitment", lang, title=c.title, status=c.status)
        + (" " + t("briefing.flag.overdue", lang) if c.overdue else "")
        + (" " + t("briefing.flag.stalled", lang) if c.stalled else "")
        for c in promised
        if c.overdue or c.stalled
    ]
    limit = program.stale_days
    unanswered = [
        t("briefing.risks.input", lang, text=_short(i.text), days=i.days_waiting)
        for i in pending
        if (i.days_waiting or 0) > limit
    ]
    red = [t(f"ogp.{c.key}.title", lang) for c in checks if c.status == "red"]
    resisting = resisting.sort_values(["power", "interest"], ascending=False, kind="stable")
    return {
        "resisting": _capped([str(n) for n in resisting["name"]], lang),
        "commitments": _capped(late, lang),
        "inputs": _capped(unanswered, lang),
        "ogp": tuple(red),
    }


def _capped(lines: list[str], lang: str) -> tuple[str, ...]:
    """At most :data:`MAX_RISKS` lines, the last saying how many more there are."""
    if len(lines) <= MAX_RISKS:
        return tuple(lines)
    shown = MAX_RISKS - 1
    return (*lines[:shown], t("briefing.risks.more", lang, count=len(lines) - shown))


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _sources(program: ProgramInfo, taken: int, lang: str, as_of: dt.date) -> tuple[str, ...]:
    lines = [t("briefing.sources.registry", lang, date=f"{as_of:%d/%m/%Y}")]
    if program.start_date:
        end = f"{program.end_date:%d/%m/%Y}" if program.end_date else "—"
        lines.append(
            t("briefing.sources.period", lang, start=f"{program.start_date:%d/%m/%Y}", end=end)
        )
    if taken:
        lines.append(t("briefing.sources.snapshots", lang, count=taken))
    if program.illustrative:
        lines.append(t("app.illustrative", lang))
    return tuple(lines)
