"""Activities: log a workshop with who came and what follows, then review and edit.

Storyboard: quick log form (activity, attendees, follow-up tasks, one save) → filters →
the list → the chosen activity's detail, its tasks, edit form and deletion.
"""

import streamlit as st

from engagement.ui import context
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.rights import tracking_rights
from engagement.ui.sidebar import require_program
from engagement.ui.tables import tag_options
from engagement.ui.tracking import activity_forms, activity_views, tracking_data

st.title(tr("tracking.activities.title"))
st.caption(tr("tracking.activities.intro"))
show_flash()
program_id = require_program()
program = context.program(program_id)
may_record = tracking_rights(program_id).record_activity
registry = context.frame(program_id, "actors")
names = {int(i): str(n) for i, n in zip(registry["id"], registry["name"], strict=True)}
listed = tracking_data.table(program_id, "activities")
facilitators = sorted({f for names_ in listed["facilitators"] for f in names_ or ()})
tags = tag_options(listed)

if may_record:
    with st.expander(
        tr("tracking.log.title"), icon=":material/edit_calendar:", expanded=listed.empty
    ):
        activity_forms.log_form(program, names, facilitators, tags)
else:
    st.info(tr("pages.read_only"), icon=":material/visibility:")

st.subheader(tr("tracking.list.title"))
search, kinds, stages = activity_views.filters(program)
shown = activity_views.filtered(listed, search, kinds, stages)
st.caption(tr("common.showing", shown=len(shown), total=len(listed)))
if listed.empty:
    st.info(tr("tracking.dashboard.no_activities"), icon=":material/event_busy:")
else:
    activity_views.activity_table(shown, program)
activity_views.deleted_list(tracking_data.table(program_id, "deleted_activities"))

st.divider()
activity_id = activity_views.choose_activity(shown)
if activity_id is None:
    st.stop()
info = context.view(program_id).activity(activity_id)
activity_views.detail(info, program, names)
activity_views.task_panel(info, tracking_data.table(program_id, "tasks"), editable=may_record)
if not may_record:
    st.stop()
with st.expander(tr("tracking.edit.title"), icon=":material/edit:"):
    activity_forms.edit_form(program, info, names, facilitators, tags)
with st.expander(tr("tracking.delete.title"), icon=":material/delete:"):
    activity_views.delete_controls(info)
