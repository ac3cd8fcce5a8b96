"""The only part of engagement/ that imports streamlit: shared widgets, caching
wrappers, error display and session-state keys.

Importing this package has no side effects. The page scripts live in ``app_pages/``, not
``pages/``: Streamlit treats an app beside a ``pages/`` folder as a legacy multipage app
until ``st.navigation`` first runs, so a deep link as a fresh server's first request would
run that page alone. Any other folder name leaves ``app.py``'s ``st.navigation`` in charge
from the first request (see the Streamlit docs, "Multipage apps: pages/ directory
(legacy)").
"""
