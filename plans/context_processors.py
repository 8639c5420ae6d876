"""The service navigation, with the current section marked."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

# (label, url name, the namespaces or url names that make it the current section)
NAVIGATION = [
    ("Plans", "home", {"home", "plans:plan_detail", "plans:partnership_detail"}),
    ("Actions", "priorities:action_list", {"priorities"}),
    ("Indicators", "indicators:indicator_list", {"indicators"}),
    ("Agencies", "plans:agency_list", {"plans:agency_list", "plans:agency_detail"}),
]


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {"nav_items": []}
    match = request.resolver_match
    here = {match.namespace, match.view_name} if match else set()
    items = [
        {"label": label, "href": reverse(name), "active": bool(here & sections)}
        for label, name, sections in NAVIGATION
    ]
    if request.user.is_staff:
        items.append({"label": "Admin", "href": reverse("admin:index"), "active": False})
    return {"nav_items": items}
