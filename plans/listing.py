"""One way to show a filtered, sortable, paginated table and its CSV export."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from plans.safe_export import write_csv_rows

PER_PAGE = 25


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


def csv_response(table: tables.Table, name: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    write_csv_rows(response, table.as_values())
    return response
