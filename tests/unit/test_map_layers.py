"""The co-participation layer of the network map: built only between drawn actors,
dotted and weighted, absent when off, and changing nothing else in the picture."""

from __future__ import annotations

import doctest
import json

import pandas as pd
import pytest

from engagement.analysis.layout import layout_positions
from engagement.maps import layers
from engagement.maps.html import standalone_html
from engagement.maps.layers import (
    CO_PARTICIPATION_COLOUR,
    CO_PARTICIPATION_DASHES,
    co_participation_layer,
    co_width,
)
from engagement.maps.network import map_payload, payload_json
from engagement.maps.view import MapStyle, MapView, build_view
from tests.unit.test_network_map import XSS, _actors, _measures, _program, _ties

#: Actor 9 is not on the map (another program's actor, restricted, or filtered out).
SHARED = pd.DataFrame(
    {"source": [1, 1, 2, 3, 4], "target": [2, 3, 3, 9, 9], "weight": [3, 1, 5, 2, 1]}
)


def _view(shared: pd.DataFrame | None = SHARED, **style: object) -> MapView:
    positions = layout_positions([1, 2, 3, 4], [(1, 2), (2, 3), (1, 3)])
    return build_view(
        _program(), _actors(), _ties(), measures=_measures(), positions=positions,
        style=MapStyle(**style), co_participation=shared,  # type: ignore[arg-type]
    )  # fmt: skip


def _co_edges(view: MapView) -> dict[str, dict[str, object]]:
    edges = map_payload(view, title="Mapa", lang="es")["edges"]
    return {e["id"]: e for e in edges if str(e["id"]).startswith("co:")}


def test_the_layer_draws_weighted_dotted_undirected_ties_between_drawn_actors() -> None:
    view = _view(co_participation=True)
    assert [(c.source, c.target, c.weight) for c in view.co_ties] == [
        (2, 3, 5),
        (1, 2, 3),
        (1, 3, 1),
    ]
    edges = _co_edges(view)
    assert set(edges) == {"co:1-2", "co:1-3", "co:2-3"}
    heavy, light = edges["co:2-3"], edges["co:1-3"]
    assert heavy["dashes"] == list(CO_PARTICIPATION_DASHES) and light["dashes"] == heavy["dashes"]
    assert heavy["color"]["color"] == CO_PARTICIPATION_COLOUR  # type: ignore[index]
    assert heavy["arrows"] == {"to": {"enabled": False}} and heavy["physics"] is False
    assert heavy["width"] == co_width(5) > edges["co:1-2"]["width"] > light["width"] == co_width(1)  # type: ignore[operator]
    assert light["title"] == "Municipalidad — Colectivo & Hijos\n1 actividad compartida"
    # The relationships are all still there, unchanged.
    assert [e.id for e in view.edges] == [10, 11, 12]


def test_the_layer_is_absent_when_off() -> None:
    view = _view(co_participation=False)
    assert view.co_ties == () and not view.co_participation
    assert _co_edges(view) == {}
    assert "co_participation" not in {e.kind for e in view.legend}
    assert map_payload(view, title="M", lang="es") == map_payload(_view(None), title="M", lang="es")


def test_the_layer_keeps_to_the_actors_drawn() -> None:
    capped = _view(co_participation=True, max_nodes=2, size_by="betweenness")
    drawn = {n.id for n in capped.nodes}
    assert drawn == {1, 2}
    assert [(c.source, c.target) for c in capped.co_ties] == [(1, 2)]
    full = _view(co_participation=True)
    every = {n.id for n in full.nodes}
    assert every == {1, 2, 3, 4}
    assert {(c.source, c.target) for c in full.co_ties} == {(1, 2), (1, 3), (2, 3)}  # not 9


@pytest.mark.parametrize(
    ("lang", "label"), [("es", "Co-participación"), ("en", "Co-participation")]
)
def test_the_legend_names_the_layer_in_the_users_language(lang: str, label: str) -> None:
    view = _view(co_participation=True, lang=lang)
    entry = next(e for e in view.legend if e.kind == "co_participation")
    assert entry.label.startswith(label) and entry.colour == CO_PARTICIPATION_COLOUR
    # Even with no shared activity on the map, the legend says what the layer would show.
    empty = _view(SHARED.iloc[:0], co_participation=True, lang=lang)
    assert empty.co_ties == () and "co_participation" in {e.kind for e in empty.legend}


def test_the_layer_changes_no_node_size_or_position() -> None:
    off, on = _view(co_participation=False), _view(co_participation=True)
    assert on.nodes == off.nodes
    a, b = map_payload(off, title="M", lang="es"), map_payload(on, title="M", lang="es")
    assert a["nodes"] == b["nodes"]


def test_tooltips_are_text_and_the_export_carries_the_layer_escaped() -> None:
    view = _view(co_participation=True, lang="en")
    tie = next(c for c in view.co_ties if (c.source, c.target) == (2, 3))
    assert tie.title == f"{XSS} — Colectivo & Hijos\n5 shared activities"
    page = standalone_html(view, title="Map", lang="en")
    assert XSS not in page
    assert "Co-participation in activities (dotted)" in page
    assert 'class="tj-line co_participation"' in page
    data = json.loads(payload_json(map_payload(view, title="Map", lang="en")))
    shown = {e["id"]: e["title"] for e in data["edges"]}
    assert shown["co:2-3"] == tie.title


def test_layer_rows_are_cleaned() -> None:
    rows = pd.DataFrame({"source": [3, 1, 1], "target": [1, 1, 2], "weight": [2, 4, 0]})
    layer = co_participation_layer(rows, {1, 2, 3}, {1: "A", 3: "C"}, "es")
    assert [(c.source, c.target, c.weight, c.key) for c in layer] == [(1, 3, 2, "co:1-3")]
    assert layer[0].title == "A — C\n2 actividades compartidas"


def test_docstring_examples_run() -> None:
    result = doctest.testmod(layers, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
