"""AppTest on the demo programs, signed in with a role.

``demo_file`` (session) loads the two demo programs once into a SQLite file with one
account per role, member of both programs: ``lidia`` (lead), ``marco`` (mentor),
``fabi`` (facilitator), ``alcaldia`` (viewer). ``demo_app`` copies that file for the test
(pages may write: the daily backup, a dismissed notice) and returns ``open_as(user,
page, lang, program)`` which signs the user in (a server-side session) and opens the page.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from engagement.model import Principal
from engagement.services.access import users
from engagement.services.exchange import demo
from engagement.services.registry import programs
from engagement.storage import migrate
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from tests.support.signin import sign_in

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = Principal("cli")
ROLE_USERS = {"lead": "lidia", "mentor": "marco", "facilitator": "fabi", "viewer": "alcaldia"}
#: Every page of the navigation, by file name.
PAGES = tuple(sorted(p.stem for p in (ROOT / "app_pages").glob("*.py")))


@dataclass(frozen=True)
class Demo:
    path: Path
    programs: dict[str, int]
    #: The first actor (by name) of each program: one whose panel a test can open.
    actors: dict[int, int]

    def first_actor(self, program_id: int) -> int:
        return self.actors[program_id]

    @property
    def antigua(self) -> int:
        return next(pid for name, pid in self.programs.items() if "Antigua" in name)

    @property
    def tepic(self) -> int:
        return next(pid for name, pid in self.programs.items() if "Tepic" in name)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    folder = tmp_path_factory.mktemp("demo-roles")
    path = folder / "demo.db"
    db = Database.from_url(f"sqlite:///{path}")
    migrate.upgrade(db.engine)
    demo.load_demos(db, OPERATOR)
    found = {p.name: p.id for p in programs.list_programs(db)}
    for role, name in ROLE_USERS.items():
        users.create_user(db, OPERATOR, name, f"clave-{name}-de-prueba")
        for pid in found.values():
            users.set_role(db, OPERATOR, name, pid, role)
    first = {
        pid: int(stored_registry.actors_frame(db, pid).sort_values("name")["id"].iloc[0])
        for pid in found.values()
    }
    db.dispose()
    return Demo(path, found, first)


OpenAs = Callable[..., AppTest]


@pytest.fixture
def demo_app(
    demo_file: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Demo, OpenAs]]:
    path = tmp_path / "app.db"
    shutil.copyfile(demo_file.path, path)
    monkeypatch.setenv("TEJIDO_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("TEJIDO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    monkeypatch.setenv("TEJIDO_BACKUP_KEEP", "0")
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_as(
        role: str, page: str | None = None, lang: str = "es", program_id: int | None = None
    ) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["tejido.lang"] = lang
        at.session_state["tejido.program_id"] = program_id or demo_file.antigua
        sign_in(at, ROLE_USERS.get(role, role))
        at.run()
        if page:
            at.switch_page(f"app_pages/{page}.py")
            at.run()
        return at

    yield demo_file, open_as
    st.cache_data.clear()
    st.cache_resource.clear()
