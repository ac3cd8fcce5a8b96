"""Team and data safety: who has which role, new accounts, one person's data, backups."""

import streamlit as st

from engagement.config import load_settings
from engagement.services.access import permissions
from engagement.services.access.permissions import Action
from engagement.ui import context
from engagement.ui.auth import change_password_form
from engagement.ui.data import team_widgets
from engagement.ui.feedback import show_flash
from engagement.ui.i18n import tr
from engagement.ui.sidebar import require_program

st.title(tr("team.title"))
st.caption(tr("team.intro"))
show_flash()
program_id = require_program()
user = context.current_user()
role = user.role_in(program_id)
admin_note = f" {tr('pages.team.as_admin')}" if user.admin and role == "lead" else ""
st.write(tr("team.your_role", role=team_widgets.role_label(role)) + admin_note)

if permissions.allowed(user, program_id, Action.MANAGE_PROGRAM):
    team_widgets.members(user, program_id)
    if user.operator or user.admin:
        team_widgets.new_account(user, program_id)
    team_widgets.personal_data(user, program_id)
    team_widgets.backup_now(user, program_id)
else:
    st.info(tr("team.lead_only"))

if not user.operator and load_settings().auth == "password":
    st.subheader(tr("auth.change_password"))
    change_password_form(user)
