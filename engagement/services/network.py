"""Coalition analysis of a program: measures, communities, balance, gaps and paths.

Every result is computed once per data version and filter, then served from an
in-process cache keyed by (database, program, data version, filters): unchanged data
costs one small query. Results are copies, so callers may add columns freely.

Every function takes an optional ``by``: when that user may not see restricted actors,
the analysis runs on the map without them (their ties left out too), so no result, path
or explanation can name or reflect them. Without ``by`` the whole map is analysed (CLI,
benchmarks).
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from engagement.analysis import balance, brokerage, paths
from engagement.analysis.centrality import EigenvectorNotConverged
from engagement.analysis.graph import coalition_graph
from engagement.analysis.measures import MEASURE_COLUMNS, measures_table
from engagement.errors import ActorNotFound
from engagement.i18n import t
from engagement.model import Principal
from engagement.services import coalition, permissions, programs
from engagement.storage.db import Database

#: Columns of :func:`actor_measures`.
ACTOR_MEASURE_COLUMNS = ["id", "name", "sector", *MEASURE_COLUMNS]


@dataclass(frozen=True)
class Coalition:
    """The coalition frames and graph of one program under one filter."""

    actors: pd.DataFrame
    ties: pd.DataFrame
    graph: nx.DiGraph
    threshold: int


_CACHE: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_COMPUTING: dict[tuple[Hashable, ...], threading.Lock] = {}
CACHE_ENTRIES = 32


def _cached(key: tuple[Hashable, ...], compute: Callable[[], object]) -> object:
    """The cached value for ``key``, computed once even when sessions ask at the same time."""
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        key_lock = _COMPUTING.setdefault(key, threading.Lock())
    with key_lock:
        with _CACHE_LOCK:
            if key in _CACHE:
                return _CACHE[key]
        value = compute()
        with _CACHE_LOCK:
            _CACHE[key] = value
            _COMPUTING.pop(key, None)
            while len(_CACHE) > CACHE_ENTRIES:
                _CACHE.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every cached result (tests, or after restoring a backup)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _key(db: Database, program_id: int, what: str, *filters: Hashable) -> tuple[Hashable, ...]:
    url = db.engine.url.render_as_string(hide_password=True)
    return (url, program_id, programs.data_version(db, program_id), what, *filters)


def _hidden(by: Principal | None, program_id: int) -> bool:
    return by is not None and not permissions.can_see_restricted(by, program_id)


def load_coalition(
    db: Database,
    program_id: int,
    *,
    stage_id: int | None = None,
    on_date: dt.date | None = None,
    by: Principal | None = None,
) -> Coalition:
    """The program's actors (assessed within the stage / up to the date) and live ties."""
    hide = _hidden(by, program_id)

    def compute() -> Coalition:
        threshold = programs.get_program(db, program_id).power_threshold
        actors = coalition.coalition_actors(db, program_id, stage_id=stage_id, as_of=on_date)
        ties = coalition.coalition_ties(db, program_id, on_date=on_date)
        if hide:
            actors = actors[actors["confidentiality"] != "restricted"].reset_index(drop=True)
            shown = actors["id"]
            ties = ties[ties["source"].isin(shown) & ties["target"].isin(shown)]
            ties = ties.reset_index(drop=True)
        return Coalition(actors, ties, coalition_graph(actors, ties), threshold)

    found = _cached(_key(db, program_id, "coalition", stage_id, on_date, hide), compute)
    assert isinstance(found, Coalition)
    return found


def actor_measures(
    db: Database,
    program_id: int,
    *,
    stage_id: int | None = None,
    on_date: dt.date | None = None,
    by: Principal | None = None,
) -> pd.DataFrame:
    """One row per live actor with every network measure, its community and brokerage.

    Columns: ``id``, ``name``, ``sector`` (key, or None) and
    :data:`engagement.analysis.measures.MEASURE_COLUMNS`: in/out/total degree, number
    of conflicts, betweenness, closeness, eigenvector, PageRank, two-step reach,
    community (1 = largest), Burt's effective size and constraint, the five
    Gould-Fernandez role counts and their total. ``on_date`` keeps only ties valid on
    that date; the measures do not depend on ``stage_id`` (accepted for symmetry with
    the other tables). Rows follow the actors' name order.
    """

    def compute() -> pd.DataFrame:
        found = load_coalition(db, program_id, on_date=on_date, by=by)
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

    found = _cached(_key(db, program_id, "measures", on_date, _hidden(by, program_id)), compute)
    assert isinstance(found, pd.DataFrame)
    return found.copy()


COMMUNITY_COLUMNS = ["community", "actors", "sectors", "main_sector", "central_actor", "members"]


def community_table(
    db: Database,
    program_id: int,
    *,
    on_date: dt.date | None = None,
    by: Principal | None = None,
    names: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """One row per Louvain community, largest first.

    Columns: ``community`` (the number used in :func:`actor_measures`), ``actors``,
    ``sectors`` (how many distinct sectors), ``main_sector`` (the most common sector
    key), ``central_actor`` (most ties inside the map, then by name) and ``members``
    (names, most tied first). ``names`` replaces actors' names by id (the stand-ins of
    presentation mode), since names here are joined into text.
    """
    measures = actor_measures(db, program_id, on_date=on_date, by=by)
    if names:
        shown = [names.get(i, n) for i, n in zip(measures["id"], measures["name"], strict=True)]
        measures = measures.assign(name=shown)
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


def balance_table(
    db: Database,
    program_id: int,
    *,
    stage_id: int | None = None,
    on_date: dt.date | None = None,
    by: Principal | None = None,
) -> pd.DataFrame:
    """Support against opposition weighted by power: first the whole program, then each sector.

    Columns: ``sector`` (``"all"`` for the first row, None for actors without a
    sector) and :data:`engagement.analysis.balance.BALANCE_COLUMNS`. Assessments are
    the latest within ``stage_id`` / up to ``on_date``.
    """
    found = load_coalition(db, program_id, stage_id=stage_id, on_date=on_date, by=by)
    overall = balance.coalition_balance(found.actors, by=None)
    per_sector = balance.coalition_balance(found.actors, by="sector")
    table = pd.concat([overall, per_sector]).rename_axis("sector").reset_index()
    table["sector"] = [None if pd.isna(x) else x for x in table["sector"].tolist()]
    return table


def sector_gaps(
    db: Database, program_id: int, *, on_date: dt.date | None = None, by: Principal | None = None
) -> pd.DataFrame:
    """Pairs of sectors with no tie at all.

    Columns: ``sector_a``, ``sector_b``, ``actors_a``, ``actors_b``.
    """
    found = load_coalition(db, program_id, on_date=on_date, by=by)
    gaps = balance.sector_gaps(found.graph)
    return gaps.rename(columns={"group_a": "sector_a", "group_b": "sector_b"})


KEY_PLAYER_COLUMNS = ["id", "name", "sector", "power", "interest", "engagement_current"]


def unlinked_key_players(
    db: Database,
    program_id: int,
    *,
    stage_id: int | None = None,
    on_date: dt.date | None = None,
    by: Principal | None = None,
) -> pd.DataFrame:
    """Key players (manage closely, at the program's threshold) with no tie to any supporter."""
    found = load_coalition(db, program_id, stage_id=stage_id, on_date=on_date, by=by)
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


def brokers(
    db: Database,
    program_id: int,
    *,
    on_date: dt.date | None = None,
    by: Principal | None = None,
) -> Brokers:
    """The program's brokers (Gould-Fernandez roles, sectors as groups).

    ``actors`` has :data:`BROKER_COLUMNS` (sector keys; role counts; betweenness,
    Burt's effective size and constraint, unrounded); ``pairs`` has
    :data:`BROKERED_COLUMNS`: for a gatekeeper, ``from_sector`` is the outsider's
    sector and ``to_sector`` its own; for a representative the reverse; for a liaison
    the two sectors it links; for coordinators and itinerants both are the sector of
    the actors it links.
    """

    def compute() -> Brokers:
        found = load_coalition(db, program_id, on_date=on_date, by=by)
        measures = actor_measures(db, program_id, on_date=on_date, by=by)
        ranked = measures[measures["brokerage_total"] > 0].sort_values(
            ["brokerage_total", "name"], ascending=[False, True], key=_casefold
        )
        pairs = brokerage.brokered_groups(found.graph, "sector").rename(
            columns={"broker": "id", "from_group": "from_sector", "to_group": "to_sector"}
        )
        return Brokers(ranked[BROKER_COLUMNS].reset_index(drop=True), pairs[BROKERED_COLUMNS])

    key = _key(db, program_id, "brokers", on_date, _hidden(by, program_id))
    result = _cached(key, compute)
    assert isinstance(result, Brokers)
    return Brokers(result.actors.copy(), result.pairs.copy())


def _casefold(column: pd.Series) -> pd.Series:
    return column.str.casefold() if column.name == "name" else column


PATH_COLUMNS = ["rank", "steps", "via", "weakest", "explanation"]


def introduction_paths(
    db: Database,
    program_id: int,
    source_id: int,
    target_id: int,
    *,
    k: int = 3,
    on_date: dt.date | None = None,
    lang: str = "es",
    by: Principal | None = None,
    names: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """Up to ``k`` ways for one actor to reach another, explained in words.

    ``names`` replaces stored actor names in the text (for instance the stand-in names
    a presentation shows for people); actors missing from it keep their stored name.

    Columns: ``rank`` (1 = best), ``steps`` (ties on the chain), ``via`` (names of the
    intermediaries), ``weakest`` (strength of the weakest tie, 1-3) and ``explanation``
    ("La Municipalidad puede llegar a la Embajada a través de ONU-Hábitat (vínculo
    fuerte)."). Never through a conflict tie. Empty when no chain exists.

    Raises
    ------
    ActorNotFound
        If either actor is not a live actor of the program.
    """
    found = load_coalition(db, program_id, on_date=on_date, by=by)
    for field, actor_id in (("source_id", source_id), ("target_id", target_id)):
        if actor_id not in found.graph:
            raise ActorNotFound(key=actor_id, field=field)
    shown: dict[Hashable, object] = dict(found.graph.nodes(data="name"))
    shown.update(dict(names or {}).items())
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
