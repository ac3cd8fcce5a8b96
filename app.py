"""Tejido: the entry point. Sets up the page, the shared sidebar and the navigation."""

import streamlit as st

from engagement.ui import state
from engagement.ui.auth import require_sign_in
from engagement.ui.i18n import tr
from engagement.ui.outage import surviving_outages
from engagement.ui.page_css import page_styles
from engagement.ui.rights import TrackingRights, tracking_rights
from engagement.ui.session_gate import guard_streamlit
from engagement.ui.sidebar import declare_language, init_from_url, render_sidebar
from engagement.web import memory

# Streamlit stores uploads and obeys cache-clearing and component messages from any
# browser; this refuses them until the session's user has signed in (see session_gate).
guard_streamlit()
# An emoji favicon is drawn locally; a ":material/...:" favicon is fetched from a font CDN.
st.set_page_config(page_title="Tejido", page_icon="🧶", layout="wide")
init_from_url()  # before sign-in: ?lang=en gives an English sign-in screen
declare_language()
page_styles()


def app_pages(rights: TrackingRights) -> dict[str, list[st.Page]]:
    """The menu: only what this user can use in the chosen program."""
    pages = {
        tr("nav.group.program"): [
            st.Page(
                "app_pages/dashboard.py",
                title=tr("tracking.nav.dashboard"),
                icon=":material/dashboard:",
                default=True,
            ),
            st.Page("app_pages/home.py", title=tr("tracking.nav.overview"), icon=":material/home:"),
            st.Page("app_pages/actors.py", title=tr("nav.actors"), icon=":material/groups:"),
            st.Page(
                "app_pages/relationships.py", title=tr("nav.relationships"), icon=":material/share:"
            ),
            st.Page(
                "app_pages/assessments.py",
                title=tr("nav.assessments"),
                icon=":material/fact_check:",
            ),
        ],
        tr("nav.group.coalition"): [
            st.Page("app_pages/grid.py", title=tr("nav.grid"), icon=":material/grid_view:"),
            st.Page("app_pages/network.py", title=tr("nav.network"), icon=":material/hub:"),
        ],
        tr("tracking.nav.group"): [
            st.Page(
                "app_pages/activities.py",
                title=tr("tracking.nav.activities"),
                icon=":material/event:",
            ),
            st.Page(
                "app_pages/commitments.py",
                title=tr("tracking.nav.commitments"),
                icon=":material/handshake:",
            ),
            st.Page(
                "app_pages/snapshots.py",
                title=tr("tracking.nav.snapshots"),
                icon=":material/photo_camera:",
            ),
        ],
        tr("nav.group.data"): [
            st.Page(
                "app_pages/import_export.py",
                title=tr("nav.import_export" if rights.import_data else "pages.nav.export"),
                icon=":material/swap_vert:",
            ),
            st.Page("app_pages/settings.py", title=tr("nav.settings"), icon=":material/settings:"),
            st.Page("app_pages/team.py", title=tr("nav.team"), icon=":material/shield_person:"),
        ],
    }
    # Out of the menu for those who may not see it; a link to it then says why in words.
    pages[tr("nav.group.data")].append(
        st.Page(
            "app_pages/audit.py",
            title=tr("nav.audit"),
            icon=":material/history:",
            visibility="visible" if rights.see_audit else "hidden",
        )
    )
    return pages


#: Signed out, every page a link may name is declared; none is shown.
SIGNED_OUT = TrackingRights(
    record_activity=False, edit_tracking=False, import_data=False, see_audit=False
)

# A lost database (a PostgreSQL restart) is explained and retried, never a traceback.
with surviving_outages():
    # Signed out, the pages are declared hidden: a link to /grid?program=… keeps its page
    # and query in the browser, and the run after the sign-in opens it.
    render_sidebar(
        require_sign_in(keep_page=lambda: st.navigation(app_pages(SIGNED_OUT), position="hidden"))
    )
    # Every page stays in view: past twelve pages Streamlit would hide some behind "View more".
    st.navigation(app_pages(tracking_rights(state.program_id())), expanded=True).run()

# After the process's first complete page run, its long-lived objects leave the garbage
# collector's full passes (engagement/web/memory.py): no more 100-250 ms pauses for all.
memory.freeze_once()
