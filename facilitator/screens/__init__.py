"""Screens of the facilitator app (imported where used, to keep startup fast)."""
