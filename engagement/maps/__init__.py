"""The network map: what to draw (filters, colours, sizes, legend) and how (vis-network).

Pure code, no streamlit. ``filters`` narrows the coalition, ``view`` turns it into nodes,
edges and a legend, ``network`` into pyvis/vis-network data, ``html`` into a standalone
page that works offline. User text only ever travels as JSON data and is shown as text.
"""
