"""Benchmarks across partnerships: for one shared measure code ("NI 111"), each partnership's
latest figure that counts and its rate per 1,000 residents, and who may see them.

Other partnerships are named only where they share (``Partnership.benchmark_name``). The page
is read by members of partnerships that have an indicator with the code: a partnership that
does not measure it has nothing to compare, and others' figures are not an open list.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.http import Http404

from indicators.models import Indicator, IndicatorValue, Population
from plans import access
from plans.models import Partnership

PER = 1000
# The chart: a bar per partnership, longest = biggest; the viewer's own bar stands out by
# colour *and* by its label ("Yours"), never by colour alone.
OWN_FILL, OTHER_FILL = "#1d70b8", "#b1b4b6"


@dataclass
class BenchmarkRow:
    partnership_id: int
    name: str
    own: bool
    value: Decimal | None
    quarter: str
    unit: str
    rate: Decimal | None  # per 1,000 residents, for counts with a population that year
    indicator: Indicator | None  # linked for the viewer's own only

    @property
    def figure(self) -> str:
        if self.value is None:
            return "No figure yet"
        number = f"{self.value.normalize():f}"
        return f"{number}%" if self.unit == Indicator.Unit.PERCENTAGE else number


def benchmark_viewer(user, code: str) -> tuple[set[int], set[int]]:
    """(the viewer's own partnerships, those they may see named) for ``code``; 404 unless one
    of their partnerships measures it. A superuser sees every partnership, and so every
    benchmark with every name, with no "own" partnership to highlight."""
    measured = set(
        Indicator.objects.filter(measure_code=code)
        .order_by()
        .values_list("plan__partnership_id", flat=True)
        .distinct()
    )
    viewer = access.access_for(user)
    if viewer.superuser and measured:
        return set(), measured
    own = set(viewer.roles)
    if not own & measured:
        raise Http404("No partnership of yours has an indicator with this measure code.")
    return own, own


def benchmark_rows(code: str, own_ids: set[int], named_ids: set[int]) -> list[BenchmarkRow]:
    """One row per partnership with an indicator of ``code``: four queries however many."""
    latest = (
        IndicatorValue.objects.counted()
        .filter(
            indicator__measure_code=code,
            indicator__plan__partnership_id=OuterRef("pk"),
            not_available=False,
        )
        .order_by("-period__year", "-period__quarter", "-pk")
        .values("pk")[:1]
    )
    partnerships = list(
        Partnership.objects.filter(plans__indicators__measure_code=code)
        .distinct()
        .annotate(latest_value=Subquery(latest))
        .order_by("pk")
    )
    values = IndicatorValue.objects.filter(
        pk__in=[p.latest_value for p in partnerships if p.latest_value]
    ).select_related("period", "indicator")
    by_partnership = {v.pk: v for v in values}
    years = {
        (p.pk, v.period.year) for p in partnerships if (v := by_partnership.get(p.latest_value))
    }
    populations = {
        (row.partnership_id, row.year): row.residents
        for row in Population.objects.filter(
            partnership_id__in=[p for p, _ in years], year__in=[y for _, y in years]
        )
    }
    own_indicators = {
        i.plan.partnership_id: i
        for i in Indicator.objects.filter(measure_code=code, plan__partnership_id__in=own_ids)
        .select_related("plan")
        .order_by("plan__start_year", "pk")
    }  # the newest plan's indicator wins
    rows = [
        _row(p, by_partnership.get(p.latest_value), populations, own_ids, named_ids,
             own_indicators)
        for p in partnerships
    ]  # fmt: skip
    return sorted(rows, key=_order)


def _row(partnership, value, populations, own_ids, named_ids, own_indicators) -> BenchmarkRow:
    own = partnership.pk in own_ids
    rate = None
    if value is not None and value.indicator.unit == Indicator.Unit.COUNT:
        residents = populations.get((partnership.pk, value.period.year))
        if residents:
            rate = (value.value * PER / residents).quantize(Decimal("0.01"))
    return BenchmarkRow(
        partnership_id=partnership.pk,
        name=partnership.benchmark_name(named_ids),
        own=own,
        value=value.value if value else None,
        quarter=value.period.label if value else "",
        unit=value.indicator.unit if value else "",
        rate=rate,
        indicator=(value.indicator if value and own else own_indicators.get(partnership.pk)),
    )


def _order(row: BenchmarkRow):
    """Highest rate (or figure) first; those without a figure last."""
    measure = row.rate if row.rate is not None else row.value
    return (measure is None, -(measure or 0), row.partnership_id)


@dataclass
class BenchmarkChart:
    """Where to draw each row's bar (``templates/indicators/_benchmark_chart.html``): rates per
    1,000 when every row with a figure has one, else the figures themselves."""

    chart_id: str
    title: str
    rows: list[BenchmarkRow]
    # Each row: the partnership's name on a line of its own (never cut short), its bar below.
    width: int = 480
    count_width: int = 70
    row_height: int = 56
    top: int = 4
    bar_height = 24
    label_height = 22

    @property
    def use_rates(self) -> bool:
        shown = [row for row in self.rows if row.value is not None]
        return bool(shown) and all(row.rate is not None for row in shown)

    @property
    def measure(self) -> str:
        return "rate per 1,000 residents" if self.use_rates else "latest figure"

    @property
    def height(self) -> int:
        return self.top * 2 + self.row_height * max(len(self.rows), 1)

    def amount(self, row: BenchmarkRow) -> Decimal | None:
        return row.rate if self.use_rates else row.value

    @property
    def bars(self) -> list[dict]:
        amounts = [self.amount(row) or 0 for row in self.rows]
        biggest = max([*amounts, Decimal(1)])
        plot = self.width - self.count_width
        bars = []
        for n, (row, amount) in enumerate(zip(self.rows, amounts, strict=True)):
            label_y = self.top + n * self.row_height
            y = label_y + self.label_height
            bars.append({
                "row": row,
                "label_y": label_y + self.label_height - 6,
                "y": y,
                "middle": y + self.bar_height / 2,
                "width": max(round(float(plot * amount / biggest), 1), 2),
                "fill": OWN_FILL if row.own else OTHER_FILL,
                "label": ("Yours: " if row.own else "") + row.name,
                "shown": "—" if self.amount(row) is None else f"{self.amount(row).normalize():f}",
            })  # fmt: skip
        return bars

    @property
    def description(self) -> str:
        parts = [f"{bar['label']}: {bar['shown']}" for bar in self.bars]
        return (
            f"Bar chart of each partnership's {self.measure}. "
            + "; ".join(parts)
            + (". The same figures are in the table.")
        )
