"""``RagChart``: where to draw a count of actions or indicators by RAG as a horizontal bar
chart, in the server-side SVG of ``templates/includes/_rag_chart.html``.

Each bar is named and counted in words beside it, and the "nothing to show" bars are hatched
rather than coloured, so the chart never relies on colour alone; the same counts are in the
table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from plans.reporting.summary import SummaryLine

# GOV.UK colours; a dark outline keeps the pale bars visible against the page.
FILLS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "no_rag": "#b1b4b6"}
HATCHED = {"no_update", "no_value"}


@dataclass(frozen=True)
class Bar:
    line: SummaryLine
    y: float
    width: float
    fill: str  # a colour, or "" for the hatch pattern

    @property
    def middle(self) -> float:
        return self.y + RagChart.bar_height / 2

    @property
    def label(self) -> str:
        """The label without its gloss ("Red", not "Red (off track)"): the table has both."""
        return self.line.label.split(" (")[0]


@dataclass
class RagChart:
    """A bar per count (``SummaryLine``), longest bar = biggest count."""

    chart_id: str  # unique on the page: the SVG's title, description and pattern ids
    title: str
    lines: list[SummaryLine]
    width: int = 400
    label_width: int = 110
    count_width: int = 48
    row_height: int = 40
    top: int = 8

    bar_height = 26

    @property
    def height(self) -> int:
        return self.top * 2 + self.row_height * len(self.lines)

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - self.count_width

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def bars(self) -> list[Bar]:
        biggest = max([line.count for line in self.lines] + [1])
        return [
            Bar(
                line=line,
                y=self.top + n * self.row_height + (self.row_height - self.bar_height) / 2,
                # A count of nought still shows as a hairline, so every row has its bar.
                width=max(round(self.plot_width * line.count / biggest, 1), 2),
                fill="" if line.key in HATCHED else FILLS.get(line.key, FILLS["no_rag"]),
            )
            for n, line in enumerate(self.lines)
        ]

    @property
    def description(self) -> str:
        counts = "; ".join(f"{line.label}: {line.count}" for line in self.lines)
        return f"Bar chart of {self.total} in all. {counts}. The same counts are in the table."
