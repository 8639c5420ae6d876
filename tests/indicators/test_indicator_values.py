"""Entering quarterly indicator values: one at a time, all of an agency's at once, and the
history and audit trail on the indicator's page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from plans.limits import NOTE, REASON
from plans.models import Agency, Membership, Plan
from plans.services import period_close, period_open
from tests.conftest import MEDWAY, SWALE, member
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

FAR_DEADLINE = date(2099, 1, 31)


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def q2(swale):
    """2019/20 Q2 of the Swale plan, open, deadline not yet passed."""
    return period_open(plan=swale, year=2019, quarter=2, deadline=FAR_DEADLINE)


@pytest.fixture
def dv(swale) -> Indicator:
    """1.1 Number of reported incidents of domestic abuse: a Kent Police count."""
    return Indicator.objects.get(plan=swale, ref="1.1")


def value_url(indicator: Indicator, period) -> str:
    return reverse("indicators:indicator_value", args=[indicator.pk, period.pk])


def bulk_url(period) -> str:
    return reverse("indicators:bulk_values", args=[period.plan_id, period.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_value(client: Client, indicator, period, **data):
    fields = {"value": "", "not_available_reason": "", "note": "", "version": ""}
    return client.post(value_url(indicator, period), fields | data)


def row(indicator: Indicator, **data) -> dict[str, str]:
    """One bulk-page row's posted fields."""
    return {f"values-{indicator.pk}-{name}": value for name, value in data.items()}


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


# --- The bulk page ---------------------------------------------------------------------------


def test_bulk_page_lists_only_the_officers_agency_indicators(police_officer, q2, swale):
    response = signed_in(police_officer).get(bulk_url(q2))
    assert response.status_code == 200
    html = response.content.decode()
    listed = {form.indicator.ref for form in response.context["formset"]}
    police = set(swale.indicators.filter(agency__name="Kent Police").values_list("ref", flat=True))
    assert listed == police
    assert "Number of reported Incidents of Domestic Abuse" in html
    assert "Number of incidents of noise incidents" not in html  # Swale Borough Council's
    assert "Number of IDVA" not in html  # Kent County Council's
    dv = swale.indicators.get(ref="1.1")
    assert f'name="values-{dv.pk}-value"' in html and f'name="values-{dv.pk}-version"' in html


def test_bulk_page_shows_the_character_limit_of_each_rows_boxes(police_officer, q2, swale):
    response = signed_in(police_officer).get(bulk_url(q2))
    html = response.content.decode()
    forms = list(response.context["formset"])
    assert forms
    for form in forms:
        for name, limit in (("not_available_reason", REASON), ("note", NOTE)):
            box = f"id_values-{form.indicator.pk}-{name}"
            assert f'data-module="govuk-character-count" data-maxlength="{limit}"' in html
            assert (
                f'<div id="{box}-info" class="govuk-hint govuk-body-s '
                f'govuk-character-count__message">You can enter up to {limit} characters</div>'
            ) in html
            assert f'aria-describedby="{box}-info"' in html
    assert html.count("govuk-js-character-count") == 2 * len(forms)


def test_bulk_page_saves_every_row_entered(police_officer, q2, swale):
    dv, ocg, hate = (swale.indicators.get(ref=ref) for ref in ("1.1", "2.1", "2.3"))
    client = signed_in(police_officer)
    data = (
        row(dv, value="120", note="Rising")
        | row(ocg, value="4")
        | row(hate, not_available="on", not_available_reason="Awaiting figures")
    )
    response = client.post(bulk_url(q2), data)
    assert response.status_code == 302 and response["Location"] == bulk_url(q2)
    values = {v.indicator.ref: v for v in IndicatorValue.objects.select_related("indicator")}
    assert set(values) == {"1.1", "2.1", "2.3"}  # untouched rows are skipped
    assert values["1.1"].value == Decimal("120") and values["1.1"].note == "Rising"
    assert values["2.3"].not_available and values["2.3"].entered_by == police_officer

    html = client.get(bulk_url(q2)).content.decode()
    assert "3 values for 2019/20 Q2 saved" in html
    # Saving the page again unchanged writes nothing new.
    unchanged = {f"values-{v.indicator_id}-version": str(v.version) for v in values.values()}
    unchanged |= row(dv, value="120", note="Rising") | row(ocg, value="4")
    unchanged |= row(hate, not_available="on", not_available_reason="Awaiting figures")
    response = client.post(bulk_url(q2), unchanged)
    assert "Enter at least one value" in response.content.decode()
    assert set(IndicatorValue.objects.values_list("version", flat=True)) == {1}


def test_bulk_page_with_an_invalid_row_saves_nothing(police_officer, q2, swale):
    dv, ocg, hate = (swale.indicators.get(ref=ref) for ref in ("1.1", "2.1", "2.3"))
    data = (
        row(dv, value="120")
        | row(ocg, value="-5")
        | row(hate, not_available="on", not_available_reason="")
    )
    response = signed_in(police_officer).post(bulk_url(q2), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "Nothing was saved" in html
    assert f'<a href="#id_values-{ocg.pk}-value">2.1: Enter a number of 0 or more</a>' in html
    assert (
        f'<a href="#id_values-{hate.pk}-not_available_reason">2.3: '
        "Enter why the figure is not available</a>"
    ) in html
    assert f'id="id_values-{ocg.pk}-value-error"' in html
    assert 'value="120"' in html  # what they typed is kept
    assert not IndicatorValue.objects.exists()


def test_bulk_page_refuses_a_row_someone_else_saved_meanwhile(police_officer, q2, swale):
    dv, ocg = swale.indicators.get(ref="1.1"), swale.indicators.get(ref="2.1")
    colleague = member("police-officer-2", SWALE, Membership.Role.OFFICER, ["Kent Police"])
    client = signed_in(police_officer)
    client.get(bulk_url(q2))
    post_value(signed_in(colleague), dv, q2, value="99")
    response = client.post(bulk_url(q2), row(dv, value="120") | row(ocg, value="4"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.1: police-officer-2 saved 99 on" in html
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("99")]


def test_bulk_page_of_a_closed_quarter(police_officer, swale_admin, q2):
    period_close(period=q2)
    assert signed_in(police_officer).get(bulk_url(q2)).status_code == 403
    admin = signed_in(swale_admin)
    html = admin.get(bulk_url(q2)).content.decode()
    assert "Correct values one at a time" in html and "Save all values" not in html
    assert admin.post(bulk_url(q2), {}).status_code == 403


# --- History and audit trail on the indicator page -------------------------------------------


def test_indicator_page_shows_every_quarters_value(police_officer, reader, swale, q2, dv):
    q1 = period_open(plan=swale, year=2019, quarter=1, deadline=date(2019, 7, 31))
    client = signed_in(police_officer)
    post_value(client, dv, q1, not_available="on", not_available_reason="New system")
    post_value(client, dv, q2, value="310", note="Seasonal rise")

    html = client.get(dv.get_absolute_url()).content.decode()
    assert html.index("2019/20 Q1") < html.index("2019/20 Q2")
    assert "Not available</strong>: New system" in html and "Late" in html  # Q1 was late
    assert "<strong>310</strong>" in html and "Seasonal rise" in html
    assert "Change value for 2019/20 Q2" in html and "Change value for 2019/20 Q1" in html
    assert "Audit trail" not in html  # officers do not read the audit trail

    html = signed_in(reader).get(dv.get_absolute_url()).content.decode()
    assert "<strong>310</strong>" in html and "Change value" not in html


def test_enter_links_show_for_open_quarters_to_those_who_report(
    police_officer, csu_officer, swale, q2, dv
):
    period_close(period=period_open(plan=swale, year=2019, quarter=1, deadline=FAR_DEADLINE))
    html = signed_in(police_officer).get(dv.get_absolute_url()).content.decode()
    assert "Enter value for 2019/20 Q2" in html and "2019/20 Q1" not in html
    assert value_url(dv, q2) in html
    html = signed_in(csu_officer).get(dv.get_absolute_url()).content.decode()
    assert "Enter value for" not in html


def test_saves_are_audited_with_the_actor(police_officer, swale_admin, q2, dv):
    client = signed_in(police_officer)
    post_value(client, dv, q2, value="42")
    post_value(client, dv, q2, value="43", version="1")
    value = IndicatorValue.objects.get()
    entries = LogEntry.objects.get_for_object(value).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert {e.actor for e in entries} == {police_officer}
    assert [Decimal(v) for v in entries[1].changes_dict["value"]] == [42, 43]

    html = signed_in(swale_admin).get(dv.get_absolute_url()).content.decode()
    assert "Audit trail" in html
    assert "Changed 1.1 2019/20 Q2" in html and "police-officer" in html
    assert "<strong>Value</strong>: 42 → 43" in html
    assert "<strong>Value</strong>: (empty) → 42" in html


# --- Who may do what -------------------------------------------------------------------------


@pytest.fixture
def delegate(csu_officer, dv):
    """The CSU officer, asked by an admin to report 1.1 besides Kent Police."""
    dv.delegates.add(csu_officer)
    return csu_officer


EXPECTED = {
    "anonymous": 302,
    "seg_member": 403,
    "reader": 403,
    "csu_officer": 403,
    "outsider": 404,
    "swale_admin": 200,
    "police_officer": 200,
    "delegate": 200,
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", ["value", "bulk"])
@pytest.mark.parametrize("who", EXPECTED)
def test_permissions(request, client, q2, dv, who, page, method):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url = value_url(dv, q2) if page == "value" else bulk_url(q2)
    data = {"value": "5"} if page == "value" else row(dv, value="5")
    response = client.get(url) if method == "get" else client.post(url, data)
    expected = EXPECTED[who]
    if method == "post" and expected == 200:
        expected = 302  # saved, then back to a page
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    saved = IndicatorValue.objects.filter(indicator=dv, period=q2).exists()
    assert saved == (method == "post" and EXPECTED[who] == 200)


def test_delegate_reports_only_the_delegated_indicator(delegate, q2, dv):
    response = signed_in(delegate).get(bulk_url(q2))
    assert [form.indicator for form in response.context["formset"]] == [dv]


# --- Query budgets ---------------------------------------------------------------------------


@pytest.fixture
def seeds(seeded):
    return None


@pytest.fixture
def more_police_indicators(large_data, swale, q2, police_officer):
    """The large data set plus 40 more Kent Police indicators in the Swale plan, half of
    them with a value for 2019/20 Q2, and the first indicator with a value every quarter,
    each changed a few times."""
    police = Agency.objects.get(name="Kent Police")
    extra = IndicatorFactory.create_batch(40, plan=swale, agency=police)
    for indicator in extra[::2]:
        IndicatorValue.objects.create(
            indicator=indicator, period=q2, value=Decimal(3), entered_by=police_officer,
            entered_at="2019-10-01T10:00Z",
        )  # fmt: skip
    dv = swale.indicators.get(ref="1.1")
    client = signed_in(police_officer)
    for quarter in (1, 2, 3, 4):
        period = period_open(plan=swale, year=2019, quarter=quarter, deadline=FAR_DEADLINE)
        for version, figure in enumerate(["1", "2", "3"]):
            post_value(client, dv, period, value=figure, version=str(version or ""))
    return extra


# Session, user and memberships (4), then a fixed number of queries for the page (the value
# forms: one for the earlier figures beside each box).
# The indicator page as an admin adds the audit trail: one query for its entries and one per
# kind of object they name (indicator, quarter, user), however many entries there are.
# indicator: +2 for the actions and the objectives it measures; value and bulk +1, indicator +1:
# the targets an indicator had before a change (a quarter's RAG uses the one in force); value
# +1, indicator +3: the quarter's questions and evidence (plans.collaboration); indicator +1:
# the groups it is reported to.
BUDGETS = {"value": 11, "bulk": 10, "indicator": 20}


@pytest.mark.parametrize("size", ["seeds", "more_police_indicators"])
@pytest.mark.parametrize("page", BUDGETS)
def test_query_budget_holds_at_two_sizes(
    request, police_officer, swale_admin, q2, dv, django_assert_max_num_queries, page, size
):
    request.getfixturevalue(size)
    user = swale_admin if page == "indicator" else police_officer
    url = {
        "value": value_url(dv, q2),
        "bulk": bulk_url(q2),
        "indicator": dv.get_absolute_url(),
    }[page]
    client = signed_in(user)
    with django_assert_max_num_queries(BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200
    if size != "seeds" and page == "bulk":
        assert len(response.context["formset"].forms) > 40
    if size != "seeds" and page == "indicator":
        assert len(response.context["audit_trail"]) == 12
