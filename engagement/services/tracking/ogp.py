"""The OGP participation and co-creation checklist of a program: green, amber or red.

Each item lists the records behind it (evidence) and names why it has its colour, with a
catalog key (``ogp.<item>.<reason>``) and parameters, never UI text.

- forum: the multi-stakeholder forum (activities of a type marked *forum*) met at least
  every six months: from the program's start to the first meeting, between meetings, and
  from the last meeting to today. Exactly six months is on time; a day more is late.
  Red when the last meeting is more than six months ago (or none ever, once the program
  is older than six months); amber when it is on time now but an earlier gap was too
  long, or when the first meeting is not due yet.
- evidence: the public record (evidence items) updated at least twice a year: green with
  two or more updates in the last twelve months and the latest within six months; amber
  with at least one in twelve months; red with none.
- responses: share of inputs with a reasoned response: green at 90 % or more, amber from
  50 %, red below; amber when no input was recorded yet.
- implementation: meetings with civil society during implementation (activities of the
  implementation stage attended by civil society, community organisations, academia or
  citizens): green when the latest is within six months, amber when older or when
  implementation has not started, red when it started and there is none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pandas as pd

from engagement.model import ProgramInfo, Term
from engagement.tracking import ChecklistItem, Evidence

ITEMS = ("forum", "evidence", "responses", "implementation")
MONTHS = 6
RESPONSES_GREEN, RESPONSES_AMBER = 0.9, 0.5
CIVIL_SOCIETY = frozenset({"civil_society", "community_organisation", "academia", "citizen"})


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's last day.

    Examples
    --------
    >>> add_months(dt.date(2024, 8, 31), 6)
    datetime.date(2025, 2, 28)
    >>> add_months(dt.date(2024, 3, 15), -6)
    datetime.date(2023, 9, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def forum_item(meetings: list[Evidence], start: dt.date | None, today: dt.date) -> ChecklistItem:
    """Forum met at least every six months (``meetings``: the forum activities)."""
    held = sorted((m for m in meetings if m.on and m.on <= today), key=lambda m: m.on or today)
    dates = [m.on for m in held if m.on]
    evidence_ = tuple(reversed(held))
    if not dates:
        if start is not None and today <= add_months(start, MONTHS):
            due = add_months(start, MONTHS)
            return ChecklistItem("forum", "amber", "first_due", {"due": due}, evidence_)
        return ChecklistItem("forum", "red", "never", {}, evidence_)
    due = add_months(dates[-1], MONTHS)
    if today > due:
        return ChecklistItem("forum", "red", "overdue", {"last": dates[-1], "due": due}, evidence_)
    edges = ([start] if start and start < dates[0] else []) + dates
    for before, after in itertools.pairwise(edges):
        if after > add_months(before, MONTHS):
            params = {"start": before, "end": after, "last": dates[-1], "due": due}
            return ChecklistItem("forum", "amber", "gap", params, evidence_)
    return ChecklistItem("forum", "green", "regular", {"last": dates[-1], "due": due}, evidence_)


def evidence_item(items: list[Evidence], today: dt.date) -> ChecklistItem:
    """Public record updated at least twice a year."""
    published = sorted((i for i in items if i.on and i.on <= today), key=lambda i: i.on or today)
    year_ago, half_year_ago = add_months(today, -12), add_months(today, -MONTHS)
    recent = [i for i in published if i.on and i.on >= year_ago]
    evidence_ = tuple(reversed(published))
    params: dict[str, object] = {
        "count": len(recent),
        "last": published[-1].on if published else None,
    }
    if not recent:
        return ChecklistItem("evidence", "red", "none", params, evidence_)
    latest = recent[-1].on
    if len(recent) >= 2 and latest is not None and latest >= half_year_ago:
        return ChecklistItem("evidence", "green", "twice", params, evidence_)
    return ChecklistItem("evidence", "amber", "once", params, evidence_)


def responses_item(received: pd.DataFrame) -> ChecklistItem:
    """Share of inputs with a reasoned response (``received``: the inputs frame)."""
    ordered = received.sort_values(["answered", "received_on"])
    evidence_ = tuple(
        Evidence("input", int(i), d, text[:80])
        for i, d, text in zip(ordered["id"], ordered["received_on"], ordered["text"], strict=True)
    )
    total = len(received)
    answered = int(received["answered"].astype(bool).sum())
    share = answered / total if total else None
    params = {"answered": answered, "total": total, "share": share}
    if share is None:
        return ChecklistItem("responses", "amber", "no_inputs", params, evidence_)
    status = "green" if share >= RESPONSES_GREEN else "amber" if share >= RESPONSES_AMBER else "red"
    return ChecklistItem("responses", status, status, params, evidence_)


def implementation_stage(program: ProgramInfo) -> Term | None:
    """The stage called implementation, or else the program's last stage."""
    stages = sorted(program.stages, key=lambda s: s.position)
    return next((s for s in stages if s.key == "implementation"), stages[-1] if stages else None)


def implementation_item(
    program: ProgramInfo,
    acts: pd.DataFrame,
    present: pd.DataFrame,
    today: dt.date,
) -> ChecklistItem:
    """Meetings with civil society during implementation.

    ``present`` is the attendance frame with each actor's ``sector_key``.
    """
    stage = implementation_stage(program)
    if stage is None:
        return ChecklistItem("implementation", "amber", "not_started", {}, ())
    in_stage = acts[(acts["stage_id"] == stage.id) & (acts["held_on"] <= today)]
    civil = present[present["sector_key"].isin(CIVIL_SOCIETY)]
    meetings = in_stage[in_stage["id"].isin(set(civil["activity_id"]))]
    evidence_ = tuple(
        Evidence("activity", int(i), d, t)
        for i, d, t in zip(meetings["id"], meetings["held_on"], meetings["title"], strict=True)
    )
    stages = sorted(program.stages, key=lambda s: s.position)
    before = [s for s in stages if s.position < stage.position]
    started = not in_stage.empty or (bool(before) and before[-1].closed_on is not None)
    if meetings.empty:
        if not started:
            return ChecklistItem("implementation", "amber", "not_started", {}, evidence_)
        return ChecklistItem("implementation", "red", "none", {}, evidence_)
    last = max(meetings["held_on"])
    params = {"count": len(meetings), "last": last}
    if last >= add_months(today, -MONTHS):
        return ChecklistItem("implementation", "green", "recent", params, evidence_)
    return ChecklistItem("implementation", "amber", "old", params, evidence_)


def evaluation_date(program: ProgramInfo, today: dt.date | None = None) -> dt.date:
    """Today, or the program's end date when it has already ended."""
    today = today or dt.date.today()
    return min(today, program.end_date) if program.end_date else today


def checklist(
    program: ProgramInfo,
    acts: pd.DataFrame,
    attendance: pd.DataFrame,
    actors: pd.DataFrame,
    published: pd.DataFrame,
    received: pd.DataFrame,
    today: dt.date,
) -> list[ChecklistItem]:
    """The four OGP checks of a program as of ``today``, in order (see the module
    docstring), from its frames: activities, attendance, live actors (their
    ``sector_key``), evidence items and inputs (with ``answered``).

    The read layer hands over the frames its reader may see, so every count (a meeting
    with civil society is one that a civil-society actor the reader sees attended)
    counts only what that reader sees.
    """
    forum = acts[acts["forum"].astype(bool)]
    meetings = [
        Evidence("activity", int(i), d, t)
        for i, d, t in zip(forum["id"], forum["held_on"], forum["title"], strict=True)
    ]
    items = [
        Evidence("evidence", int(i), d, t, u)
        for i, d, t, u in zip(
            published["id"],
            published["published_on"],
            published["title"],
            published["url"],
            strict=True,
        )
    ]
    sectors = actors[["id", "sector_key"]]
    present = attendance.merge(sectors, how="left", left_on="actor_id", right_on="id")
    return [
        forum_item(meetings, program.start_date, today),
        evidence_item(items, today),
        responses_item(received),
        implementation_item(program, acts, present, today),
    ]
