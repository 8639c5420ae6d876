"""Filters for the cross-plan indicators table."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from indicators.models import Indicator
from plans.models import Agency, Partnership, Plan
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
        queryset=Agency.objects.filter(reported_indicators__isnull=False).distinct(),
        empty_label="Any group",
    )

    class Meta:
        model = Indicator
        fields = ["q", "partnership", "plan", "priority", "agency", "reported_to"]

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        for word in value.split():
            queryset = queryset.filter(
                Q(ref__iexact=word)
                | Q(title__icontains=word)
                | Q(target__icontains=word)
                | Q(theme__icontains=word)
                | Q(responsible__icontains=word)
                | Q(agency_as_written__icontains=word)
                | Q(agency__name__icontains=word)
                | Q(agency__short_name__iexact=word)
            )
        return queryset
