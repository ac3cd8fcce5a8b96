"""The map's drawing code as a file of its own, served beside the app by ``server.py``.

Inlined in the map component, vis-network (~470 KB) and our drawing code would travel
over the websocket again with every rerun that changes the map's data: Streamlit sends a
component's ``js`` text in each of its elements. Served here instead, under a name that
carries a hash of the content, the browser fetches it once and keeps it (``immutable``):
a rerun then sends only the map's data and a loader of a few hundred bytes.

``map_bundle_url()`` is that address while this process serves it (the routes were built
for ``st.App``, as ``server.py`` does), and ``None`` otherwise (``streamlit run app.py``,
AppTest): the component then inlines the code as before. Nothing is fetched from the
internet either way; the file is pyvis's bundled copy, read from the installed package.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engagement.maps import assets

ASSET_PREFIX = "/_tejido/assets/"
#: A year, and never revalidated: a new content gets a new name.
CACHE_FOREVER = "public, max-age=31536000, immutable"
_SERVED = threading.Event()


@dataclass(frozen=True)
class Asset:
    path: str
    body: bytes
    media_type: str
    #: ``body`` compressed once (gzip), not again for each browser that asks.
    gzipped: bytes


@cache
def map_bundle() -> Asset:
    """vis-network and ``map_core.js`` in one classic script, named by its content."""
    body = assets.map_bundle_js().encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:16]
    media_type = "text/javascript; charset=utf-8"
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return Asset(f"{ASSET_PREFIX}map-{digest}.js", body, media_type, packed)


def map_bundle_url() -> str | None:
    """Where the browser loads the map's code from, if this process serves it."""
    return map_bundle().path if _SERVED.is_set() else None


async def serve_asset(request: Request) -> Response:
    bundle = map_bundle()
    if request.url.path != bundle.path:
        # An old name (a page open across an upgrade) must not be cached as missing.
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    headers = {
        "Cache-Control": CACHE_FOREVER,
        "X-Content-Type-Options": "nosniff",
        "Vary": "Accept-Encoding",
    }
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(bundle.gzipped, media_type=bundle.media_type, headers=headers)
    return Response(bundle.body, media_type=bundle.media_type, headers=headers)


def routes() -> list[Route]:
    """The asset route; from now on the map component loads its code from it."""
    map_bundle()
    _SERVED.set()
    return [Route(f"{ASSET_PREFIX}{{name}}", serve_asset, methods=["GET"])]
