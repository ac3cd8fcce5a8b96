"""Which sheet holds what, and which column is which field, in either language.

A sheet is recognised by its name (``Actores``/``Actors``/Kumu's ``Elements``…) or, when
the name says nothing (a CSV file), by its header: ``Label`` or ``Name`` → actors,
``From`` and ``To`` → ties, ``Actor`` with ``Stage`` or ``Power`` → assessments. Column
headers are matched ignoring case, accents and spaces, in Spanish or English, in our
template's wording or Kumu's.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Literal

from engagement.i18n import LANGUAGES, has, t
from engagement.text import name_key

Kind = Literal["actors", "ties", "assessments"]
KINDS: tuple[Kind, ...] = ("actors", "ties", "assessments")

#: The columns of our template, in order.
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "actors": (
        "name", "sector", "description", "tags", "territory", "website", "contact_name",
        "contact_email", "contact_phone", "consent_to_contact", "confidentiality",
        "last_verified", "external_id",
    ),
    "ties": (
        "source", "target", "tie_type", "direction", "strength", "valid_from", "valid_to",
        "source_info", "note", "tags", "external_id",
    ),
    "assessments": (
        "actor", "stage", "assessed_on", "assessor", "power", "interest", "legitimacy",
        "urgency", "engagement_current", "engagement_desired", "participation_target", "note",
    ),
}  # fmt: skip

#: Kumu's own column names for the fields it knows.
KUMU: dict[Kind, dict[str, str]] = {
    "actors": {
        "name": "Label",
        "sector": "Type",
        "description": "Description",
        "tags": "Tags",
        "external_id": "ID",
    },
    "ties": {
        "source": "From",
        "target": "To",
        "tie_type": "Type",
        "direction": "Direction",
        "strength": "Strength",
        "note": "Description",
        "tags": "Tags",
        "external_id": "ID",
    },
    "assessments": {},
}

#: Other wordings people use, beyond the catalog's field labels and Kumu's names.
_SYNONYMS: dict[Kind, dict[str, tuple[str, ...]]] = {
    "actors": {
        "name": ("label", "name", "nombre", "actor", "organización", "organization", "etiqueta"),
        "sector": ("type", "tipo", "sector", "categoría", "category"),
        "description": ("description", "descripción"),
        "tags": ("tags", "etiquetas", "tag"),
        "territory": ("territory", "territorio", "zona", "zone"),
        "website": ("website", "web", "url", "sitio web", "página web", "sitio"),
        "contact_name": ("contact", "contacto", "contact person", "contact name"),
        "contact_email": ("email", "e-mail", "correo", "correo electrónico"),
        "contact_phone": ("phone", "teléfono", "telefono", "celular"),
        "consent_to_contact": ("consent", "consentimiento", "consent to contact"),
        "confidentiality": ("confidentiality", "confidencialidad"),
        "last_verified": ("last verified", "verificado", "última verificación"),
        "external_id": ("id", "kumu id"),
    },
    "ties": {
        "source": ("from", "desde", "de", "origen", "source"),
        "target": ("to", "hacia", "a", "destino", "target", "para"),
        "tie_type": ("type", "tipo", "relationship type", "tie type", "tipo de relación"),
        "direction": ("direction", "dirección"),
        "directed": ("directed", "dirigido"),
        "strength": ("strength", "fuerza", "intensidad", "weight", "peso"),
        "valid_from": ("valid from", "desde fecha", "vigente desde", "start date"),
        "valid_to": ("valid to", "hasta fecha", "vigente hasta", "end date"),
        "source_info": ("fuente", "source of information", "source info"),
        "note": ("description", "descripción", "note", "notes", "nota", "notas"),
        "tags": ("tags", "etiquetas", "tag"),
        "external_id": ("id", "kumu id"),
    },
    "assessments": {
        "actor": ("actor", "label", "name", "nombre"),
        "stage": ("stage", "etapa", "fase", "phase"),
        "assessed_on": ("date", "fecha", "assessed on", "fecha de evaluación"),
        "assessor": ("assessor", "evaluador", "evaluadora", "evaluado por"),
        "power": ("power", "poder"),
        "interest": ("interest", "interés"),
        "legitimacy": ("legitimacy", "legitimidad"),
        "urgency": ("urgency", "urgencia"),
        "engagement_current": ("current engagement", "engagement", "compromiso actual"),
        "engagement_desired": ("desired engagement", "compromiso deseado"),
        "participation_target": ("participation", "participación", "participation level"),
        "note": ("note", "nota", "notes", "notas", "comment", "comentario"),
    },
}

_SHEET_NAMES: dict[Kind, tuple[str, ...]] = {
    "actors": ("actors", "actores", "elements", "elementos", "actor"),
    "ties": (
        "relationships",
        "vínculos",
        "vinculos",
        "connections",
        "conexiones",
        "ties",
        "relaciones",
    ),
    "assessments": ("assessments", "evaluaciones", "valoraciones", "assessment"),
}
_KUMU_SHEETS = ("elements", "connections")


def header(kind: Kind, field: str, lang: str) -> str:
    """Our template's header for ``field`` in ``lang`` (Kumu's ``ID`` for identifiers)."""
    if field == "external_id":
        return "ID"
    key = f"io.column.{field}"
    return t(key, lang) if has(key, lang) else t(f"field.{field}", lang)


def sheet_title(kind: Kind, lang: str) -> str:
    return t(f"io.sheet.{kind}", lang)


@cache
def aliases(kind: Kind) -> dict[str, str]:
    """Every accepted header (folded) → field, for one kind of sheet."""
    table: dict[str, str] = {}
    for field, words in _SYNONYMS[kind].items():
        names = [*words, *(header(kind, field, lang) for lang in LANGUAGES)]
        for name in names:
            table.setdefault(name_key(name), field)
    return table


def fields_of(kind: Kind, headers: Sequence[str]) -> tuple[str | None, ...]:
    """The field each header designates (``None``: not one of ours), first one wins."""
    table, seen = aliases(kind), set()
    out: list[str | None] = []
    for raw in headers:
        field = table.get(name_key(raw))
        out.append(field if field not in seen else None)
        if field:
            seen.add(field)
    return tuple(out)


def kind_of_sheet(name: str) -> Kind | None:
    folded = name_key(name)
    return next((k for k in KINDS if folded in {name_key(n) for n in _SHEET_NAMES[k]}), None)


def is_kumu_sheet(name: str) -> bool:
    return name_key(name) in _KUMU_SHEETS


def kind_of_header(headers: Iterable[str]) -> Kind | None:
    """What a header says a table holds, or None."""
    heads = list(headers)
    ties = set(fields_of("ties", heads))
    if {"source", "target"} <= ties:
        return "ties"
    scores = set(fields_of("assessments", heads))
    if "actor" in scores and scores & {"stage", "power", "interest"}:
        return "assessments"
    if "name" in set(fields_of("actors", heads)):
        return "actors"
    return None


def close_header(kind: Kind, raw: str, taken: Iterable[str]) -> str | None:
    """An accepted header that ``raw`` looks like a misspelling of, or None.

    Only headers of fields the sheet does not have yet are offered (``sectr`` beside a
    ``Sector`` column is some other column).
    """
    folded = name_key(raw)
    if len(folded) < 3:
        return None
    used = set(taken)
    candidates = [alias for alias, field in aliases(kind).items() if field not in used]
    found = difflib.get_close_matches(folded, candidates, n=1, cutoff=0.8)
    return found[0] if found else None
