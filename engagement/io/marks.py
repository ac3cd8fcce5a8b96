"""The mark every export carries: which program, when, who produced it, and how.

A file that leaves Tejido (a workbook sent to a mayor's office, a map printed for a
meeting) must say where it came from. Each format carries the same facts in its own
place: an "Acerca de"/"About" sheet in workbooks (imports skip it), a LEEME/README file
next to CSVs, ``<meta>`` in GEXF, graph-level data in GraphML, a footer line on the HTML
map, header fields in the JSON backup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from engagement.i18n import LANGUAGES, t
from engagement.io.writers import Table
from engagement.text import name_key

#: Producer of every file (GEXF ``creator`` names the person; this names the tool).
TOOL = "Tejido"


@dataclass(frozen=True)
class ExportMark:
    """``personal`` / ``restricted``: whether contact data and restricted actors are in
    the file (None when the format never holds them, e.g. the map)."""

    program: str
    produced_by: str
    at: dt.datetime
    presentation: bool = False
    personal: bool | None = None
    restricted: bool | None = None

    @classmethod
    def now(
        cls,
        program: str,
        produced_by: str,
        *,
        presentation: bool = False,
        personal: bool | None = None,
        restricted: bool | None = None,
    ) -> ExportMark:
        """A mark dated now, in the server's time zone (written with its UTC offset)."""
        at = dt.datetime.now().astimezone().replace(microsecond=0)
        return cls(program, produced_by, at, presentation, personal, restricted)

    def when(self) -> str:
        """``2024-03-01 14:05 (UTC-06:00)``: unambiguous wherever the file is read."""
        offset = self.at.strftime("%z") or "+0000"
        return f"{self.at:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"

    def rows(self, lang: str) -> list[tuple[str, str]]:
        """Label and value of each fact, in ``lang``."""
        rows = [
            (t("export_mark.program", lang), self.program),
            (t("export_mark.at", lang), self.when()),
            (t("export_mark.by", lang), self.produced_by or "—"),
            (t("export_mark.tool", lang), TOOL),
        ]
        if self.presentation:
            rows.append(
                (t("export_mark.presentation", lang), t("export_mark.presentation_on", lang))
            )
        if self.personal is not None:
            value = "included" if self.personal else "left_out"
            rows.append((t("export_mark.personal", lang), t(f"export_mark.{value}", lang)))
        if self.restricted is not None:
            value = "included" if self.restricted else "left_out"
            rows.append((t("export_mark.restricted", lang), t(f"export_mark.{value}", lang)))
        return rows

    def sentence(self, lang: str) -> str:
        """One line: the HTML map's footer, the GEXF description."""
        text = t(
            "export_mark.sentence",
            lang,
            program=self.program,
            at=self.when(),
            by=self.produced_by or "—",
        )
        if self.presentation:
            text += " " + t("export_mark.presentation_sentence", lang)
        return text

    def fields(self) -> dict[str, Any]:
        """Machine-readable facts (JSON header, GraphML graph data)."""
        return {
            "program_name": self.program,
            "exported_at": self.at.isoformat(),
            "exported_by": self.produced_by,
            "presentation_mode": self.presentation,
        }

    def about_table(self, lang: str) -> Table:
        """The "Acerca de"/"About" sheet of a workbook (see :func:`is_about_sheet`)."""
        header = (t("export_mark.field", lang), t("export_mark.value", lang))
        return Table(t("export_mark.sheet", lang), header, self.rows(lang))

    def readme(self, lang: str, files: list[str]) -> tuple[str, bytes]:
        """The LEEME/README file put next to CSV files: ``(file name, UTF-8 text)``."""
        width = max(len(label) for label, _ in self.rows(lang))
        lines = [t("export_mark.readme_title", lang, program=self.program), ""]
        lines += [f"{label + ':':<{width + 2}}{value}" for label, value in self.rows(lang)]
        lines += ["", t("export_mark.readme_files", lang, files=", ".join(files))]
        text = "\r\n".join(lines) + "\r\n"
        return t("export_mark.readme_name", lang), b"\xef\xbb\xbf" + text.encode("utf-8")


def is_readme(name: str, data: bytes) -> bool:
    """Whether an uploaded file is the LEEME/README put next to exported CSVs (an
    import skips it rather than refusing it as "not a table")."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].casefold()
    names = {t("export_mark.readme_name", lang).casefold() for lang in LANGUAGES}
    titles = [t("export_mark.readme_title", lang, program="") for lang in LANGUAGES]
    start = data[:400].decode("utf-8-sig", errors="replace")
    return base in names and any(start.startswith(title.split("«")[0]) for title in titles)


def is_about_sheet(title: str) -> bool:
    """Whether a sheet is an export's "Acerca de"/"About" sheet (imports skip it)."""
    return name_key(title) in {name_key(t("export_mark.sheet", lang)) for lang in LANGUAGES}
