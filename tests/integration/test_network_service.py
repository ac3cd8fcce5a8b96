"""Coalition analysis through the service and the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time

import pandas as pd
import pytest

from engagement.analysis.measures import MEASURE_COLUMNS
from engagement.cli import main
from engagement.errors import ActorNotFound
from engagement.model import AssessmentInput, Principal
from engagement.services import readcache
from engagement.services.coalition import network
from engagement.services.exchange import demo
from engagement.services.registry import actors, assessments, programs, relationships
from engagement.services.view import ProgramView, program_view
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry

LEAD = Principal("lead")


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    readcache.clear_cache()


def view(db: Database, program_id: int, by: Principal = LEAD, **kw: object) -> ProgramView:
    return program_view(db, by, program_id, **kw)  # type: ignore[arg-type]


def build(db: Database) -> dict[str, int]:
    """Municipalidad - ONU-Hábitat - Embajada (strong), a conflict, a restricted actor."""
    program = programs.create_program(db, LEAD, "Red")
    sector = {s.key: s.id for s in program.sectors}
    tie = {t.key: t.id for t in program.tie_types}
    ids = {"program": program.id}
    for name, key, confidentiality in [
        ("Municipalidad", "municipal_government", "normal"),
        ("ONU-Hábitat", "multilateral", "normal"),
        ("Embajada Británica", "international_cooperation", "normal"),
        ("Cámara de Comercio", "private_sector", "normal"),
        ("Informante", "citizen", "restricted"),
    ]:
        ids[name] = actors.add_actor(
            db,
            LEAD,
            program.id,
            {"name": name, "sector_id": sector[key], "confidentiality": confidentiality},
        ).id
    for s, t, kind, strength, valid_to in [
        ("Municipalidad", "ONU-Hábitat", "collaborates", 3, None),
        ("ONU-Hábitat", "Embajada Británica", "collaborates", 3, None),
        ("Municipalidad", "Cámara de Comercio", "conflict", 2, None),
        ("Cámara de Comercio", "Embajada Británica", "funds", 1, dt.date(2024, 6, 30)),
        ("Informante", "Municipalidad", "informs", 2, None),
        ("Informante", "Embajada Británica", "informs", 2, None),
    ]:
        relationships.add_relationship(
            db,
            LEAD,
            program.id,
            {
                "source_id": ids[s],
                "target_id": ids[t],
                "tie_type_id": tie[kind],
                "strength": strength,
                "valid_to": valid_to,
            },
        )
    stage = program.stages[0].id
    assessments.record_assessments(
        db,
        LEAD,
        program.id,
        [
            AssessmentInput(ids["Municipalidad"], stage, dt.date(2024, 2, 1), 5, 5, 5, 5, 3),
            AssessmentInput(ids["Cámara de Comercio"], stage, dt.date(2024, 2, 1), 4, 4, 2, 4, 2),
            AssessmentInput(ids["Embajada Británica"], stage, dt.date(2024, 2, 1), 4, 5, 3, 4, 3),
        ],
    )
    return ids


def test_actor_measures_one_row_per_actor_with_every_measure(db: Database) -> None:
    ids = build(db)
    table = view(db, ids["program"]).measures()
    assert list(table.columns) == ["id", "name", "sector", *MEASURE_COLUMNS]
    assert len(table) == 5
    row = table.set_index("name").loc["ONU-Hábitat"]
    assert row["sector"] == "multilateral"
    assert row["degree"] == 2 and row["conflicts"] == 0
    assert row["betweenness"] > 0 and row["brokerage_total"] > 0
    muni = table.set_index("name").loc["Municipalidad"]
    assert muni["conflicts"] == 1 and muni["in_degree"] == 2
    assert table["pagerank"].sum() == pytest.approx(1.0)


def test_measures_are_cached_until_the_data_changes(db: Database) -> None:
    ids = build(db)
    first = view(db, ids["program"]).measures()
    first["scratch"] = 1  # callers get copies: the cache is untouched
    start = time.perf_counter()
    again = view(db, ids["program"]).measures()
    assert "scratch" not in again.columns
    assert time.perf_counter() - start < 0.5
    ties = stored_registry.relationships_frame(db, ids["program"])
    collaboration = ties[ties["target"] == "Embajada Británica"]["id"].iloc[0]
    relationships.delete_relationship(db, LEAD, int(collaboration))
    after = view(db, ids["program"]).measures().set_index("name")
    assert (
        after.loc["Embajada Británica", "degree"]
        < again.set_index("name").loc["Embajada Británica", "degree"]
    )


def test_ties_valid_on_a_date(db: Database) -> None:
    ids = build(db)
    before = view(db, ids["program"]).measures(on_date=dt.date(2024, 3, 1))
    after = view(db, ids["program"]).measures(on_date=dt.date(2024, 9, 1))
    chamber = "Cámara de Comercio"
    assert before.set_index("name").loc[chamber, "out_degree"] == 1
    assert after.set_index("name").loc[chamber, "out_degree"] == 0


def test_restricted_actors_are_left_out_for_viewers(db: Database) -> None:
    ids = build(db)
    viewer = Principal("v", memberships=((ids["program"], "viewer"),))
    mentor = Principal("m", memberships=((ids["program"], "mentor"),))
    shown = view(db, ids["program"], viewer).measures()
    assert "Informante" not in set(shown["name"])
    assert shown.set_index("name").loc["Municipalidad", "in_degree"] == 1
    assert "Informante" in set(view(db, ids["program"], mentor).measures()["name"])
    with pytest.raises(ActorNotFound):
        view(db, ids["program"], viewer).paths(ids["Informante"], ids["Municipalidad"])


def test_introduction_paths_in_words(db: Database) -> None:
    ids = build(db)
    es = view(db, ids["program"]).paths(ids["Municipalidad"], ids["Embajada Británica"])
    assert es.loc[0, "explanation"] == (
        "Municipalidad puede llegar a Embajada Británica a través de ONU-Hábitat (vínculo fuerte)."
    )
    en = view(db, ids["program"], lang="en").paths(ids["Municipalidad"], ids["Embajada Británica"])
    assert en.loc[0, "explanation"] == (
        "Municipalidad can reach Embajada Británica through ONU-Hábitat (strong tie)."
    )
    # The names the reader sees are the names in the text (stand-ins for citizens).
    informant = view(db, ids["program"], lang="en", presentation=True).paths(
        ids["Informante"], ids["ONU-Hábitat"]
    )
    assert informant.loc[0, "explanation"].startswith("Person 1 can reach ONU-Hábitat")
    # The chamber is in conflict with the municipality: never a way through.
    assert all("Cámara" not in via for via in es["via"])
    direct = view(db, ids["program"], lang="en").paths(ids["Municipalidad"], ids["ONU-Hábitat"])
    assert direct.loc[0, "explanation"] == (
        "Municipalidad already has a direct tie with ONU-Hábitat (strong tie)."
    )


def test_balance_gaps_and_key_players(db: Database) -> None:
    ids = build(db)
    balance = view(db, ids["program"]).balance()
    overall = balance.iloc[0]
    assert overall["sector"] == "all"
    assert (overall["support_power"], overall["opposition_power"]) == (5, 4)
    assert overall["balance"] == pytest.approx(1 / 13)
    assert "private_sector" in set(balance["sector"])
    key = view(db, ids["program"]).key_players()
    # The chamber's only tie to the supporting municipality is a conflict; the embassy
    # reaches it only through ONU-Hábitat, which is not assessed as a supporter.
    assert list(key["name"]) == ["Cámara de Comercio", "Embajada Británica"]
    gaps = view(db, ids["program"]).sector_gaps()
    assert {"sector_a", "sector_b"} <= set(gaps.columns)
    communities = view(db, ids["program"]).communities()
    assert communities["actors"].sum() == 5


def test_brokers_ranked_from_measures_already_computed(db: Database) -> None:
    """The briefing ranks brokers from the measures it has (one analysis, not two): the
    same table as the brokers page's."""
    demo.load_demos(db, LEAD)
    program = programs.find_program(db, "Impulso Local — Antigua Guatemala 2024")
    seen = view(db, program.id)
    page = seen.brokers().actors
    assert len(page) > 3
    pd.testing.assert_frame_equal(network.broker_ranking(seen.measures()), page)
    found = seen.coalition()
    again = network.brokers(found, seen.measures())
    pd.testing.assert_frame_equal(again.actors, page)
    pd.testing.assert_frame_equal(again.pairs, seen.brokers().pairs)


@pytest.mark.parametrize("first", ["brokers", "measures"])
def test_the_brokers_view_computes_the_measures_once(
    db: Database, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """Issue 11: the brokers are ranked from the view's kept measures, not from a second
    computation of every measure, whichever of the two a page asks for first."""
    ids = build(db)
    computed = []
    measure = network.actor_measures

    def counted(found: network.Coalition) -> pd.DataFrame:
        computed.append(found)
        return measure(found)

    monkeypatch.setattr(network, "actor_measures", counted)
    seen = view(db, ids["program"])
    reads = [seen.brokers, seen.measures]
    for read in reads if first == "brokers" else reads[::-1]:
        read()
    assert len(computed) == 1
    pd.testing.assert_frame_equal(
        seen.brokers().actors, network.broker_ranking(measure(seen.coalition()))
    )
    assert len(computed) == 1


def run(db_url: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--database-url", db_url, "--lang", "en", *args], out=out)
    return code, out.getvalue()


def test_metrics_command_prints_every_actor_as_csv_and_json(db: Database, db_url: str) -> None:
    demo.load_demos(db, LEAD)
    name = "Ciudades Abiertas — Tepic"
    expected = len(stored_registry.actors_frame(db, programs.find_program(db, name).id))
    code, text = run(db_url, "metrics", "--program", name.upper())
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == expected
    assert list(rows[0]) == ["id", "name", "sector", *MEASURE_COLUMNS]
    assert max(rows, key=lambda r: float(r["betweenness"]))["name"]
    code, text = run(db_url, "metrics", "--program", name, "--format", "json")
    assert code == 0
    records = json.loads(text)
    assert len(records) == expected
    assert all(isinstance(r["community"], int) and r["community"] >= 1 for r in records)
    assert sum(r["pagerank"] for r in records) == pytest.approx(1.0, abs=1e-4)


def test_metrics_command_names_an_unknown_program(db: Database, db_url: str) -> None:
    code, text = run(db_url, "metrics", "--program", "Nope")
    assert code == 1
    assert "Nope" in text


def test_formula_like_names_are_neutralised_in_csv(db: Database, db_url: str) -> None:
    program = programs.create_program(db, LEAD, "Fórmulas")
    actors.add_actor(db, LEAD, program.id, {"name": "=HYPERLINK(1)"})
    code, text = run(db_url, "metrics", "--program", "Fórmulas")
    assert code == 0
    assert "'=HYPERLINK(1)" in text


def test_sessions_asking_at_once_share_one_computation(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    ids = build(db)
    calls = []
    original = network.measures_table

    def slow(graph: object) -> object:
        calls.append(1)
        time.sleep(0.3)
        return original(graph)  # type: ignore[arg-type]

    monkeypatch.setattr(network, "measures_table", slow)
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(len(view(db, ids["program"]).measures())))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [5, 5, 5, 5]
    assert len(calls) == 1
