"""Stage dashboard, the program's home: is the coalition being built?

Storyboard: program header → scope (all stages or one) → the figures → what needs
attention → tabs: stage progress, charts over time, OGP checklist, changes since the
last mentoring call, key players gone quiet (only the chosen section is computed).
"""

import streamlit as st

from engagement.ui import context
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.rights import tracking_rights
from engagement.ui.sidebar import require_program
from engagement.ui.tracking import briefing_widgets, dashboard_views, tracking_data

show_flash()
program_id = require_program()
program = context.program(program_id)
dashboard_views.header(program)
briefing_widgets.download_briefing(program)

as_of = tracking_data.as_of(program_id)
dashboard_views.as_of_note(program, as_of)
stage_id = dashboard_views.stage_choice(program)
with st.spinner(tr("app.working")):
    board = tracking_data.board(program_id, stage_id)
dashboard_views.figures_row(board.overall)
dashboard_views.alerts(board)

section = dashboard_views.section_choice()
if section == "progress":
    dashboard_views.stage_progress(program, board)
    n_actors, n_ties = tracking_data.coalition_counts(program_id)
    st.caption(tr("tracking.dashboard.coalition", actors=n_actors, ties=n_ties))
elif section == "over_time":
    dashboard_views.charts_tab(board, program)
elif section == "ogp":
    st.caption(tr("ogp.intro"))
    dashboard_views.checklist(tracking_data.checklist(program_id))
elif section == "since":
    dashboard_views.since_last_call(program_id)
else:
    dashboard_views.staleness(tracking_data.table(program_id, "stale"), program.stale_days, as_of)

st.divider()
cols = st.columns(3)
may_record = tracking_rights(program_id).record_activity
cols[0].page_link(
    "app_pages/activities.py",
    label=tr("tracking.go.log" if may_record else "tracking.nav.activities"),
    icon=":material/edit_calendar:",
)
cols[1].page_link(
    "app_pages/commitments.py", label=tr("tracking.go.commitments"), icon=":material/handshake:"
)
cols[2].page_link(
    "app_pages/snapshots.py", label=tr("tracking.go.snapshots"), icon=":material/photo_camera:"
)
