"""Crime-data benchmarks: each partnership's count and rate per 1,000 residents for one crime
type in the latest complete quarter, in a fixed number of queries whatever their number."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from indicators.crimedata.figures import THOUSANDTH, counts_by_district, months_of, quarter_of
from indicators.crimedata.models import CrimeCount, PartnershipDistrict
from indicators.models import Population
from plans.models import quarter_label


@dataclass
class Row:
    partnership_id: int
    name: str
    own: bool
    count: int
    rate: Decimal | None


def latest_complete_quarter() -> tuple[int, int] | None:
    """The latest quarter whose three months are loaded for some district (one query)."""
    months = (
        CrimeCount.objects.filter(district__isnull=False)
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-month")
        .values_list("month", flat=True)[:12]
    )
    loaded = set(months)
    for month in sorted(loaded, reverse=True):
        year, quarter = quarter_of(month)
        if all(m in loaded for m in months_of(year, quarter)):
            return year, quarter
    return None


def benchmark_rows(crime_type: str, viewer_ids: set[int]) -> tuple[str, list[Row]]:
    found = latest_complete_quarter()
    if found is None:
        return "", []
    year, quarter = found
    by_district = counts_by_district(months_of(year, quarter), crime_type)
    areas: dict[int, list] = {}
    for link in PartnershipDistrict.objects.select_related("partnership"):
        areas.setdefault(link.partnership_id, [link.partnership, []])[1].append(link.district_id)
    residents = dict(
        Population.objects.filter(year=year, partnership__in=list(areas)).values_list(
            "partnership", "residents"
        )
    )
    rows = []
    for pk, (partnership, districts) in areas.items():
        count = sum(by_district.get(d, 0) for d in districts)
        people = residents.get(pk)
        rate = None
        if people:
            rate = (Decimal(count) * 1000 / people).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
        rows.append(Row(pk, partnership.benchmark_name(viewer_ids), pk in viewer_ids, count, rate))
    rows.sort(key=lambda r: (-(r.rate if r.rate is not None else -1), -r.count, r.name))
    return quarter_label(year, quarter), rows
