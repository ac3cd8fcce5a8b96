"""Widgets of the power/interest grid and network map pages."""
