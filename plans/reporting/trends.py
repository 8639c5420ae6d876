"""An indicator's trend across plans: its last quarters, and its predecessors' before it
(the same measure in the partnership's earlier plans), each with its figure, RAG and
direction of travel. ``trend_chart.TrendChart`` draws them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators import rag as rag_rules
from indicators.models import Indicator, IndicatorValue
from plans.models import ReportingPeriod, quarter_label
from plans.reporting.loading import predecessor_chain
from plans.reporting.quarters import YearQuarter, period_key, quarter_before, quarters_ending
from plans.reporting.rows import NO_VALUE, RAG_LABELS, figure_of, value_rag


@dataclass
class TrendPoint:
    """One quarter of an indicator's trend, from the indicator itself or a predecessor."""

    year: int
    quarter: int
    value: IndicatorValue | None
    source: Indicator | None  # the indicator (perhaps a predecessor) the value belongs to
    rag: str | None = None
    direction_label: str = ""  # since the quarter before, in words and an arrow

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def figure(self) -> Decimal | None:
        return figure_of(self.value)

    @property
    def display(self) -> str:
        return self.value.display if self.value else NO_VALUE

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag or "", "No RAG")


def indicator_trend(indicator: Indicator, *, count: int = 8) -> list[TrendPoint]:
    """The last ``count`` quarters of the indicator and its predecessors, oldest first,
    ending with the latest quarter opened for its plan or with a value, whichever is later;
    each with its RAG and direction of travel. Three queries. Empty when there is neither."""
    history = _history(indicator)
    opened = [
        period_key(p)
        for p in ReportingPeriod.objects.filter(plan=indicator.plan_id).only("year", "quarter")
    ]
    ends = [*history, *opened]
    if not ends:
        return []
    points = []
    for key in quarters_ending(*max(ends), count):
        value = history.get(key)
        point = TrendPoint(*key, value, value.indicator if value else None)
        if value is not None:
            # A predecessor's figures were measured against its own, older target: no RAG.
            if value.indicator_id == indicator.pk:
                point.rag = value_rag(value, history)
            before = figure_of(history.get(quarter_before(*key)))
            point.direction_label = rag_rules.direction_label(indicator, point.figure, before)
        points.append(point)
    return points


def _history(indicator: Indicator) -> dict[YearQuarter, IndicatorValue]:
    """Every quarter's value of the indicator and its predecessors (the newer wins)."""
    partnership_id = indicator.plan.partnership_id
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(plan__partnership=partnership_id).only(
            "pk", "predecessor_id", "unit", "ref", "title", "plan_id"
        )
    }
    indicators[indicator.pk] = indicator
    chain = predecessor_chain(indicator, indicators)
    history: dict[YearQuarter, IndicatorValue] = {}
    values = IndicatorValue.objects.counted().filter(indicator__in=chain).select_related("period")
    rank = {pk: n for n, pk in enumerate(chain)}
    for value in sorted(values, key=lambda v: -rank[v.indicator_id]):
        value.indicator = indicators[value.indicator_id]
        history[period_key(value.period)] = value
    return history
