"""The Notifications page, the settings page, the header's unread count and the quarter page's
"Send a reminder now": what each user sees and may do, and their query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import events
from plans.notifications import services
from plans.notifications.models import Notification, Preference, QuarterReminder
from plans.services import period_close
from tests.notifications.conftest import to

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
SETTINGS = reverse("notifications:settings")


def notify(user, n: int = 1, **fields) -> list[Notification]:
    start = timezone.now() - timedelta(days=1)
    made = []
    for i in range(n):
        note = Notification.objects.create(
            user=user, kind=fields.get("kind", events.REPORT_PUBLISHED),
            subject=fields.get("subject", f"News {i + 1}"), body="Line one.\nLine two.",
            url="/reports/1/",
        )  # fmt: skip
        Notification.objects.filter(pk=note.pk).update(created_at=start + timedelta(minutes=i))
        made.append(note)
    return made


@pytest.mark.parametrize("url", [LIST, SETTINGS])
def test_anonymous_visitors_are_sent_to_sign_in(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_lists_your_own_newest_first(client, seg_member, swale_admin):
    notify(seg_member, 3)
    notify(swale_admin, 1, subject="The admin's news")
    client.force_login(seg_member)
    html = client.get(LIST).content.decode()
    assert "Notifications – CSP Tracker" in html
    assert html.index("News 3") < html.index("News 2") < html.index("News 1")
    assert "The admin&#x27;s news" not in html and "The admin's news" not in html
    assert "You have 3 unread notifications." in html
    assert "Line one.<br>Line two." in html
    assert 'href="/reports/1/"' in html


def test_a_long_list_is_paged(client, seg_member):
    notify(seg_member, 25)
    client.force_login(seg_member)
    first = client.get(LIST).content.decode()
    assert 'aria-label="Pagination"' in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert "News 25" in first and "News 5" not in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    assert "News 5" in second and "News 25" not in second
    Notification.objects.filter(subject__in=[f"News {i}" for i in range(4, 26)]).delete()
    assert 'aria-label="Pagination"' not in client.get(LIST).content.decode()


def test_marking_one_and_all_read(client, seg_member):
    first, second, third = notify(seg_member, 3)
    client.force_login(seg_member)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?page=1"
    first.refresh_from_db()
    assert first.read_at is not None
    assert "You have 2 unread notifications." in client.get(LIST).content.decode()
    client.post(reverse("notifications:read", args=[second.pk]))
    assert "You have 1 unread notification." in client.get(LIST).content.decode()

    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Marked 1 notification as read." in response.content.decode()
    assert not Notification.objects.filter(user=seg_member, read_at__isnull=True).exists()
    assert "You have no unread notifications." in response.content.decode()


def test_someone_elses_notification_is_not_found(client, seg_member, swale_admin):
    (theirs,) = notify(swale_admin)
    client.force_login(seg_member)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, seg_member):
    (mine,) = notify(seg_member)
    client.force_login(seg_member)
    assert client.get(reverse("notifications:read", args=[mine.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_the_list_is_paginated(client, seg_member):
    notify(seg_member, 25)
    client.force_login(seg_member)
    first = client.get(LIST).content.decode()
    assert "News 25" in first and "News 5<" not in first
    assert 'aria-label="Page 2"' in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "News 5<" in second and "News 25" not in second


def test_an_empty_page_says_so(client, seg_member):
    client.force_login(seg_member)
    assert "Nothing yet." in client.get(LIST).content.decode()


def test_the_header_counts_unread(client, seg_member):
    client.force_login(seg_member)
    html = client.get(reverse("home")).content.decode()
    assert ">Notifications</a>" in html
    notify(seg_member, 3)
    html = client.get(reverse("home")).content.decode()
    assert ">Notifications (3 unread)</a>" in html
    services.notifications_mark_all_read(user=seg_member)
    assert ">Notifications</a>" in client.get(reverse("home")).content.decode()


def test_your_account_links_to_both_pages(client, seg_member):
    client.force_login(seg_member)
    html = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{LIST}"' in html and f'href="{SETTINGS}"' in html


# --- Settings ----------------------------------------------------------------------------------


def test_settings_start_from_the_defaults(client, seg_member):
    client.force_login(seg_member)
    html = client.get(SETTINGS).content.decode()
    assert "Notification settings – CSP Tracker" in html
    assert 'value="report_published" checked' in html
    assert 'value="awaiting_sign_off" checked' not in html
    assert "everything comes by e-mail except: Updates awaiting your sign-off" in html
    assert "You have no e-mail address" in html  # the seed cast has none


def test_settings_are_saved_and_shown(client, seg_member):
    client.force_login(seg_member)
    response = client.post(SETTINGS, {"email_kinds": ["turned_red", "reminder"]}, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    assert Preference.objects.get(user=seg_member).email_kinds == ["reminder", "turned_red"]
    html = response.content.decode()
    assert 'value="turned_red" checked' in html
    assert 'value="report_published" checked' not in html


def test_turning_everything_off(client, seg_member):
    client.force_login(seg_member)
    client.post(SETTINGS, {})
    assert services.email_kinds(seg_member) == frozenset()


def test_an_unknown_kind_is_refused_and_nothing_changes(client, seg_member):
    client.force_login(seg_member)
    response = client.post(SETTINGS, {"email_kinds": ["reminder", "gossip"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Error: Notification settings" in html and "There is a problem" in html
    assert not Preference.objects.filter(user=seg_member).exists()


# --- Send a reminder now -----------------------------------------------------------------------


def test_an_admin_sends_a_reminder_now_once_a_day(
    client, cast, q2, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast["admin"])
    page = client.get(q2.get_absolute_url()).content.decode()
    assert "Send a reminder now" in page and "Last reminder sent" not in page
    url = reverse("notifications:period_remind", args=[q2.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    html = response.content.decode()
    assert "Reminder sent to 2 people with 2019/20 Q2 updates still missing." in html
    assert "Last reminder sent" in html and "to 2 people" in html
    assert len(to(mailoutbox, cast["csu"])) == 1 and len(to(mailoutbox, cast["police"])) == 1

    html = client.post(url, follow=True).content.decode()
    assert "A reminder for 2019/20 Q2 was already sent today at" in html
    assert len(mailoutbox) == 2
    assert QuarterReminder.objects.count() == 1


def test_others_see_no_reminder_button(client, cast, q2):
    for user in (cast["seg"], cast["csu"]):
        client.force_login(user)
        assert "Send a reminder now" not in client.get(q2.get_absolute_url()).content.decode()


def test_a_closed_quarter_has_nothing_to_remind(client, cast, q2):
    period_close(period=q2)
    client.force_login(cast["admin"])
    assert "Send a reminder now" not in client.get(q2.get_absolute_url()).content.decode()
    url = reverse("notifications:period_remind", args=[q2.pk])
    html = client.post(url, follow=True).content.decode()
    assert "2019/20 Q2 is closed: there is nothing to remind about." in html
    assert not QuarterReminder.objects.exists()


# --- Query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 60])
def test_query_budgets_hold_at_two_sizes(
    client, seg_member, swale_admin, q2, django_assert_max_num_queries, count
):
    notify(seg_member, count)
    client.force_login(seg_member)
    # session, user (with its unread count), memberships, agencies; the page and its count
    with django_assert_max_num_queries(6):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(LIST, {"page": 2}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(SETTINGS).status_code == 200
    client.force_login(swale_admin)
    for _ in range(count // 20):
        QuarterReminder.objects.create(period=q2, sent_on=timezone.localdate() - timedelta(_ + 1))
    with django_assert_max_num_queries(9):  # the quarter page, with the last reminder
        assert client.get(q2.get_absolute_url()).status_code == 200
