"""Sample files for import tests: a Kumu workbook and our template, as bytes."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

# ruff: noqa: E501

ELEMENTS_HEADER = ["Label", "Type", "Description", "Tags", "ID", "Zona", "Presupuesto"]
ELEMENTS = [
    ["Municipalidad de Xela", "Gobierno local", "Alcaldía y concejo", "gobierno abierto|liderazgo", "e1", "Centro", 120000],
    ["Red de Jóvenes", "Organización comunitaria", "Colectivo juvenil", "juventud", "e2", "Zona 3", None],
    ["Universidad Rafael", "University", "Centro de datos", "", "e3", "", 5000.5],
    ["Radio Comunitaria", "Radio local", "Emisora del barrio", "medios|barrio", "e4", "Zona 1", None],
    ["Cámara de Comercio", "Private sector", "", "", "e5", "", None],
]  # fmt: skip
CONNECTIONS_HEADER = ["From", "To", "Type", "Direction", "Strength", "Description", "Tags"]
CONNECTIONS = [
    ["Municipalidad de Xela", "Red de Jóvenes|Universidad Rafael", "Colaboración", "undirected", 3, "Mesa técnica", "mesa"],
    ["Cámara de Comercio", "Municipalidad de Xela", "Financia", "", 2, "", ""],
    ["Radio Comunitaria", "Red de Jóvenes", "Amplifica", "mutual", 1, "Difusión", ""],
    ["Red de Jóvenes", "Municipalidad de Xela", "Conflict", "undirected", 2, "Presupuesto participativo", ""],
]  # fmt: skip


def workbook(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    """An XLSX file with one sheet per entry (first row is the header)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def kumu_workbook(
    elements: Sequence[Sequence[Any]] | None = None,
    connections: Sequence[Sequence[Any]] | None = None,
) -> bytes:
    """A Kumu export: Elements (5 actors, custom columns) and Connections (5 ties)."""
    return workbook(
        {
            "Elements": [ELEMENTS_HEADER, *(ELEMENTS if elements is None else elements)],
            "Connections": [
                CONNECTIONS_HEADER,
                *(CONNECTIONS if connections is None else connections),
            ],
        }
    )


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    """Rows as a CSV file, as a spreadsheet program would save it."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def demo_workbook(key: str = "antigua") -> bytes:
    """Our template (English headers) holding a demo program's actors, ties and assessments.

    Built from ``engagement/demo/<key>.json`` so tests get realistic data through the
    import itself, independent of the demo loader.
    """
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "engagement" / "demo" / f"{key}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    people = [
        ["Name", "Sector", "Description", "Tags", "Territory / zone", "Website", "Confidentiality"]
    ]
    for a in data["actors"]:
        people.append(
            [a["name"], a["sector"], a.get("description", ""), "|".join(a.get("tags", [])),
             a.get("territory", ""), a.get("website", ""), a.get("confidentiality", "normal")]
        )  # fmt: skip
    ties = [
        [
            "From",
            "To",
            "Type",
            "Direction",
            "Strength",
            "Valid from",
            "Source of the information",
            "Note",
        ]
    ]
    for r in data["relationships"]:
        ties.append(
            [r["source"], r["target"], r["type"], "directed" if r.get("directed", True) else "undirected",
             r.get("strength", 2), r.get("valid_from") or "", r.get("source_info", ""), r.get("note", "")]
        )  # fmt: skip
    scores = [["Actor", "Stage", "Assessment date", "Assessor", "Power", "Interest", "Legitimacy", "Urgency",
               "Current engagement", "Desired engagement", "Participation level targeted", "Note"]]  # fmt: skip
    for s in data["assessments"]:
        scores.append(
            [s["actor"], s["stage"], s["date"], s.get("assessor", ""), s["power"], s["interest"],
             s["legitimacy"], s["urgency"], s["engagement_current"], s["engagement_desired"],
             s["participation_target"], s.get("note", "")]
        )  # fmt: skip
    return workbook({"Actors": people, "Relationships": ties, "Assessments": scores})
