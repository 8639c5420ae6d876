"""The cross-plan actions table; its columns are also the CSV export's columns."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.text import Truncator

from priorities.models import Action, Milestone

LINK = {"a": {"class": "govuk-link"}}


class ActionTable(tables.Table):
    # With its priority's ref where the plan numbers actions afresh under each ("3.3").
    ref = tables.Column(
        verbose_name="Ref",
        accessor="display_ref",
        linkify=True,
        order_by=("sort_key", "pk"),
        attrs=LINK,
    )
    title = tables.Column(verbose_name="Action", linkify=True, attrs=LINK)
    plan = tables.Column(
        verbose_name="Plan",
        accessor="priority__plan__title",
        order_by=("priority__plan__start_year", "priority__plan__title", "pk"),
    )
    priority = tables.Column(
        verbose_name="Priority or theme",
        accessor="priority__title",
        order_by=("priority__plan__start_year", "priority__sort_key", "pk"),
    )
    lead = tables.Column(
        verbose_name="Lead", accessor="lead_display", order_by=("lead_agency__name", "pk")
    )
    timescale = tables.Column(verbose_name="Timescale", empty_values=(), default="")
    due_date = tables.DateColumn(
        verbose_name="Due", format="j F Y", default="", order_by=("due_date", "pk")
    )

    class Meta:
        model = Action
        fields = ()
        sequence = ("ref", "title", "plan", "priority", "lead", "timescale", "due_date")
        empty_text = "No actions match these filters."


class MilestoneTable(tables.Table):
    """Milestones due this quarter or overdue, soonest first."""

    due_date = tables.DateColumn(verbose_name="Due", format="j M Y", order_by=("due_date", "pk"))
    when = tables.Column(verbose_name="Status", accessor="is_overdue", order_by=("due_date", "pk"))
    text = tables.Column(verbose_name="Milestone")
    action = tables.Column(
        verbose_name="Action",
        accessor="action__ref",
        linkify=lambda record: record.action.get_absolute_url(),
        order_by=("action__priority__sort_key", "action__sort_key", "pk"),
        attrs=LINK,
    )
    plan = tables.Column(
        verbose_name="Plan",
        accessor="action__priority__plan__title",
        order_by=("action__priority__plan__start_year", "action__priority__plan__title", "pk"),
    )
    lead = tables.Column(
        verbose_name="Lead",
        accessor="action__lead_display",
        order_by=("action__lead_agency__name", "pk"),
    )

    class Meta:
        model = Milestone
        fields = ()
        sequence = ("due_date", "when", "text", "action", "plan", "lead")
        order_by = ("due_date",)
        empty_text = "No milestone is due this quarter or overdue among these."

    def render_when(self, value: bool) -> str:
        return "Overdue" if value else "Due this quarter"

    def value_when(self, value: bool) -> str:
        return self.render_when(value)

    def render_action(self, record: Milestone) -> str:
        return f"{record.action.ref} {Truncator(record.action.title).words(8)}"
