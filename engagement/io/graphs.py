"""GEXF and GraphML for Gephi, from plain node and edge records.

networkx's writers fail on ``None`` values and GEXF fails when one attribute mixes
integers and floats (platform notes): missing values are left out of a node or edge,
and every attribute keeps one type across the file (custom fields are written as text).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree.ElementTree import SubElement

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from engagement.text import strip_controls

GEXF_MIME = "application/gexf+xml"
GRAPHML_MIME = "application/graphml+xml"


def _clean(attributes: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, str):  # stored text is clean; older rows may not be
            out[strip_controls(key)] = strip_controls(value)
        elif isinstance(value, bool):
            out[key] = value
        elif isinstance(value, int):
            out[key] = int(value)
        elif isinstance(value, float):
            out[key] = float(value)
        else:
            out[key] = strip_controls(str(value))
    return out


def graph(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    edges: Iterable[tuple[str, str, str, Mapping[str, Any]]],
    name: str = "",
    about: Mapping[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """A multigraph of plain values.

    ``nodes`` are ``(id, attributes)``; ``edges`` are ``(source, target, key, attributes)``;
    ``about`` are graph-level facts (GraphML writes them as graph data).
    """
    g = nx.MultiDiGraph(name=strip_controls(name), **_clean(about or {}))
    for node_id, attributes in nodes:
        g.add_node(strip_controls(node_id), **_clean(attributes))
    for source, target, key, attributes in edges:
        g.add_edge(
            strip_controls(source),
            strip_controls(target),
            key=strip_controls(key),
            **_clean(attributes),
        )
    _one_type_per_attribute(g)
    return g


def _one_type_per_attribute(g: nx.MultiDiGraph) -> None:
    """Where an attribute mixes int and float, write it as float everywhere."""
    for items in (
        [d for _n, d in g.nodes(data=True)],
        [d for _s, _t, d in g.edges(data=True)],
    ):
        kinds: dict[str, set[type]] = {}
        for data in items:
            for key, value in data.items():
                kinds.setdefault(key, set()).add(type(value))
        for key, seen in kinds.items():
            if len(seen) > 1:
                cast = float if seen <= {int, float} else str
                for data in items:
                    if key in data:
                        data[key] = cast(data[key])


def gexf_bytes(
    g: nx.MultiDiGraph,
    *,
    creator: str | None = None,
    description: str | None = None,
    keywords: str | None = None,
    modified: dt.date | None = None,
) -> bytes:
    """GEXF 1.2; ``<meta>`` says who made the file, what it is and when (Gephi shows it)."""

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    assert meta is not None  # networkx always writes one (creator "NetworkX x.y")
    if creator is not None:
        creator_element = meta.find("creator")
        assert creator_element is not None
        creator_element.text = strip_controls(creator)
    if keywords is not None:
        SubElement(meta, "keywords").text = strip_controls(keywords)
    if description is not None:
        SubElement(meta, "description").text = strip_controls(description)
    if modified is not None:
        meta.set("lastmodifieddate", modified.isoformat())
    writer.add_graph(g)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def graphml_bytes(g: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer)
    return buffer.getvalue()
