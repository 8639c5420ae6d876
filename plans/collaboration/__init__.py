"""Working together around a quarter's update: questions and answers on an action or an
indicator, and the evidence files behind an update or a value."""
