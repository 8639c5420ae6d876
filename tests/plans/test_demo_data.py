"""load_demo_data: demo accounts for each role and the sample quarterly updates and values."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from indicators.models import IndicatorValue
from plans import access
from plans.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from plans.models import Membership, Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import (
    Action,
    ActionUpdate,
    ActionUpdateVersion,
    MilestoneProgress,
    UpdateState,
)
from priorities.services import action_update_save

User = get_user_model()
MEDWAY_PLAN = "Action Plan 2024-25"
SWALE_PLAN = "Swale Community Safety Plan 2019/20"


def load() -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (User, Membership, ReportingPeriod, ActionUpdate, MilestoneProgress)
    models += (ActionUpdateVersion, IndicatorValue)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Every load hashes seven passwords again; the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(seeded) -> str:
    return load()


def test_loading_twice_changes_nothing(demo):
    first = counts()
    assert first["ActionUpdate"] > 200
    assert first["IndicatorValue"] > 50

    again = load()

    assert counts() == first
    assert "nothing new" in again


def test_the_command_prints_every_account_and_the_password(demo):
    assert "DEMO ONLY" in demo
    assert DEMO_PASSWORD in demo
    for account in DEMO_ACCOUNTS:
        assert account.username in demo


@pytest.mark.parametrize("username", [a.username for a in DEMO_ACCOUNTS])
def test_every_demo_account_can_sign_in(demo, client, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user.username == username


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_each_account_has_its_role_agencies_and_email(demo, account):
    user = User.objects.get(username=account.username)
    membership = Membership.objects.get(user=user)
    assert membership.partnership.name == account.partnership
    assert membership.role == account.role
    assert {a.name for a in membership.agencies.all()} == set(account.agencies)
    assert user.email == f"{account.username}@example.invalid"
    assert not user.is_staff and not user.is_superuser


def test_the_roles_do_what_they_say(demo):
    def user(name):
        return User.objects.get(username=name)

    medway = Plan.objects.get(title=MEDWAY_PLAN)
    swale = Plan.objects.get(title=SWALE_PLAN)
    police_action = Action.objects.get(priority__plan=medway, lead_agency__name="Kent Police")
    assert access.can_report_on_action(user("kent-police-officer"), police_action)
    assert not access.visible_plans(user("kent-police-officer")).filter(pk=swale.pk).exists()
    csu_actions = access.reportable_actions(user("swale-csu-officer")).filter(priority__plan=swale)
    assert csu_actions.exists()
    assert set(csu_actions.values_list("lead_agency__name", flat=True)) == {
        "Swale Community Safety Unit"
    }
    police_indicators = access.reportable_indicators(user("swale-police-officer"))
    assert set(police_indicators.values_list("agency__name", flat=True)) == {"Kent Police"}
    for seg in ("medway-seg", "swale-seg"):
        assert not access.reportable_actions(user(seg)).exists()
        assert not access.reportable_indicators(user(seg)).exists()
    assert access.is_partnership_admin(user("medway-admin"), medway.partnership_id)
    assert not access.visible_plans(user("medway-admin")).filter(pk=swale.pk).exists()
    assert access.is_partnership_admin(user("swale-admin"), swale.partnership_id)


@pytest.mark.parametrize("title", [MEDWAY_PLAN, SWALE_PLAN])
def test_three_closed_quarters_and_an_open_fourth(demo, title):
    periods = ReportingPeriod.objects.filter(plan__title=title).order_by("quarter")
    assert [(p.quarter, p.status) for p in periods] == [
        (1, "closed"),
        (2, "closed"),
        (3, "closed"),
        (4, "open"),
    ]
    assert all(p.deadline > p.ends_on for p in periods)


def test_sample_rows_are_flagged_and_varied(demo):
    updates = ActionUpdate.objects.filter(period__plan__title__in=[MEDWAY_PLAN, SWALE_PLAN])
    values = IndicatorValue.objects.filter(period__plan__title=SWALE_PLAN)
    assert updates.exists() and values.exists()
    assert not updates.filter(is_sample=False).exists()
    assert not values.filter(is_sample=False).exists()
    assert set(updates.values_list("status", flat=True)) == set(ActionUpdate.Status.values)
    assert updates.filter(state=UpdateState.DRAFT).exists()
    assert updates.filter(is_late=True).exists()
    for status in ActionUpdate.NEEDS_COMMENTARY:
        assert not updates.filter(status=status, commentary="").exists()
    assert MilestoneProgress.objects.filter(update__in=updates, done=True).exists()
    assert values.filter(not_available=True).exists()
    assert not values.filter(value__isnull=True, not_available=False).exists()
    # Every closed quarter has an update of every Swale action not done before it (an
    # action submitted Complete is done, and not reported on again).
    for period in ReportingPeriod.objects.filter(plan__title=SWALE_PLAN, status="closed"):
        expected = Action.objects.filter(priority__plan__title=SWALE_PLAN).exclude(
            completed_in__quarter__lt=period.quarter
        )
        reported = updates.filter(period=period).values_list("action", flat=True)
        assert set(reported) == set(expected.values_list("pk", flat=True)), period.label


def test_the_open_quarter_leaves_work_for_the_demo_officers(demo):
    medway_q4 = ReportingPeriod.objects.get(plan__title=MEDWAY_PLAN, quarter=4)
    officer = User.objects.get(username="kent-police-officer")
    police_action = access.reportable_actions(officer).get(priority__plan__title=MEDWAY_PLAN)
    assert not ActionUpdate.objects.filter(action=police_action, period=medway_q4).exists()

    swale_q4 = ReportingPeriod.objects.get(plan__title=SWALE_PLAN, quarter=4)
    csu = User.objects.get(username="swale-csu-officer")
    csu_actions = access.reportable_actions(csu).filter(priority__plan__title=SWALE_PLAN)
    submitted = ActionUpdate.objects.filter(
        period=swale_q4, action__in=csu_actions, state=UpdateState.SUBMITTED
    )
    assert 0 < submitted.count() < csu_actions.count()
    police = User.objects.get(username="swale-police-officer")
    indicators = access.reportable_indicators(police)
    entered = IndicatorValue.objects.filter(period=swale_q4, indicator__in=indicators)
    assert 0 < entered.count() < indicators.count()


def test_every_sample_update_has_its_version_for_the_history(demo):
    # The demo's one update returned at sign-off keeps the return as a second version.
    updates = ActionUpdate.objects.filter(is_sample=True, returned_at=None).prefetch_related(
        "versions", "milestone_progress"
    )
    for update in updates:
        [version] = update.versions.all()
        assert version.number == update.version == 1
        assert (version.status, version.state) == (update.status, update.state)
        assert version.saved_by_id == update.saved_by_id
        assert len(version.milestones_done) == len(update.milestone_progress.all())


def test_what_demo_users_entered_is_kept_when_loading_again(demo):
    swale_q4 = ReportingPeriod.objects.get(plan__title=SWALE_PLAN, quarter=4)
    user = User.objects.get(username="swale-csu-officer")
    sample = ActionUpdate.objects.filter(
        period=swale_q4, action__in=access.reportable_actions(user)
    ).first()
    amended = action_update_save(
        user=user,
        action=sample.action,
        period=swale_q4,
        status=ActionUpdate.Status.OFF_TRACK,
        commentary="Paused while the venue is found.",
        next_steps="",
        milestones=[],
        submit=True,
        expected_version=1,
    )

    load()

    amended.refresh_from_db()
    assert (amended.version, amended.is_sample) == (2, False)
    assert amended.status == ActionUpdate.Status.OFF_TRACK
    assert amended.versions.count() == 2


def test_a_quarter_opened_before_loading_is_reused(seeded):
    swale = Plan.objects.get(title=SWALE_PLAN)
    opened = period_open(plan=swale, year=2019, quarter=4, deadline=swale.ends_on)

    load()

    [q4] = ReportingPeriod.objects.filter(plan=swale, year=2019, quarter=4)
    assert q4.pk == opened.pk and q4.deadline == swale.ends_on
    assert ActionUpdate.objects.filter(period=q4, is_sample=True).exists()


def test_demo_officers_are_reminded_of_what_is_left(demo, mailoutbox):
    out = StringIO()
    week_before = ReportingPeriod.objects.get(plan__title=MEDWAY_PLAN, quarter=4).deadline
    week_before -= timedelta(days=7)
    call_command("send_update_reminders", f"--today={week_before}", stdout=out)
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == [
        "kent-police-officer@example.invalid",
        "swale-csu-officer@example.invalid",
        "swale-police-officer@example.invalid",
    ]


@pytest.mark.django_db
def test_my_updates_marks_sample_rows_as_sample_data(client, seeded):
    load()
    client.login(username="swale-csu-officer", password=DEMO_PASSWORD)
    html = client.get(reverse("plans:my_updates")).content.decode()
    assert "Sample data</strong>" in html
