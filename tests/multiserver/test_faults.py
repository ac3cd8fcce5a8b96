"""Faults, for real, on a PostgreSQL this test starts for itself (initdb in a temporary
folder, its own port): the shared server at 5432 is never touched.

- PostgreSQL restarted while people work: the page says the database cannot be reached
  and that it retries; it carries on by itself once the database is back, without a
  restart of Tejido. A save confirmed before the outage is kept; one attempted during
  it is reported as not saved and is not in the database.
- An import killed in the middle of its write leaves the database exactly as before.

Skipped, with the reason, where PostgreSQL's server programs are absent.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engagement.model import Principal
from engagement.services.registry import actors, programs
from engagement.storage import migrate
from engagement.storage.db import Database
from tests.multiserver.conftest import ROOT, free_port, server_env, start_servers
from tests.support.streamlit_client import Run, StreamlitSession

pytestmark = pytest.mark.faults

PROGRAM = "Programa con cortes"


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@dataclass
class OwnPostgres:
    bin: Path
    data: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        log = self.data.parent / "postgres.log"
        subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(log),
             "-w", "-t", "60", *args],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data.parent}"
        self.ctl("-o", options, "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")


@pytest.fixture(scope="module")
def own_pg() -> Iterator[OwnPostgres]:
    found = _bin()
    if found is None:
        pytest.skip("PostgreSQL's server programs (initdb) are absent: fault tests skipped")
    folder = Path(tempfile.mkdtemp(prefix="tejido-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run it as the postgres user
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: cannot start a PostgreSQL")
        shutil.chown(folder, "postgres", "postgres")
        as_user = [runuser, "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run(
        [*as_user, str(found / "initdb"), "-D", str(data), "-U", "postgres",
         "--auth=trust", "--no-sync"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pg = OwnPostgres(found, data, free_port(), as_user)
    pg.start()
    try:
        yield pg
    finally:
        try:
            pg.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def program_db(own_pg: OwnPostgres) -> Iterator[tuple[str, int]]:
    db = Database.from_url(own_pg.url)
    migrate.upgrade(db.engine)
    program = programs.create_program(db, Principal("cli"), PROGRAM)
    actors.add_actor(db, Principal("cli"), program.id, {"name": "Concejo Municipal"})
    db.dispose()
    yield own_pg.url, program.id


def _names(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM actor ORDER BY name")).scalars().all()
    engine.dispose()
    return list(names)


def _add(session: StreamlitSession, program: int, name: str, page: Run | None = None) -> Run:
    """Add an actor through the page's form (``page``: the form as opened earlier)."""
    page = page or session.open("actors", f"program={program}&lang=en")
    session.set(next(w for w in page.widgets if w.label == "Name"), name)
    return session.click(page.widget("Add actor", "button"))


def test_a_postgresql_restart_is_explained_retried_and_survived(
    own_pg: OwnPostgres, program_db: tuple[str, int], tmp_path: Path
) -> None:
    url, program = program_db
    with start_servers(url, tmp_path, ["ana"]) as (server,):
        with StreamlitSession(server.base_url, timeout=300) as session:
            confirmed = _add(session, program, "Confirmado antes del corte")
            assert not confirmed.exceptions
            assert (
                "Confirmado antes del corte"
                in session.open("actors", f"program={program}&lang=en").text
            )

            form = session.open("actors", f"program={program}&lang=en")
            own_pg.stop()
            # Bring the database back while the page is retrying.
            restart = threading.Timer(8.0, own_pg.start)
            restart.start()
            try:
                during = _add(session, program, "Intentado durante el corte", form)
            finally:
                restart.join()
            # The page said so, kept trying, and came back by itself.
            assert "The database cannot be reached right now" in during.text
            assert "tries again every 3 s" in during.text
            assert "NOT saved" in during.text
            assert during.status == "FINISHED_SUCCESSFULLY" and not during.exceptions
            after = session.open("actors", f"program={program}&lang=en")
            assert "Concejo Municipal" in after.text and not after.exceptions
        assert server.process.poll() is None  # the same server, never restarted
    names = _names(url)
    assert "Confirmado antes del corte" in names
    assert "Intentado durante el corte" not in names


def test_an_import_killed_midway_leaves_the_database_as_it_was(
    own_pg: OwnPostgres, program_db: tuple[str, int], tmp_path: Path
) -> None:
    url, _ = program_db
    engine = create_engine(url)

    def snapshot() -> dict[str, object]:
        with engine.connect() as conn:
            tables = ["program", "actor", "relationship", "audit_entry", "import_batch"]
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
            version = conn.execute(text("SELECT sum(data_version) FROM program")).scalar()
        return {"counts": counts, "names": _names(url), "version": version}

    before = snapshot()
    big = tmp_path / "actores.csv"
    rows = [f"Actor {i};Sector {i % 40};Descripción {i}" for i in range(40_000)]
    big.write_text("Label;Type;Description\n" + "\n".join(rows), encoding="utf-8")
    env = server_env(url, tmp_path, TEJIDO_USER="ana", TEJIDO_UPLOAD_LIMIT_MB="100")
    process = subprocess.Popen(
        [sys.executable, "-m", "engagement", "import", str(big), "--program", PROGRAM],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    writing = False
    # Kill it once its write transaction has written (it holds a transaction id).
    with engine.connect() as conn:
        while time.monotonic() < deadline and process.poll() is None and not writing:
            writing = bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                    )
                ).scalar()
            )
            conn.rollback()  # activity is a snapshot per transaction: a fresh one each time
            time.sleep(0.01)
    assert writing and process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(1)  # the server notices the dropped connection and rolls back
    assert snapshot() == before
    engine.dispose()
