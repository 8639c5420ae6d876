"""Optional sign-off: a submitted update or value awaits an officer who signs off for its lead
agency, who approves it (then it counts) or returns it with what to change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from indicators.services import ValueEntry, indicator_value_save
from plans import access_items, events, reporting
from plans.models import Agency, Membership, Plan
from plans.services import period_open
from plans.signoff import services as signoff
from plans.signoff.fields import ItemState
from priorities.models import Action, ActionUpdate
from priorities.services import action_update_save
from tests.conftest import MEDWAY, SWALE, member
from tests.plans.test_dashboards import element

pytestmark = pytest.mark.django_db

CSU, POLICE = "Swale Community Safety Unit", "Kent Police"


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    period.plan = plan
    plan.partnership.sign_off = True
    plan.partnership.save()
    return {
        "plan": plan,
        "period": period,
        "action": Action.objects.get(priority__plan=plan, ref="2.2"),  # led by the CSU
        "indicator": Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime"),
    }


def signer(username: str, agencies: list[str], role: str = Membership.Role.OFFICER, where=SWALE):
    """A member who signs off for ``agencies`` (and reports for them too)."""
    user = member(username, where, role, agencies if role == Membership.Role.OFFICER else ())
    membership = Membership.objects.get(user=user)
    membership.signs_off_for.set(Agency.objects.filter(name__in=agencies))
    return user


@pytest.fixture
def csu_signer(seeded):
    return signer("csu-signer", [CSU])


@pytest.fixture
def police_signer(seeded):
    return signer("police-signer", [POLICE])


def submit_update(swale, user, status="on_track", commentary="On course.") -> ActionUpdate:
    current = ActionUpdate.objects.filter(action=swale["action"], period=swale["period"]).first()
    return action_update_save(
        user=user, action=swale["action"], period=swale["period"], status=status,
        commentary=commentary, next_steps="", milestones=[], submit=True,
        expected_version=current.version if current else None,
    )  # fmt: skip


def enter_value(swale, user, value="12") -> IndicatorValue:
    current = IndicatorValue.objects.filter(
        indicator=swale["indicator"], period=swale["period"]
    ).first()
    entry = ValueEntry(
        indicator=swale["indicator"], value=Decimal(value), not_available=False,
        expected_version=current.version if current else None,
    )  # fmt: skip
    return indicator_value_save(user=user, period=swale["period"], entry=entry)


def reported(swale) -> tuple[int, int]:
    """(actions, indicators) that count in the quarter's report."""
    report = reporting.quarter_report(plan=swale["plan"], period=swale["period"])
    return report.completeness.actions_reported, report.completeness.indicators_reported


@pytest.fixture
def news():
    """Everything announced or counted, after commit."""
    received: dict[str, list] = {"news": [], "counted": []}

    def on_news(sender, **kwargs):
        received["news"].append(kwargs)

    def on_counted(sender, item, **kwargs):
        received["counted"].append(item)

    events.news.connect(on_news)
    events.item_counted.connect(on_counted)
    yield received
    events.news.disconnect(on_news)
    events.item_counted.disconnect(on_counted)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


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
