"""The six kinds of item an admin edits on a plan: their model, parent, fields (the import's
columns, so the same limits hold), how they are ordered and what history removing one would
lose."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.http import Http404

from indicators.models import Indicator
from plans.models import Plan, Risk
from plans.models_content import FundingLine, PreviousResult
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str  # "action", as a sentence says it
    model: type[models.Model]
    sheet: str  # the import sheet whose columns give the limits
    fields: tuple[str, ...]
    parent: str = "plan"  # the foreign key to the item it belongs to
    parent_kind: str = ""  # "" when it belongs to the plan itself

    @property
    def ordered_by_ref(self) -> bool:
        """Listed by ref (moving swaps refs), or by an ``order`` of their own."""
        return self.model not in (Milestone, FundingLine, PreviousResult, KeyTheme)

    def items(self, plan: Plan) -> models.QuerySet:
        """Every item of this kind in the plan."""
        rule = {
            "priority": {"plan": plan},
            "objective": {"priority__plan": plan},
            "action": {"priority__plan": plan},
            "milestone": {"action__priority__plan": plan},
            "indicator": {"plan": plan},
            "risk": {"plan": plan},
            "funding": {"action__priority__plan": plan},
            "theme": {"priority__plan": plan},
            "result": {"plan": plan},
        }[self.slug]
        return self.model.objects.filter(**rule)

    def get(self, plan: Plan, pk: int) -> models.Model:
        found = self.items(plan).filter(pk=pk).first()
        if found is None:
            raise Http404(f"No such {self.label} in this plan.")
        return found

    def parent_of(self, item: models.Model) -> models.Model | Plan:
        return getattr(item, self.parent)

    def siblings(self, item: models.Model) -> models.QuerySet:
        """The items sharing its parent, in the order the plan lists them."""
        parent_id = getattr(item, f"{self.parent}_id")
        siblings = self.model.objects.filter(**{f"{self.parent}_id": parent_id})
        return siblings.order_by("order" if not self.ordered_by_ref else "sort_key")


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in [
        Kind("priority", "priority", Priority, "Priorities",
             ("ref", "title", "lead_agency", "lead_as_written", "is_cross_cutting", "summary")),
        Kind("objective", "objective", Objective, "Objectives", ("ref", "title", "description"),
             parent="priority", parent_kind="priority"),
        Kind("action", "action", Action, "Actions",
             ("objective", "ref", "title", "desired_outcome", "lead_agency", "lead_as_written",
              "supporting_agencies", "responsible", "timescale", "partner_priority", "footnote"),
             parent="priority", parent_kind="priority"),
        Kind("milestone", "milestone", Milestone, "Milestones", ("text", "timescale"),
             parent="action", parent_kind="action"),
        Kind("indicator", "indicator", Indicator, "Indicators",
             ("ref", "title", "priority", "theme", "target", "baseline", "due_as_written",
              "responsible", "agency", "agency_as_written", "reported_to", "frequency",
              "unit", "direction")),
        Kind("risk", "risk", Risk, "Risks",
             ("ref", "risk", "implications", "controls", "likelihood_before", "impact_before",
              "likelihood_after", "impact_after", "status")),
        Kind("theme", "key theme", KeyTheme, "Priorities", ("text",), parent="priority",
             parent_kind="priority"),
        Kind("funding", "funding line", FundingLine, "Funding",
             ("source", "amount", "financial_year", "as_written"),
             parent="action", parent_kind="action"),
        Kind("result", "previous-year result", PreviousResult, "Previous results",
             ("ref", "title", "target", "outturn", "period", "comment")),
    ]
}  # fmt: skip


# What else removing one takes with it (or leaves), said on the confirmation page.
ALSO_REMOVED = {
    "priority": "Its objectives, its actions and their milestones are removed with it.",
    "action": "Its milestones are removed with it.",
    "objective": "Its actions stay in the priority, under no objective.",
    "indicator": "It is no longer reported on.",
}


def kind_of(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404("No such kind of item.")
    return KINDS[slug]


def kind_for(item: models.Model) -> Kind:
    return next(kind for kind in KINDS.values() if isinstance(item, kind.model))


def item_label(item: models.Model) -> str:
    """How the changes list names it: "Action 1.2", "Milestone 3 of action 1.2"."""
    if isinstance(item, Milestone):
        return f"Milestone {item.order} of action {item.action.display_ref}"
    if isinstance(item, KeyTheme):
        return f"Key theme {item.order} of priority {item.priority.ref}"
    if isinstance(item, FundingLine):
        return f"Funding line {item.order} of action {item.action.display_ref}"
    if isinstance(item, PreviousResult):
        return f"Previous-year result {item.ref or item.order}"
    if isinstance(item, Action):
        return f"Action {item.display_ref}"
    if isinstance(item, Objective):
        return f"Objective {item.ref} of priority {item.priority.ref}"
    return f"{kind_for(item).label.capitalize()} {item.ref}"


def history_of(item: models.Model) -> list[str]:
    """What removing the item would take with it: reported updates and figures, in words
    ("3 quarterly updates"); empty when nothing reported would be lost."""
    from indicators.models import IndicatorValue
    from priorities.models import ActionUpdate, MilestoneProgress

    if isinstance(item, Priority):
        n, word = ActionUpdate.objects.filter(action__priority=item).count(), "quarterly update"
    elif isinstance(item, Action):
        n, word = ActionUpdate.objects.filter(action=item).count(), "quarterly update"
    elif isinstance(item, Milestone):
        n, word = MilestoneProgress.objects.filter(milestone=item).count(), "milestone report"
    elif isinstance(item, Indicator):
        n, word = IndicatorValue.objects.filter(indicator=item).count(), "quarterly figure"
    else:
        return []
    return [f"{n} {word}{'' if n == 1 else 's'}"] if n else []
