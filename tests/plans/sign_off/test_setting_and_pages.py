"""Turning sign-off on and off mid-quarter, who signs off for what, the Sign-off page's query
budget, and where awaiting items show on other pages and in the menu."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from indicators.services import ValueEntry, indicator_value_save
from plans import access_items
from plans.models import Agency, Membership, Plan
from plans.signoff import services as signoff
from plans.signoff.fields import ItemState
from priorities.models import Action, ActionUpdate
from tests.plans.sign_off.signing import (
    CSU,
    POLICE,
    enter_value,
    page,
    reported,
    submit_update,
)
from tests.plans.test_dashboards import element

pytestmark = pytest.mark.django_db


# --- Turning sign-off on and off mid-quarter -------------------------------------------------


def test_turning_sign_off_off_mid_quarter_counts_what_awaits(
    client, swale, csu_officer, police_officer, swale_admin, news,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    update = submit_update(swale, csu_officer)
    value = enter_value(swale, police_officer)
    before = reported(swale)
    client.force_login(swale_admin)
    url = reverse("plans:partnership_sign_off", args=[swale["plan"].partnership_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"sign_off": "no"}, follow=True)
    assert "Sign-off turned off: 2 items awaiting it now count" in response.content.decode()
    update.refresh_from_db()
    value.refresh_from_db()
    assert update.counts and value.counts
    assert reported(swale) == (before[0] + 1, before[1] + 1)
    assert set(news["counted"]) == {update, value}
    assert update.versions.first().sign_off_note == signoff.COUNTED_WHEN_TURNED_OFF
    partnership = swale["plan"].partnership
    partnership.refresh_from_db()
    assert not partnership.sign_off
    assert any("sign_off" in e.changes for e in LogEntry.objects.get_for_object(partnership))


def test_turning_sign_off_on_mid_quarter_leaves_submitted_items_counted(
    client, swale, csu_officer, police_officer, swale_admin
):
    partnership = swale["plan"].partnership
    partnership.sign_off = False
    partnership.save()
    update = submit_update(swale, csu_officer)
    before = reported(swale)
    client.force_login(swale_admin)
    url = reverse("plans:partnership_sign_off", args=[partnership.pk])
    response = client.post(url, {"sign_off": "yes"}, follow=True)
    assert "Sign-off turned on" in response.content.decode()
    update.refresh_from_db()
    assert update.counts and reported(swale) == before
    partnership.refresh_from_db()
    value = enter_value(swale, police_officer)  # from now on, submissions wait
    assert value.is_awaiting_sign_off and reported(swale) == before


def test_setting_page_needs_a_choice_and_lists_signers(client, swale, swale_admin, csu_signer):
    client.force_login(swale_admin)
    url = reverse("plans:partnership_sign_off", args=[swale["plan"].partnership_id])
    markup = page(client, url)
    assert "Sign-off – " in markup and element(markup, "sign-off-state") == "Sign-off is on."
    assert "Swale CSU" in element(markup, "signers") or CSU in element(markup, "signers")
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Choose whether updates need signing off" in response.content.decode()


# --- Who signs off for what: the member page ---------------------------------------------------


def test_admin_marks_an_officer_as_signing_off(client, swale, swale_admin, csu_officer):
    membership = Membership.objects.get(user=csu_officer)
    csu = Agency.objects.get(name=CSU)
    client.force_login(swale_admin)
    url = reverse("plans:member_edit", args=[membership.pk])
    assert "Agencies they sign off for" in page(client, url)
    response = client.post(
        url, {"role": "officer", "agencies": [csu.pk], "signs_off_for": [csu.pk]}
    )
    assert response.status_code == 302
    assert list(membership.signs_off_for.all()) == [csu]
    entry = LogEntry.objects.get_for_object(membership).first()
    assert "signs_off_for" in entry.changes


def test_only_officers_sign_off(client, swale, swale_admin, seg_member):
    membership = Membership.objects.get(user=seg_member)
    csu = Agency.objects.get(name=CSU)
    client.force_login(swale_admin)
    response = client.post(
        reverse("plans:member_edit", args=[membership.pk]),
        {"role": "seg", "signs_off_for": [csu.pk]},
    )
    assert response.status_code == 200
    assert "Only officers sign off: untick these agencies" in response.content.decode()
    assert not membership.signs_off_for.exists()


# --- Query budget of the Sign-off page ---------------------------------------------------------


def _awaiting(plan: Plan, count: int, author) -> None:
    """``count`` awaiting updates on the plan's CSU-led actions in its open quarter."""
    period = plan.periods.get()
    actions = Action.objects.led_by(Agency.objects.get(name=CSU)).filter(priority__plan=plan)
    for action in list(actions)[:count]:
        ActionUpdate.objects.create(
            action=action, period=period, status="on_track", commentary="Fine.",
            state=ItemState.AWAITING, saved_at=period.opened_at, saved_by=author,
            submitted_by=author,
            submitted_at=period.opened_at,
        )  # fmt: skip


@pytest.mark.parametrize("count", [1, 8])
def test_sign_off_page_query_budget(
    client, swale, csu_officer, csu_signer, police_officer, police_signer, count,
    django_assert_max_num_queries,
):  # fmt: skip
    _awaiting(swale["plan"], count, csu_officer)
    enter_value(swale, police_officer)
    Membership.objects.get(user=csu_signer).signs_off_for.add(Agency.objects.get(name=POLICE))
    assert ActionUpdate.objects.awaiting_sign_off().count() == count
    client.force_login(csu_signer)
    with django_assert_max_num_queries(14):
        markup = page(client, reverse("plans:sign_off"))
    assert element(markup, "sign-off-count") == f"{count + 1} items await your sign-off"


def test_an_admin_correction_of_a_closed_quarter_counts_at_once(swale, swale_admin):
    from plans.services import period_close

    period_close(period=swale["period"])
    swale["period"].refresh_from_db()
    swale["period"].plan = swale["plan"]
    entry = ValueEntry(indicator=swale["indicator"], value=Decimal("9"), not_available=False)
    value = indicator_value_save(
        user=swale_admin, period=swale["period"], entry=entry, correction_reason="Typo."
    )
    assert value.counts


def test_indicator_page_marks_a_value_awaiting_sign_off(client, swale, police_officer, reader):
    enter_value(swale, police_officer)
    client.force_login(reader)
    markup = page(client, swale["indicator"].get_absolute_url())
    assert "Awaiting sign-off" in markup


def test_reminders_leave_out_what_awaits_sign_off(swale, csu_officer, police_officer):
    from plans.reminders import actions_due, indicators_due

    update = submit_update(swale, csu_officer)
    value = enter_value(swale, police_officer)
    assert update.action not in actions_due(csu_officer, swale["period"], officer=True)
    assert value.indicator not in indicators_due(police_officer, swale["period"], officer=True)


def test_changing_an_approved_update_needs_signing_off_again(
    client, swale, csu_officer, csu_signer
):
    update = submit_update(swale, csu_officer)
    signoff.item_approve(user=csu_signer, item=update)
    update.refresh_from_db()
    client.force_login(csu_officer)
    url = reverse("priorities:action_update", args=[update.action_id, update.period_id])
    response = client.post(url, {
        "status": "off_track", "commentary": "Worse than we said.", "next_steps": "",
        "action": "draft", "version": str(update.version),
    }, follow=True)  # fmt: skip
    assert "Changes saved: the update awaits sign-off again" in response.content.decode()
    update.refresh_from_db()
    assert update.is_awaiting_sign_off and update.signed_off_by is None
    assert access_items.sign_off_queue(csu_signer)[0] == [update]


def test_my_updates_points_to_sign_off_when_it_is_on(client, swale, csu_officer):
    client.force_login(csu_officer)
    markup = page(client, reverse("plans:my_updates"))
    assert reverse("plans:sign_off") in element_html(markup, "sign-off-note")


def element_html(markup: str, element_id: str) -> str:
    start = markup.index(f'id="{element_id}"')
    return markup[start : markup.index("</p>", start)]


def test_what_awaits_sign_off_is_marked_among_the_missing(client, swale, csu_officer, seg_member):
    update = submit_update(swale, csu_officer)
    client.force_login(seg_member)
    for url in (
        reverse("plans:plan_dashboard", args=[swale["plan"].pk]),
        reverse("plans:period_detail", args=[swale["period"].pk]),
    ):
        markup = page(client, url)
        start = markup.index(" ".join(update.action.title.split()[:5]))
        assert "Awaiting sign-off" in markup[start : markup.index("</li>", start)], url


# --- The menu ---------------------------------------------------------------------------------


def menu_labels(client, user) -> str:
    client.force_login(user, backend="csp_tracker.accounts.backends.AccountBackend")
    return element(page(client, reverse("home")), "navigation")


def test_the_menu_shows_sign_off_to_signers_while_sign_off_is_on(
    client, swale, csu_officer, csu_signer
):
    assert "Sign-off" in menu_labels(client, csu_signer)
    assert "Sign-off" not in menu_labels(client, csu_officer)

    swale["plan"].partnership.sign_off = False
    swale["plan"].partnership.save()
    assert "Sign-off" not in menu_labels(client, csu_signer)
