"""Home: what the chosen program holds, at a glance, and where to go next."""

import streamlit as st

from engagement.ui import context
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import label, tr
from engagement.ui.rights import tracking_rights
from engagement.ui.sidebar import require_program

st.title(tr("app.title"))
st.caption(tr("app.tagline"))
show_flash()
program_id = require_program()
program = context.program(program_id)

st.header(program.name)
if program.illustrative:
    st.info(tr("app.illustrative"), icon=":material/info:")
where = ", ".join(part for part in (program.municipality, program.country) if part)
if where:
    st.caption(where)
if program.description:
    st.write(program.description)

actors = context.frame(program_id, "actors")
ties = context.frame(program_id, "ties")
history = context.frame(program_id, "assessments")
cols = st.columns(4)
cols[0].metric(tr("home.actors"), len(actors))
cols[1].metric(tr("home.ties"), len(ties))
cols[2].metric(tr("home.assessed"), history["actor_id"].nunique())
cols[3].metric(tr("home.assessments"), len(history))

st.subheader(tr("home.stages"))
st.write(" → ".join(label(stage) for stage in program.stages))

st.subheader(tr("home.next_steps"))
st.page_link("app_pages/actors.py", label=tr("home.go_actors"), icon=":material/groups:")
rights = tracking_rights(program_id)
if rights.assess:
    st.page_link(
        "app_pages/assessments.py", label=tr("home.go_assessments"), icon=":material/fact_check:"
    )
if rights.import_data:
    st.page_link("app_pages/import_export.py", label=tr("home.go_import"), icon=":material/upload:")
st.page_link("app_pages/grid.py", label=tr("nav.grid"), icon=":material/grid_view:")
