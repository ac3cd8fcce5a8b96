"""Table shaping for the actor and tie registries: filters and display frames.

Pure pandas: these functions take frames and plain values and return frames, so they run
and are tested without Streamlit. Labels come in the language passed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from engagement.frameworks import EngagementLevel
from engagement.i18n import t
from engagement.model import ActorInfo, ProgramInfo
from engagement.palette import sector_colours
from engagement.text import name_key
from engagement.values import Confidentiality

#: Filter value that stands for "actors without a sector".
NO_SECTOR = -1


@dataclass(frozen=True)
class ActorFilter:
    """What the user asked to see in the actor registry."""

    search: str = ""
    sectors: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()


@dataclass(frozen=True)
class TieFilter:
    """What the user asked to see in the tie registry."""

    tie_types: tuple[int, ...] = ()
    actors: tuple[int, ...] = ()
    strengths: tuple[int, ...] = ()
    on_date: dt.date | None = None


def tag_options(frame: pd.DataFrame) -> list[str]:
    """Every tag used in ``frame`` once (ignoring case and accents), sorted."""
    seen: dict[str, str] = {}
    for tags in frame["tags"]:
        for tag in tags or ():
            seen.setdefault(name_key(tag), tag)
    return sorted(seen.values(), key=name_key)


def territory_options(frame: pd.DataFrame) -> list[str]:
    seen: dict[str, str] = {}
    for value in frame["territory"]:
        if isinstance(value, str) and value.strip():
            seen.setdefault(name_key(value), value)
    return sorted(seen.values(), key=name_key)


def filter_actors(frame: pd.DataFrame, wanted: ActorFilter) -> pd.DataFrame:
    """Rows of ``frame`` that match every filter; search ignores case and accents."""
    keep = pd.Series(True, index=frame.index)
    needle = name_key(wanted.search)
    if needle:
        text = frame["name"].fillna("") + " " + frame["description"].fillna("")
        keep &= text.map(lambda value: needle in name_key(str(value)))
    if wanted.sectors:
        sector = frame["sector_id"].map(lambda v: NO_SECTOR if pd.isna(v) else int(v))
        keep &= sector.isin(wanted.sectors)
    if wanted.tags:
        chosen = {name_key(tag) for tag in wanted.tags}
        keep &= frame["tags"].map(lambda tags: bool(chosen & {name_key(x) for x in tags or ()}))
    if wanted.territories:
        places = {name_key(place) for place in wanted.territories}
        keep &= frame["territory"].map(lambda v: name_key(str(v or "")) in places)
    return frame[keep]


def actor_from_row(row: Any, program_id: int) -> ActorInfo:
    """One row of the actors frame (as this user may see it) as an ActorInfo."""

    def value(name: str) -> Any:
        item = row[name]
        return None if not isinstance(item, list | tuple | dict) and pd.isna(item) else item

    sector = value("sector_id")
    return ActorInfo(
        id=int(row["id"]), program_id=program_id, name=str(row["name"]),
        sector_id=None if sector is None else int(sector), sector_key=value("sector_key"),
        description=value("description") or "", tags=tuple(value("tags") or ()),
        territory=value("territory") or "", website=value("website") or "",
        contact_name=value("contact_name") or "", contact_email=value("contact_email") or "",
        contact_phone=value("contact_phone") or "",
        consent_to_contact=bool(value("consent_to_contact")),
        confidentiality=Confidentiality(row["confidentiality"]),
        last_verified=value("last_verified"),
        custom_fields=dict(value("custom_fields") or {}), external_id=value("external_id"),
        version=int(row["version"]), deleted=bool(row["deleted"]),
    )  # fmt: skip


def one_item_lists(values: list[Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """``[[v] for v in values]`` as an object array: a chip column, built several times
    faster than from a list of lists (which pandas inspects element by element)."""
    cells = np.empty(len(values), dtype=object)
    for position, value in enumerate(values):
        cells[position] = [value]
    return cells


def sector_names(program: ProgramInfo, lang: str) -> dict[int, str]:
    return {s.id: s.label(lang) for s in program.sectors}


def sector_colour_by_id(program: ProgramInfo) -> dict[int, str]:
    """The shared palette's colour of each sector of the program, by sector id."""
    by_key = sector_colours([s.key for s in program.sectors])
    return {s.id: by_key[s.key] for s in program.sectors}


def sector_chips(program: ProgramInfo, lang: str) -> tuple[list[str], list[str]]:
    """Sector labels and their palette colours, in step, for coloured table chips."""
    colours = sector_colour_by_id(program)
    names = [s.label(lang) for s in program.sectors] + [t("actors.no_sector", lang)]
    return names, [colours[s.id] for s in program.sectors] + ["#BBBBBB"]


def current_levels(history: pd.DataFrame) -> pd.DataFrame:
    """Latest assessment date and engagement level per actor (history is oldest first)."""
    latest = history.drop_duplicates("actor_id", keep="last")
    return latest[["actor_id", "assessed_on", "engagement_current"]].set_index("actor_id")


def actor_rows(
    frame: pd.DataFrame, history: pd.DataFrame, program: ProgramInfo, lang: str
) -> pd.DataFrame:
    """The actor registry as the user reads it: one row per actor, labels translated."""
    names = sector_names(program, lang)
    latest = current_levels(history)
    engagement = dict(zip(latest.index, latest["engagement_current"], strict=True))
    assessed = dict(zip(latest.index, latest["assessed_on"], strict=True))
    ids = frame["id"].astype(int).tolist()
    levels = {level: _level_label(level, lang) for level in set(engagement.values())}
    confidentiality = {v: t(f"confidentiality.{v}", lang) for v in set(frame["confidentiality"])}
    return pd.DataFrame(
        {
            "id": ids,
            "name": frame["name"].tolist(),
            # A one-item list, so tables can show it as a chip in the sector's colour.
            "sector": one_item_lists([_sector_label(v, names, lang) for v in frame["sector_id"]]),
            "territory": frame["territory"].tolist(),
            "tags": [list(tags or ()) for tags in frame["tags"]],
            "engagement": [
                levels[engagement[i]] if i in engagement else _level_label(None, lang) for i in ids
            ],
            "assessed_on": [assessed.get(i) for i in ids],
            "confidentiality": [confidentiality[v] for v in frame["confidentiality"]],
            "last_verified": frame["last_verified"].tolist(),
        }
    )


def _sector_label(sector_id: Any, names: dict[int, str], lang: str) -> str:
    if sector_id is None or pd.isna(sector_id):
        return t("actors.no_sector", lang)
    return names.get(int(sector_id), "?")


def _level_label(level: Any, lang: str) -> str:
    if level is None or pd.isna(level):
        return t("actors.not_assessed", lang)
    return t(EngagementLevel(int(level)).key, lang)


def filter_ties(frame: pd.DataFrame, wanted: TieFilter) -> pd.DataFrame:
    """Ties matching every filter; ``on_date`` keeps ties valid on that day."""
    keep = pd.Series(True, index=frame.index)
    if wanted.tie_types:
        keep &= frame["tie_type_id"].isin(wanted.tie_types)
    if wanted.actors:
        keep &= frame["source_id"].isin(wanted.actors) | frame["target_id"].isin(wanted.actors)
    if wanted.strengths:
        keep &= frame["strength"].isin(wanted.strengths)
    if wanted.on_date is not None:
        day = wanted.on_date
        keep &= frame["valid_from"].map(lambda d: _empty(d) or d <= day)
        keep &= frame["valid_to"].map(lambda d: _empty(d) or d >= day)
    return frame[keep]


def _empty(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def direction_arrow(directed: bool) -> str:
    return "→" if directed else "↔"


def tie_rows(
    frame: pd.DataFrame, program: ProgramInfo, lang: str, *, chips: bool = False
) -> pd.DataFrame:
    """The tie registry as the user reads it, labels translated. With ``chips``, the two
    actors and the type are one-item lists, for tables that show them as coloured chips."""
    types = {tie.id: tie.label(lang) for tie in program.tie_types}

    def cells(values: list[Any]) -> Any:
        return one_item_lists(values) if chips else values

    return pd.DataFrame(
        {
            "id": frame["id"].astype(int).tolist(),
            "source": cells(frame["source"].tolist()),
            "direction": [direction_arrow(bool(v)) for v in frame["directed"]],
            "tie_type": cells([types.get(int(v), "?") for v in frame["tie_type_id"]]),
            "target": cells(frame["target"].tolist()),
            "strength": frame["strength"].astype(int).tolist(),
            "negative": frame["negative"].astype(bool).tolist(),
            "valid_from": frame["valid_from"].tolist(),
            "valid_to": frame["valid_to"].tolist(),
            "source_info": frame["source_info"].tolist(),
            "note": frame["note"].tolist(),
        }
    )


def tie_label(row: Any, program: ProgramInfo, lang: str) -> str:
    """ "A → collaborates with → B" for one tie row (a frame row or a mapping)."""
    types = {tie.id: tie.label(lang) for tie in program.tie_types}
    arrow = direction_arrow(bool(row["directed"]))
    kind = types.get(int(row["tie_type_id"]), "?")
    return f"{row['source']} {arrow} {kind} {arrow} {row['target']}"


def tie_labels(ties: pd.DataFrame, program: ProgramInfo, lang: str) -> dict[int, str]:
    """:func:`tie_label` of every tie, by id (without a Python loop over rows)."""
    types = {tie.id: tie.label(lang) for tie in program.tie_types}
    arrows = ties["directed"].map(lambda d: direction_arrow(bool(d)))
    kinds = ties["tie_type_id"].map(lambda v: types.get(int(v), "?"))
    text = ties["source"] + " " + arrows + " " + kinds + " " + arrows + " " + ties["target"]
    return dict(zip(ties["id"].astype(int), text, strict=True))


def actor_ties(ties: pd.DataFrame, actor_id: int, program: ProgramInfo, lang: str) -> pd.DataFrame:
    """The ties of one actor seen from that actor: way, the other actor, type, strength."""
    types = {tie.id: tie.label(lang) for tie in program.tie_types}
    mine = ties[(ties["source_id"] == actor_id) | (ties["target_id"] == actor_id)]
    outgoing = mine["source_id"] == actor_id
    return pd.DataFrame(
        {
            "way": [
                "↔" if not directed else ("→" if out else "←")
                for directed, out in zip(mine["directed"], outgoing, strict=True)
            ],
            "other": [
                tgt if out else src
                for src, tgt, out in zip(mine["source"], mine["target"], outgoing, strict=True)
            ],
            "tie_type": [types.get(int(v), "?") for v in mine["tie_type_id"]],
            "strength": mine["strength"].astype(int).tolist(),
            "negative": mine["negative"].astype(bool).tolist(),
            "valid_from": mine["valid_from"].tolist(),
            "valid_to": mine["valid_to"].tolist(),
        }
    )
