"""Programs and their editable lists: stages, sectors and tie types."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement import vocabulary
from engagement.errors import DuplicateName, Problem, ProgramNotFound, ValidationFailed
from engagement.i18n import t
from engagement.model import Principal, ProgramInfo
from engagement.services import audit, validation
from engagement.services.access.permissions import Action, require, require_admin
from engagement.services.concurrency import check_version
from engagement.storage.db import Database
from engagement.storage.models import Program, Sector, Stage, TieType
from engagement.storage.queries.programs import get_program, program_info
from engagement.storage.tracking_models import ActivityType
from engagement.text import clean_name

PROGRAM_FIELDS = (
    "name",
    "municipality",
    "country",
    "description",
    "start_date",
    "end_date",
    "power_threshold",
    "stale_days",
    "illustrative",
    "time_zone",
)


def time_zone_problems(name: str) -> list[Problem]:
    """An IANA time zone name (``America/Mexico_City``), checked with zoneinfo."""
    if not name:
        return [Problem("time_zone", "required")]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [Problem("time_zone", "bad_time_zone", {"value": name})]
    return []


def validate_program_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Clean and check program fields; raise ValidationFailed naming each bad field."""
    problems: list[Problem] = []
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = clean_name(str(fields["name"] or ""))
        if not cleaned["name"]:
            problems.append(Problem("name", "required"))
        elif len(cleaned["name"]) > 200:
            problems.append(Problem("name", "too_long", {"max": 200}))
    for key in ("municipality", "country", "description"):
        if key in fields:
            cleaned[key] = str(fields[key] or "").strip()
    for key, low, high in (("power_threshold", 1, 5), ("stale_days", 1, 3650)):
        if key in fields:
            problems += validation.int_rule(key, fields[key], low, high)
    if "time_zone" in fields:
        cleaned["time_zone"] = str(fields["time_zone"] or "").strip()
        problems += time_zone_problems(cleaned["time_zone"])
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        problems.append(Problem("end_date", "before_start"))
    if problems:
        raise ValidationFailed(problems)
    return cleaned


def create_program(db: Database, by: Principal, name: str, **fields: Any) -> ProgramInfo:
    """Create a program with the built-in stages, sectors and tie types (administrators)."""
    require_admin(by)
    cleaned = validate_program_fields({"name": name, **fields})
    with db.writing() as session:
        _check_program_name_free(session, cleaned["name"], None)
        program = Program(**cleaned)
        session.add(program)
        session.flush()
        add_builtin_lists(session, program.id)
        session.flush()
        audit.record(session, by, program.id, "program", program.id, "create", cleaned)
        pid = program.id
    return get_program(db, pid)


def add_builtin_lists(session: Session, program_id: int) -> None:
    for i, s in enumerate(vocabulary.STAGES):
        session.add(
            Stage(
                program_id=program_id,
                position=i,
                **_labels("stage", s.key),
                aliases=list(s.aliases),
            )
        )
    for i, s in enumerate(vocabulary.SECTORS):
        session.add(
            Sector(
                program_id=program_id,
                position=i,
                **_labels("sector", s.key),
                aliases=list(s.aliases),
            )
        )
    for i, tt in enumerate(vocabulary.TIE_TYPES):
        session.add(
            TieType(
                program_id=program_id,
                position=i,
                negative=tt.negative,
                directed=tt.directed,
                aliases=list(tt.aliases),
                **_labels("tie", tt.key),
            )
        )
    for i, at in enumerate(vocabulary.ACTIVITY_TYPES):
        session.add(
            ActivityType(
                program_id=program_id,
                position=i,
                forum=at.forum,
                aliases=list(at.aliases),
                **_labels("activity_type", at.key),
            )
        )


def _labels(kind: str, key: str) -> dict[str, str]:
    return {"key": key, "label_es": t(f"{kind}.{key}", "es"), "label_en": t(f"{kind}.{key}", "en")}


def _check_program_name_free(session: Session, name: str, own_id: int | None) -> None:
    stmt = select(Program.id).where(func.lower(Program.name) == name.lower())
    existing = session.scalars(stmt).first()
    if existing is not None and existing != own_id:
        raise DuplicateName(entity="program", name=name)


def list_programs(db: Database) -> list[ProgramInfo]:
    with db.reading() as session:
        programs = session.scalars(select(Program).order_by(Program.name)).all()
        return [program_info(session, p) for p in programs]


def find_program(db: Database, name: str) -> ProgramInfo:
    """A program by name (case-insensitive), as the CLI names them."""
    with db.reading() as session:
        program = session.scalars(
            select(Program).where(func.lower(Program.name) == clean_name(name).lower())
        ).first()
        if program is None:
            raise ProgramNotFound(key=name)
        return program_info(session, program)


def update_program(
    db: Database, by: Principal, program_id: int, changes: dict[str, Any], expected_version: int
) -> ProgramInfo:

    require(by, program_id, Action.MANAGE_PROGRAM)
    cleaned = validate_program_fields(changes)
    with db.writing() as session:
        program = session.get(Program, program_id, with_for_update=True)
        if program is None:
            raise ProgramNotFound(key=program_id)
        check_version(
            session, "program", program.id, program.name, program.version, expected_version
        )
        if "name" in cleaned:
            _check_program_name_free(session, cleaned["name"], program.id)
        before = {k: getattr(program, k) for k in cleaned}
        for key, value in cleaned.items():
            setattr(program, key, value)
        changed = audit.diff(before, cleaned)
        if changed:
            session.flush()
            audit.record(session, by, program.id, "program", program.id, "update", changed)
    return get_program(db, program_id)
