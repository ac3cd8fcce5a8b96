"""Widgets of the dashboard, activities, commitments and snapshots pages."""
