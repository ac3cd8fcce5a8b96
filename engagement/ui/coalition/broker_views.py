"""The "Intermediarios" / "Brokers" tab: who links which sectors, and in which role, in
words (Gould-Fernandez roles with the sector as the group), with the measures rounded
to 2 decimals on screen and 4 in the CSV and XLSX files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from engagement.analysis.brokerage import ROLES
from engagement.i18n import t
from engagement.io.marks import ExportMark
from engagement.io.writers import CSV_MIME, XLSX_MIME, Table, csv_bytes, xlsx_bytes
from engagement.services.coalition import network
from engagement.services.exchange import exports
from engagement.ui import context, state
from engagement.ui.i18n import label, tr

#: Brokers described in sentences above the table (the table lists them all).
SENTENCES = 8
#: Pairs of sectors named per broker in the table's "connects" column.
PAIRS_SHOWN = 3
SCREEN_DECIMALS, FILE_DECIMALS = 2, 4
MEASURES = ("betweenness", "effective_size", "constraint")
TABLE_KEY = "brokers.table"


def role_phrase(role: str, source: str, target: str, paths: int, lang: str) -> str:
    """One brokered link in words, e.g. "enlace entre Academia y Medios (3)".

    Examples
    --------
    >>> role_phrase("gatekeeper", "Academia", "Medios", 2, "en")
    'gatekeeper: lets Academia into Medios (2)'
    >>> role_phrase("liaison", "Academia", "Medios", 1, "es")
    'enlace entre Academia y Medios (1)'
    """
    return t(f"brokers.phrase.{role}", lang, source=source, target=target, count=paths)


def broker_table(
    found: network.Brokers, sectors: Mapping[str, str], lang: str, decimals: int
) -> pd.DataFrame:
    """One row per broker, in words: actor, sector, main role, paths brokered, the three
    measures rounded to ``decimals``, and which sectors it links (last: the longest)."""
    phrases = _phrases(found.pairs, sectors, lang)
    rows = []
    for row in found.actors.to_dict("records"):
        counts = {r.value: int(row[r.value]) for r in ROLES}
        main = max(ROLES, key=lambda r: (counts[r.value], -ROLES.index(r)))
        links = phrases.get(int(row["id"]), [])
        rows.append(
            [
                str(row["name"]),
                sectors.get(str(row["sector"]), "—") if isinstance(row["sector"], str) else "—",
                t(f"brokers.role.{main.value}", lang),
                int(row["brokerage_total"]),
                *(_rounded(row[m], decimals) for m in MEASURES),
                "; ".join(links[:PAIRS_SHOWN]) + (" …" if len(links) > PAIRS_SHOWN else ""),
            ]
        )
    header = [
        t("brokers.column.actor", lang),
        t("brokers.column.sector", lang),
        t("brokers.column.main_role", lang),
        t("brokers.column.paths", lang),
        *(t(f"analysis.column.{m}", lang) for m in MEASURES),
        t("brokers.column.connects", lang),
    ]
    return pd.DataFrame(rows, columns=header)


def broker_sentences(
    found: network.Brokers, sectors: Mapping[str, str], lang: str, limit: int = SENTENCES
) -> list[str]:
    """The leading brokers, one sentence each: who, from which sector, links what."""
    phrases = _phrases(found.pairs, sectors, lang)
    out = []
    for row in found.actors.head(limit).to_dict("records"):
        sector = sectors.get(str(row["sector"]), "—") if isinstance(row["sector"], str) else "—"
        links = phrases.get(int(row["id"]), [])[:PAIRS_SHOWN]
        out.append(
            t("brokers.sentence", lang, name=row["name"], sector=sector, links="; ".join(links))
        )
    return out


def _phrases(pairs: pd.DataFrame, sectors: Mapping[str, str], lang: str) -> dict[int, list[str]]:
    """Per broker, its links in words, most paths first (then by role order)."""
    order = {r.value: i for i, r in enumerate(ROLES)}
    ranked = pairs.assign(_order=pairs["role"].map(order)).sort_values(
        ["id", "paths", "_order"], ascending=[True, False, True], kind="stable"
    )
    found: dict[int, list[str]] = {}
    for row in ranked.to_dict("records"):
        source = sectors.get(str(row["from_sector"]), str(row["from_sector"]))
        target = sectors.get(str(row["to_sector"]), str(row["to_sector"]))
        phrase = role_phrase(str(row["role"]), source, target, int(row["paths"]), lang)
        found.setdefault(int(row["id"]), []).append(phrase)
    return found


def _rounded(value: object, decimals: int) -> float | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else round(float(number), decimals)


def render_brokers(program_id: int, mark: ExportMark) -> None:
    """Sentences for the leading brokers, the table (2 decimals) and its files (4)."""
    st.caption(tr("brokers.explain"))
    found = context.view(program_id).brokers()
    if found.actors.empty:
        st.info(tr("brokers.none"))
        return
    names = _visible_names(program_id)
    found = network.Brokers(
        found.actors.assign(name=found.actors["id"].map(names).fillna(found.actors["name"])),
        found.pairs,
    )
    lang = state.lang()
    sectors = {s.key: label(s) for s in context.program(program_id).sectors}
    for sentence in broker_sentences(found, sectors, lang):
        st.markdown(f"- {_markdown_safe(sentence)}")
    shown = broker_table(found, sectors, lang, SCREEN_DECIMALS)
    # Widths that fit a laptop's page (1366 px): the name pinned, the links last.
    number = st.column_config.NumberColumn(format=f"%.{SCREEN_DECIMALS}f", width=92)
    columns = list(shown.columns)
    config: dict[str, Any] = {c: number for c in columns[4:7]}
    config[columns[0]] = st.column_config.TextColumn(width=200, pinned=True)
    config[columns[1]] = st.column_config.TextColumn(width=140)
    config[columns[2]] = st.column_config.TextColumn(width=100)
    config[columns[3]] = st.column_config.NumberColumn(width=92)
    config[columns[7]] = st.column_config.TextColumn(width="large")
    st.dataframe(shown, hide_index=True, key=TABLE_KEY, column_config=config)
    _downloads(found, sectors, lang, mark)


def _downloads(
    found: network.Brokers, sectors: Mapping[str, str], lang: str, mark: ExportMark
) -> None:
    full = broker_table(found, sectors, lang, FILE_DECIMALS)
    table = Table(tr("brokers.tab"), tuple(full.columns), full.to_numpy().tolist())
    stem = f"{exports.file_stem(mark.program, lang, presentation=mark.presentation)}-"
    stem += tr("brokers.file_name")
    cols = st.columns(2)
    cols[0].download_button(
        tr("analysis_ui.csv"), lambda: csv_bytes(table), f"{stem}.csv", CSV_MIME,
        key="brokers.csv", on_click="ignore",
    )  # fmt: skip
    cols[1].download_button(
        tr("analysis_ui.xlsx"), lambda: xlsx_bytes([table, mark.about_table(lang)]),
        f"{stem}.xlsx", XLSX_MIME, key="brokers.xlsx", on_click="ignore",
    )  # fmt: skip


def _visible_names(program_id: int) -> dict[int, str]:
    """Names as this user sees them (stand-ins for citizens in presentation mode)."""
    actors = context.frame(program_id, "actors")
    return {int(i): str(n) for i, n in zip(actors["id"], actors["name"], strict=True)}


def _markdown_safe(text: str) -> str:
    """User text (names, sectors) shown literally in markdown."""
    for char in "\\`*_{}[]<>()#+-.!|~$":
        text = text.replace(char, "\\" + char)
    return text
