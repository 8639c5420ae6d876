"""Filters for the cross-plan actions and milestones tables (the indicators table shares the
base). Choice lists follow what is chosen above them and stay short: a national service has
hundreds of partnerships and thousands of priorities, and a drop-down of them all is neither
usable nor cheap to render."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from plans.models import Agency, Partnership, Plan
from plans.search import matching_words
from plans.widgets import Select
from priorities.models import Action, Milestone, Priority

# Longest drop-down offered before asking the user to narrow by the filter above it.
CHOICES_LIMIT = 60
PARTNERSHIPS_LIMIT = 500

NARROW_FIRST = {
    "plan": "Choose a partnership first to list its plans.",
    "priority": "Choose a plan first to list its priorities.",
    "agency": "Choose a partnership first to list its agencies.",
}


class PlanScopedFilterSet(django_filters.FilterSet):
    """Offers only the partnerships, plans, priorities and agencies the user may see, narrowed
    to the partnership or plan chosen, and labels each priority with its plan (the same ref and
    title recur across plans). Validation still accepts anything the user may see, so a
    bookmarked link keeps working when its choice is not listed."""

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from plans import access

        for choice in self.filters.values():  # drawn without a template include per option
            if isinstance(choice, django_filters.ChoiceFilter):
                choice.extra.setdefault("widget", Select)
        if user is not None:
            self.filters["partnership"].queryset = access.visible_partnerships(user)
            self.filters["plan"].queryset = access.visible_plans(user).select_related("partnership")
            self.filters["priority"].queryset = Priority.objects.filter(
                plan__in=access.visible_plans(user)
            ).select_related("plan")
            for scoped in self._agency_filters().values():  # those of the user's partnerships
                visible = access.visible_agencies(user).values("pk")
                scoped.queryset = scoped.queryset.filter(pk__in=visible)
        self.filters["priority"].field.label_from_instance = priority_choice_label

    @property
    def form(self):
        # The form copies each field, and a copied ModelChoiceField lists its whole queryset
        # again: the short lists go onto the form's own fields.
        if not hasattr(self, "_form"):
            super().form  # noqa: B018 -- builds self._form
            if (self.data or {}).get("export") is None:  # a download never draws the form
                self._offer_short_choices()
        return self._form

    def _agency_filters(self) -> dict[str, django_filters.Filter]:
        return {
            name: scoped
            for name, scoped in self.filters.items()
            if getattr(scoped, "queryset", None) is not None and scoped.queryset.model is Agency
        }

    def _chosen(self, name: str) -> str | None:
        value = str((self.data or {}).get(name) or "")
        return value if value.isdigit() else None

    def _offer_short_choices(self) -> None:
        partnership, plan = self._chosen("partnership"), self._chosen("plan")
        plans = self.filters["plan"].queryset
        priorities = self.filters["priority"].queryset
        if plan:
            priorities = priorities.filter(plan_id=plan)
        elif partnership:
            priorities = priorities.filter(plan__partnership_id=partnership)
        if partnership:
            plans = plans.filter(partnership_id=partnership)
        offer(self, "partnership", self.filters["partnership"].queryset, PARTNERSHIPS_LIMIT)
        offer(self, "plan", plans, CHOICES_LIMIT, NARROW_FIRST["plan"])
        offer(self, "priority", priorities, CHOICES_LIMIT, NARROW_FIRST["priority"])
        for name, scoped in self._agency_filters().items():
            agencies = scoped.queryset
            if partnership:
                agencies = agencies.filter(partnerships=partnership)
            elif plan:
                agencies = agencies.filter(partnerships__plans=plan)
            offer(self, name, agencies, CHOICES_LIMIT, NARROW_FIRST["agency"])


# What each drop-down's choices are called, read as plain values (a model object per choice
# was most of the filters' time): the fields, and the text the model's ``__str__`` (or, for
# priorities, ``priority_choice_label``) makes of them.
CHOICE_LABELS = {
    Partnership: (("name",), lambda name: name),
    Plan: (("title",), lambda title: title),
    Priority: (("plan__title", "ref", "title"), lambda *values: priority_label(*values)),
    Agency: (("name",), lambda name: name),
}


def offer(
    filterset: django_filters.FilterSet,
    name: str,
    queryset: QuerySet,
    limit: int,
    narrow_first: str = "",
) -> None:
    """Offer at most ``limit`` choices from ``queryset`` (one query, however many rows there
    are); past that, none but the one chosen, and a hint to choose above first."""
    field = filterset._form.fields[name]
    fields, label = CHOICE_LABELS[queryset.model]
    found = list(queryset.values_list("pk", *fields)[: limit + 1])
    if len(found) > limit:
        found = []
        field.help_text = narrow_first
    chosen = filterset._chosen(name)
    if chosen and all(str(row[0]) != chosen for row in found):
        found += list(field.queryset.filter(pk=chosen).values_list("pk", *fields))
    field.widget.choices = [("", field.empty_label)] + [(pk, label(*rest)) for pk, *rest in found]


def priority_choice_label(priority: Priority) -> str:
    return priority_label(priority.plan.title, priority.ref, priority.title)


def priority_label(plan_title: str, ref: str, title: str) -> str:
    """A priority with its plan: the same ref and title recur across plans."""
    return f"{plan_title} — {ref}. {title}"


def plan_path_filterset(path: str) -> type[PlanScopedFilterSet]:
    """The partnership, plan, priority and lead-agency filters for rows that reach their
    priority through ``path`` ("" for actions, "action__" for milestones)."""

    class PlanPathFilterSet(PlanScopedFilterSet):
        q = django_filters.CharFilter(label="Search", method="search")
        partnership = django_filters.ModelChoiceFilter(
            label="Partnership",
            field_name=f"{path}priority__plan__partnership",
            queryset=Partnership.objects.all(),
            empty_label="All partnerships",
        )
        plan = django_filters.ModelChoiceFilter(
            label="Plan",
            field_name=f"{path}priority__plan",
            queryset=Plan.objects.select_related("partnership"),
            empty_label="All plans",
        )
        priority = django_filters.ModelChoiceFilter(
            label="Priority or theme",
            field_name=f"{path}priority",
            queryset=Priority.objects.select_related("plan"),
            empty_label="All priorities",
        )
        lead_agency = django_filters.ModelChoiceFilter(
            label="Lead agency",
            method="led_by",
            queryset=Agency.objects.all(),
            empty_label="All agencies",
        )

    return PlanPathFilterSet


class ActionFilterSet(plan_path_filterset("")):
    class Meta:
        model = Action
        fields = ["q", "partnership", "plan", "priority", "lead_agency"]

    def search(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        return matching_words(
            queryset,
            value,
            exact=("ref",),
            contains=("title", "desired_outcome", "lead_as_written", "partner_priority"),
            agency="lead_agency",
        )

    def led_by(self, queryset: QuerySet[Action], name: str, value: Agency) -> QuerySet[Action]:
        return queryset.led_by(value)


class MilestoneFilterSet(plan_path_filterset("action__")):
    """Milestones due this quarter or overdue, by plan, agency and how late."""

    WHEN_CHOICES = [("overdue", "Overdue"), ("due", "Due later this quarter")]

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
