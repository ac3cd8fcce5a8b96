"""Tejido: the entry point. Sets up the page, the shared sidebar and the navigation."""

import streamlit as st

from engagement.ui.i18n import tr
from engagement.ui.sidebar import render_sidebar

st.set_page_config(page_title="Tejido", page_icon=":material/hub:", layout="wide")
render_sidebar()

pages = {
    tr("nav.group.program"): [
        st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", default=True),
        st.Page("pages/actors.py", title=tr("nav.actors"), icon=":material/groups:"),
        st.Page("pages/relationships.py", title=tr("nav.relationships"), icon=":material/share:"),
        st.Page("pages/assessments.py", title=tr("nav.assessments"), icon=":material/fact_check:"),
    ],
    tr("nav.group.data"): [
        st.Page(
            "pages/import_export.py", title=tr("nav.import_export"), icon=":material/swap_vert:"
        ),
        st.Page("pages/settings.py", title=tr("nav.settings"), icon=":material/settings:"),
    ],
}
st.navigation(pages).run()
