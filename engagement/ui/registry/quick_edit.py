"""Quick edits in the actor table, saved only after the user has seen the diff.

The editor works on a snapshot of the rows taken when editing starts: edits refer to row
positions, so the rows must not move under them, and the snapshot keeps the version each
actor had, so a save over someone else's newer change is refused (StaleEdit).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from engagement.errors import EngagementError, StaleEdit, ValidationFailed
from engagement.i18n import describe_error, describe_problem, t
from engagement.model import ProgramInfo
from engagement.services.registry import actor_edits
from engagement.text import clean_name, split_multi
from engagement.ui import context, state
from engagement.ui.feedback import show_error
from engagement.ui.i18n import tr
from engagement.ui.markup import escape_markdown
from engagement.ui.tables import sector_names, tag_options
from engagement.values import Confidentiality

ROUND = "actors.quick_round"
SNAPSHOT = "actors.quick_snapshot"
SAVE = "actors.quick_save"
DISCARD = "actors.quick_discard"
RELOAD = "actors.quick_reload"
EDITABLE = ("name", "sector", "tags", "territory", "description", "website", "confidentiality")


def editor_key() -> str:
    """The editor's widget key; it changes after a save or discard so edits start afresh."""
    return f"actors.quick_editor.{st.session_state.get(ROUND, 0)}"


def editable_rows(frame: pd.DataFrame, program: ProgramInfo, lang: str) -> pd.DataFrame:
    """The editable columns of ``frame``, with sector and confidentiality as labels."""
    sectors = sector_names(program, lang)
    none = t("actors.no_sector", lang)
    return pd.DataFrame(
        {
            "id": frame["id"].astype(int).tolist(),
            "version": frame["version"].astype(int).tolist(),
            "name": frame["name"].tolist(),
            "sector": [
                none if pd.isna(v) else sectors.get(int(v), none) for v in frame["sector_id"]
            ],
            "tags": [list(tags or ()) for tags in frame["tags"]],
            "territory": frame["territory"].tolist(),
            "description": frame["description"].tolist(),
            "website": frame["website"].tolist(),
            "confidentiality": [t(f"confidentiality.{v}", lang) for v in frame["confidentiality"]],
        }
    )


@dataclass(frozen=True)
class PendingEdit:
    """One actor's unsaved quick edit: the service fields and the lines of the diff."""

    actor_id: int
    version: int
    name: str
    row: int
    changes: dict[str, Any]
    lines: tuple[str, ...]


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_multi(value.replace(",", "|"))
    return split_multi("|".join(str(v) for v in value))


def _service_value(column: str, value: Any, program: ProgramInfo, lang: str) -> tuple[str, Any]:
    """Turn one edited cell into (service field, value)."""
    if column == "sector":
        ids = {label: sid for sid, label in sector_names(program, lang).items()}
        return "sector_id", ids.get(str(value)) if value is not None else None
    if column == "confidentiality":
        keys = {t(f"confidentiality.{k}", lang): k for k in Confidentiality.values()}
        return "confidentiality", keys.get(str(value), value)
    if column == "tags":
        return "tags", _tags(value)
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return column, clean_name(text) if column == "name" else text.strip()


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return text if text.strip() else t("actors.quick.empty", lang)


def pending_edits(
    snapshot: pd.DataFrame,
    edited_rows: Mapping[Any, Mapping[str, Any]],
    program: ProgramInfo,
    lang: str,
) -> list[PendingEdit]:
    """The real changes among the editor's edits (a cell typed back to its value is none)."""
    pending = []
    for position, cells in sorted(edited_rows.items(), key=lambda item: int(item[0])):
        before = snapshot.iloc[int(position)]
        changes, lines = {}, []
        for column in EDITABLE:
            if column not in cells:
                continue
            _, old_value = _service_value(column, before[column], program, lang)
            field, value = _service_value(column, cells[column], program, lang)
            if value == old_value:
                continue
            changes[field] = value
            new_shown = cells[column] if column in ("sector", "confidentiality") else value
            lines.append(
                t("actors.quick.line", lang, field=t(f"field.{column}", lang),
                  old=_shown(before[column], lang), new=_shown(new_shown, lang))
            )  # fmt: skip
        if changes:
            pending.append(
                PendingEdit(int(before["id"]), int(before["version"]), str(before["name"]),
                            int(position) + 1, changes, tuple(lines))
            )  # fmt: skip
    return pending


def _snapshot(fresh: pd.DataFrame, editing: bool) -> pd.DataFrame:
    kept = st.session_state.get(SNAPSHOT)
    if editing and isinstance(kept, list):
        return pd.DataFrame(kept, columns=fresh.columns)
    st.session_state[SNAPSHOT] = fresh.to_dict("records")
    return fresh


def _column_config(program: ProgramInfo, tags: list[str]) -> dict[str, Any]:
    lang = state.lang()
    sectors = [tr("actors.no_sector"), *sector_names(program, lang).values()]
    cc = st.column_config
    return {
        "name": cc.TextColumn(tr("field.name"), required=True, max_chars=200, width="medium"),
        "sector": cc.SelectboxColumn(tr("field.sector"), options=sectors, required=True),
        "tags": cc.MultiselectColumn(tr("field.tags"), options=tags, accept_new_options=True),
        "territory": cc.TextColumn(tr("field.territory"), max_chars=200),
        "description": cc.TextColumn(tr("field.description"), width="large"),
        "website": cc.TextColumn(tr("field.website")),
        "confidentiality": cc.SelectboxColumn(
            tr("field.confidentiality"),
            options=[tr(f"confidentiality.{k}") for k in Confidentiality.values()],
            required=True,
        ),
    }


def quick_edit(frame: pd.DataFrame, program: ProgramInfo) -> None:
    """An editable table of ``frame``; edits are listed as a diff and saved on confirm."""
    lang = state.lang()
    key = editor_key()
    edits = st.session_state.get(key)
    edited_rows = edits.get("edited_rows", {}) if isinstance(edits, Mapping) else {}
    fresh = editable_rows(frame, program, lang)
    snapshot = _snapshot(fresh, bool(edited_rows))
    st.caption(tr("actors.quick.help"))
    if snapshot["id"].tolist() != fresh["id"].tolist():
        st.info(tr("actors.quick.frozen"), icon=":material/lock:")
    st.data_editor(
        snapshot,
        key=key,
        column_config=_column_config(program, tag_options(frame)),
        column_order=EDITABLE,
        hide_index=True,
        num_rows="fixed",
    )
    state_now = st.session_state.get(key)
    edited_rows = state_now.get("edited_rows", {}) if isinstance(state_now, Mapping) else {}
    pending = pending_edits(snapshot, edited_rows, program, lang)
    if pending:
        _review(pending)


def _review(pending: list[PendingEdit]) -> None:
    with st.container(border=True, key="actors.quick_review"):
        st.markdown(f"**{tr('actors.quick.review', count=len(pending))}**")
        for edit in pending:
            lines = "\n".join(f"- {escape_markdown(line)}" for line in edit.lines)
            st.markdown(f"**{escape_markdown(edit.name)}**\n{lines}")
        cols = st.columns([1, 1, 3])
        save = cols[0].button(
            tr("actors.quick.save", count=len(pending)), key=SAVE, type="primary",
            icon=":material/save:",
        )  # fmt: skip
        cols[1].button(tr("actors.quick.discard"), key=DISCARD, on_click=start_over)
        if save:
            _save(pending)


def _save(pending: list[PendingEdit]) -> None:
    items = [actor_edits.ActorChange(e.actor_id, e.changes, e.version, e.row) for e in pending]
    try:
        with st.spinner(tr("app.working")):
            count = actor_edits.apply_actor_changes(
                context.database(), context.current_user(), items
            )
    except StaleEdit as error:
        show_error(error)
        st.button(
            tr("actors.quick.reload"), key=RELOAD, icon=":material/refresh:", on_click=start_over
        )
        return
    except ValidationFailed as error:
        _show_problems(error, {e.row: e.name for e in pending})
        return
    except EngagementError as error:
        show_error(error)
        return
    start_over()
    state.flash("success", tr("actors.quick.saved", count=count))
    st.rerun()


def _show_problems(error: ValidationFailed, names: dict[int, str]) -> None:
    """One line per problem, naming the actor's row and name, and the field."""
    lang = state.lang()
    lines = []
    for problem in error.problems:
        where = tr("actors.quick.where", row=problem.row, name=names.get(problem.row or 0, "?"))
        cause = describe_problem(dataclasses.replace(problem, row=None), lang)
        lines.append(f"- {escape_markdown(where)} — {escape_markdown(cause)}")
    st.error(describe_error(error, lang) + "\n\n" + "\n".join(lines), icon=":material/error:")


def start_over() -> None:
    """Drop the edits and the snapshot: the editor shows the stored rows again."""
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.session_state.pop(SNAPSHOT, None)
