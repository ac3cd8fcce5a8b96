"""The map's drawing code as a file (engagement/web/asset_routes.py) and the component's
two modules: the loader of that file, and the inlined fallback.

The browser side (fetched once, kept, never resent with a rerun) is tested in
tests/browser/test_network_browser.py against real servers.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor

from starlette.requests import Request
from starlette.responses import Response

from engagement.maps import assets
from engagement.ui.coalition import network_component
from engagement.web import asset_routes


def _get(path: str, *, accept: str = "") -> Response:
    headers = [(b"accept-encoding", accept.encode())] if accept else []
    scope = {"type": "http", "method": "GET", "path": path, "headers": headers, "query_string": b""}
    # On a thread of its own: a browser test in the same worker may hold a running loop.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asset_routes.serve_asset(Request(scope))).result()


def test_the_bundle_is_named_by_its_content_and_holds_vis_network_and_our_code() -> None:
    bundle = asset_routes.map_bundle()
    digest = hashlib.sha256(bundle.body).hexdigest()[:16]
    assert bundle.path == f"{asset_routes.ASSET_PREFIX}map-{digest}.js"
    text = bundle.body.decode("utf-8")
    assert text.startswith(assets.vis_network_js()[:300])
    assert "function tejidoMap(vis, host, payload, hooks)" in text
    assert "sourceMappingURL" not in text  # no request for a file we do not ship


def test_the_bundle_is_served_as_javascript_and_kept_by_the_browser() -> None:
    bundle = asset_routes.map_bundle()
    response = _get(bundle.path)
    assert response.status_code == 200
    assert response.body == bundle.body
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-encoding" not in response.headers


def test_a_browser_that_accepts_gzip_gets_the_bundle_compressed_once() -> None:
    bundle = asset_routes.map_bundle()
    response = _get(bundle.path, accept="gzip, deflate, br")
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.body is bundle.gzipped  # compressed at start, not per request
    assert gzip.decompress(response.body) == bundle.body
    assert len(response.body) < len(bundle.body) / 3


def test_any_other_name_is_not_found_and_not_cached() -> None:
    stale = f"{asset_routes.ASSET_PREFIX}map-0000000000000000.js"
    for path in (stale, f"{asset_routes.ASSET_PREFIX}..%2Fserver.py"):
        response = _get(path)
        assert response.status_code == 404
        assert response.headers["cache-control"] == "no-store"
        assert response.body == b""


def test_the_loader_module_carries_no_drawing_code() -> None:
    path = asset_routes.map_bundle().path
    loader = network_component.module_js(path)
    assert json.dumps(path) in loader
    assert "globalThis.tejidoMapCode" in loader  # one fetch, shared with the early start
    assert assets.vis_network_js()[1000:1200] not in loader
    assert "function tejidoMap" not in loader
    assert len(loader) < 5_000
    assert "export default function" in loader


def test_the_fallback_module_inlines_the_drawing_code() -> None:
    inlined = network_component.module_js(None)
    assert assets.vis_network_js()[1000:1200] in inlined
    assert "function tejidoMap(vis, host, payload, hooks)" in inlined
    assert asset_routes.ASSET_PREFIX not in inlined
