"""The briefing as one self-contained HTML page that also prints well.

No script, no external style, font or image: the charts are inline SVG, the style sheet
is in the page. Every piece of user text is HTML-escaped. Printing from a browser gives
the same sections as the PDF, the long ones starting on a new page, with the page number
in the margin where the browser supports CSS page-margin boxes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from engagement.charts.static import Chart
from engagement.i18n import t
from engagement.io import briefing_text as text
from engagement.services.exchange.briefing_model import Briefing

_XML_HEAD = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _style(b: Briefing) -> str:
    before, rest = t("briefing.page", b.lang, page="\x00", total="\x01").split("\x00")
    middle, after = rest.split("\x01")

    def css(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    page = f"{css(before)} counter(page) {css(middle)} counter(pages) {css(after)}"
    return f"""
body {{ font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 10.5pt;
  color: #222; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }}
h1 {{ color: #332288; font-size: 1.5rem; margin-top: 2.5rem; }}
h2 {{ font-size: 1.1rem; margin: 1.4rem 0 .4rem; }}
body {{ counter-reset: section; }}
section:not(.cover) h1 {{ counter-increment: section; counter-reset: part; }}
section:not(.cover) h1::before {{ content: counter(section) ". "; }}
section:not(.cover) h2 {{ counter-increment: part; }}
section:not(.cover) h2::before {{ content: counter(section) "." counter(part) ". "; }}
.cover h1 {{ font-size: 2rem; margin-top: 4rem; }}
.kicker {{ color: #555; }}
.notice {{ background: #FFF4D6; padding: .6rem; border-radius: 4px; }}
table {{ border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }}
th {{ background: #f2f2f2; }}
.note {{ color: #555; font-size: .9em; }}
.badge {{ color: #fff; font-weight: bold; padding: 0 .35rem; border-radius: 3px; }}
.badge.green {{ background: #117733; }} .badge.amber {{ background: #B8860B; }}
.badge.red {{ background: #CC3311; }}
figure {{ margin: 0 0 1rem; }} figure svg {{ width: 100%; height: auto; }}
figcaption {{ color: #555; font-size: .9em; }}
footer {{ color: #555; font-size: .85em; border-top: 1px solid #ccc; margin-top: 2rem; }}
@page {{ size: A4; margin: 18mm 16mm 20mm; @bottom-right {{ content: {page};
  font-size: 8pt; color: #555; }} }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }}
  section {{ break-before: page; }}
  section.cover, section.flow {{ break-before: auto; }}
  h1, h2, .lead-in {{ break-after: avoid; }}
  tr, figure, li {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
}}
"""


class Html:
    """The markup :mod:`engagement.io.briefing_text` writes sections with, for HTML."""

    def heading(self, key: str, lang: str) -> str:
        flow = ' class="flow"' if key in text.FLOWING else ""
        return f"</section>\n<section{flow}>\n<h1>{e(t(key, lang))}</h1>\n"

    def subheading(self, value: str) -> str:
        return f"<h2>{e(value)}</h2>\n"

    def para(self, value: str) -> str:
        return f"<p>{e(value)}</p>\n"

    def lead_in(self, value: str) -> str:
        return f'<p class="lead-in">{e(value)}</p>\n'

    def note(self, value: str, *, lead_in: bool = False) -> str:
        return f'<p class="note{" lead-in" if lead_in else ""}">{e(value)}</p>\n'

    def items(self, values: Iterable[str]) -> str:
        return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in values) + "</ul>\n"

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]], widths: str) -> str:
        head = "".join(f'<th scope="col">{e(h)}</th>' for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"

    def figure(self, name: str, caption: str) -> str:
        return (
            f'<figure data-chart="{e(name)}">\x00{e(name)}\x00'
            f"<figcaption>{e(caption)}</figcaption></figure>\n"
        )

    def checklist(self, rows: Iterable[tuple[str, str, str, str]], header: Sequence[str]) -> str:
        head = "".join(f'<th scope="col">{e(h)}</th>' for h in header)
        body = "".join(
            f'<tr><td><span class="badge {e(status)}">{e(name)}</span></td>'
            f"<td><strong>{e(title)}</strong><br>{e(reason)}</td></tr>"
            for status, name, title, reason in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"

    def pagebreak(self) -> str:
        return ""


def _cover(b: Briefing) -> str:
    lang = b.lang
    rows = [
        (t("briefing.cover.municipality", lang), b.municipality or "—"),
        (t("briefing.cover.scope", lang), b.scope),
        (t("briefing.cover.as_of", lang), f"{b.as_of:%d/%m/%Y}"),
    ]
    if b.snapshot:
        rows.append((t("briefing.cover.snapshot", lang), b.snapshot))
    rows += b.mark.rows(lang)
    facts = "".join(f"<tr><th scope='row'>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    restricted = "restricted_included" if b.see_restricted else "restricted_left_out"
    notes = [t("briefing.cover.no_contact", lang), t(f"briefing.cover.{restricted}", lang)]
    notice = (
        f'<p class="notice">{e(t("briefing.cover.presentation", lang))}</p>'
        if b.presentation
        else ""
    )
    return (
        f'<section class="cover"><p class="kicker">{e(t("briefing.kicker", lang))}</p>'
        f"<h1>{e(b.program)}</h1><table>{facts}</table>{notice}"
        + "<ul>"
        + "".join(f"<li>{e(n)}</li>" for n in notes)
        + "</ul>\n"
    )


def _inline(svg: str) -> str:
    return _XML_HEAD.sub("", svg)


def render_html(b: Briefing, grid: Chart, network: Chart | None) -> str:
    """The whole page."""
    body = _cover(b) + "".join(text.sections(b, grid, network, Html())) + "</section>\n"
    charts = {"grid": grid.svg} | ({"network": network.svg} if network else {})
    for name, svg in charts.items():
        body = body.replace(f"\x00{name}\x00", _inline(svg))
    return (
        f'<!DOCTYPE html>\n<html lang="{e(b.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(b.title)}</title>\n<style>{_style(b)}</style>\n</head>\n<body>\n"
        f"{body}<footer>{e(b.mark.sentence(b.lang))}</footer>\n</body>\n</html>\n"
    )
