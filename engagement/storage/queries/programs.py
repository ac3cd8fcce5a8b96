"""Programs: their data version and stored layout revision, and their lists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engagement.errors import ProgramNotFound
from engagement.storage.db import Database
from engagement.storage.models import MapLayout, Program


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
