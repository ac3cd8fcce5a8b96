"""The interactive network map: a small ``st.components.v2`` component around vis-network.

A plain pyvis HTML page cannot tell the app which node was clicked; this component
draws the same vis-network data (the copy bundled with pyvis, inlined: nothing is
fetched) and sends back the clicked actor's id and the positions of dragged actors.

Security: the component's JavaScript runs with the app page's privileges, so only our
own code goes into ``js``/``css``; the map arrives as JSON ``data`` and every text in
it is shown as text (see engagement/maps/static/map_core.js).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import streamlit as st

from engagement.maps import assets

COMPONENT_NAME = "tejido.network_map"

_MODULE = """
const visModule = {};
(function (exports, module, define) {
%(vis)s
}).call(globalThis, visModule, { exports: visModule }, undefined);

%(core)s

const maps = new WeakMap();

// The map arrives as UTF-8 JSON bytes (see engagement.ui.coalition.network_views.payload).
let lastBytes = null;
let lastData = null;
function decode(data) {
  if (data instanceof ArrayBuffer) data = new Uint8Array(data);
  if (!(data instanceof Uint8Array)) return data;
  if (data === lastBytes) return lastData;
  lastBytes = data;
  lastData = JSON.parse(new TextDecoder().decode(data));
  return lastData;
}

// Printing: a canvas prints blank, so the map's last drawing (with its legend) is put in
// an image that only print media shows, refreshed when the browser is about to print.
function printPicture(parentElement, entry) {
  let img = parentElement.querySelector("img.tejido-map-print");
  if (!img) {
    img = document.createElement("img");
    img.className = "tejido-map-print";
    img.alt = "";
    parentElement.appendChild(img);
  }
  const url = entry.map.png();
  if (url) img.src = url;
}

export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const data = decode(component.data);
  const hooks = {
    onSelect: (id) => setTriggerValue("selected", id),
    onMoved: (moved) => setTriggerValue("moved", moved),
  };
  let entry = maps.get(parentElement);
  if (!entry) {
    entry = { hooks: hooks };
    entry.map = tejidoMap(visModule, parentElement, data, {
      onSelect: (id) => entry.hooks.onSelect(id),
      onMoved: (moved) => entry.hooks.onMoved(moved),
    });
    entry.print = () => printPicture(parentElement, entry);
    window.addEventListener("beforeprint", entry.print);
    maps.set(parentElement, entry);
  } else {
    entry.hooks = hooks;
    entry.map.update(data);
  }
  return () => {
    const found = maps.get(parentElement);
    if (found) {
      window.removeEventListener("beforeprint", found.print);
      found.map.destroy();
      maps.delete(parentElement);
    }
  };
}
"""


#: On paper the live map (toolbar and canvas) gives way to the picture of its drawing.
PRINT_CSS = """
img.tejido-map-print { display: none; }
@media print {
  img.tejido-map-print { display: block; width: 100%; height: auto; }
  .tj-map { display: none !important; }
}
"""


@dataclass(frozen=True)
class MapEvent:
    """What the user did on the map in the run that just started."""

    selected: int | None = None
    #: {actor id: [x, y]} as sent by the browser, not yet checked.
    moved: dict[Any, Any] | None = None


@cache
def _module_js() -> str:
    return _MODULE % {"vis": assets.vis_network_js(), "core": assets.map_core_js()}


@cache
def _component() -> Any:
    css = assets.map_css() + PRINT_CSS
    return st.components.v2.component(COMPONENT_NAME, css=css, js=_module_js())


def render_network(payload: bytes | dict[str, Any], *, key: str = "network_map") -> MapEvent:
    """Draw the map (its payload as a dict, or as UTF-8 JSON bytes); return the actor
    clicked or the positions dragged, if any."""
    result = _component()(
        key=key,
        data=payload,
        on_selected_change=_ignore,
        on_moved_change=_ignore,
    )
    return MapEvent(selected=_actor_id(result.get("selected")), moved=_moved(result.get("moved")))


def _ignore() -> None:
    """The component needs a callback per value it sends; the page reads the result."""


def _actor_id(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _moved(value: Any) -> dict[Any, Any] | None:
    """Positions as the browser sent them ({id: [x, y]}); the service checks every value."""
    return dict(value) if isinstance(value, dict) and value else None
