"""AppTests of the Import page with a Decidim open-data ZIP: preview, choices,
confirmation, conflicts (issue 14)."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from engagement.io.decidim_zip import read_decidim_zip
from engagement.model import Principal, ProgramInfo
from engagement.services.exchange.decidim_plan import DecidimOptions
from engagement.services.exchange.decidim_write import apply_decidim_import
from engagement.services.registry import actors
from engagement.storage.db import Database
from engagement.storage.queries import registry as stored_registry
from engagement.storage.tracking_models import Input
from tests.pages.test_import_export import frame_with, open_with_files, texts
from tests.support.decidim_zips import HOST, decidim_zip, meeting, proposal, result
from tests.support.reads import read_all

NAME = f"{HOST}-open-data.zip"
LOCAL = Principal("local")


def sample(**over: str) -> bytes:
    return decidim_zip(
        [meeting("0.29", 1), meeting("0.29", 2, withdrawn=True)],
        [proposal("0.29", 5), proposal("0.29", 6, state="en_consulta_vecinal", **over)],
        [result(30), result(31, parent=30)],
        release="0.29",
    )


def test_preview_asks_for_organisations_and_states_then_imports_on_confirmation(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    actors.add_actor(app_db, LOCAL, program.id, {"name": "Colectivo Verde"})
    actors.add_actor(app_db, LOCAL, program.id, {"name": "Cámara de Comercio de Tepic"})
    at = open_with_files(open_page, program.id, [(NAME, sample())])
    counts = frame_with(at, "nuevas").set_index("Qué")
    assert counts.loc["Encuentros → actividades", "nuevas"] == 1
    assert counts.loc["Encuentros → actividades", "omitidas"] == 1
    assert counts.loc["Propuestas → aportes", "nuevas"] == 2
    skipped = frame_with(at, "Motivo de omisión")
    assert list(skipped["Motivo de omisión"]) == ["retirada"]
    missing = frame_with(at, "Organización").set_index("Organización")
    assert missing.loc["Cámara de Comercio", "Nombres parecidos en el registro"] == (
        "Cámara de Comercio de Tepic"
    )
    assert any("America/Guatemala" in i for i in texts(at, "info"))
    [apply] = [b for b in at.button if b.key == "decidim.apply"]
    assert apply.disabled
    assert read_all(app_db, program.id).table("inputs").empty
    at.checkbox(key="decidim.create_missing").check().run()
    at.selectbox(key="decidim.state.en_consulta_vecinal").set_value("under_review").run()
    [apply] = [b for b in at.button if b.key == "decidim.apply"]
    assert not apply.disabled
    apply.click().run()
    assert not at.exception
    assert any("Importación de Decidim aplicada: " in s for s in texts(at, "success"))
    received = read_all(app_db, program.id).table("inputs")
    assert sorted(received["response"]) == ["accepted", "under_review"]
    assert "Cámara de Comercio" in set(stored_registry.actors_frame(app_db, program.id)["name"])


def test_conflicts_with_edits_in_tejido_are_shown_and_html_is_never_rendered(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    first = read_decidim_zip(NAME, sample())
    options = DecidimOptions(states={"en_consulta_vecinal": "under_review"})
    apply_decidim_import(app_db, LOCAL, program.id, first, options, create_missing=True)
    with app_db.writing() as session:
        edited = session.query(Input).filter(Input.response == "accepted").one()
        edited.reasoning = "Editado en Tejido"
    later = decidim_zip(
        [meeting("0.29", 1)],
        [proposal("0.29", 5, **{"answer/es": "<script>alert(1)</script><p>Nueva</p>"})],
        release="0.29",
    )
    at = open_with_files(open_page, program.id, [(NAME, later)])
    conflicts = frame_with(at, "En Tejido (se conserva)")
    assert list(conflicts["Campo"]) == ["reasoning"]
    assert list(conflicts["En Tejido (se conserva)"]) == ["Editado en Tejido"]
    assert list(conflicts["En Decidim ahora"]) == ["Nueva"]
    assert any("se editaron en Tejido" in w for w in texts(at, "warning"))
    shown = " ".join(str(m.value) for m in at.markdown) + " ".join(texts(at, "info"))
    assert "<script" not in shown


def test_a_zip_that_is_not_decidims_gets_a_message(
    open_page: Callable[..., AppTest], app_db: Database, program: ProgramInfo
) -> None:
    at = open_with_files(open_page, program.id, [("x-open-data.zip", b"PK\x05\x06" + bytes(18))])
    assert any("no es una descarga de datos abiertos de Decidim" in e for e in texts(at, "error"))
    assert not [b for b in at.button if b.key == "decidim.apply"]
