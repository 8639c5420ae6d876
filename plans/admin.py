from django.contrib import admin

from plans.editing import admin as editing_admin  # noqa: F401 (registers its models)
from plans.models import (
    Agency,
    FundingLine,
    Membership,
    Partnership,
    Plan,
    PlanImport,
    PreviousResult,
    PublishedReport,
    ReportingPeriod,
    Risk,
    ScheduledRun,
)
from plans.yearend import admin as yearend_admin  # noqa: F401 (registers its models)


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


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ["plan", "period", "version", "published_by", "published_at"]
    list_filter = ["plan__partnership", "plan"]
    search_fields = ["plan__title", "reason"]
    list_select_related = ["plan", "period", "published_by"]
    exclude = ["workbook"]
    readonly_fields = ["plan", "period", "version", "reason", "data", "html", "published_by",
                       "published_at"]  # fmt: skip


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "partnership", "status", "plan", "uploaded_by", "uploaded_at"]
    list_filter = ["partnership", "status"]
    search_fields = ["file_name", "sha256"]
    list_select_related = ["partnership", "plan", "uploaded_by"]
    exclude = ["content"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """Which server's cron did a day's scheduled work; delete a row to let it run again."""

    list_display = ["command", "day", "started_at", "finished_at", "summary"]
    list_filter = ["command"]
    search_fields = ["command", "summary"]
    date_hierarchy = "day"


@admin.register(FundingLine)
class FundingLineAdmin(admin.ModelAdmin):
    list_display = ["action", "source", "amount", "financial_year", "as_written"]
    list_filter = ["action__priority__plan__partnership", "financial_year"]
    search_fields = ["source", "as_written", "action__title"]
    list_select_related = ["action"]
    autocomplete_fields = ["action"]


@admin.register(PreviousResult)
class PreviousResultAdmin(admin.ModelAdmin):
    list_display = ["plan", "order", "ref", "title", "period"]
    list_filter = ["plan__partnership", "plan"]
    search_fields = ["ref", "title", "outturn", "comment"]
    list_select_related = ["plan"]
