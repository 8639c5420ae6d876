"""The partnerships list: what a superuser of a national service sees in place of every plan
of every partnership on one page."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import Q, QuerySet

from plans.models import Partnership

LINK = {"a": {"class": "govuk-link"}}


class PartnershipTable(tables.Table):
    name = tables.Column(verbose_name="Partnership", linkify=True, attrs=LINK)
    area = tables.Column(verbose_name="Area")
    plan_count = tables.Column(verbose_name="Plans")
    active_plan_count = tables.Column(verbose_name="Active plans")

    class Meta:
        model = Partnership
        fields = ()
        sequence = ("name", "area", "plan_count", "active_plan_count")
        order_by = ("name",)
        empty_text = "No partnership matches this search."


class PartnershipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search by name or area", method="search")

    class Meta:
        model = Partnership
        fields = ["q"]

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(area__icontains=word))
        return queryset
