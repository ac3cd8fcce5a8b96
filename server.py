"""Tejido's web server: the app (app.py) plus the sign-in session cookie routes.

Run it as ``streamlit run server.py`` (``make run`` and deploy/ do). ``streamlit run
app.py`` still works, but a sign-in then lasts only as long as the browser tab.
"""

import streamlit as st

from engagement.ui.navigation import use_app_navigation
from engagement.web.session_routes import routes

# Before any session exists: pages/ is app.py's st.navigation's, never Streamlit's legacy
# folder, from the very first request (a deep link included).
use_app_navigation()
app = st.App("app.py", routes=routes())
