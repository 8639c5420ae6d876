"""Entering one value at a time: saving, validation, late and closed quarters, lost updates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorValue
from plans.models import Membership, Plan
from plans.services import period_close, period_open
from tests.conftest import MEDWAY, SWALE, member
from tests.indicators.indicator_values.entering import (
    FAR_DEADLINE,
    post_value,
    signed_in,
    value_url,
)

pytestmark = pytest.mark.django_db


# --- One value at a time ---------------------------------------------------------------------


def test_officer_enters_a_value_and_sees_it_on_the_indicator_page(police_officer, q2, dv):
    client = signed_in(police_officer)
    form = client.get(value_url(dv, q2))
    assert form.status_code == 200
    html = form.content.decode()
    assert "Enter value for 2019/20 Q2" in html and "Value for 2019/20 Q2" in html
    assert "csrfmiddlewaretoken" in html and "govuk-input__suffix" not in html

    response = post_value(client, dv, q2, value="42", note="Up on last year")
    assert response.status_code == 302 and response["Location"] == dv.get_absolute_url()
    saved = IndicatorValue.objects.get(indicator=dv, period=q2)
    assert (saved.value, saved.note, saved.entered_by, saved.version) == (
        Decimal("42"), "Up on last year", police_officer, 1,
    )  # fmt: skip
    assert not saved.is_late and not saved.not_available

    html = client.get(dv.get_absolute_url()).content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Value for 2019/20 Q2 saved" in html
    assert "<strong>42</strong>" in html and "Up on last year" in html and "police-officer" in html


def test_officer_changes_a_saved_value(police_officer, q2, dv):
    client = signed_in(police_officer)
    post_value(client, dv, q2, value="42")
    form = client.get(value_url(dv, q2))
    assert form.context["form"]["version"].value() == 1
    assert 'value="42"' in form.content.decode()  # shown as typed, not 42.000
    response = post_value(client, dv, q2, value="12.5", version="1")
    assert response.status_code == 302
    saved = IndicatorValue.objects.get(indicator=dv, period=q2)
    assert (saved.value, saved.version) == (Decimal("12.5"), 2)


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        (Indicator.Unit.PERCENTAGE, "150", "Enter a percentage between 0 and 100"),
        (Indicator.Unit.PERCENTAGE, "-1", "Enter a percentage between 0 and 100"),
        (Indicator.Unit.COUNT, "-3", "Enter a number of 0 or more"),
        (Indicator.Unit.COUNT, "lots", "Enter the value as a number, like 42 or 12.5"),
        (Indicator.Unit.COUNT, "1.2345", "Enter the value with no more than 3 decimal places"),
        (Indicator.Unit.COUNT, "", "Enter the value as a number, like 42 or 12.5, or tick"),
    ],
)
def test_invalid_values_are_refused_with_a_message_and_nothing_saved(
    police_officer, q2, dv, unit, typed, message
):
    Indicator.objects.filter(pk=dv.pk).update(unit=unit)
    response = post_value(signed_in(police_officer), dv, q2, value=typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert '<a href="#id_value">' + message in html
    assert 'id="id_value-error"' in html and "govuk-input--error" in html
    assert not IndicatorValue.objects.exists()


def test_percentages_show_the_unit_and_accept_a_typed_percent_sign(police_officer, q2, dv):
    Indicator.objects.filter(pk=dv.pk).update(unit=Indicator.Unit.PERCENTAGE)
    client = signed_in(police_officer)
    html = client.get(value_url(dv, q2)).content.decode()
    assert '<div class="govuk-input__suffix" aria-hidden="true">%</div>' in html
    assert "A percentage from 0 to 100" in html
    assert post_value(client, dv, q2, value="28.5%").status_code == 302
    saved = IndicatorValue.objects.get()
    assert saved.value == Decimal("28.5") and saved.display == "28.5%"


def test_not_available_needs_a_reason(police_officer, q2, dv):
    client = signed_in(police_officer)
    response = post_value(client, dv, q2, not_available="on")
    html = response.content.decode()
    assert '<a href="#id_not_available_reason">Enter why the figure is not available' in html
    assert not IndicatorValue.objects.exists()

    response = post_value(client, dv, q2, value="3", not_available="on", not_available_reason="x")
    assert "Leave the value empty when it is not available" in response.content.decode()
    assert not IndicatorValue.objects.exists()

    response = post_value(
        client, dv, q2, not_available="on", not_available_reason="Police systems migration"
    )
    assert response.status_code == 302
    saved = IndicatorValue.objects.get()
    assert saved.not_available and saved.value is None
    html = client.get(dv.get_absolute_url()).content.decode()
    assert "<strong>Not available</strong>: Police systems migration" in html


def test_a_value_after_the_deadline_is_marked_late(police_officer, swale, dv):
    period = period_open(plan=swale, year=2019, quarter=2, deadline=date(2019, 10, 31))
    client = signed_in(police_officer)
    assert "this value will be marked late" in client.get(value_url(dv, period)).content.decode()
    post_value(client, dv, period, value="7")
    assert IndicatorValue.objects.get().is_late
    html = client.get(dv.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--orange">Late</strong>' in html


def test_closed_quarter_is_refused_to_officers(police_officer, q2, dv):
    period_close(period=q2)
    client = signed_in(police_officer)
    assert client.get(value_url(dv, q2)).status_code == 403
    assert post_value(client, dv, q2, value="5").status_code == 403
    assert not IndicatorValue.objects.exists()


def test_admin_corrects_a_closed_quarter_with_a_reason(police_officer, swale_admin, q2, dv):
    post_value(signed_in(police_officer), dv, q2, value="40")
    period_close(period=q2)
    client = signed_in(swale_admin)
    html = client.get(value_url(dv, q2)).content.decode()
    assert "Correct value for 2019/20 Q2" in html and "Reason for correction" in html

    response = post_value(client, dv, q2, value="41", version="1")
    assert '<a href="#id_correction_reason">Enter why you are correcting a closed quarter' in (
        response.content.decode()
    )
    assert IndicatorValue.objects.get().value == Decimal("40")

    response = post_value(
        client, dv, q2, value="41", version="1", correction_reason="Late crime recording"
    )
    assert response.status_code == 302
    saved = IndicatorValue.objects.get()
    assert (saved.value, saved.correction_reason, saved.entered_by) == (
        Decimal("41"), "Late crime recording", swale_admin,
    )  # fmt: skip
    html = client.get(dv.get_absolute_url()).content.decode()
    assert "Corrected: Late crime recording" in html


def test_later_save_is_refused_and_shows_what_the_other_person_saved(police_officer, q2, dv):
    colleague = member("police-officer-2", SWALE, Membership.Role.OFFICER, ["Kent Police"])
    first, second = signed_in(police_officer), signed_in(colleague)
    # Both open the empty form, then both save.
    for client in (first, second):
        assert client.get(value_url(dv, q2)).context["form"]["version"].value() is None
    assert post_value(first, dv, q2, value="10", note="First").status_code == 302
    response = post_value(second, dv, q2, value="20", note="Second")

    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "police-officer saved 10 on" in html and "Nothing was saved" in html
    saved = IndicatorValue.objects.get()
    assert (saved.value, saved.note, saved.entered_by, saved.version) == (
        Decimal("10"), "First", police_officer, 1,
    )  # fmt: skip
    # Their own figure is still in the form, now against the saved version: saving again
    # replaces the first figure on purpose.
    form = response.context["form"]
    assert form["value"].value() == "20" and form["version"].value() == "1"
    assert post_value(second, dv, q2, value="20", version="1").status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("20")


def test_a_quarter_of_another_plan_is_404(police_officer, q2, dv):
    medway_plan = Plan.objects.filter(partnership__name=MEDWAY).first()
    other = period_open(
        plan=medway_plan, year=medway_plan.start_year, quarter=1, deadline=FAR_DEADLINE
    )
    assert signed_in(police_officer).get(value_url(dv, other)).status_code == 404
    swale_q3 = period_open(plan=dv.plan, year=2019, quarter=3, deadline=FAR_DEADLINE)
    other_plan_indicator = Indicator.objects.filter(plan__partnership__name=SWALE).exclude(
        plan=dv.plan
    )
    for indicator in other_plan_indicator[:1]:
        assert signed_in(police_officer).get(value_url(indicator, swale_q3)).status_code in {
            403,
            404,
        }
