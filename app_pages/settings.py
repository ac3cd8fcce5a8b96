"""Program settings: the chosen program's details and thresholds, its ordered lists
(stages, sectors, tie types, activity types), and new programs."""

import streamlit as st

from engagement.services.access.permissions import Action, allowed
from engagement.ui import context, state
from engagement.ui.data.settings_forms import create_program_form, edit_program_form, may_create
from engagement.ui.data.term_lists import KINDS, term_list_editor
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr

st.title(tr("settings.title"))
show_flash()
user = context.current_user()
program_id = state.program_id()

if program_id is None:
    if not may_create(user):
        st.info(tr("settings.ask_for_a_program"))
        st.stop()
    st.subheader(tr("settings.create.title"))
    st.caption(tr("settings.create.first"))
    create_program_form()
    st.stop()

program = context.program(program_id)
may_manage = allowed(user, program_id, Action.MANAGE_PROGRAM)
st.header(program.name)
if program.illustrative:
    st.info(tr("app.illustrative"), icon=":material/info:")
if not may_manage:
    st.info(tr("settings.read_only"), icon=":material/lock:")

tab_names = [tr("settings.tab.program"), tr("settings.tab.lists")]
if may_create(user):
    tab_names.append(tr("settings.tab.new"))
tabs = st.tabs(tab_names)

with tabs[0]:
    if may_manage:
        st.caption(tr("settings.program.intro"))
        edit_program_form(program)
    else:
        st.dataframe(
            {
                tr("field.municipality"): [program.municipality],
                tr("field.country"): [program.country],
                tr("field.power_threshold"): [program.power_threshold],
                tr("field.stale_days"): [program.stale_days],
            },
            hide_index=True,
        )

with tabs[1]:
    kinds = list(KINDS)
    for kind, tab in zip(kinds, st.tabs([tr(f"settings.terms.{k}") for k in kinds]), strict=True):
        with tab:
            term_list_editor(program, kind, may_manage)

if may_create(user):
    with tabs[2]:
        st.caption(tr("settings.create.intro"))
        create_program_form()
