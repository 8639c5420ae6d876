"""The quarterly action update form and the action's progress history: drafts and
submissions, validation, late and closed quarters, admin corrections, lost-update protection,
the audit trail, who may do what, and query budgets."""
