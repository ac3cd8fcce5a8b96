"""Rows of an imported sheet turned into checked values, before any database lookup.

Each row becomes one record holding the fields it sets (a column absent from the file
changes nothing on re-import), the list names it uses (sector, tie type, stage, actors)
and its problems, named by sheet, row and the column header as written in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from engagement.errors import Problem
from engagement.frameworks import EngagementLevel, ParticipationLevel
from engagement.i18n import LANGUAGES, t
from engagement.io.cells import as_bool, as_direction, as_int, as_text, is_blank
from engagement.io.readers import Sheet
from engagement.services.registry.actors import clean_actor_fields
from engagement.services.registry.relationships import clean_relationship_fields
from engagement.services.validation import clean_date, int_rule, text_rule
from engagement.text import clean_name, name_key, split_multi


@dataclass
class ActorRow:
    sheet: str
    row: int
    fields: dict[str, Any]
    sector: str | None
    custom: dict[str, Any]
    #: Custom-field columns left blank in this row (their value is removed on update).
    blank_custom: list[str]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class TieRow:
    sheet: str
    row: int
    sources: list[str]
    targets: list[str]
    tie_type: str
    fields: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class AssessmentRow:
    sheet: str
    row: int
    actor: str
    stage: str
    fields: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def _cells(sheet: Sheet) -> Iterator[tuple[int, dict[str, Any]]]:
    present = [(i, f) for i, f in enumerate(sheet.fields) if f is not None]
    for number, values in zip(sheet.row_numbers, sheet.rows, strict=True):
        yield number, {f: values[i] for i, f in present}


def _placed(sheet: Sheet, row: int, problems: list[Problem]) -> list[Problem]:
    """Problems found on canonical fields, renamed to the file's header and placed."""
    if not problems:
        return []
    return [Problem(sheet.header_of(p.field), p.code, p.params, sheet.name, row) for p in problems]


def _text(raw: dict[str, Any], name: str) -> dict[str, Any]:
    return {name: as_text(raw[name])} if name in raw else {}


_CONFIDENTIALITY = {
    "normal": "normal",
    "publico": "normal",
    "public": "normal",
    "restricted": "restricted",
    "restringido": "restricted",
    "restringida": "restricted",
    "confidencial": "restricted",
    "confidential": "restricted",
    "": "normal",
}


def actor_rows(sheet: Sheet) -> list[ActorRow]:
    custom_cols = [
        (i, h)
        for i, (h, f) in enumerate(zip(sheet.headers, sheet.fields, strict=True))
        if not f and h
    ]
    out = []
    for (row, raw), values in zip(_cells(sheet), sheet.rows, strict=True):
        fields: dict[str, Any] = {}
        problems: list[Problem] = []
        for name in (
            "name", "description", "tags", "territory", "website", "contact_name",
            "contact_email", "contact_phone",
        ):  # fmt: skip
            fields |= _text(raw, name)
        if "last_verified" in raw:
            fields["last_verified"] = raw["last_verified"]
        if "consent_to_contact" in raw:
            try:
                fields["consent_to_contact"] = as_bool(raw["consent_to_contact"])
            except ValueError:
                problems.append(
                    Problem(
                        "consent_to_contact",
                        "bad_bool",
                        {"value": as_text(raw["consent_to_contact"])},
                    )
                )
        if "confidentiality" in raw:
            value = as_text(raw["confidentiality"])
            fields["confidentiality"] = _confidentiality(value)
        external = as_text(raw.get("external_id"))
        if "external_id" in raw:
            fields["external_id"] = external or None
        tags = fields.pop("tags", None)
        cleaned, found = clean_actor_fields(fields)
        if tags is not None:
            cleaned["tags"] = list(_tags(tags))
        if "name" not in raw:
            found.append(Problem("name", "missing_column"))
        custom = {h: _json_value(values[i]) for i, h in custom_cols if not is_blank(values[i])}
        blank = [h for i, h in custom_cols if is_blank(values[i])]
        sector = as_text(raw["sector"]) if "sector" in raw else None
        out.append(
            ActorRow(
                sheet.name,
                row,
                cleaned,
                sector,
                custom,
                blank,
                _placed(sheet, row, problems + found),
            )
        )
    return out


def _confidentiality(value: str) -> str:
    found = _CONFIDENTIALITY.get(name_key(value))
    if found:
        return found
    for lang in LANGUAGES:
        for key in ("normal", "restricted"):
            if name_key(t(f"confidentiality.{key}", lang)) == name_key(value):
                return key
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, bool | int | str):
        return as_text(value) if isinstance(value, str) else value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return as_text(value)


def tie_rows(sheet: Sheet) -> list[TieRow]:
    """Ties, checked with the registry's rules (tie files are long: blank cells cost nothing)."""
    at = {f: i for i, f in enumerate(sheet.fields) if f is not None}
    out = []
    for row, values in zip(sheet.row_numbers, sheet.rows, strict=True):
        problems: list[Problem] = []
        sources = list(_names(as_text(values[at["source"]]))) if "source" in at else []
        targets = list(_names(as_text(values[at["target"]]))) if "target" in at else []
        if not sources:
            problems.append(Problem("source", "required"))
        if not targets:
            problems.append(Problem("target", "required"))
        fields = _tie_fields(values, at, problems)
        tie_type = as_text(values[at["tie_type"]]) if "tie_type" in at else ""
        out.append(
            TieRow(
                sheet.name,
                row,
                sources,
                targets,
                tie_type,
                fields,
                _placed(sheet, row, problems),
            )
        )
    return out


def _tie_fields(
    values: tuple[Any, ...], at: dict[str, int], problems: list[Problem]
) -> dict[str, Any]:
    """The tie fields a row sets (absent columns set nothing), as the registry cleans them."""
    fields: dict[str, Any] = {}
    if "direction" in at:
        try:
            fields["directed"] = as_direction(values[at["direction"]])
        except ValueError:
            problems.append(
                Problem("direction", "bad_direction", {"value": as_text(values[at["direction"]])})
            )
    elif "directed" in at and not is_blank(values[at["directed"]]):
        try:
            fields["directed"] = as_bool(values[at["directed"]])
        except ValueError:
            problems.append(
                Problem("directed", "bad_bool", {"value": as_text(values[at["directed"]])})
            )
    if "strength" in at and not is_blank(values[at["strength"]]):
        strength = _whole(values[at["strength"]], "strength", 1, 3, problems)
        if strength is not None:
            fields["strength"] = strength
    dated: dict[str, Any] = {}
    for name in ("valid_from", "valid_to"):
        if name in at:
            if is_blank(values[at[name]]):
                fields[name] = None
            else:
                dated[name] = values[at[name]]
    for name in ("source_info", "note"):
        if name in at:
            text = as_text(values[at[name]])
            fields[name] = text
            if len(text) > 5000:
                problems.append(Problem(name, "too_long", {"max": 5000}))
    if "tags" in at:
        text = as_text(values[at["tags"]])
        fields["tags"] = list(_tags(text))
    if "external_id" in at:
        fields["external_id"] = as_text(values[at["external_id"]]) or None
    if dated:
        cleaned, found = clean_relationship_fields(
            {k: fields.get(k, dated.get(k)) for k in ("valid_from", "valid_to") if k in at}
        )
        fields |= cleaned
        problems += found
    return fields


@lru_cache(maxsize=1 << 14)
def _tags(text: str) -> tuple[str, ...]:
    """A tags cell split as the registry splits it (the same cells repeat down a sheet)."""
    return tuple(split_multi(text)) if text else ()


@lru_cache(maxsize=1 << 16)
def _names(text: str) -> tuple[str, ...]:
    """Names in a From/To cell; several are separated by ``|``. (Names repeat down a
    sheet of ties, hence the cache.)"""
    if "|" in text:
        return tuple(split_multi(text))
    name = clean_name(text)
    return (name,) if name else ()


def _whole(value: Any, name: str, low: int, high: int, problems: list[Problem]) -> int | None:
    try:
        number = as_int(value)
    except ValueError:
        problems.append(Problem(name, "bad_number", {"value": as_text(value)}))
        return None
    found = int_rule(name, number, low, high)
    problems += found
    return None if found else number


@cache
def _levels(kind: str) -> dict[str, int]:
    members: list[EngagementLevel] | list[ParticipationLevel] = (
        list(EngagementLevel) if kind == "engagement" else list(ParticipationLevel)
    )
    table = {}
    for level in members:
        table[name_key(level.name)] = int(level)
        for lang in LANGUAGES:
            table[name_key(t(level.key, lang))] = int(level)
    return table


def _level(value: Any, name: str, kind: str, problems: list[Problem]) -> int | None:
    found = _levels(kind).get(name_key(as_text(value)))
    if found is not None:
        return found
    return _whole(value, name, 1, 5, problems)


_SCORES: dict[str, Callable[[Any, str, list[Problem]], int | None]] = {
    "power": lambda v, n, p: _whole(v, n, 1, 5, p),
    "interest": lambda v, n, p: _whole(v, n, 1, 5, p),
    "engagement_current": lambda v, n, p: _level(v, n, "engagement", p),
    "engagement_desired": lambda v, n, p: _level(v, n, "engagement", p),
    "participation_target": lambda v, n, p: _level(v, n, "participation", p),
}


def assessment_rows(sheet: Sheet) -> list[AssessmentRow]:
    out = []
    for row, raw in _cells(sheet):
        problems: list[Problem] = []
        fields: dict[str, Any] = {}
        actor, stage = as_text(raw.get("actor")), as_text(raw.get("stage"))
        problems += [Problem("actor", "required")] if not actor else []
        problems += [Problem("stage", "required")] if not stage else []
        for name, parse in _SCORES.items():
            if is_blank(raw.get(name)):
                problems.append(Problem(name, "required"))
            else:
                fields[name] = parse(raw[name], name, problems)
        for name in ("legitimacy", "urgency"):
            try:
                fields[name] = as_bool(raw.get(name))
            except ValueError:
                problems.append(Problem(name, "bad_bool", {"value": as_text(raw[name])}))
        if is_blank(raw.get("assessed_on")):
            problems.append(Problem("assessed_on", "required"))
        else:
            fields["assessed_on"], found = clean_date(
                "assessed_on", raw["assessed_on"], not_future=True
            )
            problems += found
        fields["assessor"] = as_text(raw.get("assessor"))
        fields["note"] = as_text(raw.get("note"))
        problems += text_rule("assessor", fields["assessor"], max_len=200)
        problems += text_rule("note", fields["note"], max_len=5000)
        out.append(
            AssessmentRow(sheet.name, row, actor, stage, fields, _placed(sheet, row, problems))
        )
    return out
