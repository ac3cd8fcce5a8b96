"""Tejido: the entry point. Sets up the page, the shared sidebar and the navigation."""

import streamlit as st

from engagement.ui.auth import require_sign_in
from engagement.ui.i18n import tr
from engagement.ui.print_css import print_styles
from engagement.ui.sidebar import render_sidebar

# An emoji favicon is drawn locally; a ":material/...:" favicon is fetched from a font CDN.
st.set_page_config(page_title="Tejido", page_icon="🧶", layout="wide")
print_styles()
render_sidebar(require_sign_in())

pages = {
    tr("nav.group.program"): [
        st.Page(
            "pages/dashboard.py",
            title=tr("tracking.nav.dashboard"),
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page("pages/home.py", title=tr("tracking.nav.overview"), icon=":material/home:"),
        st.Page("pages/actors.py", title=tr("nav.actors"), icon=":material/groups:"),
        st.Page("pages/relationships.py", title=tr("nav.relationships"), icon=":material/share:"),
        st.Page("pages/assessments.py", title=tr("nav.assessments"), icon=":material/fact_check:"),
    ],
    tr("nav.group.coalition"): [
        st.Page("pages/grid.py", title=tr("nav.grid"), icon=":material/grid_view:"),
        st.Page("pages/network.py", title=tr("nav.network"), icon=":material/hub:"),
    ],
    tr("tracking.nav.group"): [
        st.Page(
            "pages/activities.py", title=tr("tracking.nav.activities"), icon=":material/event:"
        ),
        st.Page(
            "pages/commitments.py",
            title=tr("tracking.nav.commitments"),
            icon=":material/handshake:",
        ),
        st.Page(
            "pages/snapshots.py",
            title=tr("tracking.nav.snapshots"),
            icon=":material/photo_camera:",
        ),
    ],
    tr("nav.group.data"): [
        st.Page(
            "pages/import_export.py", title=tr("nav.import_export"), icon=":material/swap_vert:"
        ),
        st.Page("pages/settings.py", title=tr("nav.settings"), icon=":material/settings:"),
        st.Page("pages/team.py", title=tr("nav.team"), icon=":material/shield_person:"),
        st.Page("pages/audit.py", title=tr("nav.audit"), icon=":material/history:"),
    ],
}
# Every page stays in view: past twelve pages Streamlit would hide some behind "View more".
st.navigation(pages, expanded=True).run()
