"""The value and bulk pages' URLs and posted fields, and a signed-in client."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from indicators.models import Indicator

FAR_DEADLINE = date(2099, 1, 31)


def value_url(indicator: Indicator, period) -> str:
    return reverse("indicators:indicator_value", args=[indicator.pk, period.pk])


def bulk_url(period) -> str:
    return reverse("indicators:bulk_values", args=[period.plan_id, period.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_value(client: Client, indicator, period, **data):
    fields = {"value": "", "not_available_reason": "", "note": "", "version": ""}
    return client.post(value_url(indicator, period), fields | data)


def row(indicator: Indicator, **data) -> dict[str, str]:
    """One bulk-page row's posted fields."""
    return {f"values-{indicator.pk}-{name}": value for name, value in data.items()}
