"""The briefing's sections, in order, written once for both the PDF and the HTML.

A :class:`Writer` turns headings, paragraphs, lists, tables and figures into Typst or
HTML (each escaping user text its own way); this module decides what is said, in the
briefing's language, and in which order (the issue's order: at a glance, coalition, key
players, network, movement, inputs, commitments, risks, annex; the cover is the
writer's own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from engagement.charts.static import Chart
from engagement.i18n import grouped, t
from engagement.services.exchange.briefing_model import Briefing

GLANCE_FIGURES = (
    "activities", "citizens_involved", "organisations_participating", "facilitators_active",
    "inputs_received", "inputs_answered",
)  # fmt: skip
SECTION_KEYS = (
    "briefing.section.glance", "briefing.section.coalition", "briefing.section.key_players",
    "briefing.section.network", "briefing.section.movement", "briefing.section.heard",
    "briefing.section.commitments", "briefing.section.risks", "briefing.section.annex",
)  # fmt: skip


#: Sections that follow the one before on the same page when there is room (short
#: ones); every other section starts a page.
FLOWING = {"briefing.section.movement", "briefing.section.heard", "briefing.section.commitments"}


class Writer(Protocol):
    def heading(self, key: str, lang: str) -> str:
        """A section's title; it starts a page unless ``key`` is in :data:`FLOWING`."""
        ...

    def subheading(self, value: str) -> str: ...
    def para(self, value: str) -> str: ...
    def lead_in(self, value: str) -> str:
        """A short line introducing what follows, never left alone at a page's foot."""
        ...

    def note(self, value: str, *, lead_in: bool = False) -> str:
        """A small note; with ``lead_in``, kept on the page of what follows it."""
        ...

    def items(self, values: Iterable[str]) -> str: ...
    def table(
        self, header: Sequence[str], rows: Iterable[Sequence[object]], widths: str
    ) -> str: ...
    def figure(self, name: str, caption: str) -> str: ...
    def checklist(
        self, rows: Iterable[tuple[str, str, str, str]], header: Sequence[str]
    ) -> str: ...
    def pagebreak(self) -> str: ...


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _number(value: int) -> str:
    return grouped(value)


def share_text(received: int, answered: int, lang: str) -> str:
    if not received:
        return t("briefing.glance.no_inputs", lang)
    return t("briefing.glance.answered_share", lang, share=f"{answered / received:.0%}")


def sections(b: Briefing, grid: Chart, network: Chart | None, w: Writer) -> Iterator[str]:
    """Every section after the cover, in order."""
    yield from _glance(b, w)
    if b.empty:
        yield w.para(t("briefing.empty", b.lang, missing=", ".join(missing(b))))
    else:
        yield from _coalition(b, grid, w)
        yield from _key_players(b, w)
        yield from _network(b, network, w)
        yield from _movement(b, w)
        yield from _heard(b, w)
        yield from _commitments(b, w)
        yield from _risks(b, w)
    yield from _annex(b, w)


def missing(b: Briefing) -> list[str]:
    """What an almost empty program lacks, in words."""
    found = {
        "actors": not b.grid,
        "ties": not b.edges,
        "activities": not b.figures.activities,
        "inputs": not b.figures.inputs_received,
        "commitments": not sum(b.figures.commitments.values()),
    }
    return [t(f"briefing.missing.{k}", b.lang) for k, gone in found.items() if gone]


def _glance(b: Briefing, w: Writer) -> Iterator[str]:
    lang, f = b.lang, b.figures
    yield w.heading("briefing.section.glance", lang)
    values = f.as_dict()
    rows: list[tuple[str, str]] = [
        (t(f"tracking.figure.{key}", lang), _number(int(values[key]))) for key in GLANCE_FIGURES
    ]
    rows.append(
        (
            t("briefing.column.response", lang),
            share_text(f.inputs_received, f.inputs_answered, lang),
        )
    )
    header = (t("briefing.column.figure", lang), t("briefing.column.value", lang))
    yield w.subheading(t("briefing.glance.figures", lang))
    yield w.table(header, rows, "(1fr, auto)")
    yield w.subheading(t("briefing.glance.commitments", lang))
    status_rows = [(b.commitment_statuses[k], str(v)) for k, v in f.commitments.items()]
    header = (t("briefing.column.status", lang), t("briefing.column.value", lang))
    yield w.table(header, status_rows, "(1fr, auto)")
    yield w.subheading(t("briefing.glance.ogp", lang))
    yield w.checklist(
        ((c.status, c.status_name, c.title, c.reason) for c in b.checklist),
        (t("briefing.column.status", lang), t("briefing.column.item", lang)),
    )
    yield w.note(t("briefing.glance.same_as", lang))


def _coalition(b: Briefing, grid: Chart, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.coalition", lang)
    if not b.grid:
        yield w.para(t("briefing.coalition.none", lang))
    else:
        yield w.para(t("briefing.coalition.intro", lang))
        yield w.figure("grid", t("briefing.coalition.grid_title", lang))
    if grid.crowded and not grid.unnamed:
        yield w.note(t("briefing.coalition.crowded_all", lang, total=_number(b.grid_total)))
    elif grid.crowded:
        yield w.note(
            t("briefing.coalition.crowded", lang, total=_number(b.grid_total),
              shown=len(grid.key))
        )  # fmt: skip
    else:
        if len(b.grid) < b.grid_total:
            yield w.note(
                t("briefing.coalition.grid_capped", lang, shown=len(b.grid), total=b.grid_total)
            )
        if grid.unnamed:
            yield w.note(t("briefing.coalition.capped", lang, shown=grid.named + len(grid.key)))
    if grid.key:
        yield w.subheading(t("briefing.coalition.key", lang))
        if not grid.crowded:
            help_key = "briefing.coalition.key_help"
        elif grid.unnamed:
            help_key = "briefing.coalition.crowded_key"
        else:
            help_key = "briefing.coalition.crowded_key_all"
        yield w.note(t(help_key, lang), lead_in=True)
        header = (t("briefing.column.number", lang), t("briefing.column.actor", lang))
        yield w.table(header, grid.key, "(auto, 1fr)")
    if b.unassessed:
        yield w.note(t("briefing.coalition.unassessed", lang, count=b.unassessed))
    yield w.subheading(t("briefing.coalition.counts", lang))
    order = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
    rows = [(b.quadrant_names[q], str(b.quadrant_counts[q])) for q in order]
    header = (t("briefing.column.quadrant", lang), t("briefing.column.actors", lang))
    yield w.table(header, rows, "(1fr, auto)")
    if b.sector_stance:
        yield w.subheading(t("briefing.coalition.stance", lang))
        keys = ("sector", "support", "neutral", "resist", "other")
        stance = tuple(t(f"briefing.column.{k}", lang) for k in keys)
        yield w.table(stance, b.sector_stance, "(1fr, auto, auto, auto, auto)")


def _key_players(b: Briefing, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.key_players", lang)
    if not b.key_players:
        powerful = any(p.power >= b.threshold for p in b.grid)
        why = "none" if powerful else "no_powerful" if b.grid else "unassessed"
        yield w.para(t(f"briefing.key.{why}", lang))
        return
    yield w.para(t("briefing.key.intro", lang))
    for player in b.key_players:
        yield w.subheading(f"{player.name} · {player.sector}")
        yield w.para(
            t("briefing.key.standing", lang, power=player.power, interest=player.interest,
              current=player.engagement, desired=player.desired)
        )  # fmt: skip
        yield w.lead_in(t("briefing.key.approach", lang) + ":")
        yield w.items(player.advice)
        yield w.lead_in(t("briefing.key.doors", lang) + ":")
        yield w.items(player.doors or (t("briefing.key.no_doors", lang),))
    if b.key_players_more:
        yield w.note(t("briefing.key.more", lang, count=b.key_players_more))


def _network(b: Briefing, network: Chart | None, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.network", lang)
    if network is None or not b.edges:
        yield w.para(t("briefing.network.empty", lang))
    else:
        yield w.para(t("briefing.network.intro", lang))
        yield w.figure("network", t("briefing.network.map_title", lang))
        if len(b.nodes) < b.node_total:
            yield w.note(t("briefing.network.capped", lang, shown=len(b.nodes)))
        if network.key:
            header = (t("briefing.column.number", lang), t("briefing.column.actor", lang))
            yield w.table(header, network.key, "(auto, 1fr)")
    yield w.subheading(t("briefing.network.brokers", lang))
    yield w.items(b.brokers or (t("briefing.network.no_brokers", lang),))


def _movement(b: Briefing, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.movement", lang)
    if b.movement_since is None:
        yield w.para(t("briefing.movement.no_previous", lang))
        return
    yield w.para(b.movement_since + ".")
    if not b.toward and not b.away:
        yield w.para(t("briefing.movement.none", lang))
        return
    header = tuple(t(f"briefing.column.{k}", lang) for k in ("actor", "before", "after"))
    for key, moves in (("toward", b.toward), ("away", b.away)):
        yield w.subheading(t(f"briefing.movement.{key}", lang))
        if moves:
            yield w.table(header, [(m.name, m.before, m.after) for m in moves], "(1fr, auto, auto)")
        else:
            yield w.para(t(f"briefing.movement.nobody_{key}", lang))


def _heard(b: Briefing, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.heard", lang)
    if not b.answered and not b.pending:
        yield w.para(t("briefing.inputs.none", lang))
        return
    yield w.subheading(t("briefing.inputs.pending", lang))
    if b.pending:
        header = tuple(
            t(f"briefing.column.{k}", lang) for k in ("received", "source", "input", "days")
        )
        rows = [(_date(i.received_on), i.source, i.text, str(i.days_waiting)) for i in b.pending]
        yield w.table(header, rows, "(auto, 1.4fr, 2fr, auto)")
        yield w.note(t("briefing.inputs.days_note", lang, date=_date(b.as_of)))
    else:
        yield w.para(t("briefing.inputs.no_pending", lang))
    yield w.subheading(t("briefing.inputs.answered", lang))
    if b.answered:
        columns = ("received", "source", "input", "response", "reasoning")
        answered = [
            (_date(i.received_on), i.source, i.text, i.response, i.reasoning) for i in b.answered
        ]
        yield w.table(
            [t(f"briefing.column.{k}", lang) for k in columns],
            answered,
            "(auto, 1.4fr, 2fr, auto, 2fr)",
        )
    else:
        yield w.para(t("briefing.inputs.no_answered", lang))


def _commitments(b: Briefing, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.commitments", lang)
    if not b.commitments:
        yield w.para(t("briefing.commitments.none", lang))
        return
    keys = ("commitment", "responsible", "status", "progress", "milestones", "due")
    header = tuple(t(f"briefing.column.{k}", lang) for k in keys)
    rows = []
    for c in b.commitments:
        flags = [t("briefing.flag.overdue", lang)] if c.overdue else []
        flags += [t("briefing.flag.stalled", lang)] if c.stalled else []
        status = " ".join([c.status, *flags])
        rows.append(
            (c.title, c.responsible, status, f"{c.progress}%", str(c.milestones), _date(c.due_on))
        )
    yield w.table(header, rows, "(2fr, 1.5fr, 1fr, auto, auto, auto)")


def _risks(b: Briefing, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.risks", lang)
    titles = {
        "resisting": t("briefing.risks.resisting", lang),
        "commitments": t("briefing.risks.commitments", lang),
        "inputs": t("briefing.risks.inputs", lang, days=b.response_limit),
        "ogp": t("briefing.risks.ogp", lang),
    }
    for key, title in titles.items():
        yield w.subheading(title)
        yield w.items(b.risks.get(key) or (t("briefing.risks.none", lang),))


def _annex(b: Briefing, w: Writer) -> Iterator[str]:
    lang = b.lang
    yield w.heading("briefing.section.annex", lang)
    yield w.subheading(t("briefing.glossary.title", lang))
    keys = ("grid", "salience", "engagement", "participation", "brokers", "ogp")
    yield w.items(t(f"briefing.glossary.{k}", lang) for k in keys)
    yield w.subheading(t("briefing.sources.title", lang))
    yield w.items(b.sources)
    yield w.subheading(t("briefing.privacy.title", lang))
    yield w.para(t("briefing.privacy.text", lang))
