"""A plan's risk register (kept apart from plans/models.py to keep that module short)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from plans.refs import NaturallyOrdered
from plans.risks import RiskBand, risk_band, split_controls

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(NaturallyOrdered, models.Model):
    """A row of a plan's risk register: likelihood × impact before and after controls."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="risks")
    ref = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=100, editable=False, default="")
    risk = models.TextField()
    implications = models.TextField(blank=True)
    controls = models.TextField(blank=True)
    likelihood_before = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    impact_before = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    likelihood_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    impact_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    status = models.CharField(max_length=100, blank=True, help_text='e.g. "Risk managed"')

    class Meta:
        ordering = ["plan", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="risk_ref_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.risk[:60]}"

    @property
    def score_before(self) -> int | None:
        if self.likelihood_before and self.impact_before:
            return self.likelihood_before * self.impact_before
        return None

    @property
    def score_after(self) -> int | None:
        if self.likelihood_after and self.impact_after:
            return self.likelihood_after * self.impact_after
        return None

    @property
    def band_before(self) -> RiskBand | None:
        return risk_band(self.score_before)

    @property
    def band_after(self) -> RiskBand | None:
        return risk_band(self.score_after)

    @property
    def control_list(self) -> list[str]:
        return split_controls(self.controls)
