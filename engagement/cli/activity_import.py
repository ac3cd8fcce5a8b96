"""The ``import`` command for activity workbooks (Activities and Attendance sheets).

``import`` hands files over here when they hold activities or attendance; the preview,
row-level problems, ``--dry-run`` and undo work as for actor files. Attendees not yet in
the registry are listed and created only with ``--create-missing``.
"""

from __future__ import annotations

import argparse
from typing import Any

from engagement.cli import Context
from engagement.i18n import describe_problem, t
from engagement.io.activity_sheets import looks_like_activity_file, read_activity_upload
from engagement.services.exchange.activity_import import (
    ENTITIES,
    OUTCOMES,
    ActivityImportPreview,
    preview_activity_import,
)
from engagement.services.exchange.activity_import_write import apply_activity_import
from engagement.services.registry import programs


def holds_activities(found: list[tuple[str, bytes]]) -> bool:
    """Whether every file given holds activities or attendance (not actors or ties)."""
    return bool(found) and all(looks_like_activity_file(name, data) for name, data in found)


def import_activities(
    args: argparse.Namespace, ctx: Context, found: list[tuple[str, bytes]]
) -> int:
    db = ctx.db()
    program = programs.find_program(db, args.program)
    limit = ctx.settings.upload_limit_bytes
    files = [read_activity_upload(name, data, limit) for name, data in found]
    preview = preview_activity_import(db, ctx.user, program.id, files)
    print_preview(preview, ctx, program.name)
    create = bool(getattr(args, "create_missing", False))
    if preview.problems:
        ctx.say("io.cli.rejected", count=len(preview.problems))
        return 1
    if preview.missing_actors and not create:
        ctx.say("tracking.cli.missing_refused")
        return 1
    if args.dry_run:
        ctx.say("io.cli.dry_run")
        return 0
    outcome = apply_activity_import(db, ctx.user, program.id, files, create_missing=create)
    # What was written: the plan is made again inside the write, so it is not the
    # preview when the program changed in between.
    ctx.say("io.cli.written")
    written = [
        {"entity": e} | {o: outcome.counts.get(o, {}).get(e, 0) for o in OUTCOMES} for e in ENTITIES
    ]
    print_counts(written, ctx)
    if written != preview.counts():
        ctx.say("io.cli.changed_since_preview")
    ctx.say("io.cli.applied", batch=outcome.batch_id)
    return 0


def print_counts(rows: list[dict[str, Any]], ctx: Context) -> None:
    heads = [t(f"io.count.{k}", ctx.lang) for k in OUTCOMES]
    sizes = [max(len(h), 6) + 2 for h in heads]
    labels = {e["entity"]: t(f"io.entities.{e['entity']}", ctx.lang) for e in rows}
    width = max(len(v) for v in labels.values()) + 2
    print(
        " " * width + "".join(f"{h:>{n}}" for h, n in zip(heads, sizes, strict=True)), file=ctx.out
    )
    for row in rows:
        numbers = "".join(f"{row[k]:>{n}}" for k, n in zip(OUTCOMES, sizes, strict=True))
        print(f"{labels[row['entity']]:<{width}}{numbers}", file=ctx.out)


def print_preview(preview: ActivityImportPreview, ctx: Context, program: str) -> None:
    ctx.say("io.cli.preview", program=program)
    print_counts(preview.counts(), ctx)
    if preview.missing_actors:
        ctx.say("tracking.cli.missing", names=", ".join(preview.missing_actors))
    for problem in preview.problems:
        print(f"  - {describe_problem(problem, ctx.lang)}", file=ctx.out)
