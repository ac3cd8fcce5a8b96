"""Widgets of the import/export, program settings and team pages."""
