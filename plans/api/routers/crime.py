"""Open crime data (police.uk counts, ``indicators.crimedata``): a partnership's counts by
financial-year quarter and crime type, as its Crime data page and CSV show them."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from indicators.crimedata import figures
from plans import access
from plans.api.pagination import Pages

crime = Router(tags=["Crime data"])


class CrimeCountOut(Schema):
    partnership_id: int
    partnership: str
    quarter: str  # "2019/20 Q1", as the CSV export writes it
    year: int
    quarter_number: int
    crime_type: str
    count: int
    complete: bool  # all three months of the quarter are loaded
    rate_per_1000: Decimal | None  # with the area's recorded population, whole quarters only


class _Rows(list):
    """A list the paginator can count (it asks querysets for ``count()``)."""

    def count(self, *args) -> int:
        return len(self)


@crime.get(
    "/{int:partnership_id}", response=list[CrimeCountOut], summary="A partnership's crime counts"
)
@paginate(Pages)
def crime_counts(request: HttpRequest, partnership_id: int):
    """Counts in the partnership's area by quarter (oldest first) and crime type, from the
    police.uk files an operator loaded. Locations are approximate and months arrive weeks
    late: see the Crime data page's caveats."""
    partnership = access.get_partnership_for_user(request.user, partnership_id)
    return _Rows(
        {
            "partnership_id": partnership.pk,
            "partnership": partnership.name,
            "quarter": quarter.label,
            "year": quarter.year,
            "quarter_number": quarter.quarter,
            "crime_type": crime_type,
            "count": quarter.counts[crime_type],
            "complete": quarter.complete,
            "rate_per_1000": quarter.rate([crime_type]) if quarter.complete else None,
        }
        for quarter in figures.area_quarters(partnership.pk)
        for crime_type in sorted(quarter.counts)
    )
