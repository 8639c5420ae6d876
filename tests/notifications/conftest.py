"""Fixtures for notification tests: a Swale quarter and the cast with e-mail addresses."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from plans.models import Plan
from plans.services import period_open

SITE = "https://csp.example.test"


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture(autouse=True)
def site_url(settings) -> None:
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "csp@example.test"


def with_email(*users) -> None:
    for user in users:
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])


@pytest.fixture
def swale_plan(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def cast(csu_officer, police_officer, seg_member, swale_admin, outsider):
    with_email(csu_officer, police_officer, seg_member, swale_admin, outsider)
    return {
        "csu": csu_officer,
        "police": police_officer,
        "seg": seg_member,
        "admin": swale_admin,
        "outsider": outsider,
    }


@pytest.fixture
def q2(swale_plan):
    return period_open(plan=swale_plan, year=2019, quarter=2, deadline=date(2099, 1, 15))


def to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]
