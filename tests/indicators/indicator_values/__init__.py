"""Entering quarterly indicator values: one at a time, all of an agency's at once, and the
history and audit trail on the indicator's page."""
