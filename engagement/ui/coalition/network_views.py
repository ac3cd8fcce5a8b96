"""Widgets of the network map page: filters, style and layers, the cached view, summary,
legend, arrangement buttons, downloads and the actor chooser.

The view is cached per (program data version, layout revision, user, filters, style):
computed once after each change, never per rerun. The layout itself is computed and
stored once per data version (``_ensure_layout``).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

from engagement.io.marks import ExportMark
from engagement.maps.filters import NO_SECTOR, MapFilters
from engagement.maps.view import COLOUR_BY, MapStyle, MapView
from engagement.model import ProgramInfo
from engagement.services.coalition import maps
from engagement.ui import context, state
from engagement.ui.coalition.coalition_data import SIZE_MEASURES
from engagement.ui.coalition.network_component import MapEvent
from engagement.ui.feedback import reporting
from engagement.ui.i18n import label, tr

SECTORS = "network.sectors"
TIE_TYPES = "network.tie_types"
STRENGTH = "network.min_strength"
TAGS = "network.tags"
ON_DATE = "network.on_date"
EGO = "network.ego"
EGO_STEPS = "network.ego_steps"
COLOUR = "network.colour_by"
SIZE = "network.size_by"
MAX_NODES = "network.max_nodes"
CO_PARTICIPATION = "network.co_participation"
CHOOSER = "network.chooser"
RESET = "network.reset"
FILTERS_OPEN = "network.filters_open"
FILTERS_WERE_OPEN = "network.filters_were_open"
#: Filter values outlive their widgets while the filters expander is closed.
KEPT: Literal["page"] = "page"
PER_RUN = maps.PER_RUN
CAPS = (250, 500, 1000, 2000, 5000)
DEFAULT_CAP = 5000


@dataclass(frozen=True)
class Drawing:
    """A map view and the data drawn from it (selection and editing are added per run)."""

    view: MapView
    payload: Mapping[str, Any]
    #: ``payload`` as JSON, written once: a 5,000-actor map is megabytes of text, and
    #: the component sends bytes as they are (a dict would be encoded twice per run).
    data: bytes


def map_view(program: ProgramInfo, filters: MapFilters, style: MapStyle) -> Drawing:
    """The map this user sees under ``filters`` (citizens under stand-in names in
    presentation mode), from the read layer's cache when nothing changed."""
    title = tr("network.export.title", program=program.name)
    view, payload, data = maps.map_drawing(context.view(program.id), filters, style, title)
    return Drawing(view, payload, data)


def render_controls(program: ProgramInfo, actors: pd.DataFrame) -> tuple[MapFilters, MapStyle]:
    """Drawing choices in a row, filters in an expander that says how many are on."""
    active = _active_filters()
    title = tr("network.controls", count=active) if active else tr("network.controls_none")
    # The filters are built only while their expander is open (opening it reruns the page):
    # a closed expander's widgets (a 5,000-actor list among them) would still be sent and
    # drawn in the browser before the map. Their values are kept while it is closed.
    # A new count in the title makes a new expander: it opens as the last one was.
    filters_box = st.expander(
        title,
        expanded=bool(st.session_state.get(FILTERS_WERE_OPEN)),
        icon=":material/filter_alt:",
        key=FILTERS_OPEN,
        on_change="rerun",
    )
    st.session_state[FILTERS_WERE_OPEN] = bool(filters_box.open)
    if filters_box.open:
        with filters_box:
            _filter_widgets(program, actors, _names(actors))
    ego = st.session_state.get(EGO)
    first, second, third = st.columns(3)
    # Labels bound now (not looked up later): the widget formats them outside this run too.
    colours = {c: tr(f"network.colour.{c}") for c in COLOUR_BY}
    measures = {m: tr(f"analysis.column.{m}") for m in SIZE_MEASURES}
    first.selectbox(
        tr("network.colour_by"),
        COLOUR_BY,
        format_func=colours.__getitem__,
        key=COLOUR,
    )
    second.selectbox(
        tr("network.size_by"),
        SIZE_MEASURES,
        format_func=measures.__getitem__,
        key=SIZE,
        help=tr("network.size_help"),
    )
    third.selectbox(
        tr("network.max_nodes"),
        CAPS,
        index=CAPS.index(DEFAULT_CAP),
        key=MAX_NODES,
        help=tr("network.max_nodes_help"),
    )
    st.toggle(
        tr("network.layer.co_participation"),
        key=CO_PARTICIPATION,
        help=tr("network.layer.co_participation_help"),
    )
    filters = MapFilters(
        sectors=tuple(st.session_state.get(SECTORS) or ()),
        tie_types=tuple(st.session_state.get(TIE_TYPES) or ()),
        min_strength=int(st.session_state.get(STRENGTH) or 1),
        tags=tuple(st.session_state.get(TAGS) or ()),
        on_date=st.session_state.get(ON_DATE),
        ego_actor=int(ego) if ego is not None and bool((actors["id"] == int(ego)).any()) else None,
        ego_steps=int(st.session_state.get(EGO_STEPS) or 1),
    )
    style = MapStyle(
        colour_by=str(st.session_state.get(COLOUR) or "sector"),
        size_by=str(st.session_state.get(SIZE) or "degree"),
        max_nodes=int(st.session_state.get(MAX_NODES) or DEFAULT_CAP),
        lang=state.lang(),
        co_participation=bool(st.session_state.get(CO_PARTICIPATION)),
    )
    return filters, style


def _filter_widgets(program: ProgramInfo, actors: pd.DataFrame, names: dict[int, str]) -> None:
    """The filters; ``render_controls`` reads their values from the session."""
    first, second, third = st.columns(3)
    sectors = {s.key: label(s) for s in program.sectors} | {
        NO_SECTOR: tr("network.legend.no_sector")
    }
    first.multiselect(
        tr("network.filter.sectors"),
        list(sectors),
        format_func=sectors.__getitem__,
        key=SECTORS,
        persist_state=KEPT,
        placeholder=tr("network.all"),
    )
    types = {tt.key: label(tt) for tt in program.tie_types}
    second.multiselect(
        tr("network.filter.tie_types"),
        list(types),
        format_func=types.__getitem__,
        key=TIE_TYPES,
        persist_state=KEPT,
        placeholder=tr("network.all"),
    )
    strengths = {n: tr(f"network.strength.{n}") for n in (1, 2, 3)}
    third.select_slider(
        tr("network.filter.min_strength"),
        options=list(strengths),
        format_func=strengths.__getitem__,
        key=STRENGTH,
        persist_state=KEPT,
        help=tr("network.filter.min_strength_help"),
    )
    tags = sorted({str(tag) for row in actors["tags"] for tag in (row or ())}, key=str.casefold)
    first.multiselect(
        tr("network.filter.tags"),
        tags,
        key=TAGS,
        persist_state=KEPT,
        placeholder=tr("network.all"),
    )
    second.date_input(
        tr("network.filter.date"),
        value=None,
        key=ON_DATE,
        persist_state=KEPT,
        help=tr("network.filter.date_help"),
        format="DD/MM/YYYY",
    )
    third.selectbox(
        tr("network.filter.ego"),
        list(names),
        format_func=names.__getitem__,
        index=None,
        key=EGO,
        persist_state=KEPT,
        placeholder=tr("network.filter.ego_none"),
        help=tr("network.filter.ego_help"),
    )
    if st.session_state.get(EGO) is not None:
        third.slider(tr("network.filter.ego_steps"), 1, 4, 1, key=EGO_STEPS, persist_state=KEPT)


def _active_filters() -> int:
    keys = (SECTORS, TIE_TYPES, TAGS, ON_DATE, EGO)
    found = sum(1 for key in keys if st.session_state.get(key) not in (None, [], ()))
    return found + (1 if int(st.session_state.get(STRENGTH) or 1) > 1 else 0)


def _names(actors: pd.DataFrame) -> dict[int, str]:
    ordered = actors.sort_values("name", key=lambda s: s.str.casefold())
    return dict(zip(ordered["id"].astype(int), ordered["name"].astype(str), strict=True))


def render_summary(view: MapView) -> None:
    """How much of the program the map shows, and why when it is capped."""
    st.caption(tr("network.summary", shown=len(view.nodes), total=view.total, ties=len(view.edges)))
    if view.capped:
        st.warning(
            tr(
                "network.capped_by",
                shown=len(view.nodes),
                matching=view.matching,
                measure=tr(f"analysis.column.{view.size_by}"),
            ),
            icon=":material/filter_alt:",
        )
    if view.co_participation and view.nodes:
        pairs = len(view.co_ties)
        if pairs:
            st.caption(tr("network.layer.co_participation_summary", count=pairs))
        else:
            st.caption(tr("network.layer.co_participation_none"))


def payload(drawing: Drawing, editable: bool) -> bytes:
    """The drawing's data (JSON) with this run's selected actor and whether drags are
    saved, joined to the cached text without encoding it again."""
    selected = st.session_state.get(state.SELECTED_ACTOR)
    chosen = selected if isinstance(selected, int) else None
    head = json.dumps({"editable": editable, "selected": chosen}, separators=(",", ":"))
    return head[:-1].encode("utf-8") + b"," + drawing.data[1:]


def handle_event(program_id: int, event: MapEvent) -> None:
    """A click selects the actor everywhere in the app; a drag is saved for the program."""
    if event.selected is not None:
        st.session_state[state.SELECTED_ACTOR] = event.selected
    if event.moved:
        with reporting():
            maps.save_positions(context.database(), context.current_user(), program_id, event.moved)
            # Show the saved arrangement (the browser moves nothing: positions are the same).
            st.rerun()


def render_legend(view: MapView) -> None:
    """The legend in the user's language (labels escaped: sector names are user text)."""
    items = []
    for entry in view.legend:
        colour = html.escape(entry.colour)
        if entry.kind == "node":
            mark = (
                '<span style="display:inline-block;width:13px;height:13px;border-radius:50%;'
                f'background:{colour};border:1px solid #34495E"></span>'
            )
        else:
            dash = {"conflict": "dashed", "co_participation": "dotted"}.get(entry.kind, "solid")
            thick = {"width": 5, "co_participation": 3}.get(entry.kind, 2)
            tip = "&#9654;" if entry.kind == "arrow" else ""
            mark = (
                f'<span style="display:inline-block;width:22px;border-top:{thick}px {dash} '
                f'{colour}"></span><span style="color:{colour};font-size:9px">{tip}</span>'
            )
        items.append(
            '<span style="display:inline-flex;align-items:center;gap:6px;margin-right:16px">'
            f"{mark}{html.escape(entry.label)}</span>"
        )
    title = html.escape(tr("network.legend.title"))
    st.html(
        '<div class="tejido-legend" style="font-size:14px;line-height:1.9">'
        f"<strong>{title}:</strong> {''.join(items)}</div>"
    )


def render_arrangement(program_id: int, view: MapView, editable: bool) -> None:
    """Say how the arrangement is kept, and offer to reset it."""
    if not editable:
        st.caption(tr("network.readonly"))
        return
    pinned = sum(1 for n in view.nodes if n.pinned)
    st.caption(tr("network.arrange_help", count=pinned))
    if st.button(
        tr("network.reset"), key=RESET, icon=":material/restart_alt:", help=tr("network.reset_help")
    ):
        with reporting():
            maps.reset_arrangement(context.database(), context.current_user(), program_id)
            state.flash("success", tr("network.reset_done"))
            st.rerun()


def render_downloads(program: ProgramInfo, view: MapView) -> None:
    """The current view as a standalone HTML page (PNG is the map's own button), marked
    with the program, the time of the click and who downloaded it."""
    by, presenting, lang = context.current_user().username, state.presentation(), state.lang()
    stem = tr("network.download.file_name")
    if presenting:
        stem += "-" + tr("export_mark.file_suffix")

    def page() -> str:
        mark = ExportMark.now(program.name, by, presentation=presenting)
        return maps.view_html(mark, view, lang)

    st.download_button(
        tr("network.download.html"),
        data=page,
        file_name=stem + ".html",
        mime="text/html",
        key="network.download_html",
        icon=":material/download:",
        on_click="ignore",
        help=tr("network.download.html_help"),
    )
    st.caption(tr("network.download.png_help"))


def render_chooser(view: MapView) -> int | None:
    """An actor chooser kept in step with clicks on the map; returns the selected id."""
    names = {n.id: n.name for n in sorted(view.nodes, key=lambda n: n.name.casefold())}
    selected = st.session_state.get(state.SELECTED_ACTOR)
    st.session_state[CHOOSER] = selected if selected in names else None
    st.selectbox(
        tr("network.chooser"),
        list(names),
        format_func=names.__getitem__,
        index=None,
        placeholder=tr("network.chooser.placeholder"),
        key=CHOOSER,
        on_change=_chosen,
    )
    value = st.session_state.get(CHOOSER)
    return int(value) if value is not None else None


def _chosen() -> None:
    st.session_state[state.SELECTED_ACTOR] = st.session_state.get(CHOOSER)
