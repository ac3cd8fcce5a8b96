"""Export a program: our template (XLSX, CSV), Kumu, GEXF, GraphML, JSON backup.

``export_program(db, program_id, fmt, by=..., lang=...)`` returns ``(filename, bytes,
mime)`` ready for a download button or a file. Names of list entries (sector, tie type,
stage) are written in ``lang``; importing accepts either language, so every export
re-imports unchanged. Every export is marked with the program, the date and time and who
produced it (:mod:`engagement.io.marks`). Empty templates come from
:func:`template_xlsx` and :func:`template_csvs`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from engagement.errors import PermissionDenied, UnknownFormat
from engagement.i18n import t
from engagement.io import columns, graphs, writers
from engagement.io.marks import TOOL, ExportMark
from engagement.io.writers import Table
from engagement.model import Principal, ProgramInfo, Term
from engagement.services.access import permissions
from engagement.services.exchange import backup
from engagement.services.registry import assessments
from engagement.services.registry.terms import slug
from engagement.services.view import ProgramView, program_view
from engagement.storage.db import Database

FORMATS = ("xlsx", "csv", "kumu", "gexf", "graphml", "json")
PERSONAL = ("contact_name", "contact_email", "contact_phone", "consent_to_contact")
JSON_MIME = "application/json"


@dataclass(frozen=True)
class ProgramData:
    program: ProgramInfo
    actors: list[dict[str, Any]]
    ties: list[dict[str, Any]]
    assessments: list[dict[str, Any]]


def program_data(view: ProgramView) -> ProgramData:
    """The live actors, ties and assessments its reader may see, as plain records (under
    the names the reader sees: stand-ins for citizens in presentation mode)."""
    people = [_plain(a) for a in _records(view.frame("actors"))]
    ties = _records(view.frame("ties"))
    scores = _records(view.frame("assessments"))
    return ProgramData(view.program, people, ties, scores)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """NaN/NaT from the frame back to None."""
    return {k: (None if _missing(v) else v) for k, v in record.items()}


def _missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def _label(terms: Sequence[Term], term_id: Any, lang: str) -> str:
    return next((term.label(lang) for term in terms if term.id == term_id), "")


def _custom_keys(people: Sequence[dict[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for person in people:
        keys.update(dict.fromkeys(person.get("custom_fields") or {}))
    return list(keys)


def _direction(directed: bool, lang: str, kumu: bool) -> str:
    if kumu or lang == "en":
        return "directed" if directed else "undirected"
    return "dirigido" if directed else "no dirigido"


def actor_table(data: ProgramData, lang: str, *, kumu: bool, personal: bool) -> Table:
    fields = [f for f in columns.COLUMNS["actors"] if personal or f not in PERSONAL]
    if kumu:
        first = ["name", "sector", "description", "tags", "external_id"]
        fields = first + [f for f in fields if f not in first]
    custom = _custom_keys(data.actors)
    header = [_header("actors", f, lang, kumu) for f in fields] + custom
    rows = []
    for a in data.actors:
        values = a | {
            "sector": _label(data.program.sectors, a["sector_id"], lang),
            "confidentiality": t(f"confidentiality.{a['confidentiality']}", lang),
            "tags": list(a["tags"] or ()),
        }
        extra = a.get("custom_fields") or {}
        rows.append([values.get(f) for f in fields] + [extra.get(k) for k in custom])
    title = "Elements" if kumu else columns.sheet_title("actors", lang)
    return Table(title, tuple(header), rows)


def _header(kind: columns.Kind, field: str, lang: str, kumu: bool) -> str:
    if kumu and field in columns.KUMU[kind]:
        return columns.KUMU[kind][field]
    return columns.header(kind, field, lang)


def tie_table(data: ProgramData, lang: str, *, kumu: bool) -> Table:
    fields = list(columns.COLUMNS["ties"])
    if kumu:
        first = list(columns.KUMU["ties"])
        fields = first + [f for f in fields if f not in first]
    rows = []
    for r in data.ties:
        values = r | {
            "source": r["source"],
            "target": r["target"],
            "tie_type": _label(data.program.tie_types, r["tie_type_id"], lang),
            "direction": _direction(bool(r["directed"]), lang, kumu),
            "tags": list(r["tags"] or ()),
        }
        rows.append([values.get(f) for f in fields])
    title = "Connections" if kumu else columns.sheet_title("ties", lang)
    return Table(title, tuple(_header("ties", f, lang, kumu) for f in fields), rows)


def assessment_table(data: ProgramData, lang: str) -> Table:
    fields = columns.COLUMNS["assessments"]
    rows = []
    for s in data.assessments:
        values = s | {
            "stage": _label(data.program.stages, s["stage_id"], lang),
        }
        rows.append([values.get(f) for f in fields])
    header = tuple(columns.header("assessments", f, lang) for f in fields)
    return Table(columns.sheet_title("assessments", lang), header, rows)


def template_tables(data: ProgramData, lang: str, *, personal: bool = True) -> list[Table]:
    return [
        actor_table(data, lang, kumu=False, personal=personal),
        tie_table(data, lang, kumu=False),
        assessment_table(data, lang),
    ]


def csv_files(tables: Sequence[Table], lang: str) -> dict[str, bytes]:
    """One CSV per table, as Excel in ``lang`` expects (``;`` in Spanish)."""
    delimiter = ";" if lang == "es" else ","
    yes_no = (t("io.yes", lang), t("io.no", lang))
    return {
        f"{slug(table.title)}.csv": writers.csv_bytes(table, delimiter=delimiter, booleans=yes_no)
        for table in tables
    }


def _empty(lang: str) -> ProgramData:
    program = ProgramInfo(0, "", "", "", "", None, None, 3, 45, False, 0, 1)
    return ProgramData(program, [], [], [])


def template_xlsx(lang: str = "es") -> bytes:
    """An empty workbook with our three sheets and their headers, in ``lang``."""
    return writers.xlsx_bytes(template_tables(_empty(lang), lang))


def template_csvs(lang: str = "es") -> dict[str, bytes]:
    """Empty CSV templates (actors, ties, assessments) by file name, in ``lang``."""
    return csv_files(template_tables(_empty(lang), lang), lang)


def network(
    data: ProgramData, lang: str, *, personal: bool = True, mark: ExportMark | None = None
) -> Any:
    """The program as a multigraph with every attribute, for GEXF and GraphML.

    ``mark`` becomes graph-level data (GraphML writes it; Gephi shows it).
    """
    latest = {s["actor_id"]: s for s in data.assessments}  # oldest first: last one wins
    nodes = []
    for a in data.actors:
        attributes = {
            "label": a["name"],
            "sector": _label(data.program.sectors, a["sector_id"], lang),
            "sector_key": a["sector_key"] or "",
            "description": a["description"],
            "tags": "|".join(a["tags"] or ()),
            "territory": a["territory"],
            "website": a["website"],
            "confidentiality": a["confidentiality"],
            "last_verified": a["last_verified"].isoformat() if a["last_verified"] else "",
            "external_id": a["external_id"] or "",
        }
        if personal:
            attributes |= {k: a[k] for k in PERSONAL}
        attributes |= {f"custom: {k}": str(v) for k, v in (a["custom_fields"] or {}).items()}
        attributes |= _scores(latest.get(a["id"]), data.program, lang)
        nodes.append((str(a["id"]), attributes))
    edges = []
    for r in data.ties:
        attributes = {
            "label": _label(data.program.tie_types, r["tie_type_id"], lang),
            "tie_type": _label(data.program.tie_types, r["tie_type_id"], lang),
            "tie_type_key": r["tie_type_key"],
            "negative": bool(r["negative"]),
            "directed": bool(r["directed"]),
            "strength": int(r["strength"]),
            "weight": int(r["strength"]),
            "valid_from": r["valid_from"].isoformat() if r["valid_from"] else "",
            "valid_to": r["valid_to"].isoformat() if r["valid_to"] else "",
            "source_info": r["source_info"],
            "note": r["note"],
            "tags": "|".join(r["tags"] or ()),
        }
        edges.append((str(r["source_id"]), str(r["target_id"]), str(r["id"]), attributes))
    about = {**mark.fields(), "description": mark.sentence(lang)} if mark else None
    return graphs.graph(nodes, edges, data.program.name, about)


def _scores(score: dict[str, Any] | None, program: ProgramInfo, lang: str) -> dict[str, Any]:
    if score is None:
        return {}
    keys = (*assessments.SCORES, "legitimacy", "urgency")
    values: dict[str, Any] = {k: score[k] for k in keys}
    values["stage"] = _label(program.stages, score["stage_id"], lang)
    values["assessed_on"] = score["assessed_on"].isoformat()
    return values


def export_program(
    db: Database,
    program_id: int,
    fmt: str,
    *,
    by: Principal,
    lang: str = "es",
    include_personal: bool = True,
    include_restricted: bool = True,
    presentation: bool = False,
) -> tuple[str, bytes, str]:
    """The program in format ``fmt`` (see :data:`FORMATS`): ``(filename, data, mime)``.

    Restricted actors and contact data are in the file only when asked for and ``by``
    may see them; in presentation mode citizens carry stand-in names and no contact data
    is written. The JSON backup is always complete, so only those who manage the program
    (its leads, administrators, the local operator) get it, and never in presentation
    mode. The file is marked with the program, the date and time and ``by``'s name.

    Raises
    ------
    UnknownFormat
        If ``fmt`` is not one of :data:`FORMATS`.
    PermissionDenied
        If ``by`` has no role in the program, or asks for the JSON backup without
        managing the program (or in presentation mode).
    """
    if fmt not in FORMATS:
        raise UnknownFormat(format=fmt, known=", ".join(FORMATS))
    view = program_view(db, by, program_id, presentation=presentation, lang=lang)
    if fmt == "json":
        return _json_backup(db, view)
    if not include_restricted:
        view = view.without_restricted()
    see = view.visibility.restricted
    personal = include_personal and see and not presentation
    program = view.program
    stem = file_stem(program.name, lang, presentation=presentation)
    mark = ExportMark.now(
        program.name,
        by.username,
        presentation=presentation,
        personal=personal,
        restricted=see,
    )
    return _write(program_data(view), fmt, stem, lang, personal, mark)


def _json_backup(db: Database, view: ProgramView) -> tuple[str, bytes, str]:
    """The program's complete JSON backup: for those who manage the program, never in
    presentation mode."""
    by = view.by
    if view.visibility.presentation or not permissions.allowed(
        by, view.program_id, permissions.Action.MANAGE_PROGRAM
    ):
        raise PermissionDenied(action=permissions.Action.MANAGE_PROGRAM.value, user=by.username)
    program = view.program
    stem = file_stem(program.name, view.lang)
    mark = ExportMark.now(program.name, by.username, personal=True, restricted=True)
    document = _marked(backup.program_backup(db, by, view.program_id), mark)
    data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return f"{stem}.json", data, JSON_MIME


def file_stem(
    program_name: str, lang: str, *, presentation: bool = False, today: dt.date | None = None
) -> str:
    """``<program>-<yyyymmdd>``, with ``-presentacion`` for a presentation-mode export."""
    stem = f"{slug(program_name)}-{(today or dt.date.today()):%Y%m%d}"
    return f"{stem}-{t('export_mark.file_suffix', lang)}" if presentation else stem


def _marked(document: dict[str, Any], mark: ExportMark) -> dict[str, Any]:
    """The backup document with the mark among its header fields (restore ignores them)."""
    header = {k: v for k, v in document.items() if k not in ("program", "tables")}
    body = {k: v for k, v in document.items() if k in ("program", "tables")}
    return header | mark.fields() | {"produced_with": TOOL} | body


def _write(
    info: ProgramData, fmt: str, stem: str, lang: str, personal: bool, mark: ExportMark
) -> tuple[str, bytes, str]:
    if fmt == "xlsx":
        tables = [*template_tables(info, lang, personal=personal), mark.about_table(lang)]
        return f"{stem}.xlsx", writers.xlsx_bytes(tables), writers.XLSX_MIME
    if fmt == "csv":
        files = marked_csv_files(template_tables(info, lang, personal=personal), lang, mark)
        return f"{stem}-csv.zip", writers.zip_bytes(files), writers.ZIP_MIME
    if fmt == "kumu":
        tables = [
            actor_table(info, lang, kumu=True, personal=personal),
            tie_table(info, lang, kumu=True),
            mark.about_table(lang),  # Kumu reads Elements and Connections only
        ]
        return f"{stem}-kumu.xlsx", writers.xlsx_bytes(tables), writers.XLSX_MIME
    g = network(info, lang, personal=personal, mark=mark)
    if fmt == "gexf":
        data = graphs.gexf_bytes(
            g,
            creator=f"{mark.produced_by} ({TOOL})",
            description=mark.sentence(lang),
            keywords=mark.program,
            modified=mark.at.date(),
        )
        return f"{stem}.gexf", data, graphs.GEXF_MIME
    return f"{stem}.graphml", graphs.graphml_bytes(g), graphs.GRAPHML_MIME


def marked_csv_files(tables: Sequence[Table], lang: str, mark: ExportMark) -> dict[str, bytes]:
    """The CSV files of ``tables`` and, beside them, the LEEME/README file of the mark."""
    files = csv_files(tables, lang)
    name, text = mark.readme(lang, list(files))
    return files | {name: text}
