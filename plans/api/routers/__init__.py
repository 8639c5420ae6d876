"""The API's routers, each mounted at its prefix under /api/v1/. A new kind of data (e.g.
crime-data counts) adds its router to ``ROUTERS``: its endpoints get the same token and
session sign-in, pagination, errors and place in the OpenAPI schema."""

from __future__ import annotations

from plans.api.routers import crime, progress, records

ROUTERS = [
    ("/partnerships", records.partnerships),
    ("/plans", records.plans),
    ("/quarters", records.quarters),
    ("/reports", records.reports),
    ("/actions", progress.actions),
    ("/indicators", progress.indicators),
    ("/crime-data", crime.crime),
]
