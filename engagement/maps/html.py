"""The network map as one standalone HTML file that works offline.

Everything is inline: pyvis's bundled vis-network, our drawing code and the data. The
page loads nothing (a Content-Security-Policy forbids any fetch). User text is in the
data as escaped JSON and in the title and legend through Jinja's autoescaping.
"""

from __future__ import annotations

import re

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from engagement.i18n import t
from engagement.maps import assets
from engagement.maps.network import map_payload, payload_json
from engagement.maps.view import MapView

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(assets.template_dir())),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def standalone_html(
    view: MapView, *, title: str, lang: str, meta: tuple[str, ...] = (), footer: str = ""
) -> str:
    """The whole page: title, notes (``meta``, e.g. filters and counts), map, legend and a
    footer line (who made the page, and when)."""
    payload = map_payload(view, title=title, lang=lang, height=720)
    legend = [
        {
            "label": e.label,
            "colour": e.colour if _HEX.match(e.colour) else "#FFFFFF",
            "kind": e.kind,
        }
        for e in view.legend
    ]
    template = _environment().get_template("map.html")
    return template.render(
        lang=lang if lang in ("es", "en") else "es",
        title=title,
        meta=meta,
        footer=footer,
        legend=legend,
        legend_title=t("network.legend.title", lang),
        # Trusted code from the installed pyvis package and from this repository.
        vis_css=Markup(assets.vis_network_css()),  # noqa: S704
        map_css=Markup(assets.map_css()),  # noqa: S704
        vis_js=Markup(_script_safe(assets.vis_network_js())),  # noqa: S704
        core_js=Markup(_script_safe(assets.map_core_js())),  # noqa: S704
        data_json=Markup(payload_json(payload)),  # noqa: S704
    )


def _script_safe(code: str) -> str:
    """Trusted script text that cannot end its own <script> element early."""
    return code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
