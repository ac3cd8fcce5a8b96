"""A Decidim plan against what the program holds: which rows an earlier download
imported (``decidim_link``, keyed by host, resource and Decidim id), what changed in the
file since, and what was edited in Tejido since (conflicts).

Everything is read with a few queries, whatever the size of the file: the links of the
installation at once, the linked records in chunks of ids, each compared in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from engagement.services import audit
from engagement.services.exchange.decidim_plan import _MODELS, DecidimPlan, PlannedRow, Skipped
from engagement.storage.models import DecidimLink

_CHUNK = 5000
#: The order rows are matched in: a result before its milestones.
_ENTITIES = ("activity", "input", "commitment", "milestone")


@dataclass(frozen=True)
class Link:
    """What an earlier import made of one Decidim row, and the values it wrote."""

    id: int
    entity_id: int
    imported: dict[str, Any]


def load_links(session: Session, program_id: int, host: str) -> dict[tuple[str, str], Link]:
    """The program's links to ``host``, by (resource, Decidim id)."""
    return {
        (resource, decidim_id): Link(link_id, entity_id, imported)
        for link_id, resource, decidim_id, entity_id, imported in session.execute(
            select(
                DecidimLink.id,
                DecidimLink.resource,
                DecidimLink.decidim_id,
                DecidimLink.entity_id,
                DecidimLink.imported,
            ).where(DecidimLink.program_id == program_id, DecidimLink.host == host)
        )
    }


def match(session: Session, plan: DecidimPlan, links: dict[tuple[str, str], Link]) -> None:
    """Fill in the plan's existing ids, changes and conflicts.

    A row whose Tejido record was deleted since it was imported is skipped (a deletion is
    an edit made in Tejido: never undone by a download), and so are the milestones of a
    result whose commitment was deleted.
    """
    by_entity: dict[str, list[PlannedRow]] = defaultdict(list)
    for planned in plan.rows:
        if (planned.resource, planned.decidim_id) in links:
            by_entity[planned.entity].append(planned)
    gone: list[PlannedRow] = []
    deleted_results: set[str] = set()
    for entity in _ENTITIES:
        rows = by_entity.get(entity, [])
        wanted = {links[(r.resource, r.decidim_id)].entity_id for r in rows}
        earlier = _earlier_parents(plan, links) if entity == "commitment" else {}
        current = _current(session, _MODELS[entity].__table__, wanted | set(earlier.values()))
        deleted_results |= {
            p for p, commitment_id in earlier.items() if commitment_id not in current
        }
        for planned in rows:
            link = links[(planned.resource, planned.decidim_id)]
            now = current.get(link.entity_id)
            if now is None:
                gone.append(planned)
                _skip(plan, planned, "deleted")
                if planned.resource == "result":
                    deleted_results.add(planned.decidim_id)
                continue
            planned.existing_id, planned.link_id = link.entity_id, link.id
            planned.imported = link.imported
            compare(planned, link.imported, now)
    dropped = {id(r) for r in gone}
    for planned in plan.rows:
        if planned.entity == "milestone" and planned.parent in deleted_results:
            if id(planned) not in dropped:
                _skip(plan, planned, "parent_deleted")
            dropped.add(id(planned))
    if dropped:
        plan.rows = [r for r in plan.rows if id(r) not in dropped]


def _skip(plan: DecidimPlan, planned: PlannedRow, reason: str) -> None:
    plan.skipped.append(Skipped(planned.resource, planned.decidim_id, planned.label, reason))


def _earlier_parents(plan: DecidimPlan, links: dict[tuple[str, str], Link]) -> dict[str, int]:
    """Parents of this file's child results that are not in it but came in earlier,
    with their commitments' ids."""
    here = {r.decidim_id for r in plan.rows if r.resource == "result"}
    return {
        r.parent: links[("result", r.parent)].entity_id
        for r in plan.rows
        if r.resource == "child_result" and r.parent not in here and ("result", r.parent) in links
    }


def _current(session: Session, table: Table, ids: set[int]) -> dict[int, dict[str, Any]]:
    """The live records among ``ids``: their values as the plan writes them (dates as
    ISO text), without id and version; deleted ones are left out."""
    names = [c.name for c in table.c if c.name not in ("id", "version")]
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        stmt = select(table.c.id, *(table.c[n] for n in names)).where(table.c.id.in_(chunk))
        for row in session.execute(stmt):
            values = dict(zip(names, [audit.json_safe(v) for v in row[1:]], strict=True))
            if values.get("deleted_at") is None:
                out[row[0]] = values
    return out


def _chunks(ids: set[int]) -> Iterator[list[int]]:
    items = sorted(ids)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def compare(planned: PlannedRow, imported: dict[str, Any], current: dict[str, Any]) -> None:
    """Fill in what changed in the file and what was edited in Tejido since the import."""
    for name, new in planned.values.items():
        if name not in current:  # computed (a commitment's own progress)
            if imported.get(name) != new:
                planned.changes[name] = [imported.get(name), new]
            continue
        last, now = imported.get(name), current[name]
        if now != last and name in imported:
            if new != last and new != now:
                planned.conflicts[name] = [now, new]
        elif new != now:
            planned.changes[name] = [now, new]
    planned.outcome = "updated" if planned.changes else "unchanged"
