"""Server-side SVG charts of crime data: the quarters' trend drawn by the indicators' own
``TrendChart``, and a bar per partnership for benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from plans.models import quarter_label
from plans.reporting.trend_chart import TrendChart


@dataclass
class Point:
    """A quarter's count, shaped as ``TrendChart`` reads a trend point."""

    year: int
    quarter: int
    figure: Decimal | None

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def display(self) -> str:
        return "no figure" if self.figure is None else f"{self.figure:,}"


def quarter_chart(quarters, crime_types: list[str]) -> TrendChart | None:
    """Complete quarters only: a quarter with a month missing would look like a fall."""
    points = [Point(q.year, q.quarter, Decimal(q.count(crime_types)) if q.complete else None)
              for q in quarters]  # fmt: skip
    if sum(p.figure is not None for p in points) < 1:
        return None
    return TrendChart(points=points)


@dataclass
class Bar:
    name: str
    own: bool
    figure: Decimal
    y: int
    width: float
    label_x: float = 0


def bar_chart(rows, *, width: int = 480, left: int = 196, bar: int = 28) -> dict | None:
    """Horizontal bars of the rate per 1,000 where every partnership has a population
    recorded, else of the number of crimes (so that every partnership has a bar)."""
    if not rows:
        return None
    by_rate = all(r.rate is not None for r in rows)
    values = [(r.rate if by_rate else Decimal(r.count)) for r in rows]
    high = max(values) or Decimal(1)
    span = width - left - 72
    bars = [
        Bar(r.name, r.own, v, 8 + n * (bar + 8), w, left + w + 6)
        for n, (r, v) in enumerate(zip(rows, values, strict=True))
        for w in [round(float(v / high) * span, 1)]
    ]
    height = 16 + len(bars) * (bar + 8)
    return {"bars": bars, "width": width, "height": height, "left": left, "bar": bar,
            "by_rate": by_rate}  # fmt: skip
