"""Tejido: stakeholder mapping and engagement tracking for open-government programs."""

__version__ = "0.1.0"
