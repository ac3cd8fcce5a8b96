"""Programs: their data version and stored layout revision, and their lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import ProgramNotFound
from engagement.model import ProgramInfo, Term
from engagement.storage.db import Database
from engagement.storage.models import MapLayout, Program, Sector, Stage, TieType
from engagement.storage.tracking_models import ActivityType


@dataclass(frozen=True)
class Stamp:
    """What a program's cached reads depend on: its data and its stored map layout."""

    data: int
    layout: int


def read_stamp(db: Database, program_id: int) -> Stamp:
    """The program's data version and layout revision, in one statement.

    Raises
    ------
    ProgramNotFound
        If there is no such program.
    """
    stmt = (
        select(Program.data_version, MapLayout.revision)
        .outerjoin(MapLayout, MapLayout.program_id == Program.id)
        .where(Program.id == program_id)
    )
    with db.one_statement() as session:
        row = session.execute(stmt).first()
    if row is None:
        raise ProgramNotFound(key=program_id)
    return Stamp(int(row[0]), int(row[1] or 0))


def get_program(db: Database, program_id: int) -> ProgramInfo:
    """A program with its lists (stages, sectors, tie types, activity types).

    Raises
    ------
    ProgramNotFound
        If there is no such program.
    """
    with db.reading() as session:
        program = session.get(Program, program_id)
        if program is None:
            raise ProgramNotFound(key=program_id)
        return program_info(session, program)


def program_info(session: Session, p: Program) -> ProgramInfo:
    """A program row as a plain value, with its four lists (read in ``session``)."""

    def terms(
        model: type[Sector] | type[TieType] | type[Stage] | type[ActivityType],
    ) -> tuple[Term, ...]:
        stmt = select(model).where(model.program_id == p.id).order_by(model.position, model.id)
        rows = cast(
            "Sequence[Sector | TieType | Stage | ActivityType]", session.scalars(stmt).all()
        )
        return tuple(term_info(r) for r in rows)

    return ProgramInfo(
        id=p.id,
        name=p.name,
        municipality=p.municipality,
        country=p.country,
        description=p.description,
        start_date=p.start_date,
        end_date=p.end_date,
        power_threshold=p.power_threshold,
        stale_days=p.stale_days,
        illustrative=p.illustrative,
        time_zone=p.time_zone,
        data_version=p.data_version,
        version=p.version,
        stages=terms(Stage),
        sectors=terms(Sector),
        tie_types=terms(TieType),
        activity_types=terms(ActivityType),
    )


def term_info(row: Stage | Sector | TieType | ActivityType) -> Term:
    return Term(
        id=row.id,
        key=row.key,
        label_es=row.label_es,
        label_en=row.label_en,
        aliases=tuple(row.aliases or ()),
        position=row.position,
        negative=getattr(row, "negative", False),
        directed=getattr(row, "directed", True),
        closed_on=getattr(row, "closed_on", None),
        forum=getattr(row, "forum", False),
    )
