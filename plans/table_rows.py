"""A table page's body rows written straight from its records, with the bytes that
``includes/_table.html``'s loop over django-tables2's cells gives: each cell went through
accessors, ``call_with_appropriate``, a ``reverse`` per link and a template per date (most of
a table page's Python time). The column settings that decide a cell (empty values, default,
link attributes, header) are still read from the table, so only the per-cell work goes.

A table opts in with ``shown_cells`` (column name: ``Shown``) and the ``WrittenRows`` mixin;
tests/plans/test_table_rows.py compares both ways' pages byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.template import Context
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django_tables2.utils import AttributeDict

from plans.widgets import escape_text

# A pk no record has: its place in a reversed URL is where each row's pk goes.
_PK = 918273645
# What the template writes around each row and cell (its indentation included).
_ROW_START = '\n    <tr class="govuk-table__row">\n      '
_ROW_END = "\n    </tr>\n    "
_CELL = '\n      <td class="govuk-table__cell" data-label="{}">{}</td>\n      '


@dataclass(frozen=True)
class Shown:
    """How one column's cell is read from a record: ``read`` gives the value its accessor
    gives; ``date`` is a ``DateColumn``'s format; ``link`` the view its ``linkify`` reaches
    (the record's ``get_absolute_url``, with the record's pk as its one argument)."""

    read: Callable[[Any], Any]
    date: str | None = None
    link: str | None = None


class WrittenRows:
    """For a ``tables.Table`` with ``shown_cells``: ``body_html``, the page's rows as HTML
    (``None`` for no rows: the template's own loop then writes the empty message)."""

    shown_cells: dict[str, Shown] = {}

    @cached_property
    def body_html(self) -> SafeString | None:
        return body_html(self)


def body_html(table) -> SafeString | None:
    if getattr(table, "page", None) is None or not table.shown_cells:
        return None
    records = [row.record for row in table.paginated_rows]
    if not records:
        return None
    context = Context(autoescape=True)
    shown = table.shown_cells
    writers = [
        (conditional_escape(column.header), _writer(column, shown[column.name], context))
        for column in table.columns
    ]
    parts = []
    for record in records:
        parts.append(_ROW_START)
        parts.extend(_CELL.format(label, write(record)) for label, write in writers)
        parts.append(_ROW_END)
    return mark_safe("".join(parts))


def _writer(column, shown: Shown, context: Context) -> Callable[[Any], str]:
    """A function of a record that gives its cell's HTML, as ``BoundRow.get_cell`` and the
    template's ``{{ cell }}`` make it."""
    empty = column.column.empty_values
    default = render_value_in_context(column.default, context)
    read = shown.read
    if shown.date is not None:
        form = shown.date
        written: dict[Any, str] = {}  # rows share their due dates: each formatted once

        def dated(record) -> str:
            value = read(record)
            if value in empty:
                return default
            if value not in written:
                written[value] = conditional_escape(_date(value, form)) or default
            return written[value]

        return dated
    if shown.link is None:

        def plain(record) -> str:
            value = read(record)
            if value in empty:
                return default
            if type(value) is str:  # what render_value_in_context does to a text
                return escape_text(value)
            return render_value_in_context(value, context)

        return plain
    start, end = _link_around(column, shown.link)

    def linked(record) -> str:
        value = read(record)
        if value in empty:
            return default
        return f"{start}{record.pk}{end}{escape_text(value)}</a>"

    return linked


def _date(value, form: str) -> str:
    """The ``date`` template filter: nothing for what it cannot format."""
    try:
        return date_format(value, form)
    except AttributeError:
        return ""


def _link_around(column, viewname: str) -> tuple[str, str]:
    """The ``<a …>`` of a linkified cell, split where the record's pk goes: the column's
    static ``a`` attributes then ``href``, as ``LinkTransform`` writes them."""
    attrs = column.link.attrs or {}
    if any(callable(value) for value in attrs.values()):
        raise ValueError(f"{column.name}: link attributes that vary by row are not written here")
    url = reverse(viewname, args=[_PK])
    html = AttributeDict({**attrs, "href": url}).as_html()
    start, end = html.split(str(_PK))
    return f"<a {start}", f"{end}>"
