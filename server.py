"""Tejido's web server: the app (app.py) plus the sign-in session cookie routes and the
map's drawing code, served as a file the browser keeps.

Run it as ``streamlit run server.py`` (``make run`` and deploy/ do). ``streamlit run
app.py`` still works, but a sign-in then lasts only as long as the browser tab, and the
map's code travels with every rerun that changes the map, and the connections keep
Nagle's algorithm (engagement/web/nodelay.py).
"""

import streamlit as st

from engagement.web import asset_routes, nodelay, session_routes

# Before the first connection is accepted: replies leave without Nagle's 40 ms waits.
nodelay.install()
app = st.App("app.py", routes=[*session_routes.routes(), *asset_routes.routes()])
