"""Editing a plan in the browser: partnership admins add, change, reorder and remove its
priorities, objectives, actions, milestones, indicators and risks. A draft changes freely; an
active plan's changes each need a reason and are kept as ``PlanChange`` rows, and a target
changed mid-year is kept as ``IndicatorTarget`` history so earlier quarters keep their RAG.

Modules: ``models`` (imported by ``plans.models``, so the app label is ``plans``), ``kinds``
(what each kind of item is), ``forms``, ``services`` (the writes), ``history`` (the target
in force in a quarter), ``views`` and ``urls`` (included from ``plans.urls``)."""
