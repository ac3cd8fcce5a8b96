"""Several real Tejido servers (``streamlit run server.py`` processes) on one PostgreSQL.

``private_pg_url`` creates a database of its own on the server that
``TEJIDO_TEST_POSTGRES_URL`` names (skipped when unset) and drops it afterwards.
``start_servers(url, n)`` starts ``n`` servers on free ports against it, at once.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.databases import PG_ENV

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120


@dataclass
class Server:
    base_url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return bool(response.read().strip() == b"ok")
    except OSError:
        return False


@contextlib.contextmanager
def private_database(base_url: str) -> Iterator[str]:
    name = f"tejido_multi_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def private_pg_url() -> Iterator[str]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: the multi-server tests need PostgreSQL")
    with private_database(url) as own:
        yield own


def server_env(db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TEJIDO_DATABASE_URL=db_url,
        TEJIDO_DATA_DIR=str(data_dir),
        TEJIDO_AUTH="none",
        TEJIDO_LANG="en",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def start_servers(
    db_url: str, data_dir: Path, users: list[str], **extra: str
) -> Iterator[list[Server]]:
    """One server per name in ``users`` (its single local user), all started at once."""
    servers: list[Server] = []
    try:
        for user in users:
            port = free_port()
            log_path = data_dir / f"server-{port}.log"
            command = [
                sys.executable, "-m", "streamlit", "run", "server.py",
                "--server.headless=true", f"--server.port={port}",
                "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none",
            ]  # fmt: skip
            env = server_env(db_url, data_dir, TEJIDO_USER=user, **extra)
            with log_path.open("w", encoding="utf-8") as log:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                )
            servers.append(Server(f"http://127.0.0.1:{port}", log_path, process))
        deadline = time.monotonic() + START_TIMEOUT_S
        for server in servers:
            while not healthy(server.base_url):
                if server.process.poll() is not None:
                    pytest.fail(f"a server exited:\n{server.log()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"a server did not answer:\n{server.log()}")
                time.sleep(0.25)
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=15)
