"""The coalition and its analysis as one reader may see them: the read layer's graph.

:class:`CoalitionReads` builds the graph of the actors and ties the reader may see,
under the names shown, and every analysis of it (measures, communities, balance,
brokers, gaps, paths), each kept per data version like the rest of the read layer.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from engagement.services.coalition import network
from engagement.services.coalition.layout_store import StoredLayout, graph_fingerprint
from engagement.services.coalition.tables import coalition_actors_from, coalition_ties_from
from engagement.services.view_base import ViewBase


class CoalitionReads(ViewBase):
    """The coalition part of :class:`~engagement.services.view.ProgramView`."""

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
