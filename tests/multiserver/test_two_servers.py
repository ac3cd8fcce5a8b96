"""Two real Tejido servers on one PostgreSQL behave as one.

Both servers are ``streamlit run server.py`` processes on a private database of the
local PostgreSQL; each test session is a real Streamlit session over the websocket
(``tests.support.streamlit_client``). Every cache of the app is keyed by the program's
data version read from the database, so a server's memory never hides another's edit.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engagement.storage import migrate
from tests.multiserver.conftest import ROOT, Server, private_database, server_env, start_servers
from tests.support.databases import PG_ENV
from tests.support.streamlit_client import Run, StreamlitSession

pytestmark = pytest.mark.multiserver

ANTIGUA = "Impulso Local — Antigua Guatemala 2024"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, int]]:
    import os

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: the multi-server tests need PostgreSQL")
    data_dir = tmp_path_factory.mktemp("multi")
    with private_database(base) as url:
        subprocess.run(
            [sys.executable, "-m", "engagement", "load-demo"],
            cwd=ROOT, env=server_env(url, data_dir), check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        engine = create_engine(url)
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT id FROM program WHERE name = :n"), {"n": ANTIGUA})
            program_id = int(pid.scalar_one())
        engine.dispose()
        yield url, data_dir, program_id


@pytest.fixture(scope="module")
def servers(demo: tuple[str, Path, int]) -> Iterator[list[Server]]:
    url, data_dir, _ = demo
    with start_servers(url, data_dir, ["ana", "bruno"]) as started:
        yield started


def _query(program_id: int) -> str:
    return f"program={program_id}&lang=en"


def _count(run: Run, pattern: str) -> tuple[int, int]:
    found = re.search(pattern, run.text)
    assert found, run.text[:2000]
    return int(found.group(1)), int(found.group(2))


DASHBOARD = r"The coalition today: (\d+) actors and (\d+) ties"
MAP = r"The map shows (\d+) of (\d+) actors"


def test_an_edit_on_one_server_is_seen_on_the_other_in_every_view(
    servers: list[Server], demo: tuple[str, Path, int]
) -> None:
    a, b = servers
    program = demo[2]
    with StreamlitSession(a.base_url) as on_a, StreamlitSession(b.base_url) as on_b:
        # B reads (and caches) the dashboard, the map with its layout, and the measures.
        actors_before, _ = _count(on_b.open("", _query(program)), DASHBOARD)
        network = on_b.open("network", _query(program))
        assert _count(network, MAP) == (actors_before, actors_before)
        assert network.tables and not network.exceptions
        assert not any("Mesa Técnica Multiservidor" in t for t in network.tables)

        page = on_a.open("actors", _query(program))
        add_form = next(w for w in page.widgets if w.label == "Name")
        on_a.set(add_form, "Mesa Técnica Multiservidor")
        saved = on_a.click(page.widget("Add actor", "button"))
        assert not saved.exceptions

        # B's next reruns: every view shows the new actor.
        dashboard = on_b.open("", _query(program))
        assert _count(dashboard, DASHBOARD)[0] == actors_before + 1
        network = on_b.open("network", _query(program))
        assert _count(network, MAP) == (actors_before + 1, actors_before + 1)
        assert any("Mesa Técnica Multiservidor" in t for t in network.tables)  # measures
        actors = on_b.open("actors", _query(program))
        assert "Mesa Técnica Multiservidor" in actors.text


def test_an_account_made_on_one_server_is_on_the_others_team_page_at_once(
    servers: list[Server], demo: tuple[str, Path, int]
) -> None:
    """The team page keeps the accounts per accounts version, which every write to
    accounts or roles raises in the database: B's kept list never hides A's new member."""
    a, b = servers
    program = demo[2]
    with StreamlitSession(a.base_url) as on_a, StreamlitSession(b.base_url) as on_b:
        before = on_b.open("team", _query(program))  # B reads (and keeps) the accounts
        assert not before.exceptions and "vecina-multi" not in before.text
        page = on_a.open("team", _query(program))
        on_a.set(page.widget("Username", "text_input"), "vecina-multi")
        created = on_a.click(page.widget("Create account", "button"))
        assert not created.exceptions and "vecina-multi" in created.text
        after = on_b.open("team", _query(program))
        assert any("vecina-multi" in t and "Viewer" in t for t in after.tables), after.tables


def test_a_stale_edit_across_servers_is_refused_naming_who_and_when(
    servers: list[Server], demo: tuple[str, Path, int]
) -> None:
    a, b = servers
    program = demo[2]
    name = "Acción Ciudadana"
    with StreamlitSession(a.base_url) as on_a, StreamlitSession(b.base_url) as on_b:
        opened: dict[str, Run] = {}
        for label, session in (("a", on_a), ("b", on_b)):
            page = session.open("actors", _query(program))
            opened[label] = session.change(page.widget("Actor profile"), name)
        b_name = [w for w in opened["b"].widgets if w.label == "Name"][-1]
        on_b.set(b_name, f"{name} (B)")
        saved = on_b.click(next(w for w in opened["b"].widgets if w.label == "Save"))
        assert not saved.exceptions and "Not saved" not in saved.text

        a_name = [w for w in opened["a"].widgets if w.label == "Name"][-1]
        on_a.set(a_name, f"{name} (A)")
        refused = on_a.click(next(w for w in opened["a"].widgets if w.label == "Save"))
        message = next(t for t in refused.texts if t.startswith("Not saved"))
        assert "bruno" in message and re.search(r"\d{2}:\d{2}", message), message
    engine = create_engine(demo[0])
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM actor WHERE name LIKE :n"), {"n": f"{name}%"})
        assert names.scalars().all() == [f"{name} (B)"]
    engine.dispose()


def test_no_reader_sees_half_an_import_or_half_an_undo(
    servers: list[Server], demo: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, data_dir, program = demo
    _, b = servers
    rows = [f"Importado {i};Sociedad civil;Fila {i}" for i in range(1500)]
    sheet = tmp_path / "actores.csv"
    sheet.write_text("Label;Type;Description\n" + "\n".join(rows), encoding="utf-8")
    env = server_env(url, data_dir, TEJIDO_USER="ana")
    seen: list[tuple[int, int]] = []
    stop = threading.Event()
    errors: list[str] = []

    def read() -> None:
        with StreamlitSession(b.base_url) as reader:
            while not stop.is_set():
                run = reader.open("", _query(program))
                errors.extend(run.exceptions)
                seen.append(_count(run, DASHBOARD))

    with StreamlitSession(b.base_url) as first:
        before = _count(first.open("", _query(program)), DASHBOARD)
    thread = threading.Thread(target=read)
    thread.start()
    try:
        cli = [sys.executable, "-m", "engagement"]
        done = subprocess.run(
            [*cli, "import", str(sheet), "--program", ANTIGUA],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        batch = int(re.findall(r"\d+", done.stdout)[-1])
        time.sleep(2)  # the reader keeps reading between import and undo
        undone = subprocess.run(
            [*cli, "undo-import", str(batch)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert undone.returncode == 0, undone.stderr
        time.sleep(2)
    finally:
        stop.set()
        thread.join(timeout=300)
    assert not errors
    after_import = (before[0] + 1500, before[1])
    assert set(seen) <= {before, after_import}, sorted(set(seen))
    assert seen[-1] == before
    assert after_import in seen  # the reader saw the whole import between the two


def test_the_daily_sqlite_backup_is_never_attempted_on_postgresql(
    servers: list[Server], demo: tuple[str, Path, int]
) -> None:
    with StreamlitSession(servers[0].base_url) as session:
        assert not session.open("", _query(demo[2])).exceptions
    assert not (demo[1] / "backups").exists()
    for server in servers:
        assert "backup" not in server.log().lower()


def test_two_servers_starting_at_once_migrate_an_empty_database_once(
    tmp_path: Path,
) -> None:
    import os

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: the multi-server tests need PostgreSQL")
    with private_database(base) as url, start_servers(url, tmp_path, ["ana", "bruno"]) as both:
        runs: dict[str, Run] = {}

        def first_visit(server: Server) -> None:
            with StreamlitSession(server.base_url) as session:
                runs[server.base_url] = session.open("", "lang=en")

        threads = [threading.Thread(target=first_visit, args=(s,)) for s in both]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert len(runs) == 2
        for run in runs.values():
            assert not run.exceptions and run.status == "FINISHED_SUCCESSFULLY"
        engine = create_engine(url)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        with engine.connect() as conn:
            # One server ran the migrations (one version row ever inserted); the other
            # waited on the advisory lock and found nothing left to do.
            for _ in range(50):
                conn.execute(text("SELECT pg_stat_clear_snapshot()"))
                inserted = conn.execute(
                    text(
                        "SELECT n_tup_ins FROM pg_stat_user_tables"
                        " WHERE relname = 'alembic_version'"
                    )
                ).scalar()
                if inserted:
                    break
                time.sleep(0.2)
            assert inserted == 1
        engine.dispose()
        for server in both:
            assert "Traceback" not in server.log()
