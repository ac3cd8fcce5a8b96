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

from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any, TypeVar

from engagement.analysis.movement import Comparison, compare_frozen
from engagement.errors import Problem, ValidationFailed
from engagement.model import Principal
from engagement.services.access import permissions
from engagement.services.coalition.tables import coalition_actors_from, coalition_ties_from
from engagement.services.readcache import cached
from engagement.services.tracking import snapshots
from engagement.services.view_coalition import CoalitionReads
from engagement.services.view_tracking import TrackingReads
from engagement.services.visibility import visibility_of
from engagement.storage.db import Database
from engagement.storage.queries.programs import Stamp, read_stamp
from engagement.tracking import SnapshotInfo

T = TypeVar("T")


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
    class and ``filters``; a copy handed out. For reads built on a view that change only
    with the program's data: the import history, the audit trail, and a page's table as
    it is shown (``filters`` then include the language it is shown in)."""
    return view._cached(what, compute, *filters)


class ProgramView(CoalitionReads, TrackingReads):
    """One program as one reader may see it, at one data version (see the module): the
    registry (:mod:`engagement.services.view_base`), the coalition
    (:mod:`engagement.services.view_coalition`), tracking
    (:mod:`engagement.services.view_tracking`), and snapshots, here."""

    def without_restricted(self) -> ProgramView:
        """This view as a reader who may not see restricted actors or contact data."""
        narrower = replace(self.visibility, restricted=False)
        return ProgramView(self.db, self.by, self.program_id, narrower, self.stamp, self.lang)

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
