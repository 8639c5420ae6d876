"""The parts of an action's page that are the same for every reader: what the plan says about
it, each quarter's update with its versions, its reopenings, its priority's indicators and
its questions and evidence.
Rendered once per data version of the partnership (``plans.report_cache``): a repeated visit
reads no updates, versions or milestones, and renders none of them."""

from __future__ import annotations

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from plans import report_cache
from plans.collaboration.templatetags import collaboration
from priorities.models import Action, ActionUpdate, ActionUpdateVersion, MilestoneProgress

HTML_PARTS = ("about", "reopenings", "indicators", "collaboration")


def action_parts(action: Action, *, any_period: bool) -> dict:
    """{"about", "reopenings", "indicators", "collaboration": html; "updates": {period pk: html};
    "update_pks", "reopening_pks": for an admin's audit trail}. ``any_period``: whether a
    quarter of the plan was ever opened (no updates to look for otherwise)."""
    key = report_cache.plan_key(f"action-{action.pk}", action.priority.plan)
    parts = report_cache.cached(key, lambda: _render(action, any_period))
    return {
        **parts,
        **{name: mark_safe(parts[name]) for name in HTML_PARTS},
        "updates": {pk: mark_safe(html) for pk, html in parts["updates"].items()},
    }


def _render(action: Action, any_period: bool) -> dict:
    updates = list(_history(action)) if any_period else []
    reopenings = list(action.reopenings.select_related("completed_in", "reopened_by"))
    milestones = list(
        action.milestones.select_related("lead_officer").prefetch_related("supporting_agencies")
    )
    plan = action.priority.plan
    about = {
        "action": action,
        "plan": plan,
        "milestones": milestones,
        "milestone_owners": any(
            m.lead_officer_display or m.supporting_agencies.all() for m in milestones
        ),
        "supporting_agencies": action.supporting_agencies.all(),
        "funding_lines": action.funding_lines.all(),
        "measured_by": action.measured_by.all(),
    }
    indicators = list(
        action.priority.indicators.select_related("agency").prefetch_related("reported_to")
    )
    return {
        "about": render_to_string("priorities/_action_about.html", about),
        "reopenings": render_to_string(
            "priorities/_action_reopenings.html", {"reopenings": reopenings}
        ),
        "indicators": render_to_string(
            "indicators/_indicator_table.html",
            {"indicators": indicators, "caption": "Indicators of this priority"},
        )
        if indicators
        else "",
        "collaboration": render_to_string(
            "collaboration/_item_panel.html", collaboration.item_panel(action)
        ),
        "updates": {
            update.period_id: render_to_string(
                "priorities/_action_update.html", {"update": update, "period": update.period}
            )
            for update in updates
        },
        "update_pks": [update.pk for update in updates],
        "reopening_pks": [reopening.pk for reopening in reopenings],
    }


def _history(action: Action):
    return (
        ActionUpdate.objects.filter(action=action)
        .select_related("period", "saved_by", "submitted_by")
        .prefetch_related(
            Prefetch(
                "milestone_progress",
                queryset=MilestoneProgress.objects.filter(done=True).select_related("milestone"),
                to_attr="milestones_done",
            ),
            Prefetch("versions", queryset=ActionUpdateVersion.objects.select_related("saved_by")),
        )
    )
