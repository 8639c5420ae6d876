"""My updates' "Questions awaiting your answer" (access_items.open_questions_to_answer) lists
exactly the open questions of ``answerable_comments``, the rule the question pages enforce,
for every demo user: officers, a delegate, admins, SEG members and a superuser."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import Indicator
from plans import access
from plans.access_items import answerable_comments, open_questions_to_answer
from plans.collaboration.services import question_ask
from plans.models import ReportingPeriod
from priorities.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_list_is_the_answerable_open_questions_for_every_user(seeded):
    call_command("load_demo_data", stdout=StringIO())
    User = get_user_model()
    User.objects.create_superuser("root", "root@example.com", "not-used")
    seg, officer = (
        User.objects.get(username="swale-seg"),
        User.objects.get(username="swale-police-officer"),
    )
    period = ReportingPeriod.objects.filter(
        status="open", plan__partnership__name__startswith="Swale"
    ).first()
    # Questions on an indicator and on an action delegated to an officer of another agency.
    question_ask(
        user=seg, item=Indicator.objects.filter(plan=period.plan).first(), period=period, text="?"
    )
    delegated = Action.objects.filter(priority__plan=period.plan).exclude(
        pk__in=access.reportable_actions(officer)
    )[0]
    delegated.delegates.add(officer)
    question_ask(user=seg, item=delegated, period=period, text="Who runs this?")
    users = list(User.objects.order_by("pk"))
    assert len(users) >= 9
    shown = 0
    for user in users:
        expected = list(
            answerable_comments(user).open_questions().order_by("created_at", "pk")[:100]
        )
        assert open_questions_to_answer(user) == expected, user.username
        shown += len(expected)
    assert shown >= 4  # officers, the delegate and the superuser each have some to answer
