"""The CLI's program commands and the demo programs, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from engagement.cli import main
from engagement.model import Principal
from engagement.services.exchange import demo
from engagement.services.registry import programs
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.support.reads import read_all

ANA = Principal("ana")


def run(db_url: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--database-url", db_url, "--lang", "en", *args], out=out)
    return code, out.getvalue()


def test_demo_programs_tell_a_story(db: Database) -> None:
    loaded = demo.load_demos(db, ANA)
    assert [p.name for p in loaded] == [
        "Impulso Local — Antigua Guatemala 2024",
        "Ciudades Abiertas — Tepic",
    ]
    for program in loaded:
        assert program.illustrative
        people = stored_registry.actors_frame(db, program.id)
        assert len(people) >= 40
        assert len(stored_registry.relationships_frame(db, program.id)) >= 80
        history = stored_registry.assessments_frame(db, program.id)
        assert set(history["stage_key"]) == {"design", "co_design", "implementation"}
        # Someone moves from Resistant (2) or lower to Supportive (4) or higher.
        by_actor = history.sort_values("assessed_on").groupby("actor_id")["engagement_current"]
        moved = by_actor.agg(["first", "last"])
        assert ((moved["first"] <= 2) & (moved["last"] >= 4)).any()
        # A key player (high power and interest) is still not supportive at the end.
        latest = read_all(db, program.id).coalition_actors().dropna(subset=["power"])
        key = latest[(latest["power"] >= 4) & (latest["interest"] >= 4)]
        assert (key["engagement_current"] <= 3).any()


def test_demo_loads_only_into_an_empty_database_when_asked(db: Database) -> None:
    programs.create_program(db, ANA, "Mi programa")
    assert demo.load_demos(db, ANA, if_empty=True) == []
    assert len(demo.load_demos(db, ANA)) == 2
    assert demo.load_demos(db, ANA) == []


def test_cli_program_commands(db_url: str, db: Database) -> None:
    code, out = run(db_url, "init-db")
    assert code == 0 and "Database ready" in out
    code, out = run(db_url, "load-demo", "--if-empty")
    assert code == 0 and "Demo program loaded: Ciudades Abiertas — Tepic" in out
    code, out = run(db_url, "create-program", "Open Xalapa", "--municipality", "Xalapa")
    assert code == 0 and "Program created: Open Xalapa" in out
    code, out = run(db_url, "programs")
    assert code == 0
    assert [line.split("\t")[1] for line in out.splitlines()] == sorted(
        ["Ciudades Abiertas — Tepic", "Impulso Local — Antigua Guatemala 2024", "Open Xalapa"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create-program", "  "), "Name"),
        (("create-program", "X", "--threshold", "9"), "threshold"),
    ],
)
def test_cli_bad_input_exits_non_zero_with_the_field(
    db_url: str, db: Database, args: tuple[str, ...], message: str
) -> None:
    code, out = run(db_url, *args)
    assert code == 1
    assert "nothing was saved" in out.lower() or "problem" in out.lower()
    assert message.lower() in out.lower()


def test_cli_duplicate_program_is_refused(db_url: str, db: Database) -> None:
    run(db_url, "create-program", "Tepic abierto")
    code, out = run(db_url, "create-program", "TEPIC  abierto")
    assert code == 1 and "already exists" in out


def test_demo_frames_are_plain_values(db: Database) -> None:
    program = demo.load_demos(db, ANA)[0]
    frame = stored_registry.actors_frame(db, program.id)
    assert isinstance(frame, pd.DataFrame) and frame["name"].is_unique
