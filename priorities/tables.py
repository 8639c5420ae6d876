"""The cross-plan actions table; its columns are also the CSV export's columns."""

from __future__ import annotations

import django_tables2 as tables

from priorities.models import Action


class ActionTable(tables.Table):
    # With its priority's ref where the plan numbers actions afresh under each ("3.3").
    ref = tables.Column(
        verbose_name="Ref", accessor="display_ref", linkify=True, order_by=("sort_key",)
    )
    title = tables.Column(verbose_name="Action", linkify=True)
    plan = tables.Column(
        verbose_name="Plan",
        accessor="priority__plan__title",
        order_by=("priority__plan__start_year", "priority__plan__title"),
    )
    priority = tables.Column(
        verbose_name="Priority or theme",
        accessor="priority__title",
        order_by=("priority__plan__start_year", "priority__sort_key"),
    )
    lead = tables.Column(
        verbose_name="Lead", accessor="lead_display", order_by=("lead_agency__name",)
    )
    timescale = tables.Column(verbose_name="Timescale", empty_values=(), default="")
    due_date = tables.DateColumn(verbose_name="Due", format="j F Y", default="")

    class Meta:
        model = Action
        fields = ()
        sequence = ("ref", "title", "plan", "priority", "lead", "timescale", "due_date")
        empty_text = "No actions match these filters."
