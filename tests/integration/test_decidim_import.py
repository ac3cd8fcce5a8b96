"""Decidim open-data ZIP import: each release's layout, the mapping of meetings,
proposals and results, idempotent re-import with conflicts, undo, bad input, figures."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest

from engagement.cli import main
from engagement.errors import FileLimitExceeded, NotADecidimExport, ValidationFailed
from engagement.io.decidim_zip import DecidimExport, read_decidim_zip
from engagement.model import Principal, ProgramInfo
from engagement.services.exchange import imports
from engagement.services.exchange.decidim_import import preview_decidim_import
from engagement.services.exchange.decidim_plan import DecidimOptions
from engagement.services.exchange.decidim_write import apply_decidim_import
from engagement.services.registry import actors, programs
from engagement.services.tracking import commitments, dashboard
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored_activities
from engagement.storage.queries import registry as stored_registry
from engagement.storage.tracking_models import Input
from engagement.tracking import CommitmentInput
from tests.support.decidim_zips import HOST, decidim_zip, meeting, proposal, result
from tests.support.reads import read_all

ANA = Principal("ana")
RELEASES = ("0.27", "0.28", "0.29", "0.30")
PROPOSAL_URL = f"http://{HOST}/processes/pres/f/11/proposals/"


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    found = programs.create_program(db, ANA, "Tejido Tepic")
    for name in ("Colectivo Verde", "Vecinos Unidos", "Cámara de Comercio de Tepic"):
        actors.add_actor(db, ANA, found.id, {"name": name})
    return found


def sample(release: str, **over: Any) -> bytes:
    return decidim_zip(
        [meeting(release, 1), meeting(release, 2, published=False)],
        [
            proposal(release, 5),
            proposal(release, 6, state="rejected"),
            proposal(release, 7, state="", **{"answer/es": "<p>borrador</p>"}),
            proposal(release, 8, state="evaluating"),
        ],
        [
            result(30, proposal_urls=f"{PROPOSAL_URL}5, {PROPOSAL_URL}6"),
            result(31, parent=30, progress="35.5"),
            result(32, **{"status/key": "completed", "progress": "100.0"}),
        ],
        release=release,
        **over,
    )


def read(data: bytes) -> DecidimExport:
    return read_decidim_zip(f"{HOST}-open-data.zip", data)


def run_import(db: Database, program: ProgramInfo, data: bytes, **options: Any) -> tuple[Any, Any]:
    export = read(data)
    chosen = DecidimOptions(lang="es", **options)
    preview = preview_decidim_import(db, ANA, program.id, export, chosen)
    outcome = apply_decidim_import(db, ANA, program.id, export, chosen, create_missing=True)
    return preview, outcome


@pytest.mark.parametrize("release", RELEASES)
def test_each_release_is_read_and_mapped(db: Database, program: ProgramInfo, release: str) -> None:
    export = read(sample(release))
    assert export.release == release and export.separator == ";" and export.host == HOST
    preview, _outcome = run_import(db, program, sample(release))
    counts = {r["resource"]: r for r in preview.plan.counts()}
    assert counts["meeting"]["new"] == 1 and counts["meeting"]["skipped"] == 1
    assert counts["proposal"]["new"] == 4
    assert counts["result"]["new"] == 2 and counts["child_result"]["new"] == 1
    assert preview.plan.withdrawn_unknown is (release in ("0.27", "0.28"))
    acts = stored_activities.activities_frame(db, program.id)
    assert list(acts["title"]) == ["Asamblea barrial 1"]
    row = acts.iloc[0]
    # 2024-05-10 23:30 UTC is 17:30 on the 10th in America/Guatemala (UTC-6).
    assert row["held_on"] == dt.date(2024, 5, 10)
    assert row["headcount"] == 40
    assert row["place"] == "Calle Morelos 12 · Salón ejidal"


def test_meeting_details_time_zone_headcount_and_attendance(
    db: Database, program: ProgramInfo
) -> None:
    never_closed = meeting("0.28", 3, attendees=0, contributions=0, organizations=None)
    data = decidim_zip([meeting("0.28", 1), never_closed], release="0.28")
    _, outcome = run_import(db, program, data)
    frame = stored_activities.activities_frame(db, program.id).set_index("title")
    info = stored_activities.get_activity(db, int(frame.loc["Asamblea barrial 1", "id"]))
    assert info.start_time == dt.time(17, 30) and info.end_time == dt.time(19, 0)
    assert "<" not in info.summary and "alert" not in info.summary
    assert info.summary.startswith("Hablamos de alumbrado")
    assert "Aportes registrados en Decidim: 7" in info.summary
    assert frame.loc["Asamblea barrial 3", "headcount"] is None or (
        frame.loc["Asamblea barrial 3", "headcount"] != frame.loc["Asamblea barrial 3", "headcount"]
    )
    present = stored_activities.attendance_frame(db, program.id)
    assert set(present["actor"]) == {"Colectivo Verde", "Vecinos Unidos", "Cámara de Comercio"}
    assert outcome.created_actors == ["Cámara de Comercio"]


def test_unknown_organisations_are_listed_with_near_misses_and_need_confirmation(
    db: Database, program: ProgramInfo
) -> None:
    export = read(decidim_zip([meeting("0.28", 1)], release="0.28"))
    preview = preview_decidim_import(db, ANA, program.id, export, DecidimOptions())
    assert preview.plan.missing_actors == {"Cámara de Comercio": ["Cámara de Comercio de Tepic"]}
    assert not preview.plan.can_apply() and preview.plan.can_apply(create_missing=True)
    with pytest.raises(ValidationFailed) as caught:
        apply_decidim_import(db, ANA, program.id, export, DecidimOptions())
    assert [p.params["value"] for p in caught.value.problems] == ["Cámara de Comercio"]
    assert stored_activities.activities_frame(db, program.id).empty


def test_proposals_answers_authors_and_drafts(db: Database, program: ProgramInfo) -> None:
    rows = [
        proposal("0.28", 5),
        proposal("0.28", 6, state="withdrawn"),
        proposal("0.28", 7, state="", **{"answer/es": "<p>borrador</p>"}),
        proposal("0.28", 8, **{"author/name": "Colectivo Verde"}),
        proposal("0.28", 9, published_at=None),
        proposal("0.28", 10, **{"title/es": "=1+1 más luz", "body/es": "-sin <b>cuerpo</b>"}),
    ]
    preview, _ = run_import(db, program, decidim_zip(proposals=rows, release="0.28"))
    reasons = {s.decidim_id: s.reason for s in preview.plan.skipped}
    assert reasons == {"6": "withdrawn", "9": "unpublished"}
    frame = read_all(db, program.id).table("inputs").set_index("text")
    texts = list(frame.index)
    assert "Más luminarias 5\n\nEn la colonia Centro & alrededores" in texts
    assert "=1+1 más luz\n\n-sin cuerpo" in texts
    assert all("María" not in t for t in texts)
    accepted = frame.loc["Más luminarias 5\n\nEn la colonia Centro & alrededores"]
    assert accepted["response"] == "accepted" and accepted["topic"] == "Alumbrado"
    assert accepted["reasoning"] == "Se incluye en el plan 2024"
    assert accepted["responded_on"] == dt.date(2024, 6, 1)
    draft = frame.loc["Más luminarias 7\n\nEn la colonia Centro & alrededores"]
    assert draft["response"] is None or draft["response"] != draft["response"]
    assert draft["reasoning"] == ""
    by_org = frame.loc["Más luminarias 8\n\nEn la colonia Centro & alrededores"]
    assert by_org["actor_id"] == actors_named(db, program)["Colectivo Verde"]
    anonymous = [a for t, a in zip(frame.index, frame["actor_id"], strict=True) if "8" not in t]
    assert all(a is None or a != a for a in anonymous)


def actors_named(db: Database, program: ProgramInfo) -> dict[str, int]:
    frame = stored_registry.actors_frame(db, program.id)
    return dict(zip(frame["name"], frame["id"], strict=True))


def test_custom_states_are_mapped_by_name_or_by_the_user(
    db: Database, program: ProgramInfo
) -> None:
    rows = [
        proposal("0.29", 5, state="aceptada_parcialmente"),
        proposal("0.29", 6, state="en_consulta_vecinal"),
        proposal("0.29", 7, withdrawn=True, state="not_answered"),
    ]
    export = read(decidim_zip(proposals=rows, release="0.29"))
    preview = preview_decidim_import(db, ANA, program.id, export, DecidimOptions())
    assert preview.plan.unmapped_states == {"en_consulta_vecinal": 1}
    assert [s.reason for s in preview.plan.skipped] == ["withdrawn"]
    with pytest.raises(ValidationFailed):
        apply_decidim_import(db, ANA, program.id, export, DecidimOptions())
    chosen = DecidimOptions(states={"en_consulta_vecinal": "under_review"})
    apply_decidim_import(db, ANA, program.id, export, chosen)
    responses = sorted(read_all(db, program.id).table("inputs")["response"])
    assert responses == ["partly_accepted", "under_review"]


def test_results_become_commitments_with_milestones_and_linked_inputs(
    db: Database, program: ProgramInfo
) -> None:
    run_import(db, program, sample("0.28"))
    frame = read_all(db, program.id).table("commitments").set_index("title")
    parent = read_all(db, program.id).commitment(int(frame.loc["Resultado 30", "id"]))
    assert parent.status == "in_progress"
    assert [(m.title, m.progress) for m in parent.milestones] == [("Resultado 31", 36)]
    assert parent.start_on == dt.date(2024, 6, 1) and parent.due_on == dt.date(2024, 12, 31)
    assert parent.description == "Instalar 50 luminarias"
    linked = read_all(db, program.id).table("inputs").set_index("id")
    assert sorted(linked.loc[list(parent.input_ids), "response"]) == ["accepted", "rejected"]
    alone = read_all(db, program.id).commitment(int(frame.loc["Resultado 32", "id"]))
    assert alone.status == "done" and alone.progress == 100


def test_reimport_updates_changes_and_shows_conflicts(db: Database, program: ProgramInfo) -> None:
    run_import(db, program, sample("0.28"))
    again = preview_decidim_import(db, ANA, program.id, read(sample("0.28")), DecidimOptions())
    assert all(r["new"] == 0 and r["updated"] == 0 for r in again.plan.counts())
    # In Tejido, someone edits the rejected proposal's reasoning.
    with db.writing() as session:
        edited = session.query(Input).filter(Input.response == "rejected").one()
        edited.reasoning = "Editado en Tejido"
    later = decidim_zip(
        [meeting("0.28", 1, attendees=55)],
        [
            proposal("0.28", 5),
            proposal("0.28", 6, state="rejected", **{"answer/es": "Nueva respuesta"}),
            proposal("0.28", 7, state="accepted", **{"answer/es": "Ahora sí"}),
            proposal("0.28", 8, state="evaluating"),
        ],
        [result(30, proposal_urls=f"{PROPOSAL_URL}5"), result(31, parent=30, progress="80.0")],
        release="0.28",
    )
    preview, outcome = run_import(db, program, later)
    counts = {r["resource"]: r for r in preview.plan.counts()}
    assert counts["meeting"]["updated"] == 1 and counts["proposal"]["updated"] == 1
    assert counts["child_result"]["updated"] == 1
    [conflict] = preview.plan.conflicts
    assert conflict.conflicts == {"reasoning": ["Editado en Tejido", "Nueva respuesta"]}
    frame = read_all(db, program.id).table("inputs")
    assert len(frame) == 4 and "Editado en Tejido" in set(frame["reasoning"])
    assert "Ahora sí" in set(frame["reasoning"])
    assert list(stored_activities.activities_frame(db, program.id)["headcount"]) == [55]
    # The undo of the second import sets back what it changed.
    imports.undo_import(db, ANA, outcome.batch_id)
    assert list(stored_activities.activities_frame(db, program.id)["headcount"]) == [40]


def test_undo_takes_everything_back(db: Database, program: ProgramInfo) -> None:
    _, outcome = run_import(db, program, sample("0.29"))
    imports.undo_import(db, ANA, outcome.batch_id)
    assert stored_activities.activities_frame(db, program.id).empty
    assert read_all(db, program.id).table("inputs").empty
    assert read_all(db, program.id).table("commitments").empty
    preview, _ = run_import(db, program, sample("0.29"))
    assert preview.plan.counts()[1]["new"] == 4  # imported afresh, not "unchanged"


def test_figures_count_imported_rows(db_url: str, db: Database, program: ProgramInfo) -> None:
    run_import(db, program, sample("0.28"))
    never_closed = meeting("0.28", 3, attendees=0, contributions=0, organizations=None)
    run_import(db, program, decidim_zip([meeting("0.28", 1), never_closed], release="0.28"))
    frames = read_all(db, program.id).tracking_frames()
    figures = dashboard.figures(frames)
    # The unknown headcount counts as nothing, not as an error.
    assert figures.activities == 2 and figures.citizens_involved == 40
    monthly = dashboard.monthly_series(frames)
    assert list(monthly["citizens_involved"]) == [40] and list(monthly["activities"]) == [2]
    # Accepted and rejected are reasoned responses; "evaluating" (under review) and a
    # draft answer are not.
    assert figures.inputs_received == 4 and figures.inputs_answered == 2
    responses = read_all(db, program.id).checklist()[2]
    assert responses.params["answered"] == 2 and responses.params["total"] == 4
    out = io.StringIO()
    args = ["--database-url", db_url, "report", "--program", "Tejido Tepic", "--format", "json"]
    assert main(args, out=out) == 0
    data = json.loads(out.getvalue())
    assert data["activities"] == 2 and data["inputs_received"] == 4
    assert data["citizens_involved"] == 40
    assert data["commitments"]["in_progress"] == 1 and data["commitments"]["done"] == 1


def test_comma_separator_single_newline_entries_and_paths(db: Database) -> None:
    extra = {"../evil-open-data-meetings.csv": b"id;title/es\n9;mal\n", "x/y.csv": b"a\n"}
    data = decidim_zip([meeting("0.28", 1)], sep=",", release="0.28", extra=extra)
    export = read(data)
    assert export.separator == ","
    assert [r["id"] for r in export.rows("meetings")] == ["1"]
    assert export.rows("meetings")[0]["organizations"].startswith("Colectivo Verde, Vecinos")
    assert export.rows("proposals") == () and export.rows("results") == ()
    assert set(export.ignored) == {"../evil-open-data-meetings.csv", "x/y.csv"}


def test_formula_guard_is_taken_off() -> None:
    data = decidim_zip(proposals=[proposal("0.28", 5, **{"title/es": "+1 a esto"})])
    assert read(data).rows("proposals")[0]["title/es"] == "+1 a esto"
    assert (
        "'+1" in zipfile.ZipFile(io.BytesIO(data)).read(f"{HOST}-open-data-proposals.csv").decode()
    )


def test_not_decidim_and_too_big_are_refused(db: Database, program: ProgramInfo) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("actores.csv", "Nombre\nA\n")
    with pytest.raises(NotADecidimExport):
        read(out.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{HOST}-open-data-meetings.csv", b"\n" * (129 * 2**20))
    with pytest.raises(FileLimitExceeded) as caught:
        read(bomb.getvalue())
    assert caught.value.limit == "inflated"
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(2001):
            archive.writestr(f"{HOST}-open-data-e{n}.csv", "\n")
    with pytest.raises(FileLimitExceeded):
        read(many.getvalue())


def test_cli_import_dry_run_then_write(
    db_url: str, db: Database, program: ProgramInfo, tmp_path: Any
) -> None:
    path = tmp_path / f"{HOST}-open-data.zip"
    path.write_bytes(sample("0.27"))
    base = ["--database-url", db_url, "--lang", "en", "import", str(path)]
    out = io.StringIO()
    assert main([*base, "--program", "Tejido Tepic", "--dry-run"], out=out) == 1
    text = out.getvalue()
    assert "Decidim 0.27" in text and "cannot be told apart" in text
    assert "did you mean: Cámara de Comercio de Tepic" in text
    out = io.StringIO()
    stage = program.stages[1]
    args = ["--program", "Tejido Tepic", "--create-missing", "--stage", stage.label_en]
    assert main([*base, *args], out=out) == 0, out.getvalue()
    assert "Import applied" in out.getvalue()
    received = read_all(db, program.id).table("inputs")
    assert len(received) == 4 and set(received["stage_id"]) == {stage.id}
    notzip = tmp_path / "x-open-data.zip"
    notzip.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    out = io.StringIO()
    assert main([*base[:-1], str(notzip), "--program", "Tejido Tepic"], out=out) == 1


def test_time_zone_setting_is_checked_and_used(db: Database, program: ProgramInfo) -> None:
    assert program.time_zone == "America/Guatemala"
    with pytest.raises(ValidationFailed) as caught:
        programs.update_program(db, ANA, program.id, {"time_zone": "Mars/Olympus"}, program.version)
    assert caught.value.problems[0].code == "bad_time_zone"
    changed = programs.update_program(
        db, ANA, program.id, {"time_zone": "Asia/Tokyo"}, program.version
    )
    assert changed.time_zone == "Asia/Tokyo"
    # 2024-05-10 23:30 UTC is 08:30 on the 11th in Tokyo.
    run_import(db, program, decidim_zip([meeting("0.27", 1)], release="0.27"))
    info = stored_activities.get_activity(
        db, int(stored_activities.activities_frame(db, program.id)["id"][0])
    )
    assert info.held_on == dt.date(2024, 5, 11) and info.start_time == dt.time(8, 30)


def test_export_back_as_a_decidim_results_csv(
    db_url: str, db: Database, program: ProgramInfo, tmp_path: Any
) -> None:
    run_import(db, program, sample("0.28"))
    commitments.add_commitment(db, ANA, program.id, CommitmentInput(title="=Compromiso propio"))
    path = tmp_path / "results.csv"
    args = ["--database-url", db_url, "export", "--program", "Tejido Tepic"]
    assert main([*args, "--format", "decidim-results", "--output", str(path)]) == 0
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    lines = data.decode().splitlines()
    assert lines[0] == "id;parent/id;title/es;description/es;start_date;end_date;progress"
    assert "30;;Resultado 30;Instalar 50 luminarias;2024-06-01;2024-12-31;36" in lines
    assert "31;30;Resultado 31;Resultado 31;;;36" not in lines  # child: its own due date
    assert any(line.startswith("31;30;Resultado 31;") and line.endswith(";36") for line in lines)
    assert "32;;Resultado 32;Instalar 50 luminarias;2024-06-01;2024-12-31;100" in lines
    own = [line for line in lines if "Compromiso propio" in line]
    assert own and own[0].startswith(";;'=Compromiso propio;")
