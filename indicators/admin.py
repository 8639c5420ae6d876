from django.contrib import admin

from indicators.models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "plan", "target", "due_date", "agency", "reporting_group"]
    list_filter = ["plan__partnership", "plan", "frequency", "unit", "direction", "agency"]
    search_fields = ["ref", "title", "target", "responsible", "theme"]
    list_select_related = ["plan", "agency", "reporting_group"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "not_available", "is_late", "is_sample"]
    list_filter = ["period__plan", "not_available", "is_late", "is_sample"]
    search_fields = ["indicator__title", "indicator__ref", "note"]
    list_select_related = ["indicator", "period__plan"]
