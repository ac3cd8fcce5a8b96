"""The only part of engagement/ that imports streamlit: shared widgets, caching
wrappers, error display and session-state keys."""
