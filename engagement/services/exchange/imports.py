"""Import a program's actors, ties and assessments from spreadsheets, safely.

The API the import/export page and the CLI call (all in Spanish or English through the
catalog; nothing here returns UI text):

``read_upload(name, data: bytes, limit_bytes) -> ParsedFile``
    Check and read one uploaded file (XLSX or CSV). Too large, empty, past a limit of
    :mod:`engagement.io.limits`, or not a spreadsheet raises
    :class:`engagement.errors.UnreadableFile` (subclasses ``FileTooLarge``,
    ``EmptyFile``, ``FileLimitExceeded``, ``NotASpreadsheet``) and changes nothing. CSV: ``;``
    or ``,``; UTF-8 with or without BOM, or Windows-1252. Which sheet holds what is told
    by its name (Actors/Actores/Elements, Relationships/Vínculos/Connections,
    Assessments/Evaluaciones) or, for CSV, by its header (``Label``/``Name`` → actors,
    ``From``/``To`` → ties, ``Actor`` + ``Power`` → assessments).

``preview_import(db, by, program_id, files) -> ImportPreview``
    What the import would do, computed without writing: counts of new / updated /
    unchanged / rejected rows per entity (``summary``), every problem as an
    :class:`engagement.errors.Problem` naming sheet, row, column and cause
    (``problems``), list entries that would be added (``added_terms``: sector and
    tie-type names not on the program's lists, matched in either language first),
    ``new_actors`` and ``updated_actors`` (names), ``notices`` (columns or sheets that
    are ignored, columns kept as custom fields) and ``warnings`` (a header that looks like
    one of ours misspelt, a new list name that looks like one on the list).
    ``preview.can_apply`` is False while any row is rejected.

``apply_import(db, by, program_id, preview_or_files) -> ImportSummary``
    Write the import in one transaction, recorded as an ImportBatch with an audit entry
    per written row (who, when, what). The plan is computed again inside the
    transaction, so a preview that went stale cannot write something it did not show.
    Raises :class:`engagement.errors.ValidationFailed` (with the problems) and writes
    nothing while any row is rejected. ``summary.batch_id`` names the batch.

``undo_import(db, by, batch_id) -> None``
    Take back everything the import wrote (new rows removed, updated rows set back,
    added list entries removed). Refused with ``ImportUndoBlocked`` if a row it wrote
    was changed or used since, and with ``ImportAlreadyUndone`` the second time.

``list_imports(view) -> list[ImportRecord]``
    The program's imports, newest first, with their counts and whether undone, for the
    reader a :class:`engagement.services.view.ProgramView` was made for.

``export_program(db, program_id, fmt, *, lang="es") -> (filename, bytes, mime)``
    (in :mod:`engagement.services.exchange.exports`) ``fmt`` is one of ``xlsx``, ``csv`` (a zip
    of three CSV files), ``kumu``, ``gexf``, ``graphml``, ``json``.

``template_xlsx(lang) -> bytes`` and ``template_csvs(lang) -> dict[filename, bytes]``
    (in :mod:`engagement.services.exchange.exports`) empty templates to fill in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import Problem, ProgramNotFound, ValidationFailed
from engagement.io.readers import ParsedFile, read_upload
from engagement.model import ImportSummary, Principal
from engagement.services.access.permissions import Action, require
from engagement.services.exchange.import_model import Plan
from engagement.services.exchange.import_plan import ENTITIES, make_plan
from engagement.services.exchange.import_undo import undo_import
from engagement.services.exchange.import_write import Writer
from engagement.services.view import ProgramView, kept
from engagement.storage.db import Database
from engagement.storage.models import ImportBatch, Program

__all__ = [
    "ImportOutcome",
    "ImportPreview",
    "ImportRecord",
    "ParsedFile",
    "apply_import",
    "list_imports",
    "preview_import",
    "read_upload",
    "undo_import",
]


@dataclass
class ImportPreview:
    """What an import would do. ``files`` are kept so that it can be applied as seen."""

    program_id: int
    files: tuple[ParsedFile, ...]
    summary: ImportSummary
    problems: list[Problem]
    #: Columns or sheets that are read but not used, or kept as custom fields (not errors).
    notices: list[Problem]
    #: What may be a slip to check before importing: a column that looks like one of
    #: ours misspelt, a new list entry that looks like one already on the list.
    warnings: list[Problem]
    #: kind (``sector``, ``tie_type``) → names to be added to the program's list.
    added_terms: dict[str, list[str]]
    new_actors: list[str]
    updated_actors: list[str]
    #: The program's data version the plan was made at, and the plan itself: applying
    #: reuses it when nothing changed in the program since (no second matching pass).
    data_version: int = -1
    plan: Plan | None = field(default=None, repr=False, compare=False)

    @property
    def can_apply(self) -> bool:
        return not self.problems and self.total("rejected") == 0

    @property
    def has_changes(self) -> bool:
        return bool(self.total("new") or self.total("updated") or self.added_terms)

    def total(self, outcome: str) -> int:
        counts: dict[str, int] = getattr(self.summary, outcome)
        return sum(counts.values())

    def counts(self) -> list[dict[str, Any]]:
        """One row per entity: new, updated, unchanged, rejected (for a table)."""
        return [
            {"entity": entity}
            | {
                outcome: getattr(self.summary, outcome).get(entity, 0)
                for outcome in ("new", "updated", "unchanged", "rejected")
            }
            for entity in ENTITIES
        ]


@dataclass
class ImportOutcome(ImportSummary):
    """What an applied import wrote; ``batch_id`` names it for :func:`undo_import`."""

    batch_id: int = 0


@dataclass(frozen=True)
class ImportRecord:
    """One past import of a program."""

    id: int
    at: dt.datetime
    username: str
    filename: str
    #: ``tejido``, ``kumu`` or ``activities``; and the files' formats (``xlsx``, ``csv``).
    layout: str
    formats: tuple[str, ...]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    added_terms: dict[str, list[str]] = field(default_factory=dict)
    undone_at: dt.datetime | None = None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


def _preview(
    program_id: int, files: Sequence[ParsedFile], plan: Plan, version: int
) -> ImportPreview:
    return ImportPreview(
        program_id=program_id,
        files=tuple(files),
        summary=plan.summary,
        problems=plan.problems,
        notices=plan.notices,
        warnings=plan.warnings,
        added_terms=plan.added_terms,
        new_actors=plan.new_actors,
        updated_actors=plan.updated_actors,
        data_version=version,
        plan=plan,
    )


def _data_version(session: Session, program_id: int) -> int:
    version = session.scalar(select(Program.data_version).where(Program.id == program_id))
    if version is None:
        raise ProgramNotFound(key=program_id)
    return int(version)


def preview_import(
    db: Database, by: Principal, program_id: int, files: Sequence[ParsedFile]
) -> ImportPreview:
    """What importing ``files`` into the program would do; writes nothing."""
    require(by, program_id, Action.IMPORT)
    with db.reading() as session:
        version = _data_version(session, program_id)
        plan = make_plan(session, program_id, files)
    return _preview(program_id, files, plan, version)


def apply_import(
    db: Database,
    by: Principal,
    program_id: int,
    preview_or_files: ImportPreview | Sequence[ParsedFile],
) -> ImportOutcome:
    """Write the import in one transaction, or nothing (ValidationFailed) if any row is rejected."""
    if isinstance(preview_or_files, ImportPreview):
        preview: ImportPreview | None = preview_or_files
        files = preview_or_files.files
    else:
        preview, files = None, tuple(preview_or_files)
    require(by, program_id, Action.IMPORT)
    with db.writing() as session:
        version = _data_version(session, program_id)
        if (
            preview is not None
            and preview.plan is not None
            and preview.program_id == program_id
            and preview.data_version == version
        ):
            plan = preview.plan
        else:
            plan = make_plan(session, program_id, files)
        if plan.problems or sum(plan.summary.rejected.values()):
            raise ValidationFailed(plan.problems)
        added = plan.added_terms
        batch = ImportBatch(
            program_id=program_id,
            username=by.username,
            filename=", ".join(f.name for f in files)[:500],
            layout="kumu" if any(f.kumu for f in files) else "tejido",
            formats=sorted({f.file_format for f in files}),
            summary={
                "new": plan.summary.new,
                "updated": plan.summary.updated,
                "unchanged": plan.summary.unchanged,
                "added_terms": added,
            },
        )
        session.add(batch)
        session.flush()
        Writer(session, by, program_id, batch.id).write(plan)
        batch_id = batch.id
    return ImportOutcome(
        new=plan.summary.new,
        updated=plan.summary.updated,
        unchanged=plan.summary.unchanged,
        rejected={},
        added_terms=added,
        batch_id=batch_id,
    )


def _counts(summary: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The per-entity counts of a batch summary (other kinds of import keep more there)."""
    return {
        outcome: {str(k): int(v) for k, v in summary[outcome].items()}
        for outcome in ("new", "updated", "unchanged", "rejected")
        if isinstance(summary.get(outcome), dict)
    }


def list_imports(view: ProgramView) -> list[ImportRecord]:
    """The program's imports, newest first (for its members: a view is made for one),
    read once per data version (an import and its undoing change it)."""
    return kept(view, "imports", lambda: _imports(view.db, view.program_id))


def _imports(db: Database, program_id: int) -> list[ImportRecord]:
    stmt = (
        select(ImportBatch)
        .where(ImportBatch.program_id == program_id)
        .order_by(ImportBatch.id.desc())
    )
    with db.reading() as session:
        return [
            ImportRecord(
                id=b.id,
                at=b.at,
                username=b.username,
                filename=b.filename,
                layout=b.layout,
                formats=tuple(b.formats or ()),
                counts=_counts(b.summary or {}),
                added_terms=dict((b.summary or {}).get("added_terms") or {}),
                undone_at=b.undone_at,
            )
            for b in session.scalars(stmt)
        ]
