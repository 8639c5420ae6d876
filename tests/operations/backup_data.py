"""Data for the backup tests, and a way to compare two copies of the database table by table."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
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


# dumpdata/loaddata keeps pks, but not the ids of content types and permissions (migrate makes
# them afresh) nor of the rows behind many-to-many fields (loaddata adds them again). Compare
# those by what they mean instead: whole tables, with such ids replaced by natural keys.
MADE_BY_MIGRATE = {"django_content_type", "auth_permission", "django_migrations"}


def _through_tables() -> set[str]:
    return {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    }


def _to_the_millisecond(value):
    if isinstance(value, datetime | time):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return _plain(value)


# Columns that are cache keys, not data: loading a backup gives them new values on purpose, so
# that no report cached before the restore is read after it (plans.report_cache).
CACHE_KEYS = {"plans_partnership": "data_version"}


def natural_snapshot(cursor, tables: list[str]) -> dict[str, list[tuple]]:
    cursor.execute("SELECT id, app_label, model FROM django_content_type")
    names = {"django_content_type": {pk: f"{app}.{model}" for pk, app, model in cursor}}
    cursor.execute(
        "SELECT p.id, t.app_label, p.codename FROM auth_permission p "
        "JOIN django_content_type t ON t.id = p.content_type_id"
    )
    names["auth_permission"] = {pk: f"{app}.{codename}" for pk, app, codename in cursor}
    through = _through_tables()
    with connection.cursor() as live:  # the schema is the same on both sides
        relations = {t: connection.introspection.get_relations(live, t) for t in tables}
    result = {}
    for table in sorted(set(tables) - MADE_BY_MIGRATE):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        columns = [column[0] for column in cursor.description]
        rows = []
        for values in cursor.fetchall():
            row = dict(zip(columns, map(_to_the_millisecond, values), strict=True))
            if table in through:
                del row["id"]
            row.pop(CACHE_KEYS.get(table, ""), None)
            for column, (_, target) in relations[table].items():
                if target in names and row.get(column) is not None:
                    row[column] = names[target][row[column]]
            rows.append(tuple(sorted(row.items())))
        result[table] = sorted(rows, key=repr)
    return result
