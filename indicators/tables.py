"""The cross-plan indicators table; its columns are also the CSV export's columns."""

from __future__ import annotations

import django_tables2 as tables

from indicators.models import Indicator
from priorities.tables import LINK


class IndicatorTable(tables.Table):
    ref = tables.Column(verbose_name="Ref", linkify=True, order_by=("sort_key", "pk"), attrs=LINK)
    title = tables.Column(verbose_name="Indicator", linkify=True, attrs=LINK)
    plan = tables.Column(
        verbose_name="Plan",
        accessor="plan__title",
        order_by=("plan__start_year", "plan__title", "pk"),
    )
    priority = tables.Column(
        verbose_name="Priority or theme",
        accessor="theme_display",
        order_by=("priority__title", "pk"),
    )
    target = tables.Column(verbose_name="Target", default="")
    due_date = tables.DateColumn(verbose_name="Due", format="j F Y", default="")
    responsible = tables.Column(
        verbose_name="Responsible",
        accessor="owner_display",
        order_by=("agency__name", "responsible", "pk"),
    )
    reported_to = tables.Column(
        verbose_name="Reported to", accessor="reported_to_display", orderable=False, default=""
    )

    class Meta:
        model = Indicator
        fields = ()
        sequence = (
            "ref",
            "title",
            "plan",
            "priority",
            "target",
            "due_date",
            "responsible",
            "reported_to",
        )
        empty_text = "No indicators match these filters."
