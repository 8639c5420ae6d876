"""``TrendChart``: where to draw an indicator's trend (``trends.TrendPoint``s) in the
server-side SVG line chart of ``templates/includes/_trend_chart.html``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from plans.models import quarter_label
from plans.reporting.trends import TrendPoint


@dataclass
class TrendChart:
    """Where to draw an indicator's trend in a server-side SVG line chart: the points
    (broken where a quarter has no figure), the axes' ticks and the target line."""

    points: list[TrendPoint]
    target: Decimal | None = None
    width: int = 640
    height: int = 320
    left: int = 64
    right: int = 32
    top: int = 16
    bottom: int = 48

    def __post_init__(self) -> None:
        figures = [p.figure for p in self.points if p.figure is not None]
        if self.target is not None:
            figures.append(self.target)
        low = min([Decimal(0), *figures])
        high = max([Decimal(1), *figures])
        step = _nice_step((high - low) / 4)
        self.low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
        self.high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
        self.step = step

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def right_x(self) -> int:
        return self.width - self.right

    @property
    def first_label(self) -> str:
        return self.points[0].label if self.points else ""

    @property
    def last_label(self) -> str:
        return self.points[-1].label if self.points else ""

    @property
    def baseline_y(self) -> float:
        return self.height - self.bottom

    def x(self, index: int) -> float:
        slots = max(len(self.points) - 1, 1)
        return round(self.left + self.plot_width * index / slots, 1)

    def y(self, figure: Decimal) -> float:
        span = (self.high - self.low) or 1
        share = float((figure - self.low) / span)
        return round(self.top + (self.height - self.top - self.bottom) * (1 - share), 1)

    @property
    def dots(self) -> list[tuple[float, float, TrendPoint]]:
        return [
            (self.x(n), self.y(p.figure), p)
            for n, p in enumerate(self.points)
            if p.figure is not None
        ]

    @property
    def lines(self) -> list[str]:
        """SVG polyline ``points`` attributes, one per unbroken run of quarters."""
        runs: list[list[str]] = [[]]
        for n, point in enumerate(self.points):
            if point.figure is None:
                runs.append([])
            else:
                runs[-1].append(f"{self.x(n)},{self.y(point.figure)}")
        return [" ".join(run) for run in runs if len(run) > 1]

    @property
    def x_labels(self) -> list[tuple[float, str, str]]:
        """(x, financial year, quarter) under each quarter."""
        return [
            (self.x(n), quarter_label(p.year, p.quarter)[:7], f"Q{p.quarter}")
            for n, p in enumerate(self.points)
        ]

    @property
    def y_ticks(self) -> list[tuple[float, str]]:
        ticks, tick = [], self.low
        while tick <= self.high:
            ticks.append((self.y(tick), f"{tick.normalize():f}"))
            tick += self.step
        return ticks

    @property
    def target_y(self) -> float | None:
        return None if self.target is None else self.y(self.target)


def _nice_step(rough: Decimal) -> Decimal:
    """1, 2 or 5 times a power of ten, at least ``rough``."""
    if rough <= 0:
        return Decimal(1)
    power = Decimal(10) ** (rough.adjusted())
    for factor in (1, 2, 5, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10
