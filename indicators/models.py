"""Performance indicators: what the partnership measures, against which target, who reports it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from plans.limits import NOTE, REASON, text_validators
from plans.refs import NaturallyOrdered
from plans.signoff.fields import CountedQuerySet, ItemState, SignOffFields


class TargetComparator(models.TextChoices):
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"
    EQUAL = "equal", "Equal to"
    REDUCE_BY = "reduce_by", "Reduce by"
    INCREASE_BY = "increase_by", "Increase by"
    MILESTONE = "milestone", "Milestone (not measurable: manual RAG)"


class TargetUnit(models.TextChoices):
    PERCENT = "percent", "%"
    COUNT = "count", "Number"
    POINTS = "points", "Percentage points"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Indicator(NaturallyOrdered, models.Model):
    """A measure the partnership reports on, with target and due date as the plan writes them."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Six monthly"
        ANNUALLY = "annually", "Annually"

    class Unit(models.TextChoices):
        COUNT = "count", "Number"
        PERCENTAGE = "percentage", "Percentage"
        RATE = "rate", "Rate"
        OTHER = "other", "Other"

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"
        NONE = "", "Not set"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="indicators")
    priority = models.ForeignKey(
        "priorities.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    theme = models.CharField(
        max_length=200, blank=True, help_text="Priority or theme as the plan writes it."
    )
    ref = models.CharField(max_length=20, help_text='Code such as "DA06" or "NI111".')
    measure_code = models.CharField(
        max_length=30,
        blank=True,
        db_index=True,
        help_text='A shared measure code, e.g. "NI 111": indicators of different partnerships '
        "with the same code are compared on its benchmark page.",
    )
    sort_key = models.CharField(max_length=100, editable=False, default="")
    ref_generated = models.BooleanField(
        "numbered by CSP Tracker",
        default=False,
        help_text="The plan gave no ref: CSP Tracker numbered it in the order of the sheet.",
    )
    title = models.TextField()
    target = models.TextField(blank=True, help_text='As written: "Below 28% CAADA benchmark".')
    baseline = models.CharField(max_length=300, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_as_written = models.CharField(max_length=100, blank=True)
    responsible = models.CharField(max_length=300, blank=True, help_text="Role, as written.")
    agency = models.ForeignKey(
        "plans.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    agency_as_written = models.CharField(max_length=300, blank=True)
    reported_to = models.ManyToManyField(
        "plans.Agency",
        blank=True,
        related_name="reported_indicators",
        help_text='The groups it is reported to, e.g. "CSP Executive" and "Project and '
        'Performance Group".',
    )
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    frequency_as_written = models.CharField(
        max_length=200,
        blank=True,
        help_text='A frequency the plan writes in its own words: "3 year rolling programme".',
    )
    due_quarter = models.PositiveSmallIntegerField(
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        default=4,
        help_text="For annual indicators: the quarter whose update asks for the year's figure.",
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(
        max_length=4, choices=Direction.choices, blank=True, default=Direction.NONE
    )
    # The target as the software understands it (indicators.targets parses ``target`` into
    # these; an admin may correct them; they are parsed again when ``target`` changes).
    target_comparator = models.CharField(
        max_length=20, choices=TargetComparator.choices, blank=True, default=""
    )
    target_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    target_unit = models.CharField(max_length=10, choices=TargetUnit.choices, blank=True)
    target_per = models.CharField(
        max_length=20,
        blank=True,
        help_text='Rate period as written, e.g. "year" for "10 per year".',
    )
    target_baseline = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    target_baseline_period = models.CharField(max_length=50, blank=True)
    target_parsed_from = models.TextField(
        blank=True, editable=False, help_text="The target text the structure was read from."
    )
    amber_tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text="How far short of the target (as % of the target) is still Amber, not Red.",
    )
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="The same measure in the partnership's earlier plan, so trends run across years.",
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delegated_indicators",
        help_text="Officers an admin has asked to report this indicator besides its agency.",
    )
    measures_actions = models.ManyToManyField(
        "priorities.Action",
        blank=True,
        related_name="measured_by",
        help_text="The actions of the plan this indicator measures.",
    )
    measures_objectives = models.ManyToManyField(
        "priorities.Objective",
        blank=True,
        related_name="measured_by",
        help_text="The objectives of the plan this indicator measures.",
    )
    # A calculated indicator's figures are worked out from other indicators of the plan
    # (indicators.formulas parses it; indicators.calculated fills the values).
    expression = models.CharField(
        max_length=200,
        blank=True,
        help_text='A calculation over the plan\'s indicator refs, e.g. "DA06 + DA07".',
    )

    class Meta:
        ordering = ["plan__id", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="indicator_ref_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator_detail", args=[self.pk])

    def is_due_in(self, quarter: int) -> bool:
        """Whether a figure is asked for in this quarter (1-4 of the financial year): annual
        indicators once a year, six-monthly ones at the half year and the year end."""
        if self.frequency == self.Frequency.ANNUALLY:
            return quarter == self.due_quarter
        if self.frequency == self.Frequency.SIX_MONTHLY:
            return quarter in (2, 4)
        return True

    @classmethod
    def due_in_rule(cls, quarter: int) -> models.Q:
        """``is_due_in`` as a query filter, for lists that ask the database."""
        rule = models.Q(frequency__in=[cls.Frequency.MONTHLY, cls.Frequency.QUARTERLY])
        rule |= models.Q(frequency=cls.Frequency.ANNUALLY, due_quarter=quarter)
        if quarter in (2, 4):
            rule |= models.Q(frequency=cls.Frequency.SIX_MONTHLY)
        return rule

    @property
    def frequency_note(self) -> str:
        """How a quarter's figure is made from a monthly series, said on the value form."""
        if self.frequency != self.Frequency.MONTHLY:
            return ""
        if self.unit == self.Unit.COUNT:
            return "Enter the quarter's figure: the total of its three months."
        return "Enter the quarter's figure: the average of its three months."

    @property
    def theme_display(self) -> str:
        return self.theme or (self.priority.title if self.priority_id else "")

    @property
    def owner_display(self) -> str:
        """Who answers for it: the role and the agency, as the plan writes them."""
        agency = self.agency_as_written or (self.agency.label if self.agency_id else "")
        if agency and agency.lower() in self.responsible.lower():
            return self.responsible
        return ", ".join(part for part in (self.responsible, agency) if part)

    @property
    def reported_to_display(self) -> str:
        """The groups it is reported to, by name ("" for none): prefetch ``reported_to``."""
        return "; ".join(sorted(group.name for group in self.reported_to.all()))


class IndicatorValue(SignOffFields, models.Model):
    """An indicator's figure for a quarter, or the reason it is not available."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(
        "plans.ReportingPeriod", on_delete=models.CASCADE, related_name="indicator_values"
    )
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    not_available = models.BooleanField(default=False)
    not_available_reason = models.TextField(
        blank=True, max_length=REASON, validators=text_validators(REASON)
    )
    note = models.TextField(blank=True, max_length=NOTE, validators=text_validators(NOTE))
    is_late = models.BooleanField(default=False)
    is_sample = models.BooleanField(default=False, help_text="Demo data, not a real figure.")
    correction_reason = models.TextField(
        blank=True, max_length=REASON, validators=text_validators(REASON)
    )
    rag_override = models.CharField(
        max_length=10,
        choices=Rag.choices,
        blank=True,
        help_text="The lead's own RAG, replacing the derived one (needs a reason).",
    )
    rag_override_reason = models.TextField(
        blank=True, max_length=REASON, validators=text_validators(REASON)
    )
    version = models.PositiveIntegerField(default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.SUBMITTED)

    # Figures loaded from a sheet of earlier quarters, or worked out from other indicators.
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = CountedQuerySet.as_manager()

    class Meta:
        ordering = ["period__year", "period__quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_value_per_quarter"),
            models.CheckConstraint(
                condition=models.Q(not_available=True) | models.Q(value__isnull=False),
                name="value_or_not_available",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ref} {self.period.label}: {self.display}"

    @property
    def display(self) -> str:
        if self.not_available:
            return "Not available"
        number = f"{self.value.normalize():f}"
        return f"{number}%" if self.indicator.unit == Indicator.Unit.PERCENTAGE else number


class Population(models.Model):
    """The partnership area's mid-year resident population (ONS estimate) for a financial
    year, used by calculated indicators per 1,000 residents."""

    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(help_text="Financial year by its starting year.")
    residents = models.PositiveIntegerField()

    class Meta:
        ordering = ["partnership", "year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="one_population_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.year}: {self.residents:,}"


class ValueUpload(models.Model):
    """An uploaded sheet of figures between its preview and its confirmation: the rows as
    checked (never the file), for the user who uploaded it. Deleted once confirmed, and
    after a day if never confirmed."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", "This quarter's figures"
        HISTORY = "history", "Earlier quarters"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        "plans.ReportingPeriod", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    source = models.CharField(max_length=200, blank=True)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()})"
