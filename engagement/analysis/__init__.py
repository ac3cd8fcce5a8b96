"""Pure network analysis: graphs in, numbers out. No I/O, no streamlit."""
