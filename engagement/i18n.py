"""Translation catalog: every user-facing string goes through :func:`t`.

Catalogs live in ``engagement/locales/<lang>/*.json``. Each file holds flat dotted keys
for one area (``actors.json`` holds ``actors.*``); files are merged per language and a key
defined twice is an error, so areas can grow independently. Spanish is the default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from engagement.errors import EngagementError, Problem

LANGUAGES: tuple[str, ...] = ("es", "en")
DEFAULT_LANGUAGE = "es"
_LOCALES = Path(__file__).parent / "locales"


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """Return the merged catalog for ``lang``; raise ValueError on a duplicate key."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    merged: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for key, value in entries.items():
            if key in merged:
                raise ValueError(f"{lang}: key {key!r} defined twice ({path.name})")
            merged[key] = value
    return merged


def has(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return key in catalog(lang)


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``params``.

    When ``count`` is 1 and the catalog has ``<key>.one``, that singular text is used
    ("1 actor en el mapa", not "1 actores"). A key missing from the catalog comes back
    as the key itself, so a gap is visible without breaking the page (the contract tests
    keep the catalogs complete).

    Examples
    --------
    >>> t("grid.count", "es", count=1), t("grid.count", "es", count=3)
    ('1 actor en el mapa.', '3 actores en el mapa.')
    """
    texts = catalog(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    if params.get("count") == 1 and f"{key}.one" in texts:
        key = f"{key}.one"
    text = texts.get(key, key)
    return text.format_map(_Params(params)) if params else text


def grouped(value: int) -> str:
    """A whole number with its thousands grouped as Mexico, Guatemala and English write
    them, in both languages: a comma (the decimal mark shown beside it is a point).

    >>> grouped(1236), grouped(987)
    ('1,236', '987')
    """
    return f"{value:,}"


def describe_problem(problem: Problem, lang: str = DEFAULT_LANGUAGE) -> str:
    """One line naming where a problem is (sheet, row, column) and what is wrong."""
    params = {k: _localised(v, lang) for k, v in problem.params.items()}
    cause = t(f"problem.{problem.code}", lang, **params)
    column = (
        t(f"field.{problem.field}", lang) if has(f"field.{problem.field}", lang) else problem.field
    )
    if problem.sheet and problem.row is not None:
        where = t("problem.where_row", lang, sheet=problem.sheet, row=problem.row, column=column)
    elif problem.row is not None:
        where = t("problem.where_row_nosheet", lang, row=problem.row, column=column)
    else:
        where = t("problem.where_field", lang, column=column)
    return f"{where}: {cause}"


def describe_error(error: EngagementError, lang: str = DEFAULT_LANGUAGE) -> str:
    """Turn any error of the family into one translated sentence."""
    params = {k: _localised(v, lang) for k, v in error.params.items()}
    return t(f"error.{error.code}", lang, **params)


def _localised(value: Any, lang: str) -> Any:
    """Entity names such as ``actor`` in params are translated when the catalog has them."""
    if isinstance(value, str) and has(f"entity.{value}", lang):
        return t(f"entity.{value}", lang)
    return value
