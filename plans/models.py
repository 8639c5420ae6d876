"""Partnerships, the agencies that sit on them, their plans and the plans' risk registers."""

from __future__ import annotations

import calendar
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from plans.editing.models import IndicatorTarget, PlanChange  # noqa: F401 (app label plans)
from plans.limits import NOTE, text_validators


def new_data_version() -> int:
    from plans.report_cache import new_version

    return new_version()


class Partnership(models.Model):
    """A Community Safety Partnership (Crime and Disorder Act 1998, s.6), e.g. Medway CSP."""

    name = models.CharField(max_length=200, unique=True)
    area = models.CharField(max_length=200, help_text="The district or unitary area it serves.")
    agencies = models.ManyToManyField(
        "Agency",
        blank=True,
        related_name="partnerships",
        help_text="The agencies that sit on the partnership: its lists, templates, filters and "
        "counts offer these. Its admins keep it; an import adds the agencies it names.",
    )
    sign_off = models.BooleanField(
        default=False, help_text="Submitted updates and values count only once signed off."
    )
    share_benchmarks = models.BooleanField(
        "named in benchmarks",
        default=False,
        help_text="Other partnerships' benchmark pages show this partnership's name beside its "
        'figures; otherwise it appears there as "another partnership".',
    )
    # A new random number whenever a row its reports read changes (plans.report_cache).
    data_version = models.BigIntegerField(default=new_data_version, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:partnership_detail", args=[self.pk])

    def benchmark_name(self, viewer_partnership_ids) -> str:
        """The name another partnership's members see on a benchmark page (one rule for
        indicator and crime-data benchmarks): named only if it shares, or is the viewer's own."""
        if self.share_benchmarks or self.pk in viewer_partnership_ids:
            return self.name
        return "Another partnership"

    def add_named_agencies(self) -> None:
        """Add every agency its plans or members name (after an import or a seed load)."""
        self.agencies.add(*named_agencies(self.pk))


class AgencyQuerySet(models.QuerySet["Agency"]):
    def with_counts(self, plans: models.QuerySet | None = None) -> AgencyQuerySet:
        """Actions led and indicators, counted in ``plans`` only (what the viewer may see)."""
        Action = apps.get_model("priorities.Action")
        Indicator = apps.get_model("indicators.Indicator")
        actions = Action.objects.led_by(OuterRef("pk"))
        indicators = Indicator.objects.filter(agency=OuterRef("pk"))
        if plans is not None:
            actions = actions.filter(priority__plan__in=plans)
            indicators = indicators.filter(plan__in=plans)
        return self.annotate(action_count=_count(actions), indicator_count=_count(indicators))


def named_agencies(partnership_id: int) -> list[int]:
    """Ids of the agencies a partnership's plans or members name anywhere."""
    pid = partnership_id
    priorities = apps.get_model("priorities.Priority").objects.filter(plan__partnership_id=pid)
    actions = apps.get_model("priorities.Action").objects.filter(priority__plan__partnership_id=pid)
    indicators = apps.get_model("indicators.Indicator").objects.filter(plan__partnership_id=pid)
    sources = [
        priorities.values_list("lead_agency", flat=True),
        actions.values_list("lead_agency", flat=True),
        actions.values_list("supporting_agencies", flat=True),
        indicators.values_list("agency", flat=True),
        indicators.values_list("reported_to", flat=True),
        Membership.objects.filter(partnership_id=pid).values_list("agencies", flat=True),
    ]
    return sorted({pk for source in sources for pk in source if pk is not None})


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


# Other apps' models are looked up when needed (apps.get_model): they import this module.
class PlanQuerySet(models.QuerySet["Plan"]):
    def with_counts(self) -> PlanQuerySet:
        """Annotate priorities, actions and indicators counts with one subquery each, so a
        list of plans costs one query however many rows the plans hold."""
        Priority = apps.get_model("priorities.Priority")
        Action = apps.get_model("priorities.Action")
        Indicator = apps.get_model("indicators.Indicator")
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
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="Last year's plan this one was started from.",
    )
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

    def get_additional_data(self) -> dict:
        """Recorded with each audit entry, so the partnership's log keeps even deletions."""
        return {"partnership": self.partnership_id}

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


class Membership(models.Model):
    """A user's place in a partnership: their role there and, for officers, the agencies
    they report for. A user may belong to several partnerships."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Partnership officer"
        SEG = "seg", "SEG member"
        ADMIN = "admin", "Partnership admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="memberships")
    signs_off_for = models.ManyToManyField(
        Agency, blank=True, related_name="signers", help_text="Officers only, with sign-off on."
    )

    class Meta:
        ordering = ["partnership__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"], name="one_membership_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.partnership}"

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}


class Quarter(models.IntegerChoices):
    """UK financial-year quarters."""

    Q1 = 1, "Q1 (April to June)"
    Q2 = 2, "Q2 (July to September)"
    Q3 = 3, "Q3 (October to December)"
    Q4 = 4, "Q4 (January to March)"


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter ``quarter`` of financial year ``year``/``year + 1``."""
    start_month = {1: 4, 2: 7, 3: 10, 4: 1}[quarter]
    start_year = year + 1 if quarter == 4 else year
    end_month = start_month + 2
    return date(start_year, start_month, 1), date(
        start_year, end_month, calendar.monthrange(start_year, end_month)[1]
    )


def quarter_label(year: int, quarter: int) -> str:
    return f"{financial_year_label(year)} Q{quarter}"


class ReportingPeriod(models.Model):
    """A quarter of a plan that an admin has opened for progress updates, with a deadline.
    After the deadline updates are still taken but marked late; once closed, only admin
    corrections (with a reason) change it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(help_text="Financial year by its starting year.")
    quarter = models.PositiveSmallIntegerField(choices=Quarter.choices)
    deadline = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "quarter"], name="one_period_per_plan_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_is_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("plans:period_detail", args=[self.pk])

    @property
    def label(self) -> str:
        """ "2019/20 Q2", as the partnership says it."""
        return quarter_label(self.year, self.quarter)

    @property
    def starts_on(self) -> date:
        return quarter_dates(self.year, self.quarter)[0]

    @property
    def ends_on(self) -> date:
        return quarter_dates(self.year, self.quarter)[1]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_late_on(self, day: date) -> bool:
        return day > self.deadline

    def clean(self) -> None:
        if self.plan_id and not (self.plan.start_year <= self.year <= self.plan.end_year):
            raise ValidationError(
                {"year": f"{self.plan} runs from {self.plan.period}: pick a quarter inside it."}
            )


class PublishedReport(models.Model):
    """A frozen snapshot of a plan's SEG report for a quarter: what it showed when an admin
    published it, kept unchanged however the plan and its updates change later.
    Republishing makes a new version, with a reason."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="published_reports")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="published_reports"
    )
    version = models.PositiveIntegerField()
    reason = models.TextField(
        blank=True, max_length=NOTE, validators=text_validators(NOTE),
        help_text="Why it was republished.",
    )  # fmt: skip
    data = models.JSONField(help_text="Everything the report showed, as published.")
    html = models.TextField(help_text="The report page as published.")
    workbook = models.BinaryField(help_text="The Excel workbook as published.")
    pdf = models.BinaryField(
        null=True,
        blank=True,
        help_text="The report as a PDF board paper, made from the published snapshot on "
        "first download and then kept; empty until then, or where the server cannot make "
        "PDFs (WeasyPrint's system libraries missing).",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.period.label} report v{self.version}"


class ScheduledRun(models.Model):
    """One day's run of a scheduled command (e.g. the reminders), claimed by whichever app
    server's cron gets there first: the unique key means every server can run the same cron
    line and the work is done once a day."""

    command = models.CharField(max_length=100)
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "command"]
        constraints = [
            models.UniqueConstraint(fields=["command", "day"], name="scheduled_run_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.command} on {self.day}"


# Kept in its own module to leave room here; Django files it under this app all the same.
from plans.models_content import FundingLine, PreviousResult  # noqa: E402, F401
from plans.models_imports import PlanImport  # noqa: E402, F401
from plans.models_risk import Risk  # noqa: E402, F401
from plans.yearend.models import PlanClosing, YearEndReport  # noqa: E402, F401
