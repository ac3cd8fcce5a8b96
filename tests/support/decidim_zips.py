"""Decidim open-data ZIPs written as Decidim writes them, for each release.

Built from the format notes (shared/reference/decidim-open-data.md): Ruby CSV quoting
(quote only fields holding the separator, ``"``, CR or LF, or empty strings; nil as
nothing), the ``'`` formula guard, per-release columns, 0.27's zone-less meeting times,
and 0.30's README.md.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import Any

HOST = "participa.tepic.gob.mx"
ENTITIES = (
    "proposals",
    "proposal_comments",
    "meetings",
    "meeting_comments",
    "projects",
    "results",
    "result_comments",
)


def ruby_cell(value: Any, sep: str = ";") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    if text == "" or any(c in text for c in (sep, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def ruby_csv(rows: list[dict[str, Any]], sep: str = ";") -> str:
    if not rows:
        return "\n"
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    lines = [sep.join(header)]
    lines += [sep.join(ruby_cell(row.get(h), sep) for h in header) for row in rows]
    return "\n".join(lines) + "\n"


def meeting(release: str, mid: int, **over: Any) -> dict[str, Any]:
    time = "2024-05-10 23:30:00" if release == "0.27" else "2024-05-10 23:30:00 UTC"
    end = "2024-05-11 01:00:00" if release == "0.27" else "2024-05-11 01:00:00 UTC"
    row: dict[str, Any] = {
        "id": mid,
        "category/id": None,
        "category/name": None,
        "scope/id": None,
        "participatory_space/id": 3,
        "participatory_space/url": f"http://{HOST}/processes/pres?participatory_process_slug=pres",
        "component/id": 12,
        "title/en": "",
        "title/es": f"Asamblea barrial {mid}",
        "description/en": "",
        "description/es": "<p>Hablamos de <b>alumbrado</b></p><script>alert(1)</script>",
        "start_time": time,
        "end_time": end,
        "attendees": 40,
        "contributions": 7,
        "organizations": "Colectivo Verde, Vecinos Unidos\r\nCámara de Comercio",
        "address": "Calle Morelos 12",
        "location/en": "",
        "location/es": "Salón ejidal",
        "reference": f"TP-MEET-2024-05-{mid}",
        "comments": 0,
        "attachments": 0,
        "followers": 1,
        "url": f"http://{HOST}/processes/pres/f/12/meetings/{mid}",
        "related_proposals": "",
        "related_results": "",
        "published": True,
    }
    if release in ("0.29", "0.30"):
        row |= {"withdrawn": False, "withdrawn_at": None}
    return row | over


def proposal(release: str, pid: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": pid}
    if release != "0.27":
        row |= {"author/id": 900 + pid, "author/name": "María López", "author/url": ""}
    row |= {
        "category/id": 4,
        "category/name/es": "Alumbrado",
        "participatory_space/id": 3,
        "component/id": 11,
        "title/es": f"Más luminarias {pid}",
        "body/es": "<p>En la colonia <i>Centro</i> &amp; alrededores</p>",
        "address": None,
        "state": "accepted",
        "reference": f"TP-PROP-2024-05-{pid}",
        "answer/es": "<p>Se incluye en el <b>plan</b> 2024</p>",
    }
    if release != "0.27":
        row["answered_at"] = "2024-06-01 15:00:00 UTC"
    row["votes" if release in ("0.29", "0.30") else "supports"] = 12
    row |= {
        "endorsements/total_count": 0,
        "comments": 1,
        "published_at": "2024-05-02 14:00:00 UTC",
        "url": f"http://{HOST}/processes/pres/f/11/proposals/{pid}",
        "is_amend": False,
    }
    if release in ("0.29", "0.30"):
        row |= {"withdrawn": False, "withdrawn_at": None}
    return row | over


def result(rid: int, parent: int | None = None, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": rid,
        "category/id": None,
        "category/name": None,
        "scope/id": None,
        "parent/id": parent,
        "title/es": f"Resultado {rid}",
        "description/es": "<p>Instalar <b>50</b> luminarias</p>",
        "start_date": "2024-06-01",
        "end_date": "2024-12-31",
        "status/id": 2,
        "status/key": "in_progress",
        "status/name/es": "En ejecución",
        "progress": "60.0",
        "created_at": "2024-06-01 12:00:00 UTC",
        "url": f"http://{HOST}/processes/pres/f/13/results/{rid}",
        "component/id": 13,
        "proposal_urls": "",
    }
    return row | over


def decidim_zip(
    meetings: Iterable[dict[str, Any]] = (),
    proposals: Iterable[dict[str, Any]] = (),
    results: Iterable[dict[str, Any]] = (),
    *,
    release: str = "0.28",
    sep: str = ";",
    host: str = HOST,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    tables = {"meetings": list(meetings), "proposals": list(proposals), "results": list(results)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entity in ENTITIES:
            text = ruby_csv(tables.get(entity, []), sep)
            archive.writestr(f"{host}-open-data-{entity}.csv", text)
        if release == "0.30":
            archive.writestr("README.md", "# Open data\n")
            archive.writestr("LICENSE.md", "ODbL 1.0\n")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()
