"""What the network map draws: nodes, edges and a legend, in the user's language.

Nodes are coloured by sector, community or engagement level and sized by a network
measure; ties are arrows when directed, wider when stronger, red and dashed when they
are a conflict. Large maps keep only the most central actors (by the sizing measure)
and say so. The co-participation layer, when on, adds dotted ties between actors on the
map who attended the same activities (see :mod:`engagement.maps.layers`). Every text
here is plain text: the drawing shows it as text, never as HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from engagement.frameworks import EngagementLevel
from engagement.i18n import t
from engagement.maps.layers import CO_PARTICIPATION_COLOUR, CoTie, co_participation_layer
from engagement.model import ProgramInfo
from engagement.palette import ENGAGEMENT_COLOURS, TOL_MUTED, sector_colours
from engagement.text import shorten

COLOUR_BY = ("sector", "community", "engagement")
#: Colour of actors with no sector / no assessment: white with the usual dark border.
NO_VALUE_COLOUR = "#FFFFFF"
CONFLICT_COLOUR = "#CC3311"
TIE_COLOUR = "#8A96A3"
#: Tie widths by strength 1 (weak) .. 3 (strong).
WIDTHS = {1: 1.0, 2: 2.5, 3: 4.5}
MIN_SIZE, MAX_SIZE = 8.0, 30.0
#: Communities beyond this many share one grey legend entry.
COMMUNITY_COLOURS = 10
#: A name on the map: whole, wrapped between words on lines of about this many
#: characters, at most this many lines (see :func:`engagement.text.wrap_name`).
LABEL_CHARS = 24
LABEL_LINES = 3
NOTE_LENGTH = 240


@dataclass(frozen=True)
class MapStyle:
    """How to draw: colour and size choices, the node cap and layers."""

    colour_by: str = "sector"
    size_by: str = "degree"
    max_nodes: int = 1500
    lang: str = "es"
    #: Draw co-participation ties (shared activities) over the relationships.
    co_participation: bool = False


@dataclass(frozen=True)
class MapNode:
    id: int
    title: str
    group: str
    size: float
    x: float
    y: float
    pinned: bool
    #: The full name (the drawing wraps it, see ``LABEL_CHARS``).
    name: str = ""


@dataclass(frozen=True)
class MapEdge:
    id: int
    source: int
    target: int
    directed: bool
    width: float
    conflict: bool
    title: str


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend. ``kind`` is "node", "tie", "arrow", "conflict", "width"
    or "co_participation"."""

    key: str
    label: str
    colour: str
    kind: str = "node"


@dataclass(frozen=True)
class MapView:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    legend: tuple[LegendEntry, ...]
    #: Actors left by the filters, before the cap.
    matching: int
    #: Actors of the program this user may see.
    total: int
    size_by: str
    colour_by: str
    #: Whether the co-participation layer is on, and its ties among the drawn actors.
    co_participation: bool = False
    co_ties: tuple[CoTie, ...] = ()

    @property
    def capped(self) -> bool:
        return len(self.nodes) < self.matching


def build_view(
    program: ProgramInfo,
    actors: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    measures: pd.DataFrame,
    positions: Mapping[int, tuple[float, float]],
    pinned: frozenset[int] = frozenset(),
    style: MapStyle = MapStyle(),
    total: int | None = None,
    co_participation: pd.DataFrame | None = None,
) -> MapView:
    """The drawing of filtered ``actors`` and ``ties`` (see :mod:`engagement.maps.filters`).

    ``measures`` has one row per actor (``id`` plus measure columns such as ``degree``
    and ``community``, see ``engagement.services.coalition.network.actor_measures``); an actor
    missing from it gets its degree among ``ties``. ``positions`` come from the stored
    layout; ``pinned`` ids were placed by a user. With ``style.co_participation``, the
    ``co_participation`` ties (``source``, ``target``, ``weight``) between drawn actors
    are added as a layer; they change no size, position or measure.
    """
    lang = style.lang
    values = _measure(actors, ties, measures, style.size_by)
    shown = _most_central(actors, values, style.max_nodes)
    ids = set(shown["id"].tolist())
    links = ties[ties["source"].isin(ids) & ties["target"].isin(ids)]
    groups, legend = _groups(program, shown, measures, style.colour_by, lang)
    sizes = _sizes(shown["id"].tolist(), values)
    names = dict(zip(shown["id"].astype(int), shown["name"].astype(str), strict=True))
    words = _Words.of(program, lang, style.size_by)
    nodes = tuple(
        MapNode(
            id=int(row["id"]),
            title=_node_title(words, row, values.get(int(row["id"]))),
            group=groups[int(row["id"])],
            size=sizes[int(row["id"])],
            x=positions.get(int(row["id"]), (0.0, 0.0))[0],
            y=positions.get(int(row["id"]), (0.0, 0.0))[1],
            pinned=int(row["id"]) in pinned,
            name=str(row["name"]),
        )
        for row in shown.sort_values("id").to_dict("records")
    )
    edges = tuple(_edge(words, row, names) for row in links.sort_values("id").to_dict("records"))
    legend = legend + _tie_legend(edges, lang)
    co_ties: tuple[CoTie, ...] = ()
    if style.co_participation:
        if co_participation is not None:
            co_ties = co_participation_layer(co_participation, ids, names, lang)
        legend += (_co_participation_legend(lang),)
    return MapView(
        nodes=nodes,
        edges=edges,
        legend=legend,
        matching=len(actors),
        total=len(actors) if total is None else total,
        size_by=style.size_by,
        colour_by=style.colour_by,
        co_participation=style.co_participation,
        co_ties=co_ties,
    )


def _measure(
    actors: pd.DataFrame, ties: pd.DataFrame, measures: pd.DataFrame, name: str
) -> dict[int, float]:
    """The sizing measure by actor; degree among the drawn ties when it is unknown."""
    degree: dict[int, float] = {}
    for a, b in zip(ties["source"].astype(int), ties["target"].astype(int), strict=True):
        degree[a] = degree.get(a, 0.0) + 1
        degree[b] = degree.get(b, 0.0) + 1
    known: dict[int, float] = {}
    if name in measures.columns:
        for actor, value in zip(measures["id"].astype(int), measures[name], strict=True):
            if not pd.isna(value):
                known[actor] = float(value)
    return {int(a): known.get(int(a), degree.get(int(a), 0.0)) for a in actors["id"].astype(int)}


def _most_central(actors: pd.DataFrame, values: Mapping[int, float], cap: int) -> pd.DataFrame:
    if len(actors) <= cap:
        return actors
    ranked = actors.assign(_value=actors["id"].map(values).fillna(0.0))
    ranked = ranked.sort_values(["_value", "id"], ascending=[False, True]).head(cap)
    return ranked.drop(columns="_value")


def _sizes(ids: list[int], values: Mapping[int, float]) -> dict[int, float]:
    found = [values.get(i, 0.0) for i in ids]
    low, high = (min(found), max(found)) if found else (0.0, 0.0)
    if high - low <= 1e-12:
        return {i: round((MIN_SIZE + MAX_SIZE) / 2.5, 1) for i in ids}
    return {
        i: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((v - low) / (high - low)), 1)
        for i, v in zip(ids, found, strict=True)
    }


def _groups(
    program: ProgramInfo, actors: pd.DataFrame, measures: pd.DataFrame, by: str, lang: str
) -> tuple[dict[int, str], tuple[LegendEntry, ...]]:
    """Each actor's colour group, and the legend of the groups present, in order."""
    ids = actors["id"].astype(int).tolist()
    if by == "community":
        return _community_groups(ids, measures, lang)
    if by == "engagement":
        levels = actors["engagement_current"].tolist()
        keys = {
            i: f"e{int(v)}" if not _missing(v) else "none" for i, v in zip(ids, levels, strict=True)
        }
        entries = [
            LegendEntry(f"e{level.value}", t(level.key, lang), ENGAGEMENT_COLOURS[level.value])
            for level in EngagementLevel
        ]
        entries.append(LegendEntry("none", t("network.legend.not_assessed", lang), NO_VALUE_COLOUR))
        return keys, tuple(e for e in entries if e.key in set(keys.values()))
    colours = sector_colours([s.key for s in program.sectors])
    sectors = actors["sector"].tolist()
    keys = {
        i: f"s:{s}" if isinstance(s, str) and s in colours else "none"
        for i, s in zip(ids, sectors, strict=True)
    }
    entries = [LegendEntry(f"s:{s.key}", s.label(lang), colours[s.key]) for s in program.sectors]
    entries.append(LegendEntry("none", t("network.legend.no_sector", lang), NO_VALUE_COLOUR))
    return keys, tuple(e for e in entries if e.key in set(keys.values()))


def _community_groups(
    ids: list[int], measures: pd.DataFrame, lang: str
) -> tuple[dict[int, str], tuple[LegendEntry, ...]]:
    number: dict[int, int] = {}
    if "community" in measures.columns:
        for actor, value in zip(measures["id"].astype(int), measures["community"], strict=True):
            if not pd.isna(value):
                number[actor] = int(value)
    keys: dict[int, str] = {}
    for i in ids:
        c = number.get(i)
        keys[i] = "none" if c is None else (f"c{c}" if c <= COMMUNITY_COLOURS else "c_other")
    present = set(keys.values())
    entries = [
        LegendEntry(f"c{c}", t("network.legend.community", lang, number=c), TOL_MUTED[c - 1])
        for c in range(1, COMMUNITY_COLOURS + 1)
        if f"c{c}" in present
    ]
    if "c_other" in present:
        entries.append(
            LegendEntry("c_other", t("network.legend.other_communities", lang), "#BBBBBB")
        )
    if "none" in present:
        entries.append(LegendEntry("none", t("network.legend.no_community", lang), NO_VALUE_COLOUR))
    return keys, tuple(entries)


def _tie_legend(edges: tuple[MapEdge, ...], lang: str) -> tuple[LegendEntry, ...]:
    entries = [LegendEntry("tie", t("network.legend.tie", lang), TIE_COLOUR, "tie")]
    if any(e.directed for e in edges):
        entries.append(
            LegendEntry("arrow", t("network.legend.directed", lang), TIE_COLOUR, "arrow")
        )
    if any(e.conflict for e in edges):
        entries.append(
            LegendEntry("conflict", t("network.legend.conflict", lang), CONFLICT_COLOUR, "conflict")
        )
    entries.append(LegendEntry("width", t("network.legend.width", lang), TIE_COLOUR, "width"))
    return tuple(entries)


def _co_participation_legend(lang: str) -> LegendEntry:
    label = t("network.legend.co_participation", lang)
    return LegendEntry("co_participation", label, CO_PARTICIPATION_COLOUR, "co_participation")


@dataclass(frozen=True)
class _Words:
    """Every translated word a tooltip needs, looked up once per view (not per actor)."""

    lang: str
    sectors: Mapping[str, str]
    tie_types: Mapping[str, str]
    strengths: Mapping[int, str]
    levels: Mapping[int, str]
    measure: str
    not_assessed: str

    @classmethod
    def of(cls, program: ProgramInfo, lang: str, size_by: str) -> _Words:
        return cls(
            lang=lang,
            sectors={s.key: s.label(lang) for s in program.sectors},
            tie_types={tt.key: tt.label(lang) for tt in program.tie_types},
            strengths={n: t(f"network.strength.{n}", lang) for n in (1, 2, 3)},
            levels={level.value: t(level.key, lang) for level in EngagementLevel},
            measure=t(f"analysis.column.{size_by}", lang),
            not_assessed=t("network.legend.not_assessed", lang),
        )

    def level(self, value: Any) -> str:
        return "—" if _missing(value) else self.levels.get(int(value), "—")


def _edge(words: _Words, row: Mapping[Any, Any], names: Mapping[int, str]) -> MapEdge:
    source, target = int(row["source"]), int(row["target"])
    directed = bool(row["directed"])
    strength = int(row["strength"]) if not _missing(row["strength"]) else 2
    kind = str(row["tie_type"])
    lines = [
        f"{names[source]} {'→' if directed else '—'} {names[target]}",
        t(
            "network.tip.tie",
            words.lang,
            type=words.tie_types.get(kind, kind),
            strength=words.strengths.get(strength, ""),
        ),
    ]
    valid_from, valid_to = _date(row.get("valid_from")), _date(row.get("valid_to"))
    if valid_from or valid_to:
        lines.append(
            t("network.tip.valid", words.lang, start=valid_from or "…", end=valid_to or "…")
        )
    note = str(row.get("note") or "").strip() if not _missing(row.get("note")) else ""
    if note:
        lines.append(shorten(note, NOTE_LENGTH))
    return MapEdge(
        id=int(row["id"]),
        source=source,
        target=target,
        directed=directed,
        width=WIDTHS.get(strength, WIDTHS[2]),
        conflict=bool(row["negative"]),
        title="\n".join(lines),
    )


def _node_title(words: _Words, row: Mapping[Any, Any], value: float | None) -> str:
    lang = words.lang
    lines = [str(row["name"])]
    sector = row.get("sector")
    label = words.sectors.get(sector, "—") if isinstance(sector, str) else "—"
    lines.append(t("network.tip.sector", lang, sector=label))
    if not _missing(row.get("power")):
        lines.append(t("network.tip.scores", lang, power=row["power"], interest=row["interest"]))
        current, desired = row.get("engagement_current"), row.get("engagement_desired")
        lines.append(
            t(
                "network.tip.engagement",
                lang,
                current=words.level(current),
                desired=words.level(desired),
            )
        )
    else:
        lines.append(words.not_assessed)
    if value is not None:
        lines.append(f"{words.measure}: {_number(value)}")
    tags = row.get("tags")
    if isinstance(tags, tuple | list) and len(tags):
        lines.append(t("network.tip.tags", lang, tags=", ".join(str(x) for x in tags)))
    description = row.get("description")
    if isinstance(description, str) and description.strip():
        lines.append(shorten(description.strip(), NOTE_LENGTH))
    return "\n".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def _date(value: Any) -> str:
    if _missing(value) or not hasattr(value, "isoformat"):
        return ""
    return str(value.isoformat())


def _missing(value: Any) -> bool:
    """None, NaN, NA or NaT (a tuple or list is never missing)."""
    if value is None:
        return True
    if isinstance(value, tuple | list):
        return False
    return bool(pd.isna(value))
