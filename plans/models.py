"""Partnerships, the agencies that sit on them, their plans and the plans' risk registers."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from plans.refs import NaturallyOrdered


class Partnership(models.Model):
    """A Community Safety Partnership (Crime and Disorder Act 1998, s.6), e.g. Medway CSP."""

    name = models.CharField(max_length=200, unique=True)
    area = models.CharField(max_length=200, help_text="The district or unitary area it serves.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:partnership_detail", args=[self.pk])


class AgencyQuerySet(models.QuerySet["Agency"]):
    def with_counts(self) -> AgencyQuerySet:
        from indicators.models import Indicator
        from priorities.models import Action

        return self.annotate(
            action_count=_count(Action.objects.led_by(OuterRef("pk"))),
            indicator_count=_count(Indicator.objects.filter(agency=OuterRef("pk"))),
        )


class AgencyManager(models.Manager.from_queryset(AgencyQuerySet)):
    def get_by_natural_key(self, name: str) -> Agency:
        return self.get(name=name)


class Agency(models.Model):
    """A body that leads or supports work: a responsible authority (police, council, fire,
    probation, health), another partner organisation, or a partnership group such as the
    VAWC Group. One row per real body, shared by every plan that names it."""

    class Kind(models.TextChoices):
        RESPONSIBLE_AUTHORITY = "responsible_authority", "Responsible authority"
        PARTNER_ORGANISATION = "partner_organisation", "Partner organisation"
        PARTNERSHIP_GROUP = "partnership_group", "Partnership group"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True, help_text="e.g. KFRS or KSS CRC")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.PARTNER_ORGANISATION)

    objects = AgencyManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["short_name"],
                condition=~models.Q(short_name=""),
                name="agency_short_name_unique_when_set",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:agency_detail", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    @property
    def label(self) -> str:
        """How the plans usually write it: the short name where there is one."""
        return self.short_name or self.name


class PlanQuerySet(models.QuerySet["Plan"]):
    def with_counts(self) -> PlanQuerySet:
        """Annotate priorities, actions and indicators counts with one subquery each, so a
        list of plans costs one query however many rows the plans hold."""
        from indicators.models import Indicator
        from priorities.models import Action, Priority

        return self.annotate(
            priority_count=_count(Priority.objects.filter(plan=OuterRef("pk"))),
            action_count=_count(Action.objects.filter(priority__plan=OuterRef("pk"))),
            indicator_count=_count(Indicator.objects.filter(plan=OuterRef("pk"))),
        )


def _count(queryset: models.QuerySet) -> Subquery:
    counted = queryset.order_by().values(one=Value(1)).annotate(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


class Plan(models.Model):
    """A published plan of a partnership: a community safety plan, an annual action plan
    or a refresh. Its period runs over UK financial years (1 April to 31 March)."""

    class Kind(models.TextChoices):
        COMMUNITY_SAFETY_PLAN = "community_safety_plan", "Community safety plan"
        ACTION_PLAN = "action_plan", "Action plan"
        REFRESH = "refresh", "Refresh"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1998), MaxValueValidator(2100)],
        help_text="First financial year, by its starting calendar year: 2013 for 2013/14.",
    )
    end_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1998), MaxValueValidator(2100)],
        help_text="Last financial year, by its starting calendar year: 2015 for 2015/16.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The plan this one is read with, e.g. the community safety plan it delivers.",
    )
    summary = models.TextField(blank=True, help_text="Vision or summary, as written.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(
        max_length=300, blank=True, help_text="The document this plan was taken from."
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "start_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="plan_title_unique"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="plan_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def period(self) -> str:
        """The period as UK financial years: "2013/14–2015/16", or "2019/20" for one year."""
        first = financial_year_label(self.start_year)
        if self.end_year == self.start_year:
            return first
        return f"{first}–{financial_year_label(self.end_year)}"

    @property
    def starts_on(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.end_year + 1, 3, 31)


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(NaturallyOrdered, models.Model):
    """A row of a plan's risk register: likelihood × impact before and after controls."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
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
