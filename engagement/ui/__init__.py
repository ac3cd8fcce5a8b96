"""The only part of engagement/ that imports streamlit: shared widgets, caching
wrappers, error display and session-state keys.

Importing this package has no side effects. How the ``pages/`` folder is kept out of
Streamlit's legacy multipage mode is one explicit call: :mod:`engagement.ui.navigation`.
"""
