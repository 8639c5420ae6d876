"""Pages for partnerships, plans and agencies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from indicators.models import Indicator
from plans import access, audit, report_cache
from plans.listing import filtered_table
from plans.models import Plan
from plans.models_content import funding_summary
from plans.tables import PartnershipFilterSet, PartnershipTable
from priorities.models import Action, Objective, Priority

# Partnerships shown on the home page with all their plans; more are listed instead.
HOME_WITH_PLANS = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each of the user's partnerships with every plan; past a handful (a superuser of a
    hosted service), a searchable list of partnerships a page at a time."""
    visible = access.visible_partnerships(request.user)
    if request.GET or visible.count() > HOME_WITH_PLANS:
        return filtered_table(
            request,
            queryset=visible.annotate(
                plan_count=Count("plans"),
                active_plan_count=Count("plans", filter=Q(plans__status=Plan.Status.ACTIVE)),
            ),
            filterset_class=PartnershipFilterSet,
            table_class=PartnershipTable,
            template="plans/home_partnerships.html",
            export_name="partnerships",
            results_template="plans/_home_partnerships_results.html",
        )
    plans = Plan.objects.with_counts().select_related("parent")
    partnerships = visible.prefetch_related(Prefetch("plans", queryset=plans))
    return render(request, "plans/home.html", {"partnerships": partnerships})


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, pk)
    plans = partnership.plans.with_counts().select_related("parent")
    context = {
        "partnership": partnership,
        "plans": plans,
        "is_admin": access.is_partnership_admin(request.user, partnership.pk),
    }
    return render(request, "plans/partnership_detail.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    is_admin = access.is_partnership_admin(request.user, plan.partnership_id)
    context = {
        "plan": plan,
        "risks": plan.risks.all(),
        "children": plan.children.all(),
        "is_admin": is_admin,
        "audit_trail": audit.audit_trail([plan, *plan.risks.all()]) if is_admin else None,
        "contents_html": mark_safe(
            report_cache.cached(
                report_cache.plan_key("contents", plan), lambda: _plan_contents(plan)
            )
        ),
    }
    return render(request, "plans/plan_detail.html", context)


def _plan_contents(plan: Plan) -> str:
    """The plan's contents list, priorities, actions and indicators, as HTML: the same for
    every reader, so rendered once per data version."""
    priorities = list(
        plan.priorities.select_related("lead_agency").prefetch_related(
            "key_themes",
            Prefetch("objectives", queryset=Objective.objects.prefetch_related("measured_by")),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related(
                    "lead_agency", "lead_officer"
                ).prefetch_related("supporting_agencies", "milestones", "measured_by"),
            ),
            Prefetch("indicators", queryset=_indicators_with_measures()),
        )
    )
    for priority in priorities:
        priority.sections = priority_sections(priority)
    context = {
        "plan": plan,
        "priorities": priorities,
        "unlinked_indicators": _indicators_with_measures().filter(plan=plan, priority=None),
        "risks": plan.risks.all(),
        "funding": funding_summary(plan),
        "previous_results": (results := list(plan.previous_results.all())),
        # The columns any result fills (Swale's key activities have no targets).
        "result_columns": {
            name: any(getattr(result, name) for result in results)
            for name in ("ref", "target", "outturn", "period", "comment")
        },
    }
    return render_to_string("plans/_plan_contents.html", context)


def _indicators_with_measures():
    """Indicators with the actions and objectives they measure, for the plan page."""
    return Indicator.objects.select_related("agency").prefetch_related(
        "reported_to",
        Prefetch("measures_actions", queryset=Action.objects.select_related("priority")),
        Prefetch("measures_objectives", queryset=Objective.objects.select_related("priority")),
    )


def priority_sections(priority: Priority) -> list[tuple[object | None, list[Action]]]:
    """Actions grouped under their objectives, in the plan's order; actions without an
    objective come first, under ``None``."""
    actions = list(priority.actions.all())
    sections: list[tuple[object | None, list[Action]]] = []
    loose = [action for action in actions if action.objective_id is None]
    if loose:
        sections.append((None, loose))
    for objective in priority.objectives.all():
        sections.append((objective, [a for a in actions if a.objective_id == objective.pk]))
    return sections


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    plans = access.visible_plans(request.user)
    agencies = access.visible_agencies(request.user).with_counts(plans=plans)
    return render(request, "plans/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = access.get_agency_for_user(request.user, pk)
    plans = access.visible_plans(request.user)
    context = {
        "agency": agency,
        "priorities": agency.led_priorities.filter(plan__in=plans).select_related("plan"),
        "actions": Action.objects.led_by(agency)
        .filter(priority__plan__in=plans)
        .select_related("priority__plan", "priority__lead_agency", "lead_agency"),
        "supported_actions": agency.supported_actions.filter(
            priority__plan__in=plans
        ).select_related("priority__plan", "priority__lead_agency", "lead_agency"),
        "indicators": agency.indicators.filter(plan__in=plans).select_related("plan"),
        "reported_indicators": agency.reported_indicators.filter(plan__in=plans).select_related(
            "plan"
        ),
    }
    return render(request, "plans/agency_detail.html", context)


# --- My updates: what the user still has to report in open quarters --------------------------
