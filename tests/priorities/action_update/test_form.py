"""The form: drafts and submissions, validation, late and closed quarters, admin corrections."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.services import period_close
from priorities.forms import ActionUpdateForm
from priorities.models import ActionUpdate, MilestoneProgress, UpdateState
from tests.priorities.action_update.forms import form_data, save, signed_in, url

pytestmark = pytest.mark.django_db


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
