"""The Import page's flow for a Decidim open-data ZIP: preview (counts, skipped rows and
why, conflicts with edits made in Tejido, unknown organisations with near misses, answer
states to map), then one confirmed write that the history tab can undo.

Every text from the file is shown in tables or as plain text, never as HTML or Markdown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from engagement.errors import EngagementError, UnreadableFile
from engagement.io.decidim_zip import DecidimExport, looks_like_decidim, read_decidim_zip
from engagement.model import Principal
from engagement.services.database import Database
from engagement.services.exchange.decidim_import import preview_decidim_import
from engagement.services.exchange.decidim_plan import (
    OUTCOMES,
    DecidimOptions,
    DecidimPlan,
    DecidimPreview,
    plan_notes,
)
from engagement.services.exchange.decidim_write import apply_decidim_import
from engagement.ui import state
from engagement.ui.feedback import reporting, show_error
from engagement.ui.i18n import tr
from engagement.values import InputResponse

#: (signature, DecidimPreview) of the staged ZIP with the chosen answer states.
PREVIEW = "tejido.decidim.preview"
#: (signature, DecidimExport) of the staged ZIP, read once.
EXPORT = "tejido.decidim.export"
CREATE = "decidim.create_missing"
STATE_PREFIX = "decidim.state."

Upload = tuple[str, bytes]


def is_decidim(uploads: Sequence[Upload]) -> bool:
    """One ZIP with Decidim's entries, or named as Decidim names its download."""
    if len(uploads) != 1:
        return False
    name, data = uploads[0]
    return looks_like_decidim(name, data) or name.lower().endswith("-open-data.zip")


def _digest(upload: Upload) -> str:
    return hashlib.sha256(upload[0].encode() + b"\0" + upload[1]).hexdigest()


def read_export(upload: Upload) -> DecidimExport | None:
    digest = _digest(upload)
    kept = st.session_state.get(EXPORT)
    if isinstance(kept, tuple) and kept[0] == digest:
        found: DecidimExport = kept[1]
        return found
    try:
        export = read_decidim_zip(*upload)
    except UnreadableFile as error:
        show_error(error)
        return None
    st.session_state[EXPORT] = (digest, export)
    return export


def chosen_states() -> dict[str, str]:
    return {
        k.removeprefix(STATE_PREFIX): str(v)
        for k, v in st.session_state.items()
        if isinstance(k, str) and k.startswith(STATE_PREFIX) and v
    }


def preview(
    db: Database, by: Principal, program_id: int, version: int, upload: Upload
) -> DecidimPreview | None:
    export = read_export(upload)
    if export is None:
        return None
    options = DecidimOptions(lang=state.lang(), states=chosen_states())
    signature = f"{_digest(upload)}:{program_id}:{version}:{options}"
    kept = st.session_state.get(PREVIEW)
    if isinstance(kept, tuple) and kept[0] == signature:
        result: DecidimPreview = kept[1]
        return result
    with st.spinner(tr("app.working")), reporting():
        result = preview_decidim_import(db, by, program_id, export, options)
        st.session_state[PREVIEW] = (signature, result)
        return result
    return None


def counts_frame(plan: DecidimPlan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {tr("import_page.col.entity"): tr(f"decidim.resource.{row['resource']}")}
            | {tr(f"decidim.count.{o}"): int(row[o]) for o in OUTCOMES}
            for row in plan.counts()
        ]
    )


def skipped_frame(plan: DecidimPlan) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("decidim.col.resource"): [
                tr(f"decidim.resource.{s.resource}") for s in plan.skipped
            ],
            tr("decidim.col.id"): [s.decidim_id for s in plan.skipped],
            tr("decidim.col.title"): [s.label for s in plan.skipped],
            tr("decidim.col.reason"): [tr(f"decidim.skip.{s.reason}") for s in plan.skipped],
        }
    )


def conflicts_frame(plan: DecidimPlan) -> pd.DataFrame:
    rows = [
        {
            tr("decidim.col.resource"): tr(f"decidim.resource.{r.resource}"),
            tr("decidim.col.id"): r.decidim_id,
            tr("decidim.col.title"): r.label,
            tr("decidim.col.field"): name,
            tr("decidim.col.tejido"): str(now),
            tr("decidim.col.decidim"): str(new),
        }
        for r in plan.conflicts
        for name, (now, new) in r.conflicts.items()
    ]
    return pd.DataFrame(rows)


def missing_frame(plan: DecidimPlan) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("decidim.col.organisation"): list(plan.missing_actors),
            tr("decidim.col.near"): [", ".join(n) for n in plan.missing_actors.values()],
        }
    )


def show_preview(result: DecidimPreview) -> None:
    plan = result.plan
    st.subheader(tr("import_page.preview"))
    st.caption(tr("decidim.page.recognised", host=plan.host, release=plan.release))
    st.dataframe(counts_frame(plan), hide_index=True, key="decidim.counts")
    for key, params in plan_notes(plan):
        st.info(tr(key, **params), icon=":material/info:")
    if plan.skipped:
        st.markdown(f"**{tr('decidim.page.skipped', count=len(plan.skipped))}**")
        st.dataframe(skipped_frame(plan), hide_index=True, key="decidim.skipped")
    if plan.conflicts:
        st.warning(tr("decidim.page.conflicts", count=len(plan.conflicts)), icon=":material/edit:")
        st.dataframe(conflicts_frame(plan), hide_index=True, key="decidim.conflicts")
    if plan.missing_actors:
        st.warning(tr("decidim.page.missing", count=len(plan.missing_actors)))
        st.dataframe(missing_frame(plan), hide_index=True, key="decidim.missing")
        st.checkbox(tr("decidim.page.create_missing"), key=CREATE)


def map_states(result: DecidimPreview) -> None:
    """A choice of response for every answer state Tejido cannot map by name."""
    states = sorted({*result.plan.unmapped_states, *chosen_states()})
    if not states:
        return
    st.markdown(f"**{tr('decidim.page.map_states')}**")
    choices = InputResponse.values()
    for name in states:
        st.selectbox(
            tr("decidim.page.state", state=name),
            choices,
            index=None,
            placeholder=tr("decidim.page.state_placeholder"),
            key=f"{STATE_PREFIX}{name}",
            format_func=lambda v: tr(f"tracking.response.{v}"),
        )


def apply_button(result: DecidimPreview) -> bool:
    create = bool(st.session_state.get(CREATE))
    return st.button(
        tr("import_page.apply"),
        key="decidim.apply",
        type="primary",
        icon=":material/upload:",
        disabled=not result.plan.can_apply(create),
    )


def run_import(db: Database, by: Principal, program_id: int, result: DecidimPreview) -> bool:
    create = bool(st.session_state.get(CREATE))
    try:
        outcome = apply_decidim_import(
            db,
            by,
            program_id,
            result.export,
            result.options,
            create_missing=create,
            preview=result,
        )
    except EngagementError as error:
        show_error(error)
        return False
    new = sum(int(r["new"]) for r in outcome.counts)
    updated = sum(int(r["updated"]) for r in outcome.counts)
    state.flash("success", tr("decidim.page.applied", new=new, updated=updated))
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("decidim.")]:
        del st.session_state[key]
    st.session_state.pop(PREVIEW, None)
    st.session_state.pop(EXPORT, None)
    return True
