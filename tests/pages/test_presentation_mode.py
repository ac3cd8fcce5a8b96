"""Presentation mode and restricted actors, as a user sees them on the pages."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import AssessmentInput, Principal, ProgramInfo
from engagement.services.registry import actors, assessments, relationships
from engagement.storage.db import Database
from engagement.ui.coalition import network_views
from tests.pages.conftest import ROOT

LEAD = Principal("cli")
NETWORK = "app_pages/network.py"


def _shown_text(at: AppTest) -> str:
    tables = " ".join(df.value.to_string() for df in at.dataframe)
    return tables + " ".join(m.value for m in at.markdown)


def _everything(at: AppTest) -> str:
    """Every text, table, option and component payload on the page."""
    parts = [_shown_text(at)]
    parts += [e.value for kind in ("subheader", "caption", "info", "warning") for e in at.get(kind)]
    parts += [str(o) for box in at.selectbox for o in box.options]
    parts += [str(e.proto) for e in _walk_all(at)]
    return " ".join(str(p) for p in parts)


def _walk_all(at: AppTest) -> list[Any]:
    def walk(element: Any) -> list[Any]:
        children = getattr(element, "children", None)
        if not children:
            return [element]
        return [element] + [x for child in children.values() for x in walk(child)]

    return [x for child in at.main.children.values() for x in walk(child)]


def _map_payload(at: AppTest) -> dict[str, Any]:
    found = [
        e
        for e in _walk_all(at)
        if getattr(getattr(e, "proto", None), "component_name", "") == "tejido.network_map"
    ]
    assert found, "the map component is not on the page"
    # The map sends its payload as JSON text or, pre-encoded, as UTF-8 JSON bytes.
    proto = found[-1].proto
    data: dict[str, Any] = json.loads(
        proto.bytes if proto.WhichOneof("data") == "bytes" else proto.json
    )
    return data


def _present(at: AppTest) -> None:
    """Turn presentation mode on and rerun. (Once a test module has imported
    engagement.ui, AppTest runs a switched-to page without app.py, so the sidebar toggle
    is not drawn and its state would be dropped: set it before every run.)"""
    at.session_state["tejido.presentation"] = True
    at.run(timeout=60)


def _people(db: Database, program: ProgramInfo) -> None:
    citizen = next(s.id for s in program.sectors if s.key == "citizen")
    rosa = actors.add_actor(db, LEAD, program.id, {"name": "Doña Rosa", "sector_id": citizen})
    muni = actors.add_actor(db, LEAD, program.id, {"name": "Municipalidad de Antigua"})
    actors.add_actor(db, LEAD, program.id, {"name": "Informante", "confidentiality": "restricted"})
    tie = next(t.id for t in program.tie_types if t.key == "informs")
    relationships.add_relationship(
        db, LEAD, program.id, {"source_id": rosa.id, "target_id": muni.id, "tie_type_id": tie}
    )


def test_presentation_mode_hides_citizens_on_actors_and_ties(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    _people(app_db, program)
    home = open_page(program_id=program.id)
    assert home.sidebar.toggle(key="tejido.presentation").value is False
    at = open_page("app_pages/actors.py", program_id=program.id)
    assert "Doña Rosa" in _shown_text(at)
    _present(at)
    shown = _shown_text(at)
    assert "Doña Rosa" not in shown and "Persona 1" in shown
    assert "Municipalidad de Antigua" in shown  # organisations keep their names
    at.switch_page("app_pages/relationships.py")
    _present(at)
    shown = _shown_text(at)
    assert "Doña Rosa" not in shown and "Persona 1" in shown


@pytest.fixture
def citizens(app_db: Database, program: ProgramInfo) -> dict[str, int]:
    """A deleted citizen (so stand-ins are not simply 1, 2… of the live ones), a citizen
    with contact data tied to the municipality, and both assessed."""
    citizen = next(s.id for s in program.sectors if s.key == "citizen")
    municipal = next(s.id for s in program.sectors if s.key == "municipal_government")
    gone = actors.add_actor(app_db, LEAD, program.id, {"name": "Don Ausente", "sector_id": citizen})
    actors.delete_actor(app_db, LEAD, gone.id)
    rosa = actors.add_actor(
        app_db,
        LEAD,
        program.id,
        {"name": "Doña Rosa", "sector_id": citizen, "contact_phone": "5555-1234"},
    )
    muni = actors.add_actor(
        app_db, LEAD, program.id, {"name": "Municipalidad de Antigua", "sector_id": municipal}
    )
    collaborates = next(t.id for t in program.tie_types if t.key == "collaborates")
    relationships.add_relationship(
        app_db,
        LEAD,
        program.id,
        {"source_id": rosa.id, "target_id": muni.id, "tie_type_id": collaborates, "strength": 3},
    )
    stage = program.stages[0].id
    day = dt.date.today() - dt.timedelta(days=3)
    assessments.record_assessments(
        app_db,
        LEAD,
        program.id,
        [
            AssessmentInput(rosa.id, stage, day, 2, 5, 3, 4, 2),
            AssessmentInput(muni.id, stage, day, 5, 5, 4, 5, 3),
        ],
    )
    return {"rosa": rosa.id, "muni": muni.id}


def _panel_ties(at: AppTest) -> list[str]:
    """The "Actor" column of the panel's ties table (the other end of each tie)."""
    found = [df.value for df in at.dataframe if "Conflicto" in df.value.columns]
    assert len(found) == 1, [list(df.value.columns) for df in at.dataframe]
    return [str(name) for name in found[0]["Actor"]]


def _network_page(program: ProgramInfo, selected: int, *, presenting: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["tejido.lang"] = "es"
    at.session_state["tejido.program_id"] = program.id
    at.session_state["tejido.selected_actor"] = selected
    at.session_state["tejido.presentation"] = presenting
    at.run(timeout=60)
    at.switch_page(NETWORK)
    at.session_state["tejido.presentation"] = presenting
    at.run(timeout=60)
    assert not at.exception, at.exception
    return at


def test_the_network_map_and_actor_panel_hide_a_citizen_when_presenting(
    program: ProgramInfo, citizens: dict[str, int]
) -> None:
    at = _network_page(program, citizens["rosa"], presenting=False)
    assert "Doña Rosa" in json.dumps(_map_payload(at), ensure_ascii=False)
    assert [h.value for h in at.subheader] == ["Doña Rosa"]

    at = _network_page(program, citizens["rosa"], presenting=True)
    payload = json.dumps(_map_payload(at), ensure_ascii=False)
    assert "Doña Rosa" not in payload and "5555-1234" not in payload
    # The same stand-in as on every other page (the deleted citizen is "Persona 1").
    assert "Persona 2" in payload and "Municipalidad de Antigua" in payload
    chooser = at.selectbox(key=network_views.CHOOSER)
    assert chooser.value == citizens["rosa"]
    assert sorted(chooser.options) == ["Municipalidad de Antigua", "Persona 2"]
    # The actor panel beside the map.
    assert [h.value for h in at.subheader] == ["Persona 2"]
    assert _panel_ties(at) == ["Municipalidad de Antigua"]
    everything = _everything(at)
    assert "Doña Rosa" not in everything and "5555-1234" not in everything


def test_an_organisations_panel_names_its_citizen_allies_by_stand_in(
    program: ProgramInfo, citizens: dict[str, int]
) -> None:
    at = _network_page(program, citizens["muni"], presenting=True)
    assert [h.value for h in at.subheader] == ["Municipalidad de Antigua"]
    assert _panel_ties(at) == ["Persona 2"]
    assert "Doña Rosa" not in _everything(at)


def test_import_export_page_when_presenting(
    program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("app_pages/import_export.py", program_id=program.id)
    assert "JSON" in " ".join(at.radio(key="import_page.export_format").options)
    _present(at)
    options = at.radio(key="import_page.export_format").options
    assert len(options) == 5 and not any("JSON" in o for o in options)
    infos = " ".join(i.value for i in at.info)
    assert "las exportaciones llevan nombres sustitutos" in infos
    assert "no se importa ni se deshace ninguna importación" in infos
    assert not [t for t in at.toggle if t.key == "import_page.include_personal"]
    assert not at.get("file_uploader")


def test_reimporting_an_exported_csv_folder_skips_its_readme(
    app_db: Database, program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    from engagement.services.exchange import exports
    from tests.pages.test_import_export import open_with_files

    _people(app_db, program)
    _n, data, _m = exports.export_program(app_db, program.id, "csv", by=LEAD)
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = [(name, archive.read(name)) for name in sorted(archive.namelist())]
    assert files[0][0] == "LEEME.txt"
    at = open_with_files(open_page, program.id, files)
    captions = " ".join(c.value for c in at.caption)
    assert "«LEEME.txt» es la nota de una exportación de Tejido" in captions
    assert not at.error and "El archivo no trae cambios" in " ".join(i.value for i in at.info)
