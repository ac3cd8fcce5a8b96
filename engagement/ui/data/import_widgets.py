"""Widgets of the import/export page: upload, preview, apply, recent imports with undo,
templates and exports.

Uploaded files are kept in session state (name and bytes) from the moment they are
chosen until they are imported or removed, so the preview survives a visit to another
page. The preview is computed once per files, program data version and language, and
kept beside them; it is never written anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from engagement.errors import EngagementError, Problem, UnreadableFile
from engagement.i18n import describe_problem
from engagement.io.marks import is_readme
from engagement.io.readers import ParsedFile
from engagement.model import ImportSummary, Principal
from engagement.services.access import permissions
from engagement.services.database import Database
from engagement.services.exchange import imports
from engagement.services.exchange.import_plan import ENTITIES
from engagement.ui import context, state
from engagement.ui.feedback import reporting, show_error
from engagement.ui.i18n import tr

#: Files chosen for import: a tuple of (name, bytes).
UPLOADS = "tejido.import.uploads"
#: Bumped to give the uploader a fresh, empty widget after an import or "remove".
UPLOADER_NONCE = "tejido.import.uploader_nonce"
#: (signature, ImportPreview) of the staged files.
PREVIEW = "tejido.import.preview"
#: Id of the import whose undo waits for confirmation.
PENDING_UNDO = "tejido.import.pending_undo"

Upload = tuple[str, bytes]
OUTCOMES = ("new", "updated", "unchanged", "rejected")
HISTORY_SHOWN = 15


# --- choosing files ----------------------------------------------------------------------


def _uploader_key() -> str:
    return f"tejido.import.uploader.{st.session_state.get(UPLOADER_NONCE, 0)}"


def _stage_uploads(key: str) -> None:
    chosen = st.session_state.get(key) or []
    st.session_state[UPLOADS] = tuple((f.name, f.getvalue()) for f in chosen)
    st.session_state.pop(PREVIEW, None)


def clear_uploads() -> None:
    """Forget the chosen files and their preview; the uploader starts empty."""
    st.session_state.pop(UPLOADS, None)
    st.session_state.pop(PREVIEW, None)
    st.session_state[UPLOADER_NONCE] = st.session_state.get(UPLOADER_NONCE, 0) + 1


def choose_files(limit_mb: int) -> list[Upload]:
    """The file uploader; returns the chosen files as (name, bytes).

    Any file type is accepted by the widget so that a wrong file gets our own translated
    message (not the browser's) from :func:`read_files`.
    """
    key = _uploader_key()
    st.file_uploader(
        tr("import_page.upload_label"),
        accept_multiple_files=True,
        key=key,
        help=tr("import_page.upload_help"),
        on_change=_stage_uploads,
        args=(key,),
    )
    # The box's own words ("Upload", "… per file") are Streamlit's, in English: say here
    # what they mean.
    st.caption(f"{tr('pages.upload_button')} {tr('import_page.upload_limit', limit=limit_mb)}")
    staged: tuple[Upload, ...] = st.session_state.get(UPLOADS, ())
    if staged and not st.session_state.get(key):
        # Chosen on an earlier visit to this page: still here, and can be removed.
        names = ", ".join(f"«{name}»" for name, _ in staged)
        st.info(tr("import_page.staged", names=names), icon=":material/description:")
        st.button(tr("import_page.clear"), key="import_page.clear", on_click=clear_uploads)
    return list(staged)


# --- reading and previewing ----------------------------------------------------------


def read_files(uploads: Sequence[Upload], limit_bytes: int) -> list[ParsedFile] | None:
    """Read every file; show a translated message for each one that cannot be read.

    Returns None when any file is unreadable, so that nothing is previewed or imported
    until the user removes or replaces it.
    """
    parsed: list[ParsedFile] = []
    failed = False
    for name, data in uploads:
        if is_readme(name, data):  # chosen with the CSVs of an export: a note, not data
            st.caption(tr("export_mark.readme_skipped", name=name))
            continue
        try:
            parsed.append(imports.read_upload(name, data, limit_bytes))
        except UnreadableFile as error:
            show_error(error)
            failed = True
    if failed:
        st.warning(tr("import_page.unreadable"), icon=":material/warning:")
        return None
    return parsed


def _signature(uploads: Sequence[Upload], program_id: int, version: int, lang: str) -> str:
    digest = hashlib.sha256(f"{program_id}:{version}:{lang}".encode())
    for name, data in uploads:
        digest.update(name.encode("utf-8", "replace") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def preview(
    db: Database,
    by: Principal,
    program_id: int,
    version: int,
    uploads: Sequence[Upload],
    limit_bytes: int,
) -> imports.ImportPreview | None:
    """The preview of the chosen files, computed once per files, data version and language."""
    lang = state.lang()
    signature = _signature(uploads, program_id, version, lang)
    kept = st.session_state.get(PREVIEW)
    if isinstance(kept, tuple) and kept[0] == signature:
        result: imports.ImportPreview = kept[1]
        return result
    files = read_files(uploads, limit_bytes)
    if files is None:
        return None
    with st.spinner(tr("app.working")), reporting():
        result = imports.preview_import(db, by, program_id, files)
        st.session_state[PREVIEW] = (signature, result)
        return result
    return None


def _entity(name: str) -> str:
    return tr(f"import_page.entity.{name}")


def counts_frame(result: imports.ImportPreview) -> pd.DataFrame:
    """New / updated / unchanged / rejected rows per entity, with translated headers."""
    rows = [
        {tr("import_page.col.entity"): _entity(row["entity"])}
        | {tr(f"import_page.col.{outcome}"): int(row[outcome]) for outcome in OUTCOMES}
        for row in result.counts()
    ]
    return pd.DataFrame(rows)


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """One line per problem: sheet, row, and the full sentence in the user's language."""
    lang = state.lang()
    return pd.DataFrame(
        {
            tr("import_page.col.sheet"): [p.sheet or "" for p in problems],
            tr("import_page.col.row"): pd.array([p.row for p in problems], dtype="Int64"),
            tr("import_page.col.problem"): [describe_problem(p, lang) for p in problems],
        }
    )


def _layout(kumu: bool) -> str:
    return tr("import_page.layout.kumu" if kumu else "import_page.layout.tejido")


def _show_files(result: imports.ImportPreview) -> None:
    for f in result.files:
        sheets = ", ".join(f"«{s.name}»" for s in f.sheets)
        st.caption(
            tr(
                "import_page.recognised",
                name=f.name,
                layout=_layout(f.kumu),
                file_format=f.file_format.upper(),
                sheets=sheets,
            )
        )
        if f.ignored_sheets:
            ignored = ", ".join(f"«{s}»" for s in f.ignored_sheets)
            st.caption(tr("import_page.ignored_sheets", name=f.name, sheets=ignored))


def _show_added_terms(added: dict[str, list[str]]) -> None:
    for kind, names in added.items():
        if not names:
            continue
        listed = ", ".join(f"«{n}»" for n in names)
        key = f"import_page.added_terms.{kind}"
        text = (
            tr(key, names=listed)
            if kind in ("sector", "tie_type")
            else tr("import_page.added_terms.other", kind=kind, names=listed)
        )
        st.info(text, icon=":material/playlist_add:")


def _show_names(key: str, names: Sequence[str]) -> None:
    if names:
        with st.expander(tr(key, count=len(names))):
            st.write(", ".join(names))


def show_preview(result: imports.ImportPreview) -> None:
    """Everything the import would do, and every problem, before anything is written."""
    st.subheader(tr("import_page.preview"))
    st.caption(tr("import_page.preview_caption"))
    _show_files(result)
    st.dataframe(counts_frame(result), hide_index=True, key="import_page.counts")
    if not result.can_apply:
        count = len(result.problems) or result.total("rejected")
        st.error(tr("import_page.blocked", count=count), icon=":material/block:")
    if result.problems:
        st.markdown(f"**{tr('import_page.problems', count=len(result.problems))}**")
        st.dataframe(
            problems_frame(result.problems),
            hide_index=True,
            key="import_page.problems",
            column_config={
                tr("import_page.col.sheet"): st.column_config.TextColumn(width=140),
                tr("import_page.col.row"): st.column_config.NumberColumn(width=60),
                tr("import_page.col.problem"): st.column_config.TextColumn(width=1000),
            },
        )
    _show_added_terms(result.added_terms)
    if result.warnings:
        lang = state.lang()
        lines = "\n".join(f"- {describe_problem(w, lang)}" for w in result.warnings)
        st.warning(f"{tr('import_page.warnings')}\n\n{lines}", icon=":material/spellcheck:")
    if result.notices:
        with st.expander(tr("import_page.notices")):
            lang = state.lang()
            st.markdown("\n".join(f"- {describe_problem(n, lang)}" for n in result.notices))
    _show_names("import_page.new_actors", result.new_actors)
    _show_names("import_page.updated_actors", result.updated_actors)
    if result.can_apply and not result.has_changes:
        st.info(tr("import_page.nothing_to_do"), icon=":material/check_circle:")


# --- applying ------------------------------------------------------------------------


def apply_button(result: imports.ImportPreview) -> bool:
    """The import button: disabled while any row is rejected or there is nothing to do."""
    return st.button(
        tr("import_page.apply"),
        key="import_page.apply",
        type="primary",
        icon=":material/upload:",
        disabled=not (result.can_apply and result.has_changes),
        help=tr("import_page.apply_help"),
    )


def describe_counts(counts: ImportSummary | dict[str, dict[str, int]]) -> str:
    """ "Actors: 5 new, 0 updated, 0 unchanged · Relationships: …" for entities touched."""
    if isinstance(counts, ImportSummary):
        counts = {k: getattr(counts, k) for k in OUTCOMES[:3]}
    entities = [e for e in ENTITIES if any(counts.get(k, {}).get(e) for k in OUTCOMES[:3])]
    parts = [
        tr(
            "import_page.entity_counts",
            entity=_entity(e),
            **{k: counts.get(k, {}).get(e, 0) for k in OUTCOMES[:3]},
        )
        for e in entities
    ]
    return " · ".join(parts) or tr("import_page.no_changes")


def run_import(
    db: Database, by: Principal, program_id: int, result: imports.ImportPreview
) -> imports.ImportOutcome | None:
    """Write the import (one transaction) with a progress indicator; None if refused."""
    with st.status(tr("import_page.applying"), expanded=True) as status:
        st.write(tr("import_page.step.check"))
        st.write(tr("import_page.step.write"))
        try:
            outcome = imports.apply_import(db, by, program_id, result)
        except EngagementError as error:
            status.update(state="error", expanded=True)
            show_error(error)
            return None
        status.update(label=tr("import_page.applied_status"), state="complete", expanded=False)
    message = tr("import_page.applied", details=describe_counts(outcome))
    state.flash("success", message)
    clear_uploads()
    return outcome


# --- recent imports and undo -----------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M" if state.lang() == "es" else "%Y-%m-%d %H:%M")


def _layout_of(record: imports.ImportRecord) -> str:
    kinds = "+".join(record.formats).upper()
    return f"{_layout(record.layout == 'kumu')} {kinds}".strip()


def _confirm_undo(db: Database, by: Principal, record: imports.ImportRecord) -> None:
    st.warning(
        tr("import_page.undo_confirm", filename=record.filename, at=_when(record.at)),
        icon=":material/undo:",
    )
    yes, no = st.columns(2)
    if yes.button(tr("import_page.undo_yes"), key=f"import_page.undo_yes.{record.id}"):
        st.session_state.pop(PENDING_UNDO, None)
        with reporting():
            imports.undo_import(db, by, record.id)
            state.flash("success", tr("import_page.undo_done"))
            st.rerun()
    if no.button(tr("common.cancel"), key=f"import_page.undo_no.{record.id}"):
        st.session_state.pop(PENDING_UNDO, None)
        st.rerun()


def _show_record(db: Database, by: Principal, record: imports.ImportRecord, may_undo: bool) -> None:
    with st.container(border=True):
        text, action = st.columns([5, 1], vertical_alignment="center")
        line = tr(
            "import_page.history_line",
            filename=record.filename,
            at=_when(record.at),
            username=record.username,
            layout=_layout_of(record),
        )
        text.markdown(line)
        text.caption(describe_counts(record.counts))
        added = [n for names in record.added_terms.values() for n in names]
        if added:
            text.caption(tr("import_page.history_added", names=", ".join(added)))
        if record.undone_at is not None:
            action.caption(tr("import_page.undone_at", at=_when(record.undone_at)))
        elif may_undo and action.button(
            tr("import_page.undo"), key=f"import_page.undo.{record.id}", icon=":material/undo:"
        ):
            st.session_state[PENDING_UNDO] = record.id
        if st.session_state.get(PENDING_UNDO) == record.id and record.undone_at is None:
            _confirm_undo(db, by, record)


def recent_imports(db: Database, by: Principal, program_id: int, *, may_undo: bool) -> None:
    """The program's latest imports, newest first, each with an Undo button."""
    records = imports.list_imports(context.view(program_id))
    if not records:
        st.info(tr("import_page.history_empty"), icon=":material/history:")
        return
    st.caption(tr("import_page.history_caption"))
    for record in records[:HISTORY_SHOWN]:
        _show_record(db, by, record, may_undo)


def may_import(by: Principal, program_id: int) -> bool:
    """Whether this user may import into (and undo imports of) the program."""
    return permissions.allowed(by, program_id, permissions.Action.IMPORT)
