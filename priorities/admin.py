from django.contrib import admin

from priorities.models import (
    Action,
    ActionReopening,
    ActionUpdate,
    ActionUpdateVersion,
    KeyTheme,
    Milestone,
    MilestoneProgress,
    Objective,
    Priority,
)


class KeyThemeInline(admin.TabularInline):
    model = KeyTheme
    extra = 0


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ["due_date", "recurrence"]
    raw_id_fields = ["lead_officer"]
    exclude = ["supporting_agencies"]  # on the milestone's own page


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "plan", "lead_agency", "is_cross_cutting"]
    list_filter = ["plan__partnership", "plan", "is_cross_cutting", "lead_agency"]
    search_fields = ["ref", "title", "summary"]
    list_select_related = ["plan", "lead_agency"]
    inlines = [KeyThemeInline, ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "priority"]
    list_filter = ["priority__plan"]
    search_fields = ["ref", "title", "description"]
    list_select_related = ["priority"]
    readonly_fields = ["measured_by_indicators"]

    @admin.display(description="Measured by")
    def measured_by_indicators(self, obj: Objective) -> str:
        return ", ".join(f"{i.ref} {i.title[:60]}" for i in obj.measured_by.all()) or "—"


@admin.register(KeyTheme)
class KeyThemeAdmin(admin.ModelAdmin):
    list_display = ["text", "order", "priority"]
    list_filter = ["priority__plan"]
    search_fields = ["text"]
    list_select_related = ["priority"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "priority", "lead_agency", "timescale", "due_date"]
    list_filter = ["priority__plan__partnership", "priority__plan", "lead_agency"]
    search_fields = ["ref", "title", "desired_outcome", "lead_as_written"]
    list_select_related = ["priority", "lead_agency"]
    filter_horizontal = ["supporting_agencies"]
    raw_id_fields = ["lead_officer"]
    readonly_fields = ["measured_by_indicators"]
    inlines = [MilestoneInline]

    @admin.display(description="Measured by")
    def measured_by_indicators(self, obj: Action) -> str:
        return ", ".join(f"{i.ref} {i.title[:60]}" for i in obj.measured_by.all()) or "—"


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["text", "timescale", "due_date", "recurrence", "action"]
    list_filter = ["recurrence", "action__priority__plan"]
    search_fields = ["text", "timescale", "lead_officer_as_written"]
    list_select_related = ["action"]
    filter_horizontal = ["supporting_agencies"]
    raw_id_fields = ["lead_officer"]


class MilestoneProgressInline(admin.TabularInline):
    model = MilestoneProgress
    extra = 0


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "period", "status", "state", "is_late", "is_sample", "saved_at"]
    list_filter = ["period__plan", "status", "state", "is_late", "is_sample"]
    search_fields = ["action__title", "action__ref", "commentary"]
    list_select_related = ["action", "period__plan"]
    inlines = [MilestoneProgressInline]


@admin.register(ActionUpdateVersion)
class ActionUpdateVersionAdmin(admin.ModelAdmin):
    list_display = ["update", "number", "status", "state", "saved_by", "saved_at"]
    list_filter = ["status", "state"]
    search_fields = ["update__action__title", "commentary", "correction_reason"]
    list_select_related = ["update__action", "update__period", "saved_by"]


@admin.register(MilestoneProgress)
class MilestoneProgressAdmin(admin.ModelAdmin):
    list_display = ["milestone", "update", "done", "done_on"]
    list_filter = ["done", "update__period__plan"]
    search_fields = ["milestone__text", "update__action__title"]
    list_select_related = ["milestone", "update__action", "update__period"]


@admin.register(ActionReopening)
class ActionReopeningAdmin(admin.ModelAdmin):
    list_display = ["action", "completed_in", "reopened_by", "reopened_at"]
    list_filter = ["action__priority__plan"]
    search_fields = ["action__ref", "action__title", "reason"]
    list_select_related = ["action", "completed_in", "reopened_by"]
