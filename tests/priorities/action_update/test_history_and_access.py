"""No lost updates, the history and audit trail, who may do what, and query budgets."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from plans.access import forget_access
from plans.models import Membership, Plan, ReportingPeriod
from plans.services import period_open
from priorities.models import ActionUpdate
from priorities.services import MilestoneReport
from tests.conftest import SWALE, member
from tests.priorities.action_update.forms import CONCURRENT, form_data, save, signed_in, url

pytestmark = pytest.mark.django_db


# --- No lost updates --------------------------------------------------------------------------


def test_second_save_of_a_new_update_is_refused_and_shows_the_first(csu_officer, action, period):
    colleague = member(
        "csu-officer-2", SWALE, Membership.Role.OFFICER, ["Swale Community Safety Unit"]
    )
    first, second = signed_in(csu_officer), signed_in(colleague)
    for client in (first, second):  # both open the empty form
        assert client.get(url(action, period)).context["form"]["version"].value() is None

    first_save = form_data(commentary="First person's text", next_steps="Meet again")
    assert first.post(url(action, period), first_save).status_code == 302
    response = second.post(
        url(action, period), form_data(status="at_risk", commentary="Second person's text")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert CONCURRENT in html and 'href="#concurrent-edit"' in html
    assert "<title>Error: " in html
    assert "First person&#x27;s text" in html and "Meet again" in html  # what was saved
    assert "csu-officer" in html  # and who saved it
    assert "Second person&#x27;s text" in html  # the user's own input is kept
    form = response.context["form"]
    assert form["version"].value() == "1"  # a fresh version: saving again overwrites
    update = ActionUpdate.objects.get()
    assert (update.commentary, update.version, update.versions.count()) == (
        "First person's text",
        1,
        1,
    )

    response = second.post(
        url(action, period),
        form_data(status="at_risk", commentary="Second person's text", version=1),
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.commentary, update.saved_by, update.version) == (
        "Second person's text",
        colleague,
        2,
    )


def test_stale_version_of_an_existing_update_is_refused(csu_officer, swale_admin, action, period):
    save(csu_officer, action, period, commentary="Version one")
    save(swale_admin, action, period, commentary="Admin's version two", version=1)
    response = signed_in(csu_officer).post(
        url(action, period), form_data(commentary="Officer's edit of one", version=1)
    )
    html = response.content.decode()
    assert CONCURRENT in html and "Admin&#x27;s version two" in html
    assert "swale-admin" in html
    assert response.context["form"]["version"].value() == "2"
    assert ActionUpdate.objects.get().commentary == "Admin's version two"


# --- History and audit ------------------------------------------------------------------------


def test_action_page_shows_every_quarters_update_and_its_versions(
    csu_officer, action, period, plan
):
    milestone = action.milestones.first()
    q1 = period_open(plan=plan, year=2019, quarter=1, deadline=date(2019, 7, 15))
    save(
        csu_officer,
        action,
        q1,
        commentary="Q1 words",
        submit=True,
        milestones=[MilestoneReport(milestone, True, date(2019, 6, 1))],
    )
    client = signed_in(csu_officer)
    client.post(url(action, period), form_data(status="at_risk", commentary="Draft words"))
    client.post(
        url(action, period),
        form_data(
            status="at_risk",
            commentary="Final words",
            next_steps="Review",
            version=1,
            button="submit",
        ),
    )
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Progress" in html
    assert "2019/20 Q1" in html and "2019/20 Q2" in html
    assert "Q1 words" in html and "Final words" in html and "Review" in html
    assert 'govuk-tag--yellow">At risk (Amber)</strong>' in html
    assert 'govuk-tag--teal">Submitted</strong>' in html
    assert f"{milestone.text} – done 1 June 2019" in html
    assert "By csu-officer on" in html
    assert "Versions of the 2019/20 Q2 update (2)" in html
    assert "Draft words" in html  # the earlier version is kept and shown
    assert 'class="govuk-details"' in html or 'class="govuk-details ' in html
    assert "Update for 2019/20 Q2" in html and url(action, period) in html
    assert "Audit trail" not in html  # admins only


def test_reader_sees_history_but_no_update_links(seg_member, csu_officer, action, period):
    save(csu_officer, action, period, commentary="Visible to the SEG")
    html = signed_in(seg_member).get(action.get_absolute_url()).content.decode()
    assert "Visible to the SEG" in html
    assert "Update for 2019/20 Q2" not in html and url(action, period) not in html


def test_saves_are_audited_with_their_actor(csu_officer, swale_admin, action, period):
    signed_in(csu_officer).post(url(action, period), form_data(commentary="Audited"))
    update = ActionUpdate.objects.get()
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ActionUpdate), object_pk=str(update.pk)
    )
    assert entries.filter(action=LogEntry.Action.CREATE, actor=csu_officer).exists()
    html = signed_in(swale_admin).get(action.get_absolute_url()).content.decode()
    assert "Audit trail" in html
    assert "Created " in html and "csu-officer" in html
    assert "(empty) → Audited" in html
    assert "(empty) → On track (Green)" in html  # choices shown as their labels
    assert "<strong>Saved by</strong>: (empty) → csu-officer" in html  # people by name
    assert "<strong>Period</strong>: (empty) → 2019/20 Q2" in html
    assert "<strong>Is late</strong>: (empty) → No" in html
    assert "<strong>Versions</strong>" not in html and "<strong>ID</strong>" not in html


# --- Who may do what --------------------------------------------------------------------------


def test_seg_member_may_not_update(seg_member, action, period):
    client = signed_in(seg_member)
    response = client.get(url(action, period))
    assert response.status_code == 403
    assert "Only the lead agency" in response.content.decode()
    assert client.post(url(action, period), form_data()).status_code == 403
    assert not ActionUpdate.objects.exists()


def test_officer_of_another_agency_may_not_update(police_officer, action, period):
    client = signed_in(police_officer)
    assert client.get(url(action, period)).status_code == 403
    assert client.post(url(action, period), form_data()).status_code == 403
    assert not ActionUpdate.objects.exists()


def test_other_partnership_gets_404(outsider, action, period):
    client = signed_in(outsider)
    response = client.get(url(action, period))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert client.post(url(action, period), form_data()).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, action, period):
    for response in (client.get(url(action, period)), client.post(url(action, period), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_delegate_may_update(police_officer, action, period):
    action.delegates.add(police_officer)
    forget_access(police_officer)
    client = signed_in(police_officer)
    assert client.get(url(action, period)).status_code == 200
    assert client.post(url(action, period), form_data()).status_code == 302
    assert ActionUpdate.objects.get().saved_by == police_officer


def test_quarter_of_another_plan_is_404(csu_officer, swale_admin, action, seeded):
    other = (
        Plan.objects.exclude(pk=action.priority.plan_id)
        .filter(partnership=action.priority.plan.partnership)
        .first()
        or Plan.objects.exclude(pk=action.priority.plan_id).first()
    )
    other_period = ReportingPeriod.objects.create(
        plan=other, year=other.start_year, quarter=1, deadline=date(other.start_year, 7, 15)
    )
    assert signed_in(swale_admin).get(url(action, other_period)).status_code == 404
    missing = reverse("priorities:action_update", args=[action.pk, 99999])
    assert signed_in(csu_officer).get(missing).status_code == 404


# --- Query budgets ------------------------------------------------------------------------------


def fill_history(user, action, plan, *, versions: int) -> None:
    """Every quarter of the plan opened, each with an update saved ``versions`` times and
    every milestone done."""
    milestones = [MilestoneReport(m, True, date(2019, 6, 1)) for m in action.milestones.all()]
    for quarter in range(1, 5):
        quarter_period = period_open(
            plan=plan, year=2019, quarter=quarter, deadline=date(2020, 5, 1)
        )
        for version in range(versions):
            save(
                user,
                action,
                quarter_period,
                commentary=f"v{version}",
                milestones=milestones,
                version=version or None,
            )


# Session, user and memberships (4), the action, the right to report, the quarter, the
# update, its milestones' progress and the action's milestones; the last submitted update of an
# earlier quarter and the milestones it reported done (carried over).
FORM_BUDGET = 13  # +1: the quarter's questions and evidence (plans.collaboration)


@pytest.mark.parametrize("size", ["small", "large"])
def test_form_query_budget(
    request, csu_officer, action, period, plan, size, django_assert_max_num_queries
):
    if size == "large":
        request.getfixturevalue("large_data")
        fill_history(csu_officer, action, plan, versions=5)
    client = signed_in(csu_officer)
    with django_assert_max_num_queries(FORM_BUDGET):
        response = client.get(url(action, period))
    assert response.status_code == 200


# Session, user and memberships (4), then the page: the action, its quarters with their
# updates, milestones done and versions, the officer's right to report, supporters,
# milestones, indicators and reopenings; an admin's audit trail adds the entries and one
# query for each kind of thing they name (people, quarters, actions); the milestones'
# supporting agencies and the indicators that measure the action add one each; +3 each for
# the questions and evidence panel (quarters, comments, files); +2: its funding lines and the
# groups its priority's indicators are reported to.
PAGE_BUDGETS = {"csu_officer": 21, "seg_member": 21, "swale_admin": 26}  # admin: +content types


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("who", PAGE_BUDGETS)
def test_action_page_query_budget(
    request, csu_officer, action, plan, size, who, django_assert_max_num_queries
):
    if size == "large":
        request.getfixturevalue("large_data")
        fill_history(csu_officer, action, plan, versions=5)
    else:
        fill_history(csu_officer, action, plan, versions=1)
    client = signed_in(request.getfixturevalue(who))
    with django_assert_max_num_queries(PAGE_BUDGETS[who]):
        response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    assert "2019/20 Q4" in response.content.decode()
