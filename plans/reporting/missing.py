"""Who has not reported for a quarter: the actions without a submitted update and the
indicators without a value, grouped by the agency that answers for them.

``missing_by_agency`` is the one answer to that question: ``QuarterReport.missing`` (the
dashboards and the report pack) and the quarter's own page (``QuarterProgress.missing``) both
come from it, and both pages show it through ``templates/plans/_missing_by_agency.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from plans.models import Agency


class Reportable(Protocol):
    """A row of an action or indicator in a quarter: who answers for it, and whether it has
    been reported."""

    agency: Agency | None

    @property
    def reported(self) -> bool: ...


@dataclass
class AgencyMissing:
    """What an agency has not reported for the quarter."""

    agency: Agency | None
    actions: list = field(default_factory=list)
    indicators: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.agency.label if self.agency else "No agency named"


def missing_by_agency(
    actions: Iterable[Reportable], indicators: Iterable[Reportable]
) -> list[AgencyMissing]:
    """Actions without a submitted update and indicators without a value, by the agency that
    answers for them (an action without a lead of its own falls to its theme's lead), in
    order of the agency's name; what no agency answers for comes last."""
    gaps: dict[int | None, AgencyMissing] = {}

    def gap(agency: Agency | None) -> AgencyMissing:
        return gaps.setdefault(agency.pk if agency else None, AgencyMissing(agency))

    for row in actions:
        if not row.reported:
            gap(row.agency).actions.append(row)
    for row in indicators:
        if not row.reported:
            gap(row.agency).indicators.append(row)
    return sorted(gaps.values(), key=lambda g: (g.agency is None, g.label.lower()))
