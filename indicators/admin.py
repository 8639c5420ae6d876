from django.contrib import admin

from indicators.models import Indicator, IndicatorValue, Population, ValueUpload

# The structured target (see indicators.targets) an admin may correct.
TARGET_STRUCTURE = [
    "target_comparator",
    "target_value",
    "target_unit",
    "target_per",
    "target_baseline",
    "target_baseline_period",
]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "plan", "target", "due_date", "agency"]
    list_filter = [
        "plan__partnership",
        "plan",
        "frequency",
        "unit",
        "direction",
        "target_comparator",
        "agency",
    ]
    search_fields = ["ref", "title", "target", "responsible", "theme"]
    list_select_related = ["plan", "agency"]
    readonly_fields = ["target_parsed_from"]
    # Plans have hundreds of actions: pick them by search, not from one long list.
    autocomplete_fields = ["measures_actions", "measures_objectives"]
    filter_horizontal = ["reported_to"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "plan",
                    "priority",
                    "theme",
                    "ref",
                    "ref_generated",
                    "title",
                    "target",
                    "baseline",
                    "due_date",
                    "due_as_written",
                    "responsible",
                    "agency",
                    "agency_as_written",
                    "reported_to",
                    "frequency",
                    "frequency_as_written",
                    "unit",
                    "direction",
                    "predecessor",
                    "delegates",
                    "measures_actions",
                    "measures_objectives",
                ]
            },
        ),
        (
            "Target as understood",
            {
                "description": (
                    "Read from the target as written whenever that text changes. Correct it "
                    "here if it was read wrongly: a correction is kept until the text changes."
                ),
                "fields": [*TARGET_STRUCTURE, "amber_tolerance", "target_parsed_from"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change) -> None:
        # A structure the admin set in the same save as a new text is theirs: mark it as
        # read from that text so the save does not parse it again over their correction.
        if any(name in form.changed_data for name in TARGET_STRUCTURE) and obj.target_comparator:
            obj.target_parsed_from = obj.target
        super().save_model(request, obj, form, change)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "not_available", "is_late", "is_sample"]
    list_filter = ["period__plan", "not_available", "is_late", "is_sample", "rag_override"]
    search_fields = ["indicator__title", "indicator__ref", "note"]
    list_select_related = ["indicator", "period__plan"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    """The area's residents per year, for calculated indicators per 1,000 residents."""

    list_display = ["partnership", "year", "residents"]
    list_filter = ["partnership"]
    search_fields = ["partnership__name"]


@admin.register(ValueUpload)
class ValueUploadAdmin(admin.ModelAdmin):
    """Uploaded sheets waiting for confirmation (deleted once confirmed, or after a day)."""

    list_display = ["file_name", "kind", "plan", "user", "created_at"]
    list_filter = ["kind", "plan__partnership"]
    search_fields = ["file_name", "source", "plan__title"]
    list_select_related = ["plan", "user"]
