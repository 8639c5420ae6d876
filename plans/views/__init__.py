"""Views of the plans app, one module per area (the single module passed 500 lines)."""
