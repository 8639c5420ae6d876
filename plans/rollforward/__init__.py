"""Next year's plan started from this one (issue 13, roll forward): partnership admins copy a
plan's priorities, its actions not completed (deferred ones first) and its indicators into a
draft, each action keeping its lineage (carried over / changed / new / dropped with a reason),
and everyone compares the two plans on "What changed from last year".

Its own Django app (label ``rollforward``), so its one model and migration stand apart:
``models`` (``DroppedAction``), ``services`` (``plan_roll_forward``), ``lineage`` (what plan
editing tells it: an action added, changed or removed), ``comparison`` (the two plans side by
side), ``forms``, ``views`` and ``urls`` (included from ``plans.urls``)."""
