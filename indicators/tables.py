"""The cross-plan indicators table; its columns are also the CSV export's columns."""

from __future__ import annotations

import django_tables2 as tables

from indicators.models import Indicator
from plans.listing import Cell, ManyCell, iso_date
from plans.table_rows import Shown, WrittenRows
from priorities.tables import LINK


class IndicatorTable(WrittenRows, tables.Table):
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

    # The CSV export's cells read as values, as each column shows them (``theme_display``,
    # ``owner_display``, ``reported_to_display``): tests/plans/test_table_exports.py checks
    # the bytes.
    export_cells = {
        "ref": Cell(("ref",)),
        "title": Cell(("title",)),
        "plan": Cell(("plan__title",)),
        "priority": Cell(
            ("theme", "priority_id", "priority__title"),
            lambda theme, priority, title: theme or (title if priority else ""),
        ),
        "target": Cell(("target",)),
        "due_date": Cell(("due_date",), iso_date),
        "responsible": Cell(
            ("responsible", "agency_as_written", "agency_id", "agency__short_name", "agency__name"),
            lambda responsible, as_written, agency, short, name: owner(
                responsible, as_written or ((short or name) if agency else "")
            ),
        ),
        "reported_to": ManyCell("reported_to__name", lambda names: "; ".join(sorted(names))),
    }

    # The page's cells read from each record as its column reads them (plans/table_rows.py).
    shown_cells = {
        "ref": Shown(lambda indicator: indicator.ref, link="indicators:indicator_detail"),
        "title": Shown(lambda indicator: indicator.title, link="indicators:indicator_detail"),
        "plan": Shown(lambda indicator: indicator.plan.title),
        "priority": Shown(lambda indicator: indicator.theme_display),
        "target": Shown(lambda indicator: indicator.target),
        "due_date": Shown(lambda indicator: indicator.due_date, date="j F Y"),
        "responsible": Shown(lambda indicator: indicator.owner_display),
        "reported_to": Shown(lambda indicator: indicator.reported_to_display),
    }


def owner(responsible: str, agency: str) -> str:
    """``Indicator.owner_display`` from the role and the agency as written."""
    if agency and agency.lower() in responsible.lower():
        return responsible
    return ", ".join(part for part in (responsible, agency) if part)
