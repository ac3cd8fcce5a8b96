"""Tracking as one reader may see it: activities, inputs, commitments, the dashboard.

:class:`TrackingReads` hands out the tracking tables with what the reader may not see
left out (or counted without names), the stage dashboard, the OGP checklist, what
changed since a day, and single activities and commitments; each kept per data version.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from engagement.analysis.coparticipation import co_participation
from engagement.errors import NotFound
from engagement.i18n import DEFAULT_LANGUAGE
from engagement.services.audit_names import audit_names
from engagement.services.readcache import cached
from engagement.services.tracking import changes, commitments, dashboard, ogp
from engagement.services.view_base import ViewBase
from engagement.services.view_state import (
    activity_seen,
    changes_seen,
    commitment_seen,
    commitments_seen,
)
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import tracking as stored_tracking
from engagement.tracking import ActivityInfo, ChecklistItem, CommitmentInfo

#: Tables of :meth:`TrackingReads.table`.
TABLES = (
    "activities", "deleted_activities", "attendance", "tasks", "inputs", "waiting",
    "commitments", "evidence", "stale", "co_participation",
)  # fmt: skip


class TrackingReads(ViewBase):
    """The tracking part of :class:`~engagement.services.view.ProgramView`."""

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
