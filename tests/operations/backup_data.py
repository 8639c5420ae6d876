"""Data for the backup tests, and a way to compare two copies of the database table by table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from indicators.models import Indicator
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Plan, PublishedReport
from plans.services import period_open
from priorities.models import Action
from priorities.services import action_update_save

SAMPLE = 3  # rows compared from each end of every table


def make_history(user) -> PublishedReport:
    """A quarter with two versions of an update, a value, audit entries and a snapshot."""
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    action = Action.objects.get(priority__plan=plan, ref="2.2")
    first = action_update_save(
        user=user, action=action, period=period, status="on_track", commentary="Started.",
        next_steps="", milestones=[], submit=False, expected_version=None,
    )  # fmt: skip
    action_update_save(
        user=user, action=action, period=period, status="on_track", commentary="Done.",
        next_steps="", milestones=[], submit=True, expected_version=first.version,
    )  # fmt: skip
    indicator = Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime")
    indicator_value_save(
        user=user, period=period,
        entry=ValueEntry(indicator=indicator, value=Decimal("12"), not_available=False),
    )  # fmt: skip
    return PublishedReport.objects.create(
        plan=plan, period=period, version=1, data={"rows": [{"ref": "2.2", "rag": "green"}]},
        html="<h1>Q2 report</h1>", workbook=b"PK\x03\x04 not really a workbook",
        published_by=user, published_at=timezone.now(),
    )  # fmt: skip


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot(cursor, tables: list[str]) -> dict[str, tuple[int, list[tuple]]]:
    """Every table's row count and its first and last rows (by the first column)."""
    quote = connection.ops.quote_name
    result = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")
        count = cursor.fetchone()[0]
        rows = []
        for order in ("ASC", "DESC"):
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1 {order} LIMIT {SAMPLE}")
            rows += [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
        result[table] = (count, rows)
    return result


def live_snapshot() -> tuple[list[str], dict]:
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return tables, snapshot(cursor, tables)


def assert_same(restored: dict, live: dict) -> None:
    assert restored.keys() == live.keys()
    for table in live:
        assert restored[table] == live[table], table
    for table in ("auditlog_logentry", "plans_publishedreport", "priorities_actionupdateversion"):
        assert live[table][0] > 0, f"{table} should hold rows to compare"
