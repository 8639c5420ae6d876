"""The quarterly action update form and the action's progress history: drafts and
submissions, validation, late and closed quarters, admin corrections, lost-update protection,
the audit trail, who may do what, and query budgets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.access import forget_access
from plans.models import Membership, Plan, ReportingPeriod
from plans.services import period_close, period_open
from priorities.forms import ActionUpdateForm
from priorities.models import Action, ActionUpdate, MilestoneProgress, UpdateState
from priorities.services import MilestoneReport, action_update_save
from tests.conftest import SWALE, member

pytestmark = pytest.mark.django_db

CONCURRENT = "Someone else saved this update while you were editing it"


@pytest.fixture
def plan(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def action(plan) -> Action:
    """Led by the Swale Community Safety Unit, with three milestones."""
    return Action.objects.get(priority__plan=plan, ref="2.2")


@pytest.fixture
def period(plan) -> ReportingPeriod:
    """2019/20 Q2, open, with its deadline still to come."""
    return period_open(
        plan=plan, year=2019, quarter=2, deadline=timezone.localdate() + timedelta(days=30)
    )


@pytest.fixture
def late_period(plan) -> ReportingPeriod:
    """2019/20 Q2, open, its deadline long gone."""
    return period_open(plan=plan, year=2019, quarter=2, deadline=date(2019, 10, 15))


def url(action: Action, period: ReportingPeriod) -> str:
    return reverse("priorities:action_update", args=[action.pk, period.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(
    *,
    status: str = "on_track",
    commentary: str = "",
    next_steps: str = "",
    version: object = "",
    button: str = "draft",
    milestones: dict | None = None,
    **extra: str,
) -> dict[str, str]:
    """What the browser posts; ``milestones`` maps a milestone to its (day, month, year)."""
    data = {
        "status": status,
        "commentary": commentary,
        "next_steps": next_steps,
        "version": "" if version is None else str(version),
        "action": button,
        **extra,
    }
    for milestone, (day, month, year) in (milestones or {}).items():
        data[f"milestone_{milestone.pk}"] = "on"
        data[f"milestone_{milestone.pk}_date_day"] = str(day)
        data[f"milestone_{milestone.pk}_date_month"] = str(month)
        data[f"milestone_{milestone.pk}_date_year"] = str(year)
    return data


def save(user, action, period, *, commentary="Saved earlier", submit=False, version=None, **kw):
    """An update saved through the service, as another user's earlier save."""
    return action_update_save(
        user=user,
        action=action,
        period=period,
        status=kw.pop("status", ActionUpdate.Status.ON_TRACK),
        commentary=commentary,
        next_steps=kw.pop("next_steps", ""),
        milestones=kw.pop("milestones", []),
        submit=submit,
        expected_version=version,
        **kw,
    )


# --- The form ---------------------------------------------------------------------------------


def test_lead_officer_gets_the_form(csu_officer, action, period):
    response = signed_in(csu_officer).get(url(action, period))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Update action {action.ref} for 2019/20 Q2" in html
    for label in [
        "Not started",
        "On track (Green)",
        "At risk (Amber)",
        "Off track (Red)",
        "Complete",
    ]:
        assert label in html
    assert 'data-module="govuk-character-count"' in html and 'data-maxlength="2000"' in html
    assert "You can enter up to 2000 characters" in html  # shown without JavaScript too
    for milestone in action.milestones.all():
        assert milestone.text in html
        assert f'name="milestone_{milestone.pk}_date_day"' in html
    assert 'name="action" value="draft"' in html and "Save as draft" in html
    assert 'name="action" value="submit"' in html
    assert '<input type="hidden" name="version" id="id_version">' in html
    assert "csrfmiddlewaretoken" in html
    assert "Reason for correction" not in html


def test_draft_then_submit(csu_officer, action, period):
    client = signed_in(csu_officer)
    milestone = action.milestones.first()
    response = client.post(
        url(action, period),
        form_data(commentary="Panel met twice.", milestones={milestone: (3, 9, 2019)}),
    )
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    update = ActionUpdate.objects.get(action=action, period=period)
    assert (update.state, update.version, update.submitted_by) == (UpdateState.DRAFT, 1, None)
    assert update.versions.count() == 1
    progress = MilestoneProgress.objects.get(update=update, milestone=milestone)
    assert progress.done and progress.done_on == date(2019, 9, 3)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "govuk-notification-banner--success" in html and "Update saved as draft" in html

    # The form now starts from the draft, at its version.
    response = client.get(url(action, period))
    form = response.context["form"]
    assert form["version"].value() == 1 and form["commentary"].value() == "Panel met twice."
    assert form[f"milestone_{milestone.pk}"].value() is True
    html = response.content.decode()
    assert 'value="3"' in html  # the date's day, back in its box
    assert 'Saved now as <strong class="govuk-tag govuk-tag--green">On track (Green)' in html

    response = client.post(
        url(action, period),
        form_data(commentary="Panel met twice.", version=1, button="submit"),
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.state, update.version) == (UpdateState.SUBMITTED, 2)
    assert update.submitted_by == csu_officer and update.submitted_at is not None
    assert not update.is_late
    assert update.versions.count() == 2
    assert "Update submitted" in client.get(action.get_absolute_url()).content.decode()


def test_amending_a_submitted_update_keeps_it_submitted(csu_officer, action, period):
    save(csu_officer, action, period, submit=True)
    client = signed_in(csu_officer)
    assert "Save changes" in client.get(url(action, period)).content.decode()
    client.post(url(action, period), form_data(commentary="More detail.", version=1))
    update = ActionUpdate.objects.get(action=action, period=period)
    assert (update.state, update.commentary, update.version) == ("submitted", "More detail.", 2)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Changes saved: the update stays submitted" in html


@pytest.mark.parametrize(
    ("status", "label"),
    [("at_risk", "At risk (Amber)"), ("off_track", "Off track (Red)"), ("complete", "Complete")],
)
def test_commentary_is_required_for_amber_red_and_complete(
    csu_officer, action, period, status, label
):
    response = signed_in(csu_officer).post(url(action, period), form_data(status=status))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert f"Enter a progress commentary for status {label}" in html
    assert 'href="#id_commentary"' in html and 'id="id_commentary-error"' in html
    assert not ActionUpdate.objects.exists()


def test_green_needs_no_commentary(csu_officer, action, period):
    response = signed_in(csu_officer).post(url(action, period), form_data(status="on_track"))
    assert response.status_code == 302 and ActionUpdate.objects.count() == 1


def test_status_is_required(csu_officer, action, period):
    response = signed_in(csu_officer).post(url(action, period), form_data(status=""))
    html = response.content.decode()
    assert "Select the action&#x27;s status" in html and 'href="#id_status"' in html
    assert 'id="id_status"' in html  # the first radio carries the id the summary links to
    assert not ActionUpdate.objects.exists()


def test_commentary_over_the_limit_is_refused_on_the_server(csu_officer, action, period):
    response = signed_in(csu_officer).post(url(action, period), form_data(commentary="x" * 2001))
    html = response.content.decode()
    assert "Progress commentary must be 2000 characters or fewer" in html
    assert "x" * 2001 in html  # the text is kept for the user to shorten
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        (("", "", ""), "Enter the date milestone 1 was done"),
        ((31, 2, 2019), "Date milestone 1 was done must be a real date"),
        ((3, "", 2019), "Date milestone 1 was done must include a month"),
        (("", "", 2019), "Date milestone 1 was done must include a day and month"),
        ((3, 9, 19), "Date milestone 1 was done must include a year with 4 numbers"),
        (("x", 9, 2019), "Date milestone 1 was done must be a real date"),
    ],
)
def test_milestone_date_errors(csu_officer, action, period, entered, message):
    milestone = action.milestones.first()
    response = signed_in(csu_officer).post(
        url(action, period), form_data(milestones={milestone: entered})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'href="#id_milestone_{milestone.pk}_date"' in html
    assert f'id="id_milestone_{milestone.pk}_date"' in html  # the day box the link lands on
    assert not ActionUpdate.objects.exists()


def test_milestone_date_in_the_future_is_refused(csu_officer, action, period):
    milestone = action.milestones.first()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = signed_in(csu_officer).post(
        url(action, period),
        form_data(milestones={milestone: (tomorrow.day, tomorrow.month, tomorrow.year)}),
    )
    assert "Date milestone 1 was done must be today or in the past" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_a_date_without_the_tick_is_ignored(csu_officer, action, period):
    milestone = action.milestones.first()
    data = form_data(milestones={milestone: (3, 9, 2019)})
    del data[f"milestone_{milestone.pk}"]
    assert signed_in(csu_officer).post(url(action, period), data).status_code == 302
    progress = MilestoneProgress.objects.get(milestone=milestone)
    assert (progress.done, progress.done_on) == (False, None)


def test_every_error_is_shown_at_once(csu_officer, action, period):
    milestone = action.milestones.first()
    response = signed_in(csu_officer).post(
        url(action, period), form_data(status="off_track", milestones={milestone: ("", "", "")})
    )
    html = response.content.decode()
    assert "Enter a progress commentary for status Off track (Red)" in html
    assert "Enter the date milestone 1 was done" in html


def test_service_errors_reach_the_form():
    form = ActionUpdateForm({"status": "on_track"}, milestones=[])
    assert form.is_valid()
    form.add_service_errors(ValidationError({"commentary": "Too vague", "state": "Bad state"}))
    form.add_service_errors(ValidationError("Something else"))
    assert form.errors["commentary"] == ["Too vague"]
    assert form.non_field_errors() == ["Bad state", "Something else"]


# --- Late and closed quarters, admin corrections ------------------------------------------------


def test_submitting_after_the_deadline_marks_the_update_late(csu_officer, action, late_period):
    client = signed_in(csu_officer)
    html = client.get(url(action, late_period)).content.decode()
    assert "The deadline was 15 October 2019" in html and "marked late" in html
    client.post(url(action, late_period), form_data(button="submit"))
    update = ActionUpdate.objects.get(action=action, period=late_period)
    assert update.is_late and update.state == UpdateState.SUBMITTED
    html = client.get(action.get_absolute_url()).content.decode()
    assert 'govuk-tag--orange">Late</strong>' in html


def test_a_draft_after_the_deadline_is_not_late_yet(csu_officer, action, late_period):
    signed_in(csu_officer).post(url(action, late_period), form_data())
    assert not ActionUpdate.objects.get(action=action, period=late_period).is_late


def test_closed_quarter_is_refused_to_officers(csu_officer, action, period):
    save(csu_officer, action, period, submit=True)
    period_close(period=period)
    client = signed_in(csu_officer)
    response = client.get(url(action, period))
    html = response.content.decode()
    assert response.status_code == 403
    assert "2019/20 Q2 is closed" in html and "You cannot do this" in html
    assert 'class="govuk-heading-l"' in html  # our GOV.UK page, not Django's bare one
    assert client.post(url(action, period), form_data(version=1)).status_code == 403
    assert ActionUpdate.objects.get().version == 1


def test_admin_corrects_a_closed_quarter_with_a_reason(csu_officer, swale_admin, action, period):
    save(csu_officer, action, period, commentary="Originally said", submit=True)
    period_close(period=period)
    client = signed_in(swale_admin)
    html = client.get(url(action, period)).content.decode()
    assert "Reason for correction" in html and "2019/20 Q2 is closed" in html

    response = client.post(url(action, period), form_data(commentary="Corrected", version=1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter why you are correcting a closed quarter" in html
    assert 'href="#id_correction_reason"' in html
    assert ActionUpdate.objects.get().commentary == "Originally said"

    response = client.post(
        url(action, period),
        form_data(commentary="Corrected", version=1, correction_reason="Figures were wrong"),
    )
    assert response.status_code == 302
    update = ActionUpdate.objects.get()
    assert (update.commentary, update.version) == ("Corrected", 2)
    assert update.versions.first().correction_reason == "Figures were wrong"
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Reason for correction:</strong> Figures were wrong" in html
    assert 'Correct<span class="govuk-visually-hidden"> the update for 2019/20 Q2' in html


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
