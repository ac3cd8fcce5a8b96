"""Snapshots and movement: freeze the program, close a stage, see what moved.

Storyboard: take a snapshot / close a stage → the snapshots → compare two (or one with
now): counts, movement on the grid, actors who moved, measure changes, ties added and
removed → delete a snapshot.
"""

import streamlit as st

from engagement.ui import context
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.rights import tracking_rights
from engagement.ui.sidebar import require_program
from engagement.ui.tracking import snapshot_views, tracking_data

st.title(tr("snapshots.title"))
st.caption(tr("snapshots.intro"))
show_flash()
program_id = require_program()
program = context.program(program_id)
may_edit = tracking_rights(program_id).edit_tracking

if may_edit:
    take, close = st.columns(2, gap="large")
    with take:
        st.subheader(tr("snapshots.take_title"))
        snapshot_views.take_form(program_id)
    with close:
        st.subheader(tr("snapshots.close_title"))
        st.caption(tr("snapshots.close_help"))
        snapshot_views.close_form(program)
else:
    st.info(tr("pages.read_only"), icon=":material/visibility:")

found = tracking_data.snapshot_list(program_id)
if not found:
    st.info(tr("snapshots.none"), icon=":material/photo_camera:")
    st.stop()
st.subheader(tr("snapshots.list_title"))
snapshot_views.snapshot_table(found, program)

st.subheader(tr("snapshots.compare_title"))
before, after = snapshot_views.choose_pair(found)
with st.spinner(tr("app.working")):
    comparison = tracking_data.comparison(program_id, before, after)
snapshot_views.counts_row(comparison)
chart, moved, measures, ties = st.tabs(
    [
        tr("snapshots.tab.chart"),
        tr("snapshots.tab.moved", count=len(comparison.moved)),
        tr("snapshots.tab.measures", count=len(comparison.measures)),
        tr("snapshots.tab.ties"),
    ]
)
with chart:
    frozen_before = tracking_data.frozen(program_id, before)
    frozen_after = tracking_data.frozen(program_id, after)
    snapshot_views.movement_chart(program, frozen_before, frozen_after)
with moved:
    snapshot_views.moved_table(comparison)
with measures:
    snapshot_views.measures_table(comparison)
with ties:
    snapshot_views.ties_tables(comparison, program)

if may_edit:
    with st.expander(tr("snapshots.delete_title"), icon=":material/delete:"):
        snapshot_views.delete_form(found)
