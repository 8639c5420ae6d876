"""Crime counts of a partnership's area by financial-year quarter (April to June is Q1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Sum

from indicators.crimedata.models import CrimeCount, PartnershipDistrict
from indicators.models import Population
from plans.models import quarter_label

ALL_CRIME = "All crime"
THOUSANDTH = Decimal("0.001")
CAVEATS = [
    "Locations are approximate: police.uk moves each crime to the nearest of a set of points "
    "(a street, a park) so that no victim can be found from it.",
    "Months arrive weeks late: forces publish each month’s crimes about two months after it "
    "ends, and a quarter is complete only when all three months are loaded.",
    "The counts are what forces recorded as crimes, not calls or incidents; a crime may later "
    "be reclassified.",
]


def quarter_of(month: date) -> tuple[int, int]:
    """(financial year by its starting year, quarter 1-4)."""
    year = month.year if month.month >= 4 else month.year - 1
    return year, (month.month - 4) % 12 // 3 + 1


def months_of(year: int, quarter: int) -> list[date]:
    first = 4 + (quarter - 1) * 3
    return [date(year + (m > 12), (m - 1) % 12 + 1, 1) for m in range(first, first + 3)]


@dataclass
class Quarter:
    year: int
    quarter: int
    counts: dict[str, int] = field(default_factory=dict)  # crime type → count
    months: set[date] = field(default_factory=set)
    residents: int | None = None
    loaded_at: object = None  # when its latest month was loaded

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def complete(self) -> bool:
        return len(self.months) == 3

    def count(self, crime_types=()) -> int:
        if not crime_types:
            return sum(self.counts.values())
        return sum(self.counts.get(t, 0) for t in crime_types)

    def rate(self, crime_types=()) -> Decimal | None:
        if not self.residents:
            return None
        rate = Decimal(self.count(crime_types)) * 1000 / self.residents
        return rate.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def area_quarters(partnership_id: int) -> list[Quarter]:
    """Every quarter with a count in the partnership's area, oldest first (two queries)."""
    districts = PartnershipDistrict.objects.filter(partnership=partnership_id).values("district")
    rows = (
        CrimeCount.objects.filter(district__in=districts)
        .values_list("month", "crime_type")
        .annotate(total=Sum("count"), loaded=Max("loaded_at"))
        .order_by()
    )
    quarters: dict[tuple[int, int], Quarter] = {}
    for month, crime_type, total, loaded in rows:
        key = quarter_of(month)
        quarter = quarters.setdefault(key, Quarter(*key))
        quarter.counts[crime_type] = quarter.counts.get(crime_type, 0) + total
        quarter.months.add(month)
        quarter.loaded_at = max(filter(None, [quarter.loaded_at, loaded]))
    residents = dict(
        Population.objects.filter(partnership=partnership_id).values_list("year", "residents")
    )
    for quarter in quarters.values():
        quarter.residents = residents.get(quarter.year)
    return [quarters[key] for key in sorted(quarters)]


def crime_types(quarters: list[Quarter]) -> list[str]:
    return sorted({t for q in quarters for t in q.counts})


def counts_by_district(months: list[date], crime_type: str = "") -> dict[int, int]:
    """district id → count over the months (one query), for benchmarks."""
    rows = CrimeCount.objects.filter(month__in=months, district__isnull=False)
    if crime_type:
        rows = rows.filter(crime_type=crime_type)
    totals = defaultdict(int)
    for district, total in rows.values_list("district").annotate(total=Sum("count")).order_by():
        totals[district] += total
    return totals


def area_sources(partnership_id: int) -> list[str]:
    """The files the area's counts were loaded from (the first few), said on the page."""
    districts = PartnershipDistrict.objects.filter(partnership=partnership_id).values("district")
    files = CrimeCount.objects.filter(district__in=districts).values_list("source_file", flat=True)
    return list(files.order_by("source_file").distinct()[:6])
