"""File formats in and out: reading uploads (XLSX, CSV), writing XLSX, CSV, Kumu, GEXF,
GraphML and the JSON backup. Pure: bytes and tables in, bytes and tables out; no database.
"""
