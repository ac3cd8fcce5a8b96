"""Pages as a signed-in viewer: nothing of a restricted citizen, figures of what they see.

Each page is read whole: every element's content (tables, charts' data, captions,
choices) must name neither the restricted citizen nor her contact data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from engagement.services.access import users
from engagement.storage.db import Database
from tests.support.restricted import NAME, OPERATOR, Restricted, build_restricted
from tests.support.signin import sign_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(app_db: Database, monkeypatch: pytest.MonkeyPatch) -> Restricted:
    monkeypatch.setenv("TEJIDO_AUTH", "password")
    return build_restricted(app_db)


def _open(world: Restricted, username: str, page: str, **state: Any) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    values = {
        "tejido.lang": "es",
        "tejido.program_id": world.program_id,
        **state,
    }
    for key, value in values.items():
        at.session_state[key] = value
    sign_in(at, username)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def page_text(at: AppTest) -> str:
    """Everything the page holds: element contents (charts' data included) and tables."""
    parts = [str(n.proto) for n in _nodes(at._tree) if getattr(n, "proto", None) is not None]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def _hidden_in(at: AppTest, world: Restricted) -> list[str]:
    text = page_text(at)
    return [s for s in world.strings() if s in text]


def test_the_dashboard_counts_what_the_viewer_sees(world: Restricted) -> None:
    at = _open(world, "visor", "app_pages/dashboard.py")
    at.segmented_control(key="dashboard.section").set_value("progress").run()
    # 30 live actors of the program besides her; 1 tie of 3 (hers are not seen).
    assert "La coalición hoy: 32 actores y 1 vínculos" in " ".join(c.value for c in at.caption)
    assert _hidden_in(at, world) == []


def test_since_the_last_call_names_no_restricted_citizen_nor_who(world: Restricted) -> None:
    at = _open(world, "visor", "app_pages/dashboard.py")
    at.segmented_control(key="dashboard.section").set_value("since").run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Municipalidad" in text  # the list is there
    assert _hidden_in(at, world) == [] and "local" not in {
        v for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel()
    }


def test_a_mentor_sees_her_since_the_last_call(world: Restricted) -> None:
    at = _open(world, "mentora", "app_pages/dashboard.py")
    at.segmented_control(key="dashboard.section").set_value("since").run()
    assert NAME in page_text(at)


def test_the_inputs_table_does_not_name_her(world: Restricted) -> None:
    at = _open(world, "visor", "app_pages/commitments.py")
    text = page_text(at)
    assert "Más luminarias en el barrio" in text and "Parque del barrio" in text
    assert _hidden_in(at, world) == []


def test_snapshots_show_no_restricted_scores(world: Restricted) -> None:
    at = _open(world, "visor", "app_pages/snapshots.py")
    assert "Antes" in page_text(at)
    assert _hidden_in(at, world) == []


def test_activities_and_attendance_without_her(world: Restricted) -> None:
    at = _open(world, "visor", "app_pages/activities.py")
    assert "Mentoría semanal" in page_text(at)
    assert _hidden_in(at, world) == []


def test_network_grid_and_analysis_without_her(world: Restricted) -> None:
    for page in (
        "app_pages/network.py",
        "app_pages/grid.py",
        "app_pages/actors.py",
        "app_pages/relationships.py",
    ):
        at = _open(world, "visor", page)
        assert "Municipalidad" in page_text(at), page
        assert _hidden_in(at, world) == [], page


def test_a_lead_gets_the_program_backup_not_the_whole_database(
    world: Restricted, app_db: Database
) -> None:
    users.set_role(app_db, OPERATOR, "mentora", world.program_id, "lead")
    at = _open(world, "mentora", "app_pages/team.py")
    assert not [b for b in at.button if b.key == "team.make_backup"]
    keys = {e.proto.id for e in _nodes(at._tree) if type(e).__name__ == "DownloadButton"}
    labels = page_text(at)
    assert "Descargar la copia JSON de este programa" in labels, keys
    assert "solo para administradores" in labels


def test_an_administrator_copies_the_whole_database(world: Restricted, app_db: Database) -> None:
    users.create_user(app_db, OPERATOR, "jefa", "clave-de-jefa-12", admin=True)
    at = _open(world, "jefa", "app_pages/team.py")
    assert [b for b in at.button if b.key == "team.make_backup"]
