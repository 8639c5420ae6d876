"""Year end's records in the Django admin: read only, as closings and published reports are
history (imported by ``plans.admin``)."""

from __future__ import annotations

from django.contrib import admin

from plans.editing.admin import ReadOnly
from plans.yearend.models import PlanClosing, YearEndReport


@admin.register(PlanClosing)
class PlanClosingAdmin(ReadOnly):
    list_display = ["plan", "closed_at", "closed_by", "quarters_closed"]
    list_filter = ["plan__partnership"]
    search_fields = ["plan__title"]
    list_select_related = ["plan", "closed_by"]


@admin.register(YearEndReport)
class YearEndReportAdmin(ReadOnly):
    list_display = ["plan", "version", "published_at", "published_by"]
    list_filter = ["plan__partnership"]
    search_fields = ["plan__title", "reason"]
    list_select_related = ["plan", "published_by"]
    exclude = ["data", "html", "workbook"]
