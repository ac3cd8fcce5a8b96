"""Coalition analysis: measures, communities, balance, gaps and paths of one coalition.

These functions take a :class:`Coalition` (the actors and ties one reader may see, under
the names they see) and read nothing themselves. A program's coalition, and every result
here, comes from :class:`engagement.services.view.ProgramView`, which leaves out what
the reader may not see before any measure is computed and caches the results per data
version: no result, path or explanation can name or reflect a hidden actor.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from engagement.analysis import balance, brokerage, paths
from engagement.analysis.centrality import EigenvectorNotConverged
from engagement.analysis.graph import coalition_graph
from engagement.analysis.measures import MEASURE_COLUMNS, measures_table
from engagement.errors import ActorNotFound
from engagement.i18n import t

#: Columns of :func:`actor_measures`.
ACTOR_MEASURE_COLUMNS = ["id", "name", "sector", *MEASURE_COLUMNS]


@dataclass(frozen=True)
class Coalition:
    """The coalition frames and graph of one program under one filter."""

    actors: pd.DataFrame
    ties: pd.DataFrame
    graph: nx.DiGraph
    threshold: int


def build_coalition(actors: pd.DataFrame, ties: pd.DataFrame, threshold: int) -> Coalition:
    """The coalition of the actors given and the ties between two of them."""
    shown = actors["id"]
    ties = ties[ties["source"].isin(shown) & ties["target"].isin(shown)].reset_index(drop=True)
    return Coalition(actors, ties, coalition_graph(actors, ties), threshold)


def actor_measures(found: Coalition) -> pd.DataFrame:
    """One row per live actor with every network measure, its community and brokerage.

    Columns: ``id``, ``name``, ``sector`` (key, or None) and
    :data:`engagement.analysis.measures.MEASURE_COLUMNS`: in/out/total degree, number
    of conflicts, betweenness, closeness, eigenvector, PageRank, two-step reach,
    community (1 = largest), Burt's effective size and constraint, the five
    Gould-Fernandez role counts and their total. ``on_date`` keeps only ties valid on
    that date (the coalition's). Rows follow the actors' order.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EigenvectorNotConverged)
        table = measures_table(found.graph)
    frame = found.actors[["id", "name", "sector"]].set_index("id", drop=False)
    result = frame.join(table).reset_index(drop=True)[ACTOR_MEASURE_COLUMNS]
    notes = (
        ["analysis.note.eigenvector_estimate"]
        if any(issubclass(w.category, EigenvectorNotConverged) for w in caught)
        else []
    )
    result.attrs["notes"] = notes
    return result


COMMUNITY_COLUMNS = ["community", "actors", "sectors", "main_sector", "central_actor", "members"]


def community_table(measures: pd.DataFrame) -> pd.DataFrame:
    """One row per Louvain community, largest first.

    Columns: ``community`` (the number used in :func:`actor_measures`), ``actors``,
    ``sectors`` (how many distinct sectors), ``main_sector`` (the most common sector
    key), ``central_actor`` (most ties inside the map, then by name) and ``members``
    (names, most tied first), from :func:`actor_measures`.
    """
    rows = []
    ranked = measures.sort_values(["degree", "name"], ascending=[False, True])
    for number, members in ranked.groupby("community", sort=True):
        sectors = members["sector"].dropna()
        rows.append(
            {
                "community": int(str(number)),
                "actors": len(members),
                "sectors": sectors.nunique(),
                "main_sector": sectors.value_counts().sort_index().idxmax()
                if not sectors.empty
                else None,
                "central_actor": members["name"].iloc[0],
                "members": ", ".join(members["name"]),
            }
        )
    return pd.DataFrame(rows, columns=COMMUNITY_COLUMNS)


def balance_table(found: Coalition) -> pd.DataFrame:
    """Support against opposition weighted by power: first the whole program, then each sector.

    Columns: ``sector`` (``"all"`` for the first row, None for actors without a
    sector) and :data:`engagement.analysis.balance.BALANCE_COLUMNS`, from the
    coalition's assessments (the latest within its stage / up to its date).
    """
    overall = balance.coalition_balance(found.actors, by=None)
    per_sector = balance.coalition_balance(found.actors, by="sector")
    table = pd.concat([overall, per_sector]).rename_axis("sector").reset_index()
    table["sector"] = [None if pd.isna(x) else x for x in table["sector"].tolist()]
    return table


def sector_gaps(found: Coalition) -> pd.DataFrame:
    """Pairs of sectors with no tie at all.

    Columns: ``sector_a``, ``sector_b``, ``actors_a``, ``actors_b``.
    """
    gaps = balance.sector_gaps(found.graph)
    return gaps.rename(columns={"group_a": "sector_a", "group_b": "sector_b"})


KEY_PLAYER_COLUMNS = ["id", "name", "sector", "power", "interest", "engagement_current"]


def unlinked_key_players(found: Coalition) -> pd.DataFrame:
    """Key players (manage closely, at the program's threshold) with no tie to any supporter."""
    ids = balance.unlinked_key_players(found.graph, threshold=found.threshold)
    actors = found.actors.set_index("id", drop=False)
    return actors.loc[ids, KEY_PLAYER_COLUMNS].reset_index(drop=True)


BROKER_COLUMNS = [
    "id", "name", "sector", "brokerage_total", *[r.value for r in brokerage.ROLES],
    "betweenness", "effective_size", "constraint",
]  # fmt: skip
BROKERED_COLUMNS = ["id", "role", "from_sector", "to_sector", "paths"]


@dataclass(frozen=True)
class Brokers:
    """Who links actors who have no direct tie, and which sectors, in which role."""

    #: One row per broker (at least one open two-path), most brokerage first, then by name.
    actors: pd.DataFrame
    #: One row per broker, role and (from sector, to sector) with the paths counted.
    pairs: pd.DataFrame


def brokers(found: Coalition, measures: pd.DataFrame | None = None) -> Brokers:
    """The coalition's brokers (Gould-Fernandez roles, sectors as groups).

    ``actors`` has :data:`BROKER_COLUMNS` (sector keys; role counts; betweenness,
    Burt's effective size and constraint, unrounded); ``pairs`` has
    :data:`BROKERED_COLUMNS`: for a gatekeeper, ``from_sector`` is the outsider's
    sector and ``to_sector`` its own; for a representative the reverse; for a liaison
    the two sectors it links; for coordinators and itinerants both are the sector of
    the actors it links. ``measures``: :func:`actor_measures` of ``found`` if the
    caller has them already (they are the costly part: every measure of the coalition).
    """
    if measures is None:
        measures = actor_measures(found)
    pairs = brokerage.brokered_groups(found.graph, "sector").rename(
        columns={"broker": "id", "from_group": "from_sector", "to_group": "to_sector"}
    )
    return Brokers(broker_ranking(measures), pairs[BROKERED_COLUMNS])


def broker_ranking(measures: pd.DataFrame) -> pd.DataFrame:
    """:attr:`Brokers.actors` from :func:`actor_measures`: actors with at least one open
    two-path, most brokerage first, then by name; :data:`BROKER_COLUMNS`."""
    ranked = measures[measures["brokerage_total"] > 0].sort_values(
        ["brokerage_total", "name"], ascending=[False, True], key=_casefold
    )
    return ranked[BROKER_COLUMNS].reset_index(drop=True)


def _casefold(column: pd.Series) -> pd.Series:
    return column.str.casefold() if column.name == "name" else column


PATH_COLUMNS = ["rank", "steps", "via", "weakest", "explanation"]


def introduction_paths(
    found: Coalition, source_id: int, target_id: int, *, k: int = 3, lang: str = "es"
) -> pd.DataFrame:
    """Up to ``k`` ways for one actor to reach another, explained in words, under the
    names the coalition holds.

    Columns: ``rank`` (1 = best), ``steps`` (ties on the chain), ``via`` (names of the
    intermediaries), ``weakest`` (strength of the weakest tie, 1-3) and ``explanation``
    ("La Municipalidad puede llegar a la Embajada a través de ONU-Hábitat (vínculo
    fuerte)."). Never through a conflict tie. Empty when no chain exists.

    Raises
    ------
    ActorNotFound
        If either actor is not an actor of the coalition.
    """
    for field, actor_id in (("source_id", source_id), ("target_id", target_id)):
        if actor_id not in found.graph:
            raise ActorNotFound(key=actor_id, field=field)
    shown: dict[Hashable, object] = dict(found.graph.nodes(data="name"))
    chains = paths.introduction_paths(found.graph, source_id, target_id, k=k)
    rows = [
        {
            "rank": rank,
            "steps": chain.steps,
            "via": ", ".join(str(shown[v]) for v in chain.intermediaries),
            "weakest": chain.weakest,
            "explanation": describe_path(chain, shown, lang),
        }
        for rank, chain in enumerate(chains, start=1)
    ]
    return pd.DataFrame(rows, columns=PATH_COLUMNS)


def describe_path(
    chain: paths.IntroductionPath, names: Mapping[Hashable, object], lang: str = "es"
) -> str:
    """One sentence: who reaches whom, through whom, and how strong the chain is."""
    label = {v: str(names[v]) for v in chain.actors}
    source, target = label[chain.actors[0]], label[chain.actors[-1]]
    tie = t(f"analysis.path.tie_{chain.weakest}", lang)
    if not chain.intermediaries:
        return t("analysis.path.direct", lang, source=source, target=target, tie=tie)
    via = [label[v] for v in chain.intermediaries]
    joined = (
        via[0]
        if len(via) == 1
        else (
            t("analysis.path.list_separator", lang).join(via[:-1])
            + t("analysis.path.then", lang)
            + via[-1]
        )
    )
    return t("analysis.path.through", lang, source=source, target=target, via=joined, tie=tie)
