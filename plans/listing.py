"""One way to show a filtered, sortable, paginated table and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

import django_filters
import django_tables2 as tables
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.safestring import mark_safe
from django_tables2.rows import BoundRows

from plans import report_cache
from plans.safe_export import FORMULA_START, csv_value

PER_PAGE = 25
# Past this many rows, a page's rows are found by their ids alone, then read whole.
DEEP_PAGE_OFFSET = 1000
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
    results_template: str | None = None,
) -> HttpResponse:
    """Filter ``queryset`` by the GET parameters, then show it as a table or, with
    ``?export=csv``, download every filtered row with the table's own columns.

    With ``results_template`` (the filters, download link, table and pages, shown on the page
    as ``results_html``), that part is rendered once per query string and data version of
    what the user can see, then read from the cache (``report_cache.page_key``): only for
    tables of rows whose writes change the version."""
    exporting = request.GET.get("export") == "csv"
    key = (
        report_cache.page_key(export_name, request) if results_template and not exporting else None
    )
    if key and (html := cache.get(key)) is not None:
        return render(request, template, {"results_html": mark_safe(html)} | (extra_context or {}))
    filterset = filterset_class(request.GET or None, queryset=queryset, user=request.user)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        rows = queryset.none()
    table = table_class(rows)
    if exporting and not filterset.errors:
        tables.RequestConfig(request, paginate=False).configure(table)
        return csv_response(table, export_name)
    paginate = {"per_page": PER_PAGE, "paginator_class": DeepPaginator}
    tables.RequestConfig(request, paginate=paginate).configure(table)
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
    } | (extra_context or {})
    if results_template:
        html = render_to_string(results_template, context, request)
        if key and not filterset.errors:  # errors: shown once, not kept
            cache.set(key, html, report_cache.TIMEOUT)
        context["results_html"] = mark_safe(html)
    return render(request, template, context)


class DeepPaginator(Paginator):
    """Deep pages without sorting every wide row: page 2,165 of 54,000 actions sorted all
    54,000 joined rows with every column (210 ms of SQL, 600 ms sorted by plan); past
    ``DEEP_PAGE_OFFSET`` the page's ids are found in a subquery that sorts only ids and sort
    keys, and the outer query reads those 25 rows whole, in the same order. One query still."""

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list  # django-tables2's rows, over its wrapper of the queryset
        queryset = getattr(getattr(rows, "data", None), "data", None)
        deep = bottom >= DEEP_PAGE_OFFSET and isinstance(queryset, QuerySet)
        if not deep or queryset.query.distinct:
            return self._get_page(rows[bottom:top], number, self)
        ids = queryset.values("pk")[bottom:top]
        return self._get_page(
            BoundRows(queryset.filter(pk__in=ids), table=rows.table, pinned_data=rows.pinned_data),
            number,
            self,
        )


def csv_response(table: tables.Table, name: str) -> StreamingHttpResponse:
    """Every row of the (sorted, filtered) ``table`` as a CSV download, streamed."""
    stamp = timezone.localdate().isoformat()
    fast = getattr(table, "export_cells", None) and isinstance(table.data.data, QuerySet)
    lines = _values_csv_lines(table) if fast else _csv_lines(table)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


class _Line:
    """A file-like target for csv.writer that hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(table: tables.Table):
    """The CSV through django-tables2's own ``as_values``: every cell of every row resolved
    on model objects. Tables that say how to read their cells as values (``export_cells``)
    take ``_values_csv_lines`` instead, which gives the same bytes."""
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


@dataclass(frozen=True)
class Cell:
    """How a CSV export reads one column without a model object: the fields it needs from
    the row (``values_list`` lookups) and the text it makes of them (``None``: the one
    field as it is), as the table's column shows it; an empty text is written as nothing,
    as django-tables2 writes it."""

    fields: tuple[str, ...]
    text: Callable[..., Any] | None = None


@dataclass(frozen=True)
class ManyCell:
    """A column listing the names of a many-to-many relation (``relation__field``), read
    for a batch of rows at a time; ``text`` gets the row's names in the database's order."""

    lookup: str
    text: Callable[[list[Any]], Any]


def _values_csv_lines(table: tables.Table):
    """The CSV of a table with ``export_cells``: its rows read as plain values in batches
    (``values_list``, in the table's order), each batch sent as one piece."""
    columns = [
        column for column in table.columns.iterall() if not column.column.exclude_from_export
    ]
    cells = [table.export_cells[column.name] for column in columns]
    fields = (field for cell in cells if isinstance(cell, Cell) for field in cell.fields)
    lookups = list(dict.fromkeys(fields))
    readers = [_reader(cell, lookups) for cell in cells]
    queryset = table.data.data.prefetch_related(None)
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([force_str(c.header, strings_only=True) for c in columns])
    rows = queryset.values_list("pk", *lookups).iterator(chunk_size=EXPORT_BATCH)
    for batch in _batches(rows):
        many = {
            cell.lookup: _names(queryset.model, cell.lookup, [row[0] for row in batch])
            for cell in cells
            if isinstance(cell, ManyCell)
        }
        yield "".join(
            writer.writerow([_exported(read(row, many)) for read in readers]) for row in batch
        )


def _reader(cell: Cell | ManyCell, lookups: list[str]) -> Callable[[tuple, dict], Any]:
    """A function of a ``values_list`` row (the pk, then ``lookups``) and the batch's
    many-to-many names that gives the cell's value."""
    if isinstance(cell, ManyCell):
        return lambda row, many: cell.text(many[cell.lookup].get(row[0], []))
    get = itemgetter(*(lookups.index(field) + 1 for field in cell.fields))
    if cell.text is None:
        return lambda row, many: get(row)
    if len(cell.fields) == 1:
        return lambda row, many: cell.text(get(row))
    return lambda row, many: cell.text(*get(row))


def _names(model, lookup: str, pks: list) -> dict[Any, list]:
    found: dict[Any, list] = {}
    related = model.objects.filter(pk__in=pks, **{f"{lookup}__isnull": False}).order_by()
    for pk, name in related.values_list("pk", lookup):
        found.setdefault(pk, []).append(name)
    return found


def _exported(value: Any) -> Any:
    """A cell as ``as_values`` gives it: nothing for an empty text, a formula-like text made
    safe (``csv_value``; only texts can be, and checked only when they start like one)."""
    if value.__class__ is not str:
        return value
    if not value:
        return None
    return csv_value(value) if value.startswith(FORMULA_START) else value


def iso_date(value: date | None) -> str | None:
    """A date as django-tables2's ``DateColumn`` exports it."""
    return value.isoformat() if value is not None else None
