"""load_demo_data fills the collaboration pages: sign-off in Swale, questions in Medway, news."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.collaboration.models import Comment
from plans.demo import DEMO_PASSWORD
from plans.demo_collaboration import RETURN_COMMENT
from plans.models import Partnership
from plans.notifications.models import Notification
from priorities.models import ActionUpdate, UpdateState

SWALE = "Swale Community Safety Partnership"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(seeded, mailoutbox, django_capture_on_commit_callbacks) -> None:
    # News goes out once the load commits, as on a real server.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=StringIO())


def page(client, username: str, url: str) -> str:
    client.login(username=username, password=DEMO_PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_swale_asks_for_sign_off_and_its_manager_has_updates_waiting(demo, client):
    assert Partnership.objects.get(name=SWALE).sign_off
    waiting = ActionUpdate.objects.filter(state=UpdateState.AWAITING)
    assert waiting.count() == 2
    html = page(client, "swale-csu-manager", reverse("plans:sign_off"))
    for update in waiting.select_related("action"):
        assert update.action.title[:40] in html


def test_the_csu_officer_sees_the_returned_update_with_its_comment(demo, client):
    [returned] = ActionUpdate.objects.exclude(return_comment="")
    assert returned.state == UpdateState.DRAFT
    html = page(client, "swale-csu-officer", reverse("plans:my_updates"))
    assert returned.action.title[:40] in html
    assert "Returned" in html


def test_medway_has_an_answered_and_an_open_question(demo, client):
    questions = Comment.objects.filter(parent=None)
    assert questions.count() == 2
    assert Comment.objects.filter(parent__isnull=False).count() == 1
    html = page(client, "kent-police-officer", reverse("plans:my_updates"))
    assert "question" in html.lower()


def test_each_demo_user_has_news(demo, client):
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert {"kent-police-officer", "medway-seg", "swale-csu-officer", "swale-csu-manager"} <= users
    html = page(client, "swale-csu-officer", reverse("notifications:list"))
    assert "Returned for changes" in html
    assert RETURN_COMMENT[:30] in html


def test_loading_again_adds_no_more_questions_or_news(demo, django_capture_on_commit_callbacks):
    before = (Comment.objects.count(), Notification.objects.count(), ActionUpdate.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=StringIO())
    assert (
        Comment.objects.count(),
        Notification.objects.count(),
        ActionUpdate.objects.count(),
    ) == before
