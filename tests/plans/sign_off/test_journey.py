"""Submit, return, resubmit and approve (updates and values), and who may sign off what."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from plans import access_items, events
from plans.models import Agency, Membership
from plans.signoff import services as signoff
from plans.signoff.fields import ItemState
from priorities.models import ActionUpdate
from tests.conftest import MEDWAY, SWALE
from tests.plans.sign_off.signing import (
    CSU,
    POLICE,
    enter_value,
    page,
    reported,
    signer,
    submit_update,
)
from tests.plans.test_dashboards import element

pytestmark = pytest.mark.django_db


# --- The journey -----------------------------------------------------------------------------


def test_submit_return_resubmit_approve(
    client, swale, csu_officer, csu_signer, news, django_capture_on_commit_callbacks
):
    before = reported(swale)
    action, period = swale["action"], swale["period"]
    update_url = reverse("priorities:action_update", args=[action.pk, period.pk])
    client.force_login(csu_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(update_url, {
            "status": "at_risk", "commentary": "Venue fell through.", "next_steps": "",
            "action": "submit", "version": "",
        })  # fmt: skip
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action, period=period)
    assert update.state == ItemState.AWAITING
    assert reported(swale) == before  # not counted while it awaits sign-off
    assert news["counted"] == []
    [awaiting] = news["news"]
    assert awaiting["kind"] == events.AWAITING_SIGN_OFF
    assert awaiting["recipients"] == [csu_signer]  # not its author
    assert "Awaiting sign-off" in page(client, update_url)

    # The signer returns it: without a comment nothing changes.
    client.force_login(csu_signer)
    sign_off = page(client, reverse("plans:sign_off"))
    assert f"Action {action.display_ref}" in sign_off and "Venue fell through." in sign_off
    decide = reverse("plans:sign_off_decide", args=["update", update.pk])
    refused = client.post(decide, {"decision": "return", f"update-{update.pk}-comment": " "})
    assert refused.status_code == 200
    assert "Enter what needs to change before you can sign it off" in refused.content.decode()
    assert ActionUpdate.objects.get(pk=update.pk).state == ItemState.AWAITING
    with django_capture_on_commit_callbacks(execute=True):
        comment = "Say when the new venue is booked."
        response = client.post(
            decide, {"decision": "return", f"update-{update.pk}-comment": comment}
        )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.state, update.return_comment) == ("draft", "Say when the new venue is booked.")
    returned = news["news"][-1]
    assert returned["kind"] == events.UPDATE_RETURNED
    assert returned["recipients"] == [csu_officer]
    assert returned["url"] == update_url
    assert returned["key"] == f"returned:actionupdate:{update.pk}:{update.version}"
    assert reported(swale) == before

    # Back with the officer: on the form and on My updates, with the comment.
    client.force_login(csu_officer)
    form = page(client, update_url)
    assert "Returned for changes" in form and "Say when the new venue is booked." in form
    my_updates = page(client, reverse("plans:my_updates"))
    assert "1 returned for changes" in my_updates
    assert "Say when the new venue is booked." in element(
        my_updates, f"action-{action.pk}-period-{period.pk}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(update_url, {
            "status": "at_risk", "commentary": "New venue booked for 3 March.",
            "next_steps": "", "action": "submit", "version": str(update.version),
        })  # fmt: skip
    update.refresh_from_db()
    assert update.state == ItemState.AWAITING
    assert reported(swale) == before

    # Approved: now it counts.
    client.force_login(csu_signer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide, {"decision": "approve"})
    update.refresh_from_db()
    assert update.state == ItemState.SUBMITTED and update.signed_off_by == csu_signer
    assert not update.signed_off_by_author
    assert reported(swale) == (before[0] + 1, before[1])
    assert news["counted"] == [update]
    assert "Nothing awaits your sign-off" in page(client, reverse("plans:sign_off"))

    # The whole exchange is in the history and the audit trail.
    notes = list(update.versions.order_by("number").values_list("state", "sign_off_note"))
    assert notes == [
        ("awaiting", ""),
        ("draft", "Returned: Say when the new venue is booked."),
        ("awaiting", ""),
        ("submitted", "Signed off"),
    ]
    detail = page(client, action.get_absolute_url())
    assert "Returned: Say when the new venue is booked." in detail
    changes = [e.changes for e in LogEntry.objects.get_for_object(update)]
    assert any("return_comment" in c for c in changes)
    assert any("signed_off_by" in c for c in changes)


def test_indicator_value_returned_then_approved(
    swale, police_officer, police_signer, news, django_capture_on_commit_callbacks
):
    before = reported(swale)
    with django_capture_on_commit_callbacks(execute=True):
        value = enter_value(swale, police_officer)
    assert value.state == ItemState.AWAITING and reported(swale) == before
    assert news["news"][0]["recipients"] == [police_signer]
    with django_capture_on_commit_callbacks(execute=True):
        signoff.item_return(user=police_signer, item=value, comment="Check the October figure.")
    value.refresh_from_db()
    assert value.is_returned
    assert news["news"][-1]["url"] == reverse(
        "indicators:indicator_value", args=[value.indicator_id, value.period_id]
    )
    value = enter_value(swale, police_officer, "13")
    assert value.state == ItemState.AWAITING
    with django_capture_on_commit_callbacks(execute=True):
        signoff.item_approve(user=police_signer, item=value)
    assert reported(swale) == (before[0], before[1] + 1)
    assert news["counted"] == [value]


def test_value_form_shows_the_return_comment(client, swale, police_officer, police_signer):
    value = enter_value(swale, police_officer)
    signoff.item_return(user=police_signer, item=value, comment="Check the October figure.")
    client.force_login(police_officer)
    url = reverse("indicators:indicator_value", args=[value.indicator_id, value.period_id])
    assert "Check the October figure." in element(page(client, url), "returned")


def test_a_decision_taken_already_is_refused(swale, csu_officer, csu_signer):
    update = submit_update(swale, csu_officer)
    signoff.item_approve(user=csu_signer, item=update)
    with pytest.raises(Exception, match="no longer awaits sign-off"):
        signoff.item_return(user=csu_signer, item=update, comment="Too late.")


def test_dashboard_shows_how_many_await_and_counts_only_approved(
    client, swale, csu_officer, csu_signer, seg_member
):
    dashboard = reverse("plans:plan_dashboard", args=[swale["plan"].pk])
    client.force_login(seg_member)
    assert element(page(client, dashboard), "awaiting-sign-off") == (
        "None: everything submitted is signed off"
    )
    completeness = element(page(client, dashboard), "completeness")
    update = submit_update(swale, csu_officer)
    markup = page(client, dashboard)
    assert element(markup, "awaiting-sign-off").startswith("1 update or value: not counted")
    assert element(markup, "completeness") == completeness
    signoff.item_approve(user=csu_signer, item=update)
    markup = page(client, dashboard)
    assert element(markup, "awaiting-sign-off") == "None: everything submitted is signed off"
    assert element(markup, "completeness") != completeness


def test_without_sign_off_a_submission_counts_at_once(
    client, swale, csu_officer, news, django_capture_on_commit_callbacks
):
    partnership = swale["plan"].partnership
    partnership.sign_off = False
    partnership.save()
    swale["period"].plan.partnership = partnership
    before = reported(swale)
    with django_capture_on_commit_callbacks(execute=True):
        update = submit_update(swale, csu_officer)
    assert update.state == ItemState.SUBMITTED
    assert reported(swale) == (before[0] + 1, before[1])
    assert news["counted"] == [update] and news["news"] == []
    client.force_login(csu_officer)
    dashboard = page(client, reverse("plans:plan_dashboard", args=[swale["plan"].pk]))
    assert 'id="awaiting-sign-off"' not in dashboard


# --- Who may sign off ------------------------------------------------------------------------


def _item(swale, kind, author):
    return submit_update(swale, author) if kind == "update" else enter_value(swale, author)


# (who, their role, the agencies their membership signs off for, where): may they sign off
# the CSU's action update and Kent Police's indicator value?
MATRIX = [
    ("csu signer", Membership.Role.OFFICER, [CSU], SWALE, True, False),
    ("police signer", Membership.Role.OFFICER, [POLICE], SWALE, False, True),
    ("both", Membership.Role.OFFICER, [CSU, POLICE], SWALE, True, True),
    ("officer not signing", Membership.Role.OFFICER, [], SWALE, False, False),
    ("seg", Membership.Role.SEG, [CSU, POLICE], SWALE, False, False),
    ("admin", Membership.Role.ADMIN, [CSU, POLICE], SWALE, False, False),
    ("medway officer", Membership.Role.OFFICER, [CSU, POLICE], MEDWAY, False, False),
]


@pytest.mark.parametrize(("who", "role", "agencies", "where", "update_ok", "value_ok"), MATRIX)
def test_who_may_sign_off(
    client, swale, csu_officer, police_officer, who, role, agencies, where, update_ok, value_ok
):
    user = signer("judge", agencies, role, where)
    if not agencies:  # an officer of both agencies who does not sign off
        Membership.objects.get(user=user).agencies.set(Agency.objects.filter(name=CSU))
    update = submit_update(swale, csu_officer)
    value = enter_value(swale, police_officer)
    assert access_items.can_sign_off(user, update) is update_ok
    assert access_items.can_sign_off(user, value) is value_ok
    updates, values = access_items.sign_off_queue(user)
    assert (update in updates, value in values) == (update_ok, value_ok)
    client.force_login(user)
    for kind, item, ok in (("update", update, update_ok), ("value", value, value_ok)):
        response = client.post(
            reverse("plans:sign_off_decide", args=[kind, item.pk]), {"decision": "approve"}
        )
        expected = 302 if ok else (404 if where == MEDWAY else 403)
        assert response.status_code == expected, (who, kind)
        item.refresh_from_db()
        assert item.counts is ok


def test_nobody_signs_off_their_own_update_when_someone_else_can(swale, csu_signer):
    Membership.objects.get(user=csu_signer).agencies.set(Agency.objects.filter(name=CSU))
    other = signer("other-csu-signer", [CSU])
    update = submit_update(swale, csu_signer)
    assert not access_items.can_sign_off(csu_signer, update)
    assert access_items.sign_off_queue(csu_signer) == ([], [])
    with pytest.raises(PermissionDenied):
        signoff.item_approve(user=csu_signer, item=update)
    assert access_items.sign_off_queue(other)[0] == [update]


def test_the_only_signer_signs_off_their_own_and_it_is_marked(client, swale, csu_signer):
    update = submit_update(swale, csu_signer)
    assert access_items.sign_off_queue(csu_signer)[0] == [update]
    client.force_login(csu_signer)
    assert "nobody else signs off for this agency" in page(client, reverse("plans:sign_off"))
    client.post(
        reverse("plans:sign_off_decide", args=["update", update.pk]), {"decision": "approve"}
    )
    update.refresh_from_db()
    assert update.counts and update.signed_off_by_author
    assert update.versions.first().sign_off_note == signoff.AUTHOR_ONLY_SIGNER
    form = page(
        client, reverse("priorities:action_update", args=[update.action_id, update.period_id])
    )
    assert "signed off by its author, the only signer" in element(form, "signed-off")


def test_unknown_kind_is_not_found(client, csu_signer, swale):
    client.force_login(csu_signer)
    url = reverse("plans:sign_off_decide", args=["risk", 1])
    assert client.post(url, {"decision": "approve"}).status_code == 404
