"""The cross-plan actions table; its columns are also the CSV export's columns."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.text import Truncator

from plans.listing import Cell, iso_date
from plans.table_rows import Shown, WrittenRows
from priorities.models import Action, Milestone


def standalone_ref(ref: str, priority_ref: str) -> str:
    """``Action.display_ref`` from the two refs."""
    prefix = priority_ref.rstrip(".")
    if not prefix or ref.startswith(f"{prefix}."):
        return ref
    return f"{prefix}.{ref}"


def lead_of(as_written: str, agency: int | None, short_name: str, name: str) -> str:
    """``Priority.lead_display`` from its values (the agency's short name, or its name)."""
    return as_written or ((short_name or name) if agency else "")


LINK = {"a": {"class": "govuk-link"}}


class ActionTable(WrittenRows, tables.Table):
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

    # The CSV export's cells read as values, as each column shows them (``display_ref``,
    # ``lead_display``): tests/plans/test_table_exports.py checks the bytes.
    export_cells = {
        "ref": Cell(("ref", "priority__ref"), lambda ref, above: standalone_ref(ref, above)),
        "title": Cell(("title",)),
        "plan": Cell(("priority__plan__title",)),
        "priority": Cell(("priority__title",)),
        "lead": Cell(
            (
                "lead_as_written",
                "lead_agency_id",
                "lead_agency__short_name",
                "lead_agency__name",
                "priority__lead_as_written",
                "priority__lead_agency_id",
                "priority__lead_agency__short_name",
                "priority__lead_agency__name",
            ),
            lambda own, agency, short, name, *priority: (
                own or ((short or name) if agency else lead_of(*priority))
            ),
        ),
        "timescale": Cell(("timescale",)),
        "due_date": Cell(("due_date",), iso_date),
    }

    # The page's cells read from each record as its column reads them (plans/table_rows.py).
    shown_cells = {
        "ref": Shown(lambda action: action.display_ref, link="priorities:action_detail"),
        "title": Shown(lambda action: action.title, link="priorities:action_detail"),
        "plan": Shown(lambda action: action.priority.plan.title),
        "priority": Shown(lambda action: action.priority.title),
        "lead": Shown(lambda action: action.lead_display),
        "timescale": Shown(lambda action: action.timescale),
        "due_date": Shown(lambda action: action.due_date, date="j F Y"),
    }


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
