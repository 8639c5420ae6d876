"""Filters for the cross-plan indicators table."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from indicators.models import Indicator
from plans.models import Agency, Partnership, Plan
from plans.search import matching_words
from priorities.filters import PlanScopedFilterSet
from priorities.models import Priority


class IndicatorFilterSet(PlanScopedFilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    partnership = django_filters.ModelChoiceFilter(
        label="Partnership",
        field_name="plan__partnership",
        queryset=Partnership.objects.all(),
        empty_label="All partnerships",
    )
    plan = django_filters.ModelChoiceFilter(
        label="Plan", queryset=Plan.objects.all(), empty_label="All plans"
    )
    priority = django_filters.ModelChoiceFilter(
        label="Priority or theme",
        queryset=Priority.objects.select_related("plan"),
        empty_label="All priorities",
    )
    agency = django_filters.ModelChoiceFilter(
        label="Lead agency", queryset=Agency.objects.all(), empty_label="All agencies"
    )
    reported_to = django_filters.ModelChoiceFilter(
        label="Reported to",
        # EXISTS, not a join with DISTINCT: that read every indicator's groups (27,000 rows).
        queryset=Agency.objects.filter(
            Exists(Indicator.reported_to.through.objects.filter(agency=OuterRef("pk")))
        ),
        empty_label="Any group",
    )

    class Meta:
        model = Indicator
        fields = ["q", "partnership", "plan", "priority", "agency", "reported_to"]

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        return matching_words(
            queryset,
            value,
            exact=("ref",),
            contains=("title", "target", "theme", "responsible", "agency_as_written"),
            agency="agency",
        )
