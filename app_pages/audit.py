"""Audit: who changed what, when, field by field; filters by user, entity and date."""

import datetime as dt

import streamlit as st

from engagement.io.writers import CSV_MIME, csv_bytes, frame_table
from engagement.services.access import permissions, team
from engagement.ui import context, state
from engagement.ui.i18n import change_value, field_label, tr
from engagement.ui.sidebar import require_program
from engagement.ui.tracking.dashboard_views import audit_table

st.title(tr("audit.title"))
st.caption(tr("audit.intro"))
program_id = require_program()
user = context.current_user()
if not permissions.can_see_restricted(user, program_id):
    # Out of this user's menu; reached by a shared link, it says why in words.
    st.warning(tr("audit.not_for_role"), icon=":material/lock:")
    st.stop()

view = context.view(program_id)
everything = team.audit_summary(view)
cols = st.columns([1, 1, 2])
# Plain labels as options (AppTest re-formats options outside the script run).
anyone, anything = tr("audit.anyone"), tr("audit.anything")
who = cols[0].selectbox(
    tr("audit.user"), [anyone, *sorted(everything["username"].unique())], key="audit.user"
)
kinds = {tr(f"entity.{e}"): e for e in sorted(everything["entity"].unique())}
what = cols[1].selectbox(tr("audit.entity"), [anything, *kinds], key="audit.entity")
today = dt.date.today()
# The whole trail at first (a demo's or a finished program's history is not recent).
first = min(everything["at"].min().date(), today) if len(everything) else today
period = cols[2].date_input(
    tr("audit.dates"),
    value=(first, today),
    format="DD/MM/YYYY",
    key="audit.dates",
)
start, end = (*period, None, None)[:2] if isinstance(period, tuple) else (period, period)

log = team.program_audit(
    view,
    username=None if who == anyone else who,
    entity=kinds.get(what),
    start=start,
    end=end,
    field_label=field_label,
    value_text=change_value,
    lang=state.lang(),
)
st.caption(tr("audit.count", shown=len(log), total=len(everything)))
if log.empty:
    st.info(tr("audit.empty"))
    st.stop()
table = log.assign(
    entity=log["entity"].map(lambda v: tr(f"entity.{v}")),
    action=log["action"].map(lambda v: tr(f"audit.action.{v}")),
)[["at", "username", "entity", "subject", "action", "changes"]]
table.columns = [tr(f"audit.col.{c}") for c in table.columns]
audit_table(table)
# Names and changes are user text: the writer neutralises any that would run as a formula.
trail = frame_table(tr("audit.title"), table)
st.download_button(
    tr("audit.download"),
    data=lambda: csv_bytes(trail),
    file_name=f"auditoria-{program_id}-{today:%Y%m%d}.csv",
    mime=CSV_MIME,
    key="audit.download",
    on_click="ignore",
)
