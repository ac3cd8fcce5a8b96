"""The interactive network map: a small ``st.components.v2`` component around vis-network.

A plain pyvis HTML page cannot tell the app which node was clicked; this component
draws the same vis-network data (the copy bundled with pyvis, never fetched from the
internet) and sends back the clicked actor's id and the positions of dragged actors.

The drawing code comes from the app's own asset route when ``server.py`` serves it
(``engagement.web.asset_routes``: fetched once, kept by the browser), else it is inlined
in the component's module, which Streamlit resends with every rerun that changes the map.

Security: the component's JavaScript runs with the app page's privileges, so only our
own code goes into ``js``/``css``; the map arrives as JSON ``data`` and every text in
it is shown as text (see engagement/maps/static/map_core.js).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import streamlit as st

from engagement.maps import assets
from engagement.web import asset_routes

COMPONENT_NAME = "tejido.network_map"

#: The drawing code inlined in the module (``streamlit run app.py``, AppTest): it then
#: travels with every element of the map, so with each rerun that changes its data.
_INLINE_CODE = """
const visModule = {};
(function (exports, module, define) {
%(vis)s
}).call(globalThis, visModule, { exports: visModule }, undefined);

%(core)s

const inlined = { vis: visModule, draw: tejidoMap };
function drawingCode() {
  return inlined;
}
"""

#: Starts loading the drawing code from the app's own asset route (``server.py``), once
#: per page: a classic script defines ``vis`` and ``tejidoMap`` globally, and the browser
#: keeps the file (its name holds a hash of its content). Run early by ``preload_code``
#: and again (a no-op then) by the component, which awaits the same promise.
_LOAD = """
globalThis.tejidoMapCode = globalThis.tejidoMapCode || new Promise((resolve, reject) => {
  const src = %(url)s;
  const script = document.createElement("script");
  script.src = src;
  script.onload = () => resolve({ vis: globalThis.vis, draw: globalThis.tejidoMap });
  script.onerror = () => {
    globalThis.tejidoMapCode = null;  // the next run tries again
    script.remove();
    reject(new Error("Tejido: the map's code could not be loaded from " + src));
  };
  document.head.appendChild(script);
});
"""

#: With the route: a rerun sends only this loader and the map's data.
_LOADED_CODE = """
let loaded = null;
function drawingCode() {
  if (loaded) return loaded;
  %(load)s
  return globalThis.tejidoMapCode.then((code) => (loaded = code));
}
"""

_MODULE = """
%(code)s

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

// One call per new data. While the code loads, a newer call may overtake this one, and
// Streamlit then runs this call's clean-up at once: it must only end the map it owns.
function render(code, component) {
  const { parentElement, setTriggerValue } = component;
  const data = decode(component.data);
  const owner = {};
  const hooks = {
    onSelect: (id) => setTriggerValue("selected", id),
    onMoved: (moved) => setTriggerValue("moved", moved),
  };
  let entry = maps.get(parentElement);
  if (!entry) {
    entry = { hooks: hooks };
    entry.map = code.draw(code.vis, parentElement, data, {
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
  entry.owner = owner;
  return () => {
    const found = maps.get(parentElement);
    if (found && found.owner === owner) {
      window.removeEventListener("beforeprint", found.print);
      found.map.destroy();
      maps.delete(parentElement);
    }
  };
}

export default function (component) {
  const code = drawingCode();
  if (code instanceof Promise) return code.then((ready) => render(ready, component));
  return render(code, component);
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
def module_js(bundle_url: str | None) -> str:
    """The component's module: a loader of ``bundle_url``, or (``None``) the code inlined."""
    if bundle_url is None:
        code = _INLINE_CODE % {"vis": assets.vis_network_js(), "core": assets.map_core_js()}
    else:
        code = _LOADED_CODE % {"load": _load_js(bundle_url)}
    return _MODULE % {"code": code}


def _load_js(bundle_url: str) -> str:
    return _LOAD % {"url": json.dumps(bundle_url)}


def preload_code() -> None:
    """Start fetching the map's code now, while the server still computes and sends the
    map's data (a browser that has it already takes it from its cache). Our own constant
    script, no user text."""
    bundle_url = asset_routes.map_bundle_url()
    if bundle_url is not None:
        script = f"<script>{_load_js(bundle_url)}</script>"
        st.html(script, width="content", unsafe_allow_javascript=True)


@cache
def _component(bundle_url: str | None) -> Any:
    css = assets.map_css() + PRINT_CSS
    return st.components.v2.component(COMPONENT_NAME, css=css, js=module_js(bundle_url))


def render_network(payload: bytes | dict[str, Any], *, key: str = "network_map") -> MapEvent:
    """Draw the map (its payload as a dict, or as UTF-8 JSON bytes); return the actor
    clicked or the positions dragged, if any."""
    result = _component(asset_routes.map_bundle_url())(
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
