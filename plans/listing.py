"""One way to show a filtered, sortable, paginated table and its CSV export."""

from __future__ import annotations

import csv

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from plans.safe_export import csv_value

PER_PAGE = 25
# Rows read from the database and turned into CSV at a time: memory stays flat however many
# rows the export has, and the download starts after the first batch.
EXPORT_BATCH = 1000


def filtered_table(
    request: HttpRequest,
    *,
    queryset: QuerySet,
    filterset_class: type[django_filters.FilterSet],
    table_class: type[tables.Table],
    template: str,
    export_name: str,
    extra_context: dict | None = None,
) -> HttpResponse:
    """Filter ``queryset`` by the GET parameters, then show it as a table or, with
    ``?export=csv``, download every filtered row with the table's own columns."""
    filterset = filterset_class(request.GET or None, queryset=queryset, user=request.user)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        rows = queryset.none()
    table = table_class(rows)
    if request.GET.get("export") == "csv" and not filterset.errors:
        tables.RequestConfig(request, paginate=False).configure(table)
        return csv_response(table, export_name)
    tables.RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_query["export"] = "csv"
    page_range = (
        table.paginator.get_elided_page_range(table.page.number, on_each_side=2, on_ends=1)
        if getattr(table, "page", None)
        else []
    )
    context = {
        "page_range": page_range,
        "filter": filterset,
        "table": table,
        "export_url": f"?{export_query.urlencode()}",
        "active_filters": any(request.GET.get(name) for name in filterset.filters),
    }
    return render(request, template, context | (extra_context or {}))


def csv_response(table: tables.Table, name: str) -> StreamingHttpResponse:
    """Every row of the (sorted, filtered) ``table`` as a CSV download, streamed."""
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


class _Line:
    """A file-like target for csv.writer that hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(table: tables.Table):
    writer = csv.writer(_Line())
    header = True
    for batch in _batches(table.data.data):
        rows = iter(type(table)(batch).as_values())
        if not header:
            next(rows)
        for row in rows:
            line = writer.writerow([csv_value(value) for value in row])
            yield "\ufeff" + line if header else line  # BOM: Excel then reads UTF-8
            header = False
    if header:  # no rows: the column headings alone
        yield "\ufeff" + writer.writerow(list(type(table)([]).as_values())[0])


def _batches(rows):
    """``rows`` in lists of EXPORT_BATCH; a queryset is read through a database cursor
    (with its prefetches done per batch) instead of being held whole in memory."""
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=EXPORT_BATCH)
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == EXPORT_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
