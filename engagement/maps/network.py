"""The map as pyvis/vis-network data: a pyvis ``Network`` and the JSON payload drawn from it.

The node and edge lists are built here from plain Python values (pyvis's ``from_nx``
mutates its input and is quadratic on undirected graphs; numpy values break its JSON).
pyvis's own HTML template is never used: it renders with autoescaping off, switches
every tooltip to ``innerHTML`` as soon as one contains "href", and adds Bootstrap from
a CDN. Our drawing code (``static/map_core.js``) takes the payload as JSON data and
shows every text as text.

Positions always come from the stored layout (physics never runs in the browser), and
names are not vis-network labels: our label layer draws them whole (wrapped on up to
three lines) at a readable size, most central actors first, and only where they
overlap nothing (see ``map_payload``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pyvis.network import Network

from engagement.i18n import t
from engagement.maps.layers import CO_PARTICIPATION_COLOUR, CO_PARTICIPATION_DASHES, CoTie
from engagement.maps.view import (
    CONFLICT_COLOUR,
    LABEL_CHARS,
    LABEL_LINES,
    TIE_COLOUR,
    LegendEntry,
    MapView,
)

NODE_BORDER = "#34495E"
SELECTED_BORDER = "#000000"
FONT_COLOUR = "#1B2631"
#: Above this many nodes, edges are hidden while dragging or zooming (keeps frames fast).
FAST_INTERACTION_NODES = 1000


def pyvis_network(view: MapView) -> Network:
    """A pyvis ``Network`` holding the view's nodes, edges and options."""
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    nodes = [_node(n) for n in view.nodes]
    net.nodes = nodes
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = [_edge(e) for e in view.edges] + [_co_edge(c) for c in view.co_ties]
    net.options = vis_options(view)
    return net


def vis_options(view: MapView) -> dict[str, Any]:
    """vis-network options: stored positions (no physics), no built-in labels."""
    large = len(view.nodes) > FAST_INTERACTION_NODES
    groups = {entry.key: _group(entry) for entry in view.legend if entry.kind == "node"}
    return {
        "autoResize": True,
        "groups": groups,
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"size": 14, "face": "sans-serif", "color": FONT_COLOUR},
        },
        "edges": {
            "smooth": False,
            "color": {"color": TIE_COLOUR, "highlight": "#1F5F8B", "hover": "#1F5F8B"},
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}},
            "selectionWidth": 1.5,
        },
        "physics": {"enabled": False},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
        },
    }


def _group(entry: LegendEntry) -> dict[str, Any]:
    colour = {"background": entry.colour, "border": NODE_BORDER}
    return {
        "color": {
            **colour,
            "highlight": {"background": entry.colour, "border": SELECTED_BORDER},
            "hover": {"background": entry.colour, "border": SELECTED_BORDER},
        }
    }


def _node(node: Any) -> dict[str, Any]:
    return {
        "id": node.id,
        "title": node.title,
        "group": node.group,
        "size": node.size,
        "x": node.x,
        "y": node.y,
    }


def _edge(edge: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": edge.id,
        "from": edge.source,
        "to": edge.target,
        "width": edge.width,
        "title": edge.title,
    }
    if edge.directed:
        data["arrows"] = "to"
    if edge.conflict:
        data["dashes"] = True
        data["color"] = {
            "color": CONFLICT_COLOUR,
            "highlight": CONFLICT_COLOUR,
            "hover": CONFLICT_COLOUR,
        }
    return data


def _co_edge(tie: CoTie) -> dict[str, Any]:
    """A co-participation tie: dotted, undirected, gently curved (so it shows beside a
    straight relationship between the same actors), and left out of the physics, so the
    layer never moves an actor."""
    return {
        "id": tie.key,
        "from": tie.source,
        "to": tie.target,
        "width": tie.width,
        "title": tie.title,
        "dashes": list(CO_PARTICIPATION_DASHES),
        "arrows": {"to": {"enabled": False}},
        "physics": False,
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.25},
        "color": {
            "color": CO_PARTICIPATION_COLOUR,
            "highlight": CO_PARTICIPATION_COLOUR,
            "hover": CO_PARTICIPATION_COLOUR,
        },
    }


def map_payload(
    view: MapView,
    *,
    title: str,
    lang: str,
    editable: bool = False,
    selected: int | None = None,
    height: int | None = None,
) -> dict[str, Any]:
    """Everything the drawing code needs, as JSON-safe plain values.

    ``frame`` identifies the picture without positions and ``version`` with them, so
    the browser can move nodes in place after a saved drag instead of redrawing.
    ``order`` lists node ids most central first (by the sizing measure): the order in
    which the label layer names actors. A node's name is the first line of its tooltip
    (not sent twice: the payload of a large map is what the page waits for), written
    whole, wrapped on lines of about ``label_chars`` characters, at most
    ``label_lines`` lines, as :func:`engagement.text.wrap_name` wraps it (the browser
    wraps only the names it tries to place, once each). Without ``height`` (pixels)
    the map takes the height of the window, less room for its toolbar.
    """
    net = pyvis_network(view)
    nodes, edges = net.nodes, net.edges
    options = net.options
    order = label_order(view)
    frame = _digest(
        [[{k: v for k, v in n.items() if k not in ("x", "y")} for n in nodes], edges, options]
    )
    version = _digest([frame, [(n["id"], n["x"], n["y"]) for n in nodes]])
    return {
        "frame": frame,
        "version": version,
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "order": order,
        "label_chars": LABEL_CHARS,
        "label_lines": LABEL_LINES,
        "legend": [{"label": e.label, "colour": e.colour, "kind": e.kind} for e in view.legend],
        "labels": {
            "fit": t("network.button.fit", lang),
            "png": t("network.button.png", lang),
            "drawing": t("network.drawing", lang),
            "legend": t("network.legend.title", lang),
        },
        "title": title,
        "file_name": "tejido-mapa" if lang == "es" else "tejido-map",
        "editable": editable,
        "selected": selected,
        "height": height,
    }


def label_order(view: MapView) -> list[int]:
    """Node ids, most central first (largest node, then by name): the order in which
    the label layer names actors.

    Examples
    --------
    >>> from engagement.maps.view import MapNode
    >>> node = lambda i, name, size: MapNode(i, "", "g", size, 0.0, 0.0, False, name)
    >>> view = MapView((node(1, "Bea", 10.0), node(2, "Ana", 30.0), node(3, "Abel", 10.0)),
    ...                (), (), 3, 3, "degree", "sector")
    >>> label_order(view)
    [2, 3, 1]
    """
    ranked = sorted(view.nodes, key=lambda n: (-n.size, n.name.casefold(), n.id))
    return [n.id for n in ranked]


def payload_json(payload: dict[str, Any]) -> str:
    """Stable JSON (same data, same text), safe to place inside an HTML ``<script>``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``-style escapes, so no user text can
    close the script element or open a tag.

    Examples
    --------
    >>> payload_json({"label": "</script><img src=x onerror=alert(1)>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
