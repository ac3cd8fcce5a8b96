"""The read layer: a program as one reader may see it, read once per data version.

``program_view(db, by, program_id, presentation=..., lang=...)`` checks that ``by`` is a
member of the program (or an administrator / the local operator) and returns a
:class:`ProgramView`. Every read of a program's data, from the pages, the command
line, exports, maps, analysis, snapshots and the dashboard, goes through it:

- the visibility rules (:mod:`engagement.services.visibility`) are applied here, once,
  to every frame before anyone sees it;
- the program is read in one transaction (:meth:`Database.snapshot`), so every figure
  of a page comes from one version of the data;
- the results are kept in :mod:`engagement.services.readcache`, keyed by program, data
  version, the reader's visibility class and the filters; a page rerun on unchanged
  data costs one small query (the data stamp, which the app reads with its sign-in
  check: :mod:`engagement.services.access.directory`).

Frames handed out are copies; dataclasses are frozen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any, TypeVar

import pandas as pd

from engagement.analysis.coparticipation import co_participation
from engagement.analysis.movement import Comparison, compare_frozen
from engagement.errors import NotFound, Problem, ValidationFailed
from engagement.i18n import DEFAULT_LANGUAGE
from engagement.model import Principal, ProgramInfo
from engagement.services.access import permissions
from engagement.services.audit_names import audit_names
from engagement.services.coalition import network
from engagement.services.coalition.layout_store import StoredLayout, graph_fingerprint, read_layout
from engagement.services.coalition.tables import coalition_actors_from, coalition_ties_from
from engagement.services.readcache import cached, database_key
from engagement.services.tracking import (
    changes,
    commitments,
    dashboard,
    inputs,
    ogp,
    snapshots,
    tasks,
)
from engagement.services.view_state import (
    ProgramState,
    activity_seen,
    changes_seen,
    commitment_seen,
    commitments_seen,
    handed_out,
)
from engagement.services.visibility import Lens, Visibility, visibility_of
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry
from engagement.storage.queries import tracking as stored_tracking
from engagement.storage.queries.programs import Stamp, read_stamp
from engagement.tracking import ActivityInfo, ChecklistItem, CommitmentInfo, SnapshotInfo

T = TypeVar("T")

#: Tables of :meth:`ProgramView.table`.
TABLES = (
    "activities", "deleted_activities", "attendance", "tasks", "inputs", "waiting",
    "commitments", "evidence", "stale", "co_participation",
)  # fmt: skip
#: Frames of :meth:`ProgramView.frame`.
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


def program_view(
    db: Database,
    by: Principal,
    program_id: int,
    *,
    presentation: bool = False,
    lang: str = "es",
    stamp: Stamp | None = None,
) -> ProgramView:
    """The program as ``by`` may see it (``stamp``: a version check already made).

    Raises
    ------
    NotAMember
        If ``by`` has no role in the program.
    ProgramNotFound
        If there is no such program.
    """
    permissions.require_member(by, program_id)
    stamp = stamp or read_stamp(db, program_id)
    visibility = visibility_of(by, program_id, presentation=presentation, lang=lang)
    return ProgramView(db, by, program_id, visibility, stamp, lang)


def kept(view: ProgramView, what: str, compute: Callable[[], T], *filters: Hashable) -> T:
    """``compute()`` once per data version of ``view``'s program, its reader's visibility
    class and ``filters``; a copy handed out. For the services' reads built on a view
    (the import history, the audit trail): they change only with the program's data."""
    return view._cached(what, compute, *filters)


class ProgramView:
    """One program as one reader may see it, at one data version (see the module)."""

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

    def without_restricted(self) -> ProgramView:
        """This view as a reader who may not see restricted actors or contact data."""
        narrower = replace(self.visibility, restricted=False)
        return ProgramView(self.db, self.by, self.program_id, narrower, self.stamp, self.lang)

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

    # -- the coalition and its analysis -------------------------------------------

    def coalition_actors(
        self, *, stage_id: int | None = None, as_of: dt.date | None = None
    ) -> pd.DataFrame:
        """Live actors the reader may see with their latest assessment (within a stage /
        up to a date); NA scores for actors never assessed."""

        def compute() -> pd.DataFrame:
            state, lens = self._state(), self._lens()
            found = coalition_actors_from(
                state.actors, state.assessments, stage_id=stage_id, as_of=as_of
            )
            found = found[[lens.seen(i) for i in found["id"]]].reset_index(drop=True)
            return lens.rename(found, {"name": "id"})

        return self._cached("coalition_actors", compute, stage_id, as_of)

    def coalition_ties(self, *, on_date: dt.date | None = None) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            ties = coalition_ties_from(self._state().ties, on_date=on_date)
            return self._lens().rows(ties, {"source_name": "source", "target_name": "target"})

        return self._cached("coalition_ties", compute, on_date)

    def coalition(
        self, *, stage_id: int | None = None, on_date: dt.date | None = None
    ) -> network.Coalition:
        """The graph of the actors and ties the reader may see, under the names shown."""

        def compute() -> network.Coalition:
            found = self.coalition_actors(stage_id=stage_id, as_of=on_date)
            ties = self.coalition_ties(on_date=on_date)
            return network.build_coalition(found, ties, self.program.power_threshold)

        return self._cached("coalition", compute, stage_id, on_date)

    def measures(self, *, on_date: dt.date | None = None) -> pd.DataFrame:
        """:func:`engagement.services.coalition.network.actor_measures` of the visible coalition."""
        found = self._cached(
            "measures",
            lambda: network.actor_measures(self.coalition(on_date=on_date)),
            on_date,
        )
        return found

    def communities(self, *, on_date: dt.date | None = None) -> pd.DataFrame:
        return network.community_table(self.measures(on_date=on_date))

    def balance(
        self, *, stage_id: int | None = None, on_date: dt.date | None = None
    ) -> pd.DataFrame:
        return network.balance_table(self.coalition(stage_id=stage_id, on_date=on_date))

    def brokers(self, *, on_date: dt.date | None = None) -> network.Brokers:
        """:func:`engagement.services.coalition.network.brokers` of the visible coalition,
        ranked from :meth:`measures` (kept): the measures are computed once for both."""

        def compute() -> network.Brokers:
            found = self.coalition(on_date=on_date)
            return network.brokers(found, self.measures(on_date=on_date))

        found = self._cached("brokers", compute, on_date)
        return network.Brokers(found.actors.copy(), found.pairs.copy())

    def sector_gaps(self, *, on_date: dt.date | None = None) -> pd.DataFrame:
        return network.sector_gaps(self.coalition(on_date=on_date))

    def key_players(
        self, *, stage_id: int | None = None, on_date: dt.date | None = None
    ) -> pd.DataFrame:
        return network.unlinked_key_players(self.coalition(stage_id=stage_id, on_date=on_date))

    def paths(
        self, source_id: int, target_id: int, *, k: int = 3, on_date: dt.date | None = None
    ) -> pd.DataFrame:
        found = self.coalition(on_date=on_date)
        return network.introduction_paths(found, source_id, target_id, k=k, lang=self.lang)

    # -- tracking --------------------------------------------------------------------

    def table(self, what: str) -> pd.DataFrame:
        """A tracking table (:data:`TABLES`) as the reader may see it; a copy."""
        if what not in TABLES:
            raise ValueError(what)
        return self._cached("table", lambda: self._table(what), what)

    def _table(self, what: str) -> pd.DataFrame:
        state, lens = self._state(), self._lens()
        if what == "attendance":
            return lens.rows(state.attendance, {"actor": "actor_id"})
        if what in ("activities", "deleted_activities"):
            frame: pd.DataFrame = getattr(state, what).copy()
            seen = self.table("attendance")["activity_id"].value_counts()
            if lens.hidden:  # counts of people only the reader may see
                frame["attendees"] = [int(seen.get(i, 0)) for i in frame["id"]]
            return frame
        if what in ("inputs", "waiting"):
            return lens.mentions(getattr(state, what), {"actor": "actor_id"})
        if what == "commitments":
            return commitments_seen(state.commitments, state.everyone, lens)
        if what == "stale":
            scores = dashboard.latest_scores_from(self.frame("actors"), self.frame("assessments"))
            program = state.program
            return dashboard.stale_from(
                scores,
                self.table("attendance"),
                program.power_threshold,
                program.stale_days,
                state.as_of,
            )
        if what == "co_participation":
            present = self.table("attendance")
            ties = co_participation(present)
            names = dict(zip(present["actor_id"], present["actor"], strict=False))
            ties["source_name"] = ties["source"].map(names)
            ties["target_name"] = ties["target"].map(names)
            return ties
        raw: pd.DataFrame = getattr(state, what)
        return raw.copy()

    def co_participation(self, *, until: dt.date | None = None) -> pd.DataFrame:
        """Pairs of visible actors by activities shared (held on or before ``until``)."""

        def compute() -> pd.DataFrame:
            present = self.table("attendance")
            if until is not None:
                present = present[present["held_on"] <= until]
            return co_participation(present)

        return self._cached("co_participation", compute, until)

    def tracking_frames(self) -> dashboard.TrackingFrames:
        return dashboard.TrackingFrames(
            activities=self.table("activities"),
            attendance=self.table("attendance"),
            inputs=self.table("inputs"),
            commitments=self.table("commitments"),
        )

    def dashboard(self, stage_id: int | None = None) -> dashboard.Dashboard:
        """Everything the stage dashboard shows, counting only what the reader may see."""

        def compute() -> dashboard.Dashboard:
            history = dashboard.history_from(self.frame("assessments"))
            return dashboard.dashboard_from(
                self.program,
                self.tracking_frames(),
                history,
                self.table("tasks"),
                stage_id=stage_id,
            )

        return self._cached("dashboard", compute, stage_id)

    def checklist(self, today: dt.date | None = None) -> list[ChecklistItem]:
        """The OGP checks as of the view's day (or of ``today``), counting only what the
        reader may see: a meeting with civil society is one that a civil-society actor
        the reader sees attended."""
        day = today or self.as_of

        def compute() -> list[ChecklistItem]:
            state = self._state()
            return ogp.checklist(
                state.program,
                self.table("activities"),
                self.table("attendance"),
                self.frame("actors"),
                state.evidence,
                self.table("inputs"),
                day,
            )

        return self._cached("checklist", compute, day)

    def last_mentoring_call(self) -> dt.date | None:
        return self._state().last_call

    def changes_since(self, since: dt.date) -> changes.Changes:
        """What changed since a day, naming only what the reader may see; who made each
        change only for readers of the audit trail."""
        return self._cached("changes", lambda: self._changes(since), since)

    def _changes(self, since: dt.date) -> changes.Changes:
        found, whose = cached(
            self._key("changes_raw", since, shared=True), lambda: self._read_changes(since)
        )
        return changes_seen(found, whose, self._lens())

    def _read_changes(self, since: dt.date) -> tuple[changes.Changes, dict[int, int]]:
        """Every reported change since a day (one transaction), and whose each assessment is."""
        state = self._state()
        start = dt.datetime.combine(since, dt.time.min)
        with self.db.snapshot() as session:
            log = stored_audit.audit_log(self.db, self.program_id, since=start, limit=20000)
            held = stored_audit.activities_held(self.db, self.program_id, since)
            received = stored_audit.inputs_dated(self.db, self.program_id)
            names = audit_names(session, state.program, DEFAULT_LANGUAGE)
        moves = changes.assessment_moves(state.assessments, state.program.power_threshold)
        found = changes.changes_since(log, held, received, names, moves, since)
        return found, dict(names.assessed)

    def stored_layout(self) -> StoredLayout | None:
        """The map layout read with the program, if it is the one stored now for this
        graph (else None: the map service computes or re-reads it)."""
        state = self._state()
        if state.layout is None:
            return None
        fingerprint, stored = state.layout
        ids = [int(i) for i in state.actors["id"]]
        pairs = [
            (int(a), int(b))
            for a, b in zip(state.ties["source_id"], state.ties["target_id"], strict=True)
        ]
        current = fingerprint == graph_fingerprint(ids, pairs)
        return stored if current and stored.revision == self.stamp.layout else None

    # -- snapshots -------------------------------------------------------------------

    def snapshots(self) -> list[SnapshotInfo]:
        """Snapshots, newest first, their counts of what the reader may see."""

        def compute() -> list[SnapshotInfo]:
            lens = self._lens()
            shown = []
            for info, data in self._state().snapshots:
                seen = lens.frozen(data)
                shown.append(replace(info, actors=len(seen["actors"]), ties=len(seen["ties"])))
            return shown

        return list(self._cached("snapshots", compute))

    def frozen(self, snapshot_id: int | None = None) -> dict[str, Any]:
        """A snapshot's frozen data, or the program now (``snapshot_id`` None)."""

        def compute() -> dict[str, Any]:
            if snapshot_id is None:
                state = cached(self._key("frozen_now", shared=True), self._frozen_now)
            else:
                state = self._snapshot_data(snapshot_id)
            lens = self._lens()
            seen = lens.frozen(state)
            if lens.hidden:  # the measures of the network the reader sees
                seen["measures"] = snapshots.frozen_measures(seen)
            return seen

        return self._cached("frozen", compute, snapshot_id)

    def _frozen_now(self) -> dict[str, Any]:
        state = self._state()
        return snapshots.frozen_from(
            coalition_actors_from(state.actors, state.assessments),
            coalition_ties_from(state.ties),
            state.program.power_threshold,
        )

    def _snapshot_data(self, snapshot_id: int) -> dict[str, Any]:
        for info, data in self._state().snapshots:
            if info.id == snapshot_id:
                return data
        raise ValidationFailed([Problem("snapshot", "not_in_list", {"value": snapshot_id})])

    def comparison(self, before: int, after: int | None) -> Comparison:
        """Two snapshots (or one and now) compared, over what the reader may see."""
        return self._cached(
            "comparison",
            lambda: compare_frozen(self.frozen(before), self.frozen(after)),
            before,
            after,
        )

    # -- single records ----------------------------------------------------------------

    def activity(self, activity_id: int) -> ActivityInfo:
        """One activity of the program (live or deleted), with the attendees the reader
        may see; who recorded it only for readers of the audit trail.

        Raises
        ------
        NotFound
            If the activity is not one of the program's.
        """

        def compute() -> ActivityInfo:
            found = stored_activities.get_activity(self.db, activity_id)
            if found.program_id != self.program_id:
                raise NotFound(entity="activity", key=activity_id)
            return activity_seen(found, self._lens())

        return self._cached("activity", compute, activity_id)

    def commitment(self, commitment_id: int) -> CommitmentInfo:
        """One commitment of the program (live or deleted), naming only the actors the
        reader may see as responsible or co-responsible.

        Raises
        ------
        NotFound
            If the commitment is not one of the program's.
        """

        def compute() -> CommitmentInfo:
            program_id, version, values = stored_tracking.get_commitment(self.db, commitment_id)
            if program_id != self.program_id:
                raise NotFound(entity="commitment", key=commitment_id)
            shown = commitment_seen(values, self._lens())
            return commitments.commitment_info(commitment_id, program_id, version, shown)

        return self._cached("commitment", compute, commitment_id)
