"""The briefing as a tagged PDF, typeset by Typst (the ``typst`` wheel, no system library).

Every piece of user text enters the Typst source as a string literal (``#"..."``), never
as markup, so a name with ``*``, ``#`` or ``]`` is printed as typed and cannot run code.
The charts arrive as SVG through ``sys.inputs``; the fonts are matplotlib's DejaVu Sans
(every Spanish letter and sign), embedded in the PDF; no system font is read and nothing
is fetched. The PDF carries its title and language and is tagged by Typst.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib
import typst

from engagement.charts.static import Chart
from engagement.i18n import t
from engagement.io import briefing_text as text
from engagement.services.exchange.briefing_model import Briefing

FONT_PATHS = [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]
_PAPER = {"a4": "a4", "letter": "us-letter"}


def s(value: object) -> str:
    """A Typst string literal holding ``value`` as plain text (code-mode ``#"..."``)."""
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "")
    return f'#"{escaped}"'


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], columns: str) -> str:
    cells = [f"[*{s(h)}*]" for h in header]
    body = [f"[{s(c)}]" for row in rows for c in row]
    return (
        f"#table(columns: {columns}, stroke: 0.4pt + luma(190), inset: 4pt,\n"
        f"  table.header({', '.join(cells)}),\n  {', '.join(body)}\n)\n"
    )


def _list(items: Iterable[str]) -> str:
    return "".join(f"- {s(item)}\n" for item in items)


def _para(value: str) -> str:
    return f"{s(value)}\n\n"


def _heading(key: str, lang: str) -> str:
    page = "" if key in text.FLOWING else "#pagebreak(weak: true)\n"
    return f"{page}= {s(t(key, lang))}\n"


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def source(b: Briefing, grid: Chart, network: Chart | None, paper: str) -> str:
    """The whole Typst document of the briefing ``b``."""
    lang = b.lang
    footer = t("briefing.page", lang, page="\x00", total="\x01")
    before, rest = footer.split("\x00")
    middle, after = rest.split("\x01")
    parts = [
        f"#set document(title: {s(b.title)[1:]}, "
        f"author: {s(b.mark.produced_by or 'Tejido')[1:]})\n",
        f'#set text(lang: "{lang}", font: "DejaVu Sans", size: 9.5pt, hyphenate: false)\n',
        "#set par(justify: false, leading: 0.6em)\n",
        f'#set page(paper: "{_PAPER[paper]}", margin: (x: 2cm, top: 2cm, bottom: 2.2cm),\n'
        "  footer: context [#set text(7.5pt, fill: luma(90)); #grid(columns: (1fr, auto), "
        f"column-gutter: 12pt, [{s(b.mark.sentence(lang))}], [{s(before)}#counter(page).display()"
        f"{s(middle)}#str(counter(page).final().first()){s(after)}])])\n",
        '#set heading(numbering: "1.")\n',
        '#show heading.where(level: 1): it => { set text(15pt, fill: rgb("#332288")); '
        "block(above: 2em, below: 0.8em, sticky: true, it) }\n",
        "#show heading.where(level: 2): it => block(sticky: true, text(11pt, it))\n",
        _cover(b),
        *text.sections(b, grid, network, Typst()),
    ]
    return "".join(parts)


def _cover(b: Briefing) -> str:
    lang = b.lang
    rows = [
        (t("briefing.cover.municipality", lang), b.municipality or "—"),
        (t("briefing.cover.scope", lang), b.scope),
        (t("briefing.cover.as_of", lang), _date(b.as_of)),
    ]
    if b.snapshot:
        rows.append((t("briefing.cover.snapshot", lang), b.snapshot))
    rows += b.mark.rows(lang)
    facts = "".join(f"[*{s(k)}*], [{s(v)}],\n" for k, v in rows)
    notes = [t("briefing.cover.no_contact", lang)]
    notes.append(
        t("briefing.cover.restricted_included", lang)
        if b.see_restricted
        else t("briefing.cover.restricted_left_out", lang)
    )
    warning = s(t("briefing.cover.presentation", lang))
    presentation = (
        f'#block(fill: rgb("#FFF4D6"), inset: 8pt, radius: 3pt)[{warning}]\n'
        if b.presentation
        else ""
    )
    return (
        "#v(3cm)\n"
        f"#text(11pt, fill: luma(80))[{s(t('briefing.kicker', lang))}]\n\n"
        f'#text(22pt, weight: "bold", fill: rgb("#332288"))[{s(b.program)}]\n\n'
        "#v(1cm)\n"
        f"#grid(columns: (auto, 1fr), column-gutter: 12pt, row-gutter: 8pt,\n{facts})\n"
        "#v(1cm)\n"
        f"{presentation}" + _list(notes)
    )


class Typst:
    """The markup :mod:`engagement.io.briefing_text` writes sections with, for Typst."""

    def heading(self, key: str, lang: str) -> str:
        return _heading(key, lang)

    def subheading(self, value: str) -> str:
        return f"== {s(value)}\n"

    def para(self, value: str) -> str:
        return _para(value)

    def lead_in(self, value: str) -> str:
        return f"#block(sticky: true)[{s(value)}]\n"

    def note(self, value: str, *, lead_in: bool = False) -> str:
        text = f"#text(8.5pt, fill: luma(80))[{s(value)}]"
        return f"#block(sticky: true)[{text}]\n" if lead_in else f"{text}\n\n"

    def items(self, values: Iterable[str]) -> str:
        return _list(values) + "\n"

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]], widths: str) -> str:
        return _table(header, rows, widths)

    def figure(self, name: str, caption: str) -> str:
        return (
            f'#figure(image(bytes(sys.inputs.{name}), format: "svg", width: 100%, '
            f"alt: {s(caption)[1:]}), caption: [{s(caption)}])\n"
        )

    def badge(self, status: str, label: str) -> str:
        colour = {"green": "#117733", "amber": "#B8860B", "red": "#CC3311"}[status]
        return (
            f'#box(fill: rgb("{colour}"), inset: (x: 4pt, y: 2pt), radius: 2pt)'
            f'[#text(fill: white, weight: "bold")[{s(label)}]]'
        )

    def cell(self, value: str) -> str:
        return value

    def checklist(self, rows: Iterable[tuple[str, str, str, str]], header: Sequence[str]) -> str:
        head = ", ".join(f"[*{s(h)}*]" for h in header)
        body = ", ".join(f"[{self.badge(st, name)}], [*{s(title)}* \\ {s(reason)}]"
                         for st, name, title, reason in rows)  # fmt: skip
        return (
            "#table(columns: (auto, 1fr), stroke: 0.4pt + luma(190), inset: 4pt,\n"
            f"  table.header({head}),\n  {body}\n)\n"
        )

    def pagebreak(self) -> str:
        return "#pagebreak(weak: true)\n"


def render_pdf(b: Briefing, grid: Chart, network: Chart | None, paper: str = "a4") -> bytes:
    """The briefing as PDF bytes (A4 or Letter)."""
    inputs = {"grid": grid.svg} | ({"network": network.svg} if network else {})
    document = source(b, grid, network, paper).encode("utf-8")
    pdf = typst.compile(  # type: ignore[misc]
        document, font_paths=FONT_PATHS, ignore_system_fonts=True, sys_inputs=inputs
    )
    assert isinstance(pdf, bytes)
    return pdf
