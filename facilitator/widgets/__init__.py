"""Widgets of the facilitator app."""
