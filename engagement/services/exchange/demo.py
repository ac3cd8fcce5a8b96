"""The two illustrative demo programs, built from the public case studies.

Each program is written in one transaction: it appears whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services import audit
from engagement.services.access.permissions import require_admin
from engagement.services.exchange.demo_dates import date_demo_history
from engagement.services.exchange.demo_tracking import close_stages, fill_tracking
from engagement.services.registry import assessments, programs, relationships
from engagement.services.registry.actors import insert_actor
from engagement.storage.db import Database
from engagement.storage.models import Program, Sector, Stage, TieType
from engagement.storage.queries.programs import get_program

#: The demo programs ship inside the package (found by package, not by this file's place).
DEMO_DIR = resources.files("engagement") / "demo"
DEMOS = ("antigua", "tepic")


def demo_data(key: str) -> dict[str, Any]:
    """The raw demo document ``key`` (one of :data:`DEMOS`)."""
    data: dict[str, Any] = json.loads((DEMO_DIR / f"{key}.json").read_text(encoding="utf-8"))
    return data


def database_is_empty(db: Database) -> bool:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Program)) == 0


def load_demos(db: Database, by: Principal, *, if_empty: bool = False) -> list[ProgramInfo]:
    """Load every demo program not yet present; with ``if_empty``, only into an empty database."""
    if if_empty and not database_is_empty(db):
        return []
    existing = {p.name for p in programs.list_programs(db)}
    loaded = []
    for key in DEMOS:
        data = demo_data(key)
        if data["program"]["name"] not in existing:
            loaded.append(load_demo(db, by, data))
    return loaded


def load_demo(db: Database, by: Principal, data: dict[str, Any]) -> ProgramInfo:
    """Write one demo document as a new program, all in one transaction."""
    require_admin(by)
    meta = data["program"]
    fields = programs.validate_program_fields(
        {
            "name": meta["name"],
            "municipality": meta.get("municipality", ""),
            "country": meta.get("country", ""),
            "description": meta.get("description_es", ""),
            "start_date": dt.date.fromisoformat(meta["start_date"]),
            "end_date": dt.date.fromisoformat(meta["end_date"]),
            "illustrative": True,
        }
    )
    with db.writing() as session:
        program = Program(**fields)
        session.add(program)
        session.flush()
        programs.add_builtin_lists(session, program.id)
        session.flush()
        audit.record(session, by, program.id, "program", program.id, "create", fields)
        _fill(session, by, program.id, data)
        fill_tracking(session, by, program.id, data)
        pid = program.id
    close_stages(db, by, pid, data)
    date_demo_history(db, pid)
    return get_program(db, pid)


def _keys(
    session: Session, model: type[Sector] | type[Stage] | type[TieType], pid: int
) -> dict[str, int]:
    rows = session.execute(select(model.key, model.id).where(model.program_id == pid))
    return {key: id_ for key, id_ in rows}


def _fill(session: Session, by: Principal, pid: int, data: dict[str, Any]) -> None:
    sectors = _keys(session, Sector, pid)
    stages = _keys(session, Stage, pid)
    ties = _keys(session, TieType, pid)
    ids: dict[str, int] = {}
    for a in data["actors"]:
        fields = {k: v for k, v in a.items() if k != "sector"}
        fields["sector_id"] = sectors[a["sector"]]
        fields["tags"] = "|".join(a.get("tags", []))
        ids[a["name"]] = insert_actor(session, by, pid, fields).id
    for r in data["relationships"]:
        fields = {k: v for k, v in r.items() if k not in ("source", "target", "type")}
        fields |= {
            "source_id": ids[r["source"]],
            "target_id": ids[r["target"]],
            "tie_type_id": ties[r["type"]],
        }
        relationships.insert_relationship(session, by, pid, fields)
    for s in data["assessments"]:
        item = AssessmentInput(
            actor_id=ids[s["actor"]],
            stage_id=stages[s["stage"]],
            assessed_on=dt.date.fromisoformat(s["date"]),
            **{k: s[k] for k in (*assessments.SCORES, "legitimacy", "urgency", "note")},
            assessor=s.get("assessor", ""),
        )
        assessments.insert_assessment(session, by, pid, item)
