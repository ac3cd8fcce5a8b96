"""``import``, ``export``, ``imports``, ``undo-import``, ``backup``, ``restore``."""

from __future__ import annotations

import argparse
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from engagement.cli import Context, activity_import, decidim_import
from engagement.errors import CannotOpenFile, Damaged, FileTooLarge, NotABackup
from engagement.i18n import describe_problem, t
from engagement.io.backup_files import load_json
from engagement.io.marks import is_readme
from engagement.maps.view import MapStyle
from engagement.model import ImportSummary
from engagement.services.coalition import maps
from engagement.services.exchange import backup, decidim_export, exports, imports, sqlite_file
from engagement.services.exchange.import_plan import ENTITIES
from engagement.services.registry import programs
from engagement.services.view import program_view

SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import XLSX/CSV files (our template or Kumu) into a program")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--program", required=True, help="program name")
    p.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    p.add_argument(
        "--create-missing",
        action="store_true",
        help="activity workbooks and Decidim ZIPs: add attendees not yet in the registry",
    )
    p.add_argument("--stage", help="Decidim ZIP: put every row in this stage (name or key)")
    p.add_argument(
        "--map-state",
        action="append",
        metavar="STATE=RESPONSE",
        help="Decidim ZIP: map a custom answer state, e.g. aceptada_parcialmente=partly_accepted",
    )
    p.set_defaults(handler=import_files)

    p = sub.add_parser("export", help="export a program")
    p.add_argument("--program", required=True, help="program name")
    p.add_argument("--format", required=True, choices=(*exports.FORMATS, "html", "decidim-results"))
    p.add_argument(
        "--decidim-host",
        help="decidim-results: the installation whose result ids to use (default: the one "
        "the program imported from)",
    )
    p.add_argument("--output", required=True, type=Path, help="file (csv: a .zip or a folder)")
    p.set_defaults(handler=export_program)

    p = sub.add_parser("imports", help="list a program's imports")
    p.add_argument("--program", required=True, help="program name")
    p.set_defaults(handler=list_imports)

    p = sub.add_parser("undo-import", help="undo an import by its number")
    p.add_argument("batch", type=int)
    p.set_defaults(handler=undo_import)

    p = sub.add_parser(
        "backup", help="back up the whole database (.json, or a SQLite copy); administrators"
    )
    p.add_argument("path", type=Path)
    p.set_defaults(handler=backup_database)

    p = sub.add_parser("restore", help="restore a database backup or a program backup")
    p.add_argument("path", type=Path)
    p.add_argument("--replace", action="store_true", help="overwrite a non-empty database")
    p.add_argument("--as", dest="new_name", help="name for a restored program")
    p.add_argument(
        "--with-roles",
        action="store_true",
        help="program backup: give its members their roles back, matched by user name "
        "to existing active accounts (by default nobody gets a role)",
    )
    p.set_defaults(handler=restore)


def import_files(args: argparse.Namespace, ctx: Context) -> int:

    found = read_files(args.files, ctx.settings.upload_limit_bytes)
    if decidim_import.holds_decidim(found):
        return decidim_import.import_decidim(args, ctx, found)
    if activity_import.holds_activities(found):
        return activity_import.import_activities(args, ctx, found)
    db = ctx.db()
    program = programs.find_program(db, args.program)
    limit = ctx.settings.upload_limit_bytes
    # The LEEME/README of an exported CSV folder is a note, not data (e.g. ``import dir/*``).
    files = [imports.read_upload(n, data, limit) for n, data in found if not is_readme(n, data)]
    preview = imports.preview_import(db, ctx.user, program.id, files)
    print_preview(preview, ctx, program.name)
    if not preview.can_apply:
        ctx.say("io.cli.rejected", count=len(preview.problems))
        return 1
    if args.dry_run:
        ctx.say("io.cli.dry_run")
        return 0
    outcome = imports.apply_import(db, ctx.user, program.id, preview)
    # What was written, which is not the preview when the program changed in between
    # (another import of the same file, say): the plan is made again inside the write.
    ctx.say("io.cli.written")
    print_counts(ctx, outcome)
    for kind, names in outcome.added_terms.items():
        if names:
            ctx.say(f"io.added.{kind}", names=", ".join(names))
    if _counts_of(outcome) != _counts_of(preview.summary):
        ctx.say("io.cli.changed_since_preview")
    ctx.say("io.cli.applied", batch=outcome.batch_id)
    return 0


def read_files(paths: list[Path], limit_bytes: int) -> list[tuple[str, bytes]]:
    """Each file's name and bytes; sizes are checked before any file is read."""
    for path in paths:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CannotOpenFile(name=str(path)) from exc
        if size > limit_bytes:
            raise FileTooLarge(
                name=path.name,
                size_mb=f"{size / 2**20:.1f}",
                limit_mb=f"{limit_bytes / 2**20:.1f}",
                size=size,
            )
    try:
        return [(path.name, path.read_bytes()) for path in paths]
    except OSError as exc:
        raise CannotOpenFile(name=str(exc.filename or "")) from exc


def _counts_of(summary: ImportSummary) -> tuple[dict[str, int], ...]:
    return summary.new, summary.updated, summary.unchanged


def print_counts(ctx: Context, summary: ImportSummary) -> None:
    """New / updated / unchanged / rejected rows per entity, as a small table."""
    outcomes = ("new", "updated", "unchanged", "rejected")
    heads = [t(f"io.count.{k}", ctx.lang) for k in outcomes]
    sizes = [max(len(h), 6) + 2 for h in heads]
    width = max(len(t(f"io.entities.{e}", ctx.lang)) for e in ENTITIES) + 2
    print(
        " " * width + "".join(f"{h:>{n}}" for h, n in zip(heads, sizes, strict=True)), file=ctx.out
    )
    for entity in ENTITIES:
        label = t(f"io.entities.{entity}", ctx.lang)
        counts = [getattr(summary, k).get(entity, 0) for k in outcomes]
        numbers = "".join(f"{c:>{n}}" for c, n in zip(counts, sizes, strict=True))
        print(f"{label:<{width}}{numbers}", file=ctx.out)


def print_preview(preview: imports.ImportPreview, ctx: Context, program: str) -> None:
    ctx.say("io.cli.preview", program=program)
    print_counts(ctx, preview.summary)
    for kind, names in preview.added_terms.items():
        ctx.say(f"io.added.{kind}", names=", ".join(names))
    for warning in preview.warnings:
        print(f"  ! {describe_problem(warning, ctx.lang)}", file=ctx.out)
    for notice in preview.notices:
        print(f"  · {describe_problem(notice, ctx.lang)}", file=ctx.out)
    for problem in preview.problems:
        print(f"  - {describe_problem(problem, ctx.lang)}", file=ctx.out)


def export_program(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db()
    program = programs.find_program(db, args.program)
    output: Path = args.output
    if args.format == "decidim-results":  # for Decidim's accountability "Import results"
        hosts = decidim_export.imported_hosts(db, ctx.user, program.id)
        host = args.decidim_host or (hosts[0] if len(hosts) == 1 else "")
        data = decidim_export.decidim_results_csv(db, ctx.user, program.id, host, ctx.lang)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    elif args.format == "html":  # the network map as a standalone page that works offline
        style = MapStyle(lang=ctx.lang, max_nodes=maps.EXPORT_MAX_NODES)
        page = maps.export_html(db, ctx.user, program.id, style=style)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(page, encoding="utf-8")
    elif args.format == "csv" and output.suffix.lower() != ".zip":
        # The same files as in the zip (CSVs and their LEEME/README), into a folder.
        _name, data, _mime = exports.export_program(
            db, program.id, "csv", by=ctx.user, lang=ctx.lang
        )
        output.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                (output / Path(name).name).write_bytes(archive.read(name))
    else:
        _name, data, _mime = exports.export_program(
            db, program.id, args.format, by=ctx.user, lang=ctx.lang
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    ctx.say("io.cli.exported", program=program.name, path=str(output))
    return 0


def list_imports(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db()
    program = programs.find_program(db, args.program)
    found = imports.list_imports(program_view(db, ctx.user, program.id))
    if not found:
        ctx.say("io.cli.no_imports")
    for record in found:
        new = sum(record.counts.get("new", {}).values())
        updated = sum(record.counts.get("updated", {}).values())
        state = t("io.cli.undone", ctx.lang) if record.undone else ""
        print(
            f"{record.id}\t{record.at:%Y-%m-%d %H:%M}\t{record.username}\t{record.filename}"
            f"\t+{new} ~{updated}\t{state}",
            file=ctx.out,
        )
    return 0


def undo_import(args: argparse.Namespace, ctx: Context) -> int:
    imports.undo_import(ctx.db(), ctx.user, args.batch)
    ctx.say("io.cli.undone_batch", batch=args.batch)
    return 0


def backup_database(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db()
    path: Path = args.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in SQLITE_SUFFIXES:
        if path.exists():
            path.unlink()
        sqlite_file.copy_database(db, ctx.user, path)
    else:
        document = backup.database_backup(db, ctx.user)
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    ctx.say("io.cli.backed_up", path=str(path))
    return 0


def restore(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db()
    path: Path = args.path
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(sqlite_file.SQLITE_MAGIC))
    except OSError as exc:
        raise CannotOpenFile(name=str(path)) from exc
    if magic == sqlite_file.SQLITE_MAGIC:
        sqlite_file.restore_sqlite_file(db, ctx.user, path, replace=args.replace)
        ctx.say("io.cli.restored_database", path=str(path))
        return 0
    try:
        document = load_json(path.name, path.read_bytes())
    except Damaged as exc:
        raise NotABackup(name=path.name) from exc
    if backup.backup_kind(document) == "program":
        info = backup.restore_program(
            db,
            ctx.user,
            document,
            name=args.new_name,
            source=path.name,
            roles_by_name=args.with_roles,
        )
        ctx.say("io.cli.restored_program", name=info.name, id=info.id)
        return 0
    backup.restore_database(db, ctx.user, document, replace=args.replace, source=path.name)
    ctx.say("io.cli.restored_database", path=str(path))
    return 0
