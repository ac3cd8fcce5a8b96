"""The network map's pure parts: filters, view, pyvis data, standalone HTML and layout."""

from __future__ import annotations

import datetime as dt
import json
import re

import networkx as nx
import pandas as pd
import pytest

from engagement.analysis.layout import align_positions, layout_positions
from engagement.maps import assets
from engagement.maps.filters import NO_SECTOR, MapFilters, ego_network, filter_coalition
from engagement.maps.html import standalone_html
from engagement.maps.network import map_payload, payload_json, pyvis_network
from engagement.maps.view import CONFLICT_COLOUR, MapStyle, MapView, build_view
from engagement.model import ProgramInfo, Term

XSS = "<img src=x onerror=alert(1)>"
HREF = 'Ver <a href="javascript:alert(2)">el sitio</a> href'


def _program() -> ProgramInfo:
    sectors = (
        Term(1, "municipal_government", "Gobierno municipal", "Municipal government"),
        Term(2, "civil_society", "Sociedad civil", "Civil society"),
    )
    tie_types = (
        Term(1, "collaborates", "Colabora con", "Collaborates with", directed=False),
        Term(2, "funds", "Financia a", "Funds"),
        Term(3, "conflict", "En conflicto con", "In conflict with", negative=True),
    )
    return ProgramInfo(
        id=1, name="P", municipality="", country="", description="", start_date=None,
        end_date=None, power_threshold=3, stale_days=45, illustrative=False, data_version=1,
        version=1, sectors=sectors, tie_types=tie_types,
    )  # fmt: skip


def _actors() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "name": ["Municipalidad", XSS, "Colectivo & Hijos", "Sin sector"],
            "sector": ["municipal_government", "civil_society", "civil_society", None],
            "tags": [("ogp",), ("jóvenes",), (), ()],
            "power": pd.array([5, 2, None, None], dtype="Int64"),
            "interest": pd.array([5, 4, None, None], dtype="Int64"),
            "engagement_current": pd.array([4, 2, None, None], dtype="Int64"),
            "engagement_desired": pd.array([5, 4, None, None], dtype="Int64"),
            "description": ["", HREF, "", ""],
        }
    )


def _ties() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [10, 11, 12],
            "source": [1, 2, 1],
            "target": [2, 3, 3],
            "tie_type": ["funds", "collaborates", "conflict"],
            "negative": [False, False, True],
            "directed": [True, False, False],
            "strength": [3, 1, 2],
            "valid_from": [None, None, dt.date(2024, 1, 1)],
            "valid_to": [None, dt.date(2023, 12, 31), None],
            "note": ["", f"nota {XSS}", ""],
        }
    )


def _measures() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [1, 2, 3, 4], "degree": [2, 2, 2, 0], "betweenness": [0.5, 0.0, 0.0, 0.0],
         "community": [1, 1, 2, 3]}
    )  # fmt: skip


def _view(**style: object) -> MapView:
    positions = layout_positions([1, 2, 3, 4], [(1, 2), (2, 3), (1, 3)])
    return build_view(
        _program(), _actors(), _ties(), measures=_measures(), positions=positions,
        style=MapStyle(**style),  # type: ignore[arg-type]
    )  # fmt: skip


# --- filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "actors", "ties"),
    [
        (MapFilters(), [1, 2, 3, 4], [10, 11, 12]),
        (MapFilters(sectors=("civil_society",)), [2, 3], [11]),
        (MapFilters(sectors=(NO_SECTOR,)), [4], []),
        (MapFilters(tie_types=("funds", "conflict")), [1, 2, 3, 4], [10, 12]),
        (MapFilters(min_strength=2), [1, 2, 3, 4], [10, 12]),
        (MapFilters(min_strength=3), [1, 2, 3, 4], [10]),
        (MapFilters(tags=("ogp", "jóvenes")), [1, 2], [10]),
        (MapFilters(on_date=dt.date(2023, 6, 1)), [1, 2, 3, 4], [10, 11]),
        (MapFilters(on_date=dt.date(2024, 6, 1)), [1, 2, 3, 4], [10, 12]),
        (MapFilters(ego_actor=2, ego_steps=1), [1, 2, 3], [10, 11, 12]),
        (MapFilters(ego_actor=2, ego_steps=1, min_strength=3), [1, 2], [10]),
        (MapFilters(ego_actor=4, ego_steps=3), [4], []),
    ],
)
def test_filters(filters: MapFilters, actors: list[int], ties: list[int]) -> None:
    kept, links = filter_coalition(_actors(), _ties(), filters)
    assert kept["id"].tolist() == actors
    assert links["id"].tolist() == ties


def test_ego_network_counts_steps_in_either_direction() -> None:
    chain = [(1, 2), (3, 2), (3, 4), (5, 4)]
    assert ego_network(1, chain, 0) == {1}
    assert ego_network(1, chain, 2) == {1, 2, 3}
    assert ego_network(5, chain, 9) == {1, 2, 3, 4, 5}


# --- view ------------------------------------------------------------------------------


def test_conflict_ties_are_red_and_dashed_and_directed_ties_have_arrows() -> None:
    payload = map_payload(_view(), title="Mapa", lang="es")
    edges = {e["id"]: e for e in payload["edges"]}
    assert edges[12]["dashes"] is True and edges[12]["color"]["color"] == CONFLICT_COLOUR
    assert "dashes" not in edges[10] and "color" not in edges[10]
    assert edges[10]["arrows"] == "to"
    assert "arrows" not in edges[11] and "arrows" not in edges[12]
    assert edges[10]["width"] > edges[12]["width"] > edges[11]["width"]


@pytest.mark.parametrize(
    ("colour_by", "lang", "labels"),
    [
        ("sector", "es", ["Gobierno municipal", "Sociedad civil", "Sin sector"]),
        ("sector", "en", ["Municipal government", "Civil society", "No sector"]),
        ("engagement", "es", ["Se resiste", "Apoya", "Sin evaluar"]),
        ("community", "en", ["Community 1", "Community 2", "Community 3"]),
    ],
)
def test_legend_lists_the_groups_present_in_the_users_language(
    colour_by: str, lang: str, labels: list[str]
) -> None:
    view = _view(colour_by=colour_by, lang=lang)
    nodes = [e.label for e in view.legend if e.kind == "node"]
    assert nodes == labels
    ties = [e.kind for e in view.legend if e.kind != "node"]
    assert ties == ["tie", "arrow", "conflict", "width"]
    groups = {n.group for n in view.nodes}
    assert groups == {e.key for e in view.legend if e.kind == "node"}


def test_size_follows_the_chosen_measure() -> None:
    sizes = {n.id: n.size for n in _view(size_by="betweenness").nodes}
    assert sizes[1] == 30.0 and sizes[2] == sizes[3] == sizes[4] == 8.0


def test_tooltips_are_plain_text_with_scores_and_engagement() -> None:
    node = next(n for n in _view().nodes if n.id == 2)
    assert node.title.splitlines()[:4] == [
        XSS, "Sector: Sociedad civil", "Poder 2 · Interés 4", "Involucramiento: Se resiste → Apoya",
    ]  # fmt: skip
    assert HREF in node.title
    edge = next(e for e in _view().edges if e.id == 12)
    assert edge.title.splitlines()[0] == "Municipalidad — Colectivo & Hijos"
    assert "Vigente: 2024-01-01 – …" in edge.title


def test_large_maps_keep_the_most_central_actors() -> None:
    view = _view(max_nodes=2, size_by="betweenness")
    assert view.capped and view.matching == 4 and len(view.nodes) == 2
    assert 1 in {n.id for n in view.nodes}  # the most central one
    assert all(e.source in {1, 2} and e.target in {1, 2} for e in view.edges)
    assert not _view().capped


def test_the_map_never_runs_physics_and_names_the_most_central_first() -> None:
    payload = map_payload(_view(size_by="betweenness"), title="M", lang="es")
    assert payload["options"]["physics"] == {"enabled": False}
    assert all("label" not in n for n in payload["nodes"])  # names: the label layer's
    assert payload["order"][0] == 1  # the broker between the others comes first
    assert sorted(payload["order"]) == [1, 2, 3, 4]
    # Names are wrapped whole in the browser (engagement.text.wrap_name), never cut here.
    assert (payload["label_chars"], payload["label_lines"]) == (24, 3)
    assert "label_length" not in payload


def test_a_long_name_reaches_the_drawing_whole() -> None:
    name = "Secretaría de Planificación y Programación de la Presidencia (SEGEPLAN)"
    actors = _actors().assign(name=["Municipalidad", XSS, name, "Sin sector"])
    view = build_view(
        _program(), actors, _ties(), measures=_measures(),
        positions=layout_positions([1, 2, 3, 4], []),
    )  # fmt: skip
    assert next(n for n in view.nodes if n.id == 3).name == name
    payload = map_payload(view, title="M", lang="es")
    node = next(n for n in payload["nodes"] if n["id"] == 3)
    assert node["title"].splitlines()[0] == name  # the drawing's name, uncut
    assert all("…" not in n["title"] for n in payload["nodes"])


def test_a_dragged_node_is_pinned() -> None:
    positions = layout_positions([1, 2, 3, 4], [(1, 2)])
    view = build_view(
        _program(), _actors(), _ties(), measures=_measures(), positions=positions,
        pinned=frozenset({3}),
    )  # fmt: skip
    assert [n.pinned for n in view.nodes] == [False, False, True, False]


# --- pyvis data and HTML ---------------------------------------------------------------


def test_pyvis_network_holds_plain_python_values() -> None:
    net = pyvis_network(_view())
    assert net.node_ids == [1, 2, 3, 4]
    assert [e["id"] for e in net.edges] == [10, 11, 12]
    text = json.dumps({"nodes": net.nodes, "edges": net.edges, "options": net.options})
    assert "NaN" not in text


def test_payload_json_is_stable_and_script_safe() -> None:
    first = payload_json(map_payload(_view(), title="Mapa", lang="es"))
    again = payload_json(map_payload(_view(), title="Mapa", lang="es"))
    assert first == again
    assert "<" not in first and ">" not in first and "&" not in first
    decoded = json.loads(first)
    assert decoded["nodes"][1]["title"].splitlines()[0] == XSS  # shown as typed, as text


def test_moving_nodes_changes_the_version_but_not_the_frame() -> None:
    view = _view()
    moved = MapView(**{**view.__dict__, "nodes": tuple(
        n if n.id != 1 else type(n)(**{**n.__dict__, "x": n.x + 50}) for n in view.nodes
    )})  # fmt: skip
    a = map_payload(view, title="M", lang="es")
    b = map_payload(moved, title="M", lang="es")
    assert a["frame"] == b["frame"] and a["version"] != b["version"]


_REMOTE = re.compile(
    r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=|@import|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_standalone_html_loads_nothing_and_escapes_user_text() -> None:
    page = standalone_html(_view(), title=f"Mapa {XSS}", lang="es", meta=(f"nota {XSS}",))
    assert not _REMOTE.search(page)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "bootstrap" not in page.lower()
    assert XSS not in page and "<a href" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # title and notes, escaped
    assert "default-src 'none'" in page
    # pyvis's popup that switches tooltips to innerHTML is not there.
    assert "innerHTML" not in assets.map_core_js()
    assert "popup.innerHTML" not in page
    assert assets.vis_network_js()[:200] in page  # pyvis's bundled vis-network, inlined
    assert "sourceMappingURL" not in page
    assert "Sociedad civil" in page and "Leyenda" in page


def test_standalone_html_is_the_same_for_the_same_data() -> None:
    assert standalone_html(_view(), title="M", lang="en") == standalone_html(
        _view(), title="M", lang="en"
    )


# --- layout ----------------------------------------------------------------------------


def test_layout_is_deterministic_and_ignores_input_order() -> None:
    G = nx.barabasi_albert_graph(300, 2, seed=7)
    nodes, edges = list(G.nodes), list(G.edges)
    first = layout_positions(nodes, edges)
    again = layout_positions(reversed(nodes), [(b, a) for a, b in reversed(edges)])
    assert first == again
    assert set(first) == set(nodes)
    assert all(isinstance(v, float) for xy in first.values() for v in xy)


def test_layout_separates_nodes_and_keeps_ties_short() -> None:
    G = nx.barabasi_albert_graph(400, 2, seed=3)
    pos = layout_positions(G.nodes, G.edges)
    import numpy as np
    from scipy.spatial import cKDTree

    xy = np.array([pos[n] for n in G.nodes])
    assert cKDTree(xy).query_pairs(20.0) == set()  # nobody hides another
    tie = np.median([np.hypot(*np.subtract(pos[a], pos[b])) for a, b in G.edges])
    spread = np.hypot(*(xy.max(axis=0) - xy.min(axis=0)))
    assert tie < spread / 5


def test_layout_draws_communities_apart_and_no_two_actors_overlap() -> None:
    import numpy as np

    from engagement.analysis.layout import EDGE_LENGTH, MIN_GAP
    from engagement.maps.view import MAX_SIZE

    # Three dense groups of 15 with many ties between them: a tangle when drawn plainly.
    G = nx.random_partition_graph([15, 15, 15], 0.4, 0.1, seed=1)
    groups = {n: G.nodes[n]["block"] for n in G}
    plain = layout_positions(G.nodes, G.edges)
    grouped = layout_positions(G.nodes, G.edges, groups=groups)

    def separation(pos: dict[int, tuple[float, float]]) -> float:
        """Distance between group centres over the spread inside a group (mean)."""
        xy = {g: np.array([pos[n] for n in G if groups[n] == g]) for g in range(3)}
        centres = {g: xy[g].mean(axis=0) for g in xy}
        inside = np.mean([np.hypot(*(xy[g] - centres[g]).T).mean() for g in xy])
        pairs = ((0, 1), (0, 2), (1, 2))
        between = np.mean([np.hypot(*(centres[a] - centres[b])) for a, b in pairs])
        return float(between / inside)

    assert separation(grouped) > 1.4 * separation(plain)
    assert separation(grouped) > 2.8  # each community a cluster of its own
    xy = np.array(list(grouped.values()))
    gaps = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) + np.eye(len(xy)) * 1e9
    assert gaps.min() >= MIN_GAP * EDGE_LENGTH > 2 * MAX_SIZE + 2  # even the largest nodes


def test_layout_handles_empty_isolated_and_disconnected_graphs() -> None:
    assert layout_positions([], []) == {}
    assert layout_positions([5], []) == {5: (0.0, 0.0)}
    pos = layout_positions(range(10), [(0, 1), (1, 2), (5, 6)])
    assert len(pos) == 10 and len(set(pos.values())) == 10
    with pytest.raises(ValueError, match="unknown node 99"):
        layout_positions([1, 2], [(1, 99)])


def test_align_keeps_the_old_orientation_after_a_new_actor() -> None:
    G = nx.path_graph(8)
    before = layout_positions(G.nodes, G.edges)
    mirrored = {k: (-x + 300, y) for k, (x, y) in before.items()}
    after = align_positions({**before, 8: (0.0, 0.0)}, mirrored)
    for k in range(8):
        assert after[k] == pytest.approx(mirrored[k], abs=0.05)
