"""Widgets of the actors, ties and assessments pages."""
