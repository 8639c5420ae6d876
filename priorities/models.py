"""What a plan sets out to do: priorities (and cross-cutting themes), their objectives,
the actions that deliver them and the actions' milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from plans.limits import LONG_TEXT, REASON, text_validators, validate_year_range
from plans.refs import NaturallyOrdered
from plans.signoff.fields import CountedQuerySet, ItemState, SignOffFields
from plans.timescales import due_display


class Priority(NaturallyOrdered, models.Model):
    """A priority of a plan ("Tackle domestic abuse"), or a cross-cutting theme that runs
    through the others ("Reducing Reoffending")."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="priorities")
    ref = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=100, editable=False, default="")
    ref_generated = models.BooleanField(
        "numbered by CSP Tracker",
        default=False,
        help_text="The plan gave no ref: CSP Tracker numbered it in the order of the sheet.",
    )
    title = models.CharField(max_length=300)
    lead_agency = models.ForeignKey(
        "plans.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_priorities",
    )
    lead_as_written = models.CharField(
        max_length=300, blank=True, help_text='e.g. "Medway Council (Public Health)"'
    )
    is_cross_cutting = models.BooleanField("cross-cutting theme", default=False)
    summary = models.TextField(blank=True, help_text="Summary of the issue, as written.")

    class Meta:
        ordering = ["plan__id", "sort_key", "pk"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="priority_ref_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.ref}. {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.plan.get_absolute_url()}#priority-{self.pk}"

    @property
    def lead_display(self) -> str:
        if self.lead_as_written:
            return self.lead_as_written
        return self.lead_agency.label if self.lead_agency_id else ""

    @property
    def kind_label(self) -> str:
        return "Cross-cutting theme" if self.is_cross_cutting else "Priority"


class KeyTheme(models.Model):
    """One of a priority's key themes, in the order the plan lists them."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="key_themes")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["priority__id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "order"], name="key_theme_order_unique"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Objective(NaturallyOrdered, models.Model):
    """What a priority wants to achieve ("1) Tackling ASB"; "What do we want to achieve?")."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    ref = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=100, editable=False, default="")
    ref_generated = models.BooleanField(
        "numbered by CSP Tracker",
        default=False,
        help_text="The plan gave no ref: CSP Tracker numbered it in the order of the sheet.",
    )
    title = models.TextField()
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["priority__id", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "ref"], name="objective_ref_unique_in_priority"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref}) {self.title[:80]}"


class Recurrence(models.TextChoices):
    """Timescales that recur or never fall due, as the plans write them."""

    NONE = "", "—"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Six monthly"
    ANNUALLY = "annually", "Annually"
    ONGOING = "ongoing", "Ongoing"
    AS_REQUIRED = "as_required", "As required"


class FinalStatus(models.TextChoices):
    """How an action ended its plan year, set when the plan is closed (with a reason unless
    complete). "Deferred to next year" actions are carried first into next year's plan."""

    COMPLETE = "complete", "Complete"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    CANCELLED = "cancelled", "Cancelled"
    DEFERRED = "deferred", "Deferred to next year"


class Lineage(models.TextChoices):
    """Where an action of a plan started from last year's plan came from."""

    NONE = "", "—"
    NEW = "new", "New"
    CARRIED_OVER = "carried_over", "Carried over"
    CHANGED = "changed", "Changed"


class ActionQuerySet(models.QuerySet["Action"]):
    def led_by(self, agency) -> ActionQuerySet:
        """Actions an agency leads: its own, and those of a theme it leads that name no lead."""
        return self.filter(
            models.Q(lead_agency=agency)
            | models.Q(lead_agency__isnull=True, priority__lead_agency=agency)
        )


class Action(NaturallyOrdered, models.Model):
    """Something the partnership will do to deliver a priority: an action, aim or key
    deliverable, with a desired outcome, a lead agency and a timescale."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    ref = models.CharField(max_length=20, help_text='As the plan numbers it: "2.5" or "b".')
    sort_key = models.CharField(max_length=100, editable=False, default="")
    ref_generated = models.BooleanField(
        "numbered by CSP Tracker",
        default=False,
        help_text="The plan gave no ref: CSP Tracker numbered it in the order of the sheet.",
    )
    title = models.TextField()
    desired_outcome = models.TextField(blank=True)
    lead_agency = models.ForeignKey(
        "plans.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="led_actions"
    )
    lead_as_written = models.CharField(
        max_length=300,
        blank=True,
        help_text='Lead as the plan writes it: "KSS CRC/ Kent Police/NPS".',
    )
    supporting_agencies = models.ManyToManyField(
        "plans.Agency", blank=True, related_name="supported_actions"
    )
    responsible = models.CharField(max_length=300, blank=True, help_text="Role, as written.")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The named officer who leads it, if they use CSP Tracker.",
    )
    lead_officer_as_written = models.CharField(
        "lead officer (name or role)",
        max_length=200,
        blank=True,
        help_text='A name or role as the plan writes it: "Chief Inspector Smith".',
    )
    timescale = models.CharField(max_length=200, blank=True, help_text="As written.")
    due_date = models.DateField(null=True, blank=True)
    partner_priority = models.CharField(
        max_length=200,
        blank=True,
        help_text='The partner or CDP priority the action names, e.g. "priority 2".',
    )
    footnote = models.TextField(blank=True, help_text="The plan's footnote on this row.")
    completed_in = models.ForeignKey(
        "plans.ReportingPeriod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="completed_actions",
        help_text="The quarter whose submitted update said Complete; cleared when reopened. "
        "A completed action is not asked for again and counts as Complete in later quarters.",
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delegated_actions",
        help_text="Officers an admin has asked to report on this action besides its lead.",
    )
    final_status = models.CharField(
        max_length=20, choices=FinalStatus.choices, blank=True, help_text="Set at year end."
    )
    final_status_reason = models.TextField(blank=True)
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="The action of last year's plan this one was carried over from.",
    )
    lineage = models.CharField(max_length=20, choices=Lineage.choices, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["priority__plan__id", "priority__sort_key", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "ref"], name="action_ref_unique_in_priority"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("priorities:action_detail", args=[self.pk])

    @property
    def display_ref(self) -> str:
        """The ref as it reads standing alone: plans that number actions afresh under each
        priority (Medway's "Action 3" under every one) get the priority's ref in front
        ("3.3"); refs that already carry it ("3.3", "1.2") are left as they are. Load the
        priority with the action (``select_related``) where many are shown."""
        prefix = self.priority.ref.rstrip(".")
        if not prefix or self.ref.startswith(f"{prefix}."):
            return self.ref
        return f"{prefix}.{self.ref}"

    @property
    def lead_officer_display(self) -> str:
        return lead_officer_display(self)

    @property
    def lead_display(self) -> str:
        """The lead as the plan writes it; aims without their own lead fall to the theme's lead."""
        if self.lead_as_written:
            return self.lead_as_written
        if self.lead_agency_id:
            return self.lead_agency.label
        return self.priority.lead_display


class ActionReopening(models.Model):
    """A completed action put back into reporting by its lead or an admin, with the reason."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reopenings")
    completed_in = models.ForeignKey(
        "plans.ReportingPeriod", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=REASON, validators=text_validators(REASON))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField()

    class Meta:
        ordering = ["-reopened_at"]

    def __str__(self) -> str:
        return f"{self.action.ref} reopened"


class Milestone(models.Model):
    """A step of an action with its own timescale: "By June 19", "Quarterly", "Ongoing"."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    timescale = models.CharField(max_length=200, blank=True, help_text="As written.")
    due_date = models.DateField(null=True, blank=True)
    recurrence = models.CharField(
        max_length=20, choices=Recurrence.choices, blank=True, default=Recurrence.NONE
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The named officer who leads it, if they use CSP Tracker.",
    )
    lead_officer_as_written = models.CharField(
        "lead officer (name or role)",
        max_length=200,
        blank=True,
        help_text='A name or role as the plan writes it: "Chief Inspector Smith".',
    )
    supporting_agencies = models.ManyToManyField(
        "plans.Agency", blank=True, related_name="supported_milestones"
    )

    class Meta:
        ordering = ["action__id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["action", "order"], name="milestone_order_unique"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def due_display(self) -> str:
        """When it falls due: "30 April 2019", "Every year in April", "Quarterly"."""
        return due_display(self.due_date, self.recurrence, Recurrence(self.recurrence).label)

    @property
    def lead_officer_display(self) -> str:
        return lead_officer_display(self)


UpdateState = ItemState  # draft, awaiting sign-off, submitted


class ActionUpdate(SignOffFields, models.Model):
    """A lead agency's quarterly progress report on an action. One per action and quarter;
    every save is kept as an ``ActionUpdateVersion``."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track (Green)"
        AT_RISK = "at_risk", "At risk (Amber)"
        OFF_TRACK = "off_track", "Off track (Red)"
        COMPLETE = "complete", "Complete"

    # Statuses that need a commentary saying why.
    NEEDS_COMMENTARY = {Status.AT_RISK, Status.OFF_TRACK, Status.COMPLETE}

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(
        "plans.ReportingPeriod", on_delete=models.CASCADE, related_name="action_updates"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    commentary = models.TextField(
        blank=True, max_length=LONG_TEXT, validators=text_validators(LONG_TEXT)
    )
    next_steps = models.TextField(
        blank=True, max_length=LONG_TEXT, validators=text_validators(LONG_TEXT)
    )
    state = models.CharField(max_length=10, choices=UpdateState.choices)
    is_late = models.BooleanField(default=False)
    is_sample = models.BooleanField(default=False, help_text="Demo data, not a real report.")
    version = models.PositiveIntegerField(default=1)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Progress that came with the plan's workbook (a plan half way through its year).
    imported_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was imported with the plan, if it was."
    )

    objects = CountedQuerySet.as_manager()

    class Meta:
        ordering = ["period__year", "period__quarter"]
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="one_update_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} {self.period.label}: {self.get_status_display()}"

    @property
    def tag_class(self) -> str:
        return STATUS_TAG_CLASSES[self.status]


STATUS_TAG_CLASSES = {
    ActionUpdate.Status.NOT_STARTED: "govuk-tag--grey",
    ActionUpdate.Status.ON_TRACK: "govuk-tag--green",
    ActionUpdate.Status.AT_RISK: "govuk-tag--yellow",
    ActionUpdate.Status.OFF_TRACK: "govuk-tag--red",
    ActionUpdate.Status.COMPLETE: "govuk-tag--blue",
}


class MilestoneProgress(models.Model):
    """Whether a milestone was done, as reported in a quarter's update."""

    update = models.ForeignKey(
        ActionUpdate, on_delete=models.CASCADE, related_name="milestone_progress"
    )
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="progress")
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True, validators=[validate_year_range])

    class Meta:
        ordering = ["milestone__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "milestone"], name="one_progress_per_milestone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone}: {'done' if self.done else 'not done'}"


class ActionUpdateVersion(models.Model):
    """Every saved version of an update, kept so that nothing is lost and every change shows."""

    update = models.ForeignKey(ActionUpdate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=ActionUpdate.Status.choices)
    commentary = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    milestones_done = models.JSONField(
        default=list, help_text="[{milestone, text, done, done_on}] as saved."
    )
    state = models.CharField(max_length=10, choices=UpdateState.choices)
    is_late = models.BooleanField(default=False)
    correction_reason = models.TextField(
        blank=True, help_text="Why an admin changed a closed quarter."
    )
    sign_off_note = models.TextField(
        blank=True, help_text="A sign-off decision: approved, or returned with what to change."
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["update", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["update", "number"], name="version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.update} v{self.number}"


def lead_officer_display(item: Action | Milestone) -> str:
    """The named lead officer: the user's name, else the name or role as written."""
    if item.lead_officer_id:
        return item.lead_officer.get_full_name() or item.lead_officer.get_username()
    return item.lead_officer_as_written
