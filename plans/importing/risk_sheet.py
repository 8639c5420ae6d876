"""The Risks sheet: the plan's risk register, each risk scored before and after controls."""

from __future__ import annotations

from plans.importing.checks import Checker, Parsed, texts
from plans.models import Risk

SCORES = ("likelihood_before", "impact_before", "likelihood_after", "impact_after")


def validate_risks(check: Checker, parsed: Parsed, rows: list[dict]) -> None:
    """The risks, in the order of the sheet (refs unique in the plan)."""
    for row in check.unique(rows, "Risks", in_priority=False):
        risk = Risk(
            plan=parsed.plan,
            ref=row["ref"],
            risk=row["risk"],
            **texts(row, "implications", "controls", "status"),
            **{name: row[name] for name in SCORES},
        )
        check.check_fields(risk, "Risks", row)
        parsed.risks.append(risk)
