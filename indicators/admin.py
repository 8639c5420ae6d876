from django.contrib import admin

from indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "plan", "target", "due_date", "agency", "reporting_group"]
    list_filter = ["plan__partnership", "plan", "frequency", "unit", "direction", "agency"]
    search_fields = ["ref", "title", "target", "responsible", "theme"]
    list_select_related = ["plan", "agency", "reporting_group"]
