"""The update form's URL, its POST data, a signed-in client, and saving through the service."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from plans.models import ReportingPeriod
from priorities.models import Action, ActionUpdate
from priorities.services import action_update_save

CONCURRENT = "Someone else saved this update while you were editing it"


def url(action: Action, period: ReportingPeriod) -> str:
    return reverse("priorities:action_update", args=[action.pk, period.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(
    *,
    status: str = "on_track",
    commentary: str = "",
    next_steps: str = "",
    version: object = "",
    button: str = "draft",
    milestones: dict | None = None,
    **extra: str,
) -> dict[str, str]:
    """What the browser posts; ``milestones`` maps a milestone to its (day, month, year)."""
    data = {
        "status": status,
        "commentary": commentary,
        "next_steps": next_steps,
        "version": "" if version is None else str(version),
        "action": button,
        **extra,
    }
    for milestone, (day, month, year) in (milestones or {}).items():
        data[f"milestone_{milestone.pk}"] = "on"
        data[f"milestone_{milestone.pk}_date_day"] = str(day)
        data[f"milestone_{milestone.pk}_date_month"] = str(month)
        data[f"milestone_{milestone.pk}_date_year"] = str(year)
    return data


def save(user, action, period, *, commentary="Saved earlier", submit=False, version=None, **kw):
    """An update saved through the service, as another user's earlier save."""
    return action_update_save(
        user=user,
        action=action,
        period=period,
        status=kw.pop("status", ActionUpdate.Status.ON_TRACK),
        commentary=commentary,
        next_steps=kw.pop("next_steps", ""),
        milestones=kw.pop("milestones", []),
        submit=submit,
        expected_version=version,
        **kw,
    )
