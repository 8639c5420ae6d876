"""What an officer sees beside an indicator's value box: the target, last quarter's figure,
the same quarter last year and the RAG a figure would get, for one indicator or a whole bulk
page in one query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from indicators import rag
from indicators.models import Indicator, IndicatorValue
from indicators.targets import target_summary
from plans.models import ReportingPeriod, quarter_label


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


@dataclass
class Comparison:
    """An indicator's earlier figures for a quarter (its predecessor's where its own plan
    has none) and the RAG a figure gets against its target."""

    indicator: Indicator
    period: ReportingPeriod
    last_quarter: IndicatorValue | None = None
    last_year: IndicatorValue | None = None

    @property
    def last_quarter_label(self) -> str:
        return quarter_label(*previous_quarter(self.period.year, self.period.quarter))

    @property
    def last_year_label(self) -> str:
        return quarter_label(self.period.year - 1, self.period.quarter)

    @property
    def target(self) -> str:
        return target_summary(self.indicator)

    @property
    def is_due(self) -> bool:
        return self.indicator.is_due_in(self.period.quarter)

    def rag_for(self, value: Decimal | None, override: str = "") -> str | None:
        """The RAG of ``value`` this quarter: the lead's override if given, else worked out
        from the target (a "reduce by" target without baseline against last year)."""
        if override:
            return override
        reference = self.last_year.value if self.last_year else None
        return rag.derive_rag(self.indicator, value, reference=reference)


def comparisons(indicators: list[Indicator], period: ReportingPeriod) -> dict[int, Comparison]:
    """{indicator id: Comparison} for the quarter: one query however many indicators."""
    wanted = {
        previous_quarter(period.year, period.quarter): "last_quarter",
        (period.year - 1, period.quarter): "last_year",
    }
    owners = {i.pk: i.pk for i in indicators}
    for indicator in indicators:
        if indicator.predecessor_id:
            owners.setdefault(indicator.predecessor_id, indicator.pk)
    rule = Q()
    for year, quarter in wanted:
        rule |= Q(period__year=year, period__quarter=quarter)
    found = {i.pk: Comparison(i, period) for i in indicators}
    rows = (
        IndicatorValue.objects.counted()
        .filter(rule, indicator_id__in=list(owners))
        .select_related("period", "indicator")
    )
    # Own figures before the predecessor's, so an indicator's own value wins.
    for row in sorted(rows, key=lambda r: r.indicator_id != owners[r.indicator_id]):
        comparison = found[owners[row.indicator_id]]
        slot = wanted[(row.period.year, row.period.quarter)]
        if getattr(comparison, slot) is None:
            setattr(comparison, slot, row)
    return found
