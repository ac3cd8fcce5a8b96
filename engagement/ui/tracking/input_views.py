"""Inputs received and their reasoned responses (OGP standard 4), and evidence items
(OGP standard 2): lists, the waiting queue oldest first, and the forms."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from engagement.services.tracking import evidence, inputs
from engagement.tracking import EvidenceInput, InputInput
from engagement.ui import context, forms
from engagement.ui.fit import fitted_table
from engagement.ui.i18n import reference_date, tr
from engagement.ui.tracking.activity_forms import on_save
from engagement.values import EvidenceKind, InputResponse

ADD = "inputs.add"
RESPOND = "inputs.respond"
EVIDENCE = "evidence.add"
WAITING_CHOICE = "inputs.selected"


def _response(value: object) -> str:
    return (
        tr(f"tracking.response.{value}") if isinstance(value, str) else tr("tracking.response.none")
    )


def waiting_queue(waiting: pd.DataFrame, as_of: dt.date) -> None:
    """Inputs waiting for a reasoned response, oldest first, days counted to ``as_of``."""
    if waiting.empty:
        st.success(tr("inputs.waiting.none"), icon=":material/check:")
        return
    st.warning(tr("inputs.waiting.count", count=len(waiting)), icon=":material/hourglass_top:")
    st.caption(reference_date(as_of))
    view = pd.DataFrame(
        {
            tr("field.received_on"): waiting["received_on"],
            tr("inputs.days_waiting"): waiting["days_waiting"],
            tr("field.text"): waiting["text"],
            tr("inputs.raised_by"): [a or tr("inputs.anonymous") for a in waiting["actor"]],
            tr("field.topic"): waiting["topic"],
            tr("field.response"): [_response(r) for r in waiting["response"]],
        }
    )
    cc = st.column_config
    config = {
        tr("field.received_on"): cc.DateColumn(format="DD/MM/YYYY", width=125),
        tr("inputs.days_waiting"): cc.NumberColumn(width=110),
        tr("field.text"): cc.TextColumn(width=290, pinned=True),
        tr("inputs.raised_by"): cc.TextColumn(width=210),
        tr("field.topic"): cc.TextColumn(width=130),
        tr("field.response"): cc.TextColumn(width=140),
    }
    fitted_table(view, config, list(config)[:5], key="inputs.waiting")


def respond_form(waiting: pd.DataFrame) -> None:
    """Answer one waiting input: decision, reasoning, date."""
    if waiting.empty:
        return
    texts = {
        int(i): f"{d:%d/%m/%Y} · {t[:70]}"
        for i, d, t in zip(waiting["id"], waiting["received_on"], waiting["text"], strict=True)
    }
    versions = dict(zip(waiting["id"].astype(int), waiting["version"].astype(int), strict=True))
    received = dict(zip(waiting["id"].astype(int), waiting["received_on"], strict=True))
    if st.session_state.get(WAITING_CHOICE) not in texts:
        st.session_state[WAITING_CHOICE] = next(iter(texts))

    def save() -> str:
        chosen = int(st.session_state[WAITING_CHOICE])
        inputs.respond_to_input(
            context.database(),
            context.current_user(),
            chosen,
            st.session_state[f"{RESPOND}.response"],
            st.session_state.get(f"{RESPOND}.reasoning") or "",
            st.session_state.get(f"{RESPOND}.responded_on"),
            versions[chosen],
        )
        forms.reset_widgets({f"{RESPOND}.reasoning": ""})
        return tr("inputs.responded")

    responses = {r: _response(r) for r in InputResponse.values()}
    with st.form(RESPOND, enter_to_submit=False):
        st.selectbox(
            tr("inputs.choose"), list(texts), format_func=texts.__getitem__, key=WAITING_CHOICE
        )
        st.radio(
            tr("field.response"),
            list(InputResponse.values()),
            format_func=responses.__getitem__,
            horizontal=True,
            key=f"{RESPOND}.response",
        )
        st.text_area(
            tr("field.reasoning"), key=f"{RESPOND}.reasoning", help=tr("inputs.reasoning_help")
        )
        forms.field_feedback(RESPOND, "reasoning", "response")
        st.date_input(
            tr("field.responded_on"),
            value=dt.date.today(),
            min_value=min(received.values()),
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            key=f"{RESPOND}.responded_on",
        )
        forms.field_feedback(RESPOND, "responded_on")
        forms.form_feedback(RESPOND, ("reasoning", "response", "responded_on"))
        st.form_submit_button(
            tr("inputs.respond"),
            type="primary",
            icon=":material/reply:",
            on_click=on_save(RESPOND, save),
        )


def add_input_form(program_id: int, names: dict[int, str], activity_titles: dict[int, str]) -> None:
    def save() -> str:
        item = InputInput(
            text=st.session_state.get(f"{ADD}.text") or "",
            received_on=st.session_state.get(f"{ADD}.received_on") or dt.date.today(),
            actor_id=st.session_state.get(f"{ADD}.actor_id"),
            topic=st.session_state.get(f"{ADD}.topic") or "",
            activity_id=st.session_state.get(f"{ADD}.activity_id"),
        )
        inputs.add_input(context.database(), context.current_user(), program_id, item)
        forms.reset_widgets({f"{ADD}.text": "", f"{ADD}.topic": ""})
        return tr("inputs.added")

    with st.form(ADD, enter_to_submit=False):
        st.text_area(tr("field.text"), key=f"{ADD}.text")
        forms.field_feedback(ADD, "text")
        a, b = st.columns(2)
        a.selectbox(
            tr("inputs.raised_by"),
            list(names),
            format_func=names.__getitem__,
            index=None,
            placeholder=tr("inputs.anonymous"),
            key=f"{ADD}.actor_id",
        )
        b.text_input(tr("field.topic"), key=f"{ADD}.topic")
        a, b = st.columns(2)
        a.date_input(
            tr("field.received_on"),
            value=dt.date.today(),
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            key=f"{ADD}.received_on",
        )
        b.selectbox(
            tr("field.activity"),
            list(activity_titles),
            format_func=activity_titles.__getitem__,
            index=None,
            placeholder=tr("common.none"),
            key=f"{ADD}.activity_id",
        )
        forms.form_feedback(ADD, ("text",))
        st.form_submit_button(
            tr("inputs.add"), icon=":material/add_comment:", on_click=on_save(ADD, save)
        )


def inputs_table(frame: pd.DataFrame) -> None:
    view = pd.DataFrame(
        {
            tr("field.received_on"): frame["received_on"],
            tr("field.text"): frame["text"],
            tr("inputs.raised_by"): [a or tr("inputs.anonymous") for a in frame["actor"]],
            tr("field.topic"): frame["topic"],
            tr("field.response"): [_response(r) for r in frame["response"]],
            tr("field.reasoning"): frame["reasoning"],
            tr("field.responded_on"): frame["responded_on"],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        key="inputs.all",
        column_config={
            tr("field.received_on"): st.column_config.DateColumn(format="DD/MM/YYYY"),
            tr("field.responded_on"): st.column_config.DateColumn(format="DD/MM/YYYY"),
        },
    )


def evidence_section(program_id: int, frame: pd.DataFrame, *, editable: bool = True) -> None:
    """Evidence published about the process, newest first, and (``editable``) a form to
    add one."""
    st.caption(tr("evidence.intro"))
    if not frame.empty:
        view = pd.DataFrame(
            {
                tr("field.published_on"): frame["published_on"],
                tr("field.kind"): [tr(f"tracking.evidence_kind.{k}") for k in frame["kind"]],
                tr("field.title"): frame["title"],
                tr("field.url"): [u or None for u in frame["url"]],
            }
        )
        st.dataframe(
            view,
            hide_index=True,
            key="evidence.table",
            column_config={
                tr("field.published_on"): st.column_config.DateColumn(format="DD/MM/YYYY"),
                tr("field.url"): st.column_config.LinkColumn(),
            },
        )
    if editable:
        _evidence_form(program_id)


def _evidence_form(program_id: int) -> None:
    def save() -> str:
        item = EvidenceInput(
            title=st.session_state.get(f"{EVIDENCE}.title") or "",
            published_on=st.session_state.get(f"{EVIDENCE}.published_on") or dt.date.today(),
            kind=st.session_state.get(f"{EVIDENCE}.kind") or "other",
            url=st.session_state.get(f"{EVIDENCE}.url") or "",
        )
        evidence.add_evidence(context.database(), context.current_user(), program_id, item)
        forms.reset_widgets({f"{EVIDENCE}.title": "", f"{EVIDENCE}.url": ""})
        return tr("evidence.added")

    kinds = {k: tr(f"tracking.evidence_kind.{k}") for k in EvidenceKind.values()}
    with st.form(EVIDENCE, enter_to_submit=False):
        a, b = st.columns(2)
        a.text_input(tr("field.title"), key=f"{EVIDENCE}.title")
        b.selectbox(
            tr("field.kind"),
            list(EvidenceKind.values()),
            format_func=kinds.__getitem__,
            key=f"{EVIDENCE}.kind",
        )
        forms.field_feedback(EVIDENCE, "title", "kind")
        a, b = st.columns(2)
        a.date_input(
            tr("field.published_on"),
            value=dt.date.today(),
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            key=f"{EVIDENCE}.published_on",
        )
        b.text_input(tr("field.url"), key=f"{EVIDENCE}.url", placeholder="https://")
        forms.field_feedback(EVIDENCE, "url", "published_on")
        forms.form_feedback(EVIDENCE, ("title", "kind", "url", "published_on"))
        st.form_submit_button(
            tr("evidence.add"), icon=":material/add_link:", on_click=on_save(EVIDENCE, save)
        )
