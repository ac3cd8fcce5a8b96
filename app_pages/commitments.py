"""Commitments and inputs: what was asked, how it was answered, what was promised.

Storyboard: inputs waiting for a reasoned response (oldest first) and the answer form →
every input and the form to record one → commitments (flags, add, the chosen one's
progress, edit and deletion) → evidence published about the process.
"""

import streamlit as st

from engagement.ui import context
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.rights import tracking_rights
from engagement.ui.sidebar import require_program
from engagement.ui.tracking import commitment_views, input_views, tracking_data

st.title(tr("commitments.title"))
st.caption(tr("commitments.intro"))
show_flash()
program_id = require_program()
program = context.program(program_id)
may_edit = tracking_rights(program_id).edit_tracking
if not may_edit:
    st.info(tr("pages.read_only"), icon=":material/visibility:")
registry = context.frame(program_id, "actors")
received = tracking_data.table(program_id, "inputs")
acts = tracking_data.table(program_id, "activities")
choices = {
    "actors": {int(i): str(n) for i, n in zip(registry["id"], registry["name"], strict=True)},
    "activities": {
        int(i): f"{d:%d/%m/%Y} · {t}"
        for i, d, t in zip(acts["id"], acts["held_on"], acts["title"], strict=True)
    },
    "inputs": {int(i): str(t)[:80] for i, t in zip(received["id"], received["text"], strict=True)},
}

waiting_tab, inputs_tab, promises_tab, evidence_tab = st.tabs(
    [
        tr("commitments.tab.waiting"),
        tr("commitments.tab.inputs", count=len(received)),
        tr("commitments.tab.commitments"),
        tr("commitments.tab.evidence"),
    ]
)
with waiting_tab:
    waiting = tracking_data.table(program_id, "waiting")
    input_views.waiting_queue(waiting, tracking_data.as_of(program_id))
    if may_edit:
        input_views.respond_form(waiting)
with inputs_tab:
    if may_edit:
        with st.expander(tr("inputs.add_title"), icon=":material/add_comment:"):
            input_views.add_input_form(program_id, choices["actors"], choices["activities"])
    if received.empty:
        st.info(tr("inputs.none"), icon=":material/forum:")
    else:
        input_views.inputs_table(received)
with evidence_tab:
    evidence = tracking_data.table(program_id, "evidence")
    input_views.evidence_section(program_id, evidence, editable=may_edit)
with promises_tab:
    promised = tracking_data.table(program_id, "commitments")
    if may_edit:
        with st.expander(
            tr("commitments.add_title"), icon=":material/add_task:", expanded=promised.empty
        ):
            commitment_views.commitment_form(commitment_views.ADD, program, None, choices)
    if not promised.empty:
        commitment_views.commitments_table(promised, program)
        chosen = commitment_views.choose_commitment(promised)
        if chosen is not None:
            info = context.view(program_id).commitment(chosen)
            row = promised[promised["id"] == chosen].iloc[0].to_dict()
            commitment_views.detail(info, row, choices)
            if not may_edit:
                st.stop()
            with st.expander(tr("commitments.edit_title"), icon=":material/edit:"):
                commitment_views.commitment_form(commitment_views.EDIT, program, info, choices)
            with st.expander(tr("tracking.delete.title"), icon=":material/delete:"):
                commitment_views.delete_controls(info)
