"""What a plan says beyond its actions and measures (kept out of ``plans/models.py`` to keep
it short; Django files them under this app all the same): the funding lines of its actions
and the results of the year before it."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Sum

from plans.limits import FIRST_YEAR, LAST_YEAR, NOTE, text_validators


def year_label(year: int | None) -> str:
    """2019 → "2019/20"; "" for no year."""
    return f"{year}/{(year + 1) % 100:02d}" if year else ""


class FundingLine(models.Model):
    """Money behind an action, as the plan's costs or funding column gives it: a source
    ("PCC grant"), an amount in pounds and a financial year where the plan says them, and the
    words as written ("PCC grant £118,369", "CHS directorate £1,000")."""

    action = models.ForeignKey(
        "priorities.Action", on_delete=models.CASCADE, related_name="funding_lines"
    )
    order = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=200, help_text='Who pays, e.g. "PCC grant".')
    amount = models.DecimalField(
        "amount (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="In pounds; empty where the plan gives no figure (e.g. officer time).",
    )
    financial_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text="First year of the financial year: 2019 for 2019/20.",
    )
    as_written = models.CharField(
        max_length=300, blank=True, help_text='As the plan writes it: "CHS directorate £1,000".'
    )

    class Meta:
        ordering = ["action", "order", "pk"]

    def __str__(self) -> str:
        return self.as_written or f"{self.source} {self.amount_display}".strip()

    def get_additional_data(self) -> dict:
        return {"partnership": self.action.priority.plan.partnership_id}

    @property
    def amount_display(self) -> str:
        return pounds(self.amount)

    @property
    def year_display(self) -> str:
        return year_label(self.financial_year)


def pounds(amount: Decimal | None) -> str:
    """£118,369 (pence only where there are some: £1,000.50); "" for no amount."""
    if amount is None:
        return ""
    return f"£{amount:,.2f}" if amount % 1 else f"£{amount:,.0f}"


def funding_summary(plan) -> dict:
    """The plan's funding by source, and by source and year: {"sources": [{"source",
    "total", "lines", "unstated"}], "by_year": [{"source", "year", "total"}], "total"}.
    Sources are grouped as written, without case; lines without an amount are counted,
    not added."""
    lines = FundingLine.objects.filter(action__priority__plan=plan)
    by_source: dict[str, dict] = {}
    rows = lines.values("source", "financial_year").annotate(
        total=Sum("amount"), lines=Count("pk"), stated=Count("amount")
    )
    by_year: dict[tuple[str, int | None], dict] = {}
    for row in rows.order_by("source", "financial_year"):
        key = " ".join(row["source"].split()).casefold()
        source = by_source.setdefault(
            key, {"source": row["source"], "total": None, "lines": 0, "unstated": 0}
        )
        source["lines"] += row["lines"]
        source["unstated"] += row["lines"] - row["stated"]
        if row["total"] is not None:
            source["total"] = (source["total"] or 0) + row["total"]
            year = by_year.setdefault(
                (key, row["financial_year"]),
                {"source": source["source"], "year": year_label(row["financial_year"]),
                 "total": 0},
            )  # fmt: skip
            year["total"] += row["total"]
    sources = sorted(by_source.values(), key=lambda s: (-(s["total"] or 0), s["source"]))
    stated = [s["total"] for s in sources if s["total"] is not None]
    total = sum(stated) if stated else None
    for row in [*sources, *by_year.values()]:
        row["total_display"] = pounds(row["total"])
    return {
        "sources": sources,
        "by_year": list(by_year.values()),
        "total": total,
        "total_display": pounds(total),
    }


def funding_json(plan) -> dict:
    """``funding_summary`` as JSON (amounts as numbers), for the report pack's snapshot."""
    summary = funding_summary(plan)

    def number(amount: Decimal | None) -> int | float | None:
        return None if amount is None else int(amount) if amount % 1 == 0 else float(amount)

    return {
        "sources": [
            {"source": s["source"], "lines": s["lines"], "unstated": s["unstated"],
             "total": number(s["total"])}
            for s in summary["sources"]
        ],
        "by_year": [
            {"source": y["source"], "year": y["year"], "total": number(y["total"])}
            for y in summary["by_year"]
        ],
        "total": number(summary["total"]),
    }  # fmt: skip


class PreviousResult(models.Model):
    """One result of the year before the plan, against its target, as the plan reviews it
    (the 2013 Cabinet report's review of 2012–13, Swale's key activities of 2018/19): the
    baseline behind the new targets."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="previous_results"
    )
    order = models.PositiveSmallIntegerField(default=1)
    ref = models.CharField(max_length=20, blank=True, help_text="As the plan numbers it.")
    title = models.TextField(
        validators=text_validators(NOTE), help_text="What was done or measured, as written."
    )
    target = models.TextField(blank=True, validators=text_validators(NOTE))
    outturn = models.TextField(
        blank=True, validators=text_validators(NOTE), help_text="What was achieved, as written."
    )
    period = models.CharField(max_length=100, blank=True, help_text='As written: "2012/13".')
    comment = models.TextField(blank=True, validators=text_validators(NOTE))

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.ref} {self.title[:80]}".strip()

    def get_additional_data(self) -> dict:
        return {"partnership": self.plan.partnership_id}
