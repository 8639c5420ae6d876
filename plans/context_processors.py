"""The service navigation, with the current section marked."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from plans import access
from plans.models import Membership

PLAN_PAGES = {
    "home",
    "plans:plan_detail",
    "plans:partnership_detail",
    "plans:period_list",
    "plans:period_open",
    "plans:period_detail",
}

ACTION_PAGES = {
    "priorities:action_list",
    "priorities:action_detail",
    "priorities:action_update",
    "priorities:action_reopen",
}

# (label, url name, the namespaces or url names that make it the current section)
NAVIGATION = [
    ("Plans", "home", PLAN_PAGES),
    ("Actions", "priorities:action_list", ACTION_PAGES),
    ("Milestones", "priorities:milestone_list", {"priorities:milestone_list"}),
    ("Indicators", "indicators:indicator_list", {"indicators"}),
    ("Agencies", "plans:agency_list", {"plans:agency_list", "plans:agency_detail"}),
]
MY_UPDATES = ("My updates", "plans:my_updates", {"plans:my_updates"})
DASHBOARD = (
    "Dashboard",
    "plans:my_dashboard",
    {"plans:my_dashboard", "plans:plan_dashboard", "plans:partnership_dashboard"},
)

SIGN_OFF = ("Sign-off", "plans:sign_off", {"plans:sign_off", "plans:sign_off_decide"})


def may_report(request: HttpRequest) -> bool:
    """Officers, admins and superusers enter updates; SEG members only read."""
    user_access = access.access_for(request.user)
    return user_access.superuser or any(
        role != Membership.Role.SEG for role in user_access.roles.values()
    )


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {"nav_items": []}
    match = request.resolver_match
    here = {match.namespace, match.view_name} if match else set()
    mine = [MY_UPDATES, DASHBOARD] if may_report(request) else [DASHBOARD]
    if getattr(request.user, "_signs_off", False):  # read with the user (accounts backend)
        mine.append(SIGN_OFF)
    sections = NAVIGATION[:1] + mine + NAVIGATION[1:]
    items = [
        {"label": label, "href": reverse(name), "active": bool(here & pages)}
        for label, name, pages in sections
    ]
    if request.user.is_staff:
        items.append({"label": "Admin", "href": reverse("admin:index"), "active": False})
    return {"nav_items": items}
