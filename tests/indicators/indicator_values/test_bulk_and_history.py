"""The bulk page (all of an agency's values at once), and the history and audit trail on the
indicator's page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from indicators.models import IndicatorValue
from plans.limits import NOTE, REASON
from plans.models import Membership
from plans.services import period_close, period_open
from tests.conftest import SWALE, member
from tests.indicators.indicator_values.entering import (
    FAR_DEADLINE,
    bulk_url,
    post_value,
    row,
    signed_in,
    value_url,
)

pytestmark = pytest.mark.django_db


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
