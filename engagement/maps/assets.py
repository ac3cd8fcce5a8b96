"""The drawing code: pyvis's bundled vis-network (read from the installed package at
runtime, so nothing is fetched from the internet and nothing is copied into this
repository) and our glue in ``static/map_core.js``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import pyvis

#: The vis-network build pyvis 0.3.2 bundles (Apache-2.0 / MIT, see its header).
VIS_VERSION = "9.1.2"
_STATIC = Path(__file__).parent / "static"
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def _vis_dir() -> Path:
    return Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"


@cache
def vis_network_js() -> str:
    """vis-network's UMD bundle, without its source-map comment (a file we do not ship)."""
    text = (_vis_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    return _SOURCE_MAP.sub("", text)


@cache
def vis_network_css() -> str:
    return (_vis_dir() / "vis-network.css").read_text(encoding="utf-8")


@cache
def map_core_js() -> str:
    """Our drawing code: ``tejidoMap(vis, host, payload, hooks)``."""
    return (_STATIC / "map_core.js").read_text(encoding="utf-8")


@cache
def map_bundle_js() -> str:
    """vis-network and our drawing code in one classic script: run by a ``<script>``
    tag it defines ``globalThis.vis`` (vis-network's UMD wrapper, with no module loader
    present) and ``globalThis.tejidoMap`` (a top-level function declaration)."""
    return f"{vis_network_js()}\n;\n{map_core_js()}"


@cache
def map_css() -> str:
    """Styles of the toolbar and the tooltip (shared by the app and the export)."""
    return (_STATIC / "map.css").read_text(encoding="utf-8")


def template_dir() -> Path:
    return Path(str(resources.files("engagement.maps") / "templates"))
