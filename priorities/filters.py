"""Filters for the cross-plan actions and milestones tables."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from plans.models import Agency, Partnership, Plan
from priorities.models import Action, Milestone, Priority


class PlanScopedFilterSet(django_filters.FilterSet):
    """Offers only the partnerships, plans and priorities the user may see, and labels each
    priority with its plan (the same ref and title recur across plans)."""

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from plans import access

        if user is not None:
            self.filters["partnership"].queryset = access.visible_partnerships(user)
            self.filters["plan"].queryset = access.visible_plans(user)
            self.filters["priority"].queryset = Priority.objects.filter(
                plan__in=access.visible_plans(user)
            ).select_related("plan")
            for scoped in self.filters.values():  # agencies: those of the user's partnerships
                queryset = getattr(scoped, "queryset", None)
                if queryset is not None and queryset.model is Agency:
                    visible = access.visible_agencies(user).values("pk")
                    scoped.queryset = queryset.filter(pk__in=visible)
        self.filters["priority"].field.label_from_instance = priority_choice_label


class ActionFilterSet(PlanScopedFilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    partnership = django_filters.ModelChoiceFilter(
        label="Partnership",
        field_name="priority__plan__partnership",
        queryset=Partnership.objects.all(),
        empty_label="All partnerships",
    )
    plan = django_filters.ModelChoiceFilter(
        label="Plan",
        field_name="priority__plan",
        queryset=Plan.objects.select_related("partnership"),
        empty_label="All plans",
    )
    priority = django_filters.ModelChoiceFilter(
        label="Priority or theme",
        field_name="priority",
        queryset=Priority.objects.select_related("plan"),
        empty_label="All priorities",
    )
    lead_agency = django_filters.ModelChoiceFilter(
        label="Lead agency",
        method="led_by",
        queryset=Agency.objects.all(),
        empty_label="All agencies",
    )

    class Meta:
        model = Action
        fields = ["q", "partnership", "plan", "priority", "lead_agency"]

    def search(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        for word in value.split():
            queryset = queryset.filter(
                Q(ref__iexact=word)
                | Q(title__icontains=word)
                | Q(desired_outcome__icontains=word)
                | Q(lead_as_written__icontains=word)
                | Q(lead_agency__name__icontains=word)
                | Q(lead_agency__short_name__iexact=word)
                | Q(partner_priority__icontains=word)
            )
        return queryset

    def led_by(self, queryset: QuerySet[Action], name: str, value: Agency) -> QuerySet[Action]:
        return queryset.led_by(value)


def priority_choice_label(priority: Priority) -> str:
    return f"{priority.plan.title} — {priority.ref}. {priority.title}"


class MilestoneFilterSet(PlanScopedFilterSet):
    """Milestones due this quarter or overdue, by plan, agency and how late."""

    WHEN_CHOICES = [("overdue", "Overdue"), ("due", "Due later this quarter")]

    q = django_filters.CharFilter(label="Search", method="search")
    partnership = django_filters.ModelChoiceFilter(
        label="Partnership",
        field_name="action__priority__plan__partnership",
        queryset=Partnership.objects.all(),
        empty_label="All partnerships",
    )
    plan = django_filters.ModelChoiceFilter(
        label="Plan",
        field_name="action__priority__plan",
        queryset=Plan.objects.select_related("partnership"),
        empty_label="All plans",
    )
    priority = django_filters.ModelChoiceFilter(
        label="Priority or theme",
        field_name="action__priority",
        queryset=Priority.objects.select_related("plan"),
        empty_label="All priorities",
    )
    lead_agency = django_filters.ModelChoiceFilter(
        label="Lead agency",
        method="led_by",
        queryset=Agency.objects.all(),
        empty_label="All agencies",
    )
    when = django_filters.ChoiceFilter(
        label="When", choices=WHEN_CHOICES, method="by_when", empty_label="Overdue or due"
    )

    class Meta:
        model = Milestone
        fields = ["q", "partnership", "plan", "priority", "lead_agency", "when"]

    def search(self, queryset: QuerySet[Milestone], name: str, value: str) -> QuerySet[Milestone]:
        for word in value.split():
            queryset = queryset.filter(
                Q(action__ref__iexact=word)
                | Q(text__icontains=word)
                | Q(timescale__icontains=word)
                | Q(action__title__icontains=word)
            )
        return queryset

    def led_by(self, queryset: QuerySet[Milestone], name: str, value: Agency):
        return queryset.filter(
            Q(action__lead_agency=value)
            | Q(action__lead_agency__isnull=True, action__priority__lead_agency=value)
        )

    def by_when(self, queryset: QuerySet[Milestone], name: str, value: str):
        return queryset.filter(is_overdue=(value == "overdue"))
