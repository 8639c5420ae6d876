"""The tables' free-text search, indexed on PostgreSQL.

Each word must match one of a row's columns (``icontains``, or ``iexact`` for refs and short
names), as before. On PostgreSQL the migrations ``priorities 0012`` and ``indicators 0014``
give every such column a trigram index (``pg_trgm``, on ``UPPER(column)``, the expression
Django's ``icontains`` compares), so a search of 54,000 actions reads the indexes instead of
every row. A condition on a joined table would defeat them (PostgreSQL combines indexes only
within one table), so a match on the lead agency is asked as "the agency is one of these
ids", read first from the short agencies table: one small query per word, and literal ids
that the planner can count (an ``ARRAY(subquery)`` it guessed at 10,000 rows, and then read
the first page by walking the sort order through every action). SQLite reads every row, as
it always did.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet


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
            match |= Q(**{f"{agency}__in": list(named.order_by().values_list("pk", flat=True))})
        queryset = queryset.filter(match)
    return queryset
