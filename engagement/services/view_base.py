"""The base of the read layer: one program as one reader may see it, and its registry.

:class:`ViewBase` holds what every part of a :class:`~engagement.services.view.ProgramView`
stands on: the whole program read once per data version in one transaction
(:class:`~engagement.services.view_state.ProgramState`, shared by every reader), the
reader's lens over it, the keys of :mod:`engagement.services.readcache`, and the
registry's frames as the reader may see them. The coalition
(:mod:`engagement.services.view_coalition`) and tracking
(:mod:`engagement.services.view_tracking`) reads build on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd

from engagement.model import Principal, ProgramInfo
from engagement.services.coalition.layout_store import StoredLayout, read_layout
from engagement.services.readcache import cached, database_key
from engagement.services.tracking import changes, commitments, inputs, ogp, tasks
from engagement.services.view_state import ProgramState, handed_out
from engagement.services.visibility import Lens, Visibility
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from engagement.storage.queries import tracking as stored_tracking
from engagement.storage.queries.programs import Stamp

T = TypeVar("T")

#: Frames of :meth:`ViewBase.frame`.
FRAMES = ("actors", "deleted_actors", "ties", "deleted_ties", "assessments")


def _read_state(db: Database, program_id: int, today: dt.date) -> ProgramState:
    """The whole program, in the one transaction of the caller's snapshot, with the
    program's rules applied as of its day (today, or the end of a program that ended)."""
    program = stored_programs.get_program(db, program_id)
    as_of = ogp.evaluation_date(program, today)
    held = stored_activities.activities_frame(db, program_id)
    received = inputs.with_answers(stored_tracking.inputs_frame(db, program_id))
    promised = stored_tracking.commitments_frame(db, program_id)
    return ProgramState(
        version=program.data_version,
        as_of=as_of,
        program=program,
        actors=stored_registry.actors_frame(db, program_id),
        deleted_actors=stored_registry.actors_frame(db, program_id, deleted=True),
        ties=stored_registry.relationships_frame(db, program_id),
        deleted_ties=stored_registry.relationships_frame(db, program_id, deleted=True),
        assessments=stored_registry.assessments_frame(db, program_id),
        activities=held,
        deleted_activities=stored_activities.activities_frame(db, program_id, deleted=True),
        attendance=stored_activities.attendance_frame(db, program_id),
        tasks=tasks.with_overdue(stored_activities.tasks_frame(db, program_id), as_of),
        inputs=received,
        waiting=inputs.awaiting(received, as_of),
        commitments=commitments.commitment_rows(promised, as_of, program.stale_days),
        evidence=stored_tracking.evidence_frame(db, program_id),
        last_call=changes.last_mentoring_call(held, as_of),
        snapshots=tuple(stored_tracking.snapshots(db, program_id)),
        layout=_read_layout(db, program_id),
    )


def _read_layout(db: Database, program_id: int) -> tuple[str, StoredLayout] | None:
    with db.reading() as session:
        return read_layout(session, program_id)


class ViewBase:
    """One program as one reader may see it, at one data version: the cache and the
    registry (see the module)."""

    def __init__(
        self,
        db: Database,
        by: Principal,
        program_id: int,
        visibility: Visibility,
        stamp: Stamp,
        lang: str = "es",
    ) -> None:
        self.db = db
        self.by = by
        self.program_id = program_id
        self.visibility = visibility
        self.stamp = stamp
        self.lang = lang

    # -- the cache ---------------------------------------------------------------

    def _key(self, what: str, *filters: Hashable, shared: bool = False) -> tuple[Hashable, ...]:
        seen = "raw" if shared else self.visibility.key
        return (database_key(self.db), self.program_id, self.stamp.data, seen, what, *filters)

    def _cached(self, what: str, compute: Callable[[], T], *filters: Hashable) -> T:
        return handed_out(cached(self._key(what, *filters), compute))

    def _state(self) -> ProgramState:
        today = dt.date.today()

        def read() -> ProgramState:
            with self.db.snapshot():
                return _read_state(self.db, self.program_id, today)

        state = cached(self._key("state", today, shared=True), read)
        return state

    def _lens(self) -> Lens:
        return self._cached("lens", lambda: Lens.of(self._state().everyone, self.visibility))

    # -- the program and its registry --------------------------------------------

    @property
    def program(self) -> ProgramInfo:
        return self._state().program

    @property
    def as_of(self) -> dt.date:
        """The day figures are computed for: today, or the end of a program that ended."""
        return self._state().as_of

    @property
    def role(self) -> str | None:
        return self.by.role_in(self.program_id)

    def names(self) -> dict[int, str]:
        """The name shown for every actor the reader may see, live or deleted."""
        return dict(self._lens().names)

    def frame(self, what: str) -> pd.DataFrame:
        """A registry table (:data:`FRAMES`): actors, deleted_actors, ties, deleted_ties,
        assessments."""
        if what not in FRAMES:
            raise ValueError(what)

        def compute() -> pd.DataFrame:
            state, lens = self._state(), self._lens()
            raw: pd.DataFrame = getattr(state, what)
            if what in ("actors", "deleted_actors"):
                return lens.actors(raw)
            if what == "assessments":
                return lens.rows(raw, {"actor": "actor_id"})
            return lens.rows(raw, {"source": "source_id", "target": "target_id"})

        return self._cached("frame", compute, what)

    def actors(self, *, deleted: bool = False) -> pd.DataFrame:
        return self.frame("deleted_actors" if deleted else "actors")

    def ties(self, *, deleted: bool = False) -> pd.DataFrame:
        return self.frame("deleted_ties" if deleted else "ties")

    def assessments(self) -> pd.DataFrame:
        return self.frame("assessments")

    def counts(self) -> tuple[int, int]:
        """Live actors and live ties the reader may see."""
        return len(self.frame("actors")), len(self.frame("ties"))
