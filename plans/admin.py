from django.contrib import admin

from plans.models import Agency, Membership, Partnership, Plan, ReportingPeriod, Risk


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area"]
    search_fields = ["name", "area"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "kind", "period", "status"]
    list_filter = ["partnership", "kind", "status"]
    search_fields = ["title", "summary"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["parent"]
    inlines = [RiskInline]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["ref", "risk", "plan", "score_before", "score_after", "status"]
    list_filter = ["plan__partnership", "plan"]
    search_fields = ["ref", "risk", "implications", "controls"]
    list_select_related = ["plan"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role"]
    list_filter = ["partnership", "role"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user", "partnership"]
    filter_horizontal = ["agencies"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["plan", "label", "deadline", "status"]
    list_filter = ["plan__partnership", "status", "quarter"]
    search_fields = ["plan__title"]
    list_select_related = ["plan"]
