"""The tables' free-text search, indexed on PostgreSQL.

Each word must match one of a row's columns (``icontains``, or ``iexact`` for refs and short
names), as before. On PostgreSQL the migrations ``priorities 0012`` and ``indicators 0014``
give every such column a trigram index (``pg_trgm``, on ``UPPER(column)``, the expression
Django's ``icontains`` compares), so a search of 54,000 actions reads the index instead of
every row. A condition on a joined table would defeat those indexes (PostgreSQL can combine
indexes only within one table), so a match on the lead agency is asked as "the agency is one
of these", whose short list PostgreSQL reads once. SQLite reads every row, as it always did.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet


class _EqualsAny(Func):
    """``field = ANY(ARRAY(subquery))``: an index condition inside an OR, where ``IN
    (subquery)`` is a filter PostgreSQL checks row by row."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        field, array = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        array_sql, array_params = compiler.compile(array)
        return f"{field_sql} = ANY({array_sql})", (*field_params, *array_params)


def one_of(field: str, rows: QuerySet) -> Q:
    """Rows whose ``field`` (a foreign key) is the pk of one of ``rows``."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": rows.values("pk")})
    from django.contrib.postgres.expressions import ArraySubquery

    return Q(_EqualsAny(F(field), ArraySubquery(rows.order_by().values("pk"))))


def matching_words(
    queryset: QuerySet,
    text: str,
    *,
    exact: tuple[str, ...],
    contains: tuple[str, ...],
    agency: str | None = None,
) -> QuerySet:
    """``queryset`` narrowed to rows where every word of ``text`` equals one of ``exact``,
    is found in one of ``contains`` (both ignoring case), or names the agency in the foreign
    key ``agency`` (found in its name, or equal to its short name)."""
    from plans.models import Agency

    for word in text.split():
        match = Q()
        for field in exact:
            match |= Q(**{f"{field}__iexact": word})
        for field in contains:
            match |= Q(**{f"{field}__icontains": word})
        if agency:
            named = Agency.objects.filter(Q(name__icontains=word) | Q(short_name__iexact=word))
            match |= one_of(agency, named)
        queryset = queryset.filter(match)
    return queryset
