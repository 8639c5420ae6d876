"""Optional sign-off: a submitted update or value awaits an officer who signs off for its lead
agency, who approves it (then it counts) or returns it with what to change."""
