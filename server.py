"""Tejido's web server: the app (app.py) plus the sign-in session cookie routes.

Run it as ``streamlit run server.py`` (``make run`` and deploy/ do). ``streamlit run
app.py`` still works, but a sign-in then lasts only as long as the browser tab.
"""

import streamlit as st

from engagement.web.session_routes import routes

app = st.App("app.py", routes=routes())
