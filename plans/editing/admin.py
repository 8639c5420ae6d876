"""Plan editing's records in the Django admin: read only, as the list of changes and the
earlier targets are history (imported by ``plans.admin``)."""

from __future__ import annotations

from django.contrib import admin

from plans.editing.models import IndicatorTarget, PlanChange


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnly):
    list_display = ["when", "plan", "kind", "what", "user"]
    list_filter = ["kind", "plan__partnership"]
    search_fields = ["what", "reason", "plan__title"]
    list_select_related = ["plan", "user"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ReadOnly):
    list_display = ["indicator", "target", "until_year", "until_quarter", "changed_at"]
    list_filter = ["until_year", "until_quarter"]
    search_fields = ["indicator__ref", "indicator__title", "target"]
    list_select_related = ["indicator"]
