"""Decidim re-import against what Tejido holds: rows deleted in Tejido since the last
download stay deleted (skipped, with why), and matching costs a few queries whatever
the number of rows (keys and records loaded in bulk, compared in memory)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from engagement.io.decidim_zip import read_decidim_zip
from engagement.model import Principal, ProgramInfo
from engagement.services.exchange.decidim_import import preview_decidim_import
from engagement.services.exchange.decidim_plan import DecidimOptions
from engagement.services.exchange.decidim_write import apply_decidim_import
from engagement.services.registry import programs
from engagement.services.tracking import activities, commitments, inputs
from engagement.storage.db import Database
from engagement.storage.queries import activities as stored
from engagement.storage.queries import tracking
from tests.support.decidim_zips import HOST, decidim_zip, meeting, proposal, result

ANA = Principal("ana")


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    return programs.create_program(db, ANA, "Tejido Tepic")


def download(proposals: int = 3, **over: Any) -> bytes:
    return decidim_zip(
        [meeting("0.28", 1, organizations=None), meeting("0.28", 2, organizations=None)],
        [proposal("0.28", p, **over) for p in range(1, proposals + 1)],
        [result(30), result(31, parent=30), result(40)],
        release="0.28",
    )


def apply(db: Database, program: ProgramInfo, data: bytes) -> Any:
    export = read_decidim_zip(f"{HOST}-open-data.zip", data)
    preview = preview_decidim_import(db, ANA, program.id, export, DecidimOptions())
    apply_decidim_import(db, ANA, program.id, export, DecidimOptions(), preview=preview)
    return preview


def test_rows_deleted_in_tejido_stay_deleted(db: Database, program: ProgramInfo) -> None:
    apply(db, program, download())
    meetings = stored.activities_frame(db, program.id).set_index("title")
    activities.delete_activity(db, ANA, int(meetings.loc["Asamblea barrial 1", "id"]))
    received = tracking.inputs_frame(db, program.id)
    inputs.delete_input(db, ANA, int(received["id"].min()))
    promised = tracking.commitments_frame(db, program.id).set_index("title")
    commitments.delete_commitment(db, ANA, int(promised.loc["Resultado 30", "id"]))
    # A later download with an answer changed everywhere.
    preview = apply(db, program, download(**{"answer/es": "<p>Respuesta nueva</p>"}))
    reasons = {(s.resource, s.decidim_id): s.reason for s in preview.plan.skipped}
    assert reasons == {
        ("meeting", "1"): "deleted",
        ("proposal", "1"): "deleted",
        ("result", "30"): "deleted",
        ("child_result", "31"): "parent_deleted",
    }
    counts = {r["resource"]: r for r in preview.plan.counts()}
    assert counts["meeting"]["unchanged"] == 1 and counts["proposal"]["updated"] == 2
    assert counts["result"]["unchanged"] == 1
    assert list(stored.activities_frame(db, program.id)["title"]) == ["Asamblea barrial 2"]
    assert sorted(tracking.inputs_frame(db, program.id)["reasoning"]) == ["Respuesta nueva"] * 2
    assert list(tracking.commitments_frame(db, program.id)["title"]) == ["Resultado 40"]


def test_matching_a_download_takes_the_same_queries_for_few_rows_or_many(
    db: Database, program: ProgramInfo
) -> None:
    def statements(count: int) -> int:
        export = read_decidim_zip(f"{HOST}-open-data.zip", download(count))
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            preview_decidim_import(db, ANA, program.id, export, DecidimOptions())
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    apply(db, program, download(40))
    assert statements(40) == statements(4)


def test_text_from_the_file_is_stored_without_control_characters(
    db: Database, program: ProgramInfo
) -> None:
    apply(db, program, download(1, **{"body/es": "<p>Luz\x1b[31m en\x00 la calle</p>"}))
    assert list(tracking.inputs_frame(db, program.id)["text"]) == [
        "Más luminarias 1\n\nLuz[31m en la calle"
    ]


def test_control_characters_import_cleanly_and_the_same_zip_again_changes_nothing(
    db: Database, program: ProgramInfo
) -> None:
    ruled = {"title/es": "Más\x0b luz\x01", "body/es": "cuerpo\x01 uno", "answer/es": "sí\x0b"}
    apply(db, program, download(2, **ruled))
    texts = sorted(tracking.inputs_frame(db, program.id)["text"])
    assert texts == ["Más luz\n\ncuerpo uno"] * 2
    again = apply(db, program, download(2, **ruled))
    counts = {r["resource"]: r for r in again.plan.counts()}
    assert counts["proposal"]["unchanged"] == 2 and counts["proposal"]["updated"] == 0
    assert not again.plan.conflicts and all(r.outcome == "unchanged" for r in again.plan.rows)
    # A later download that changes a field holding them: an update, not a conflict.
    later = apply(db, program, download(2, **(ruled | {"body/es": "cuerpo\x01 dos"})))
    assert not later.plan.conflicts
    assert {r["resource"]: r["updated"] for r in later.plan.counts()}["proposal"] == 2
