"""RAG and direction of travel derived from the structured target, both ways round, at the
boundaries, with missing figures and the lead's overrides; and what the lead and the reader
see of them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from indicators.rag import (
    DIRECTION_LABELS,
    derive_rag,
    direction_label,
    direction_of_travel,
    target_threshold,
    value_rag,
)
from indicators.services import ValueEntry, indicator_values_save_all
from indicators.targets import fill_structured_target
from plans.models import Plan, ReportingPeriod
from plans.services import period_open

D = Decimal
FAR_DEADLINE = date(2099, 1, 31)


def indicator(target: str, direction: str = "", unit: str = "percentage", **fields) -> Indicator:
    built = Indicator(target=target, direction=direction, unit=unit, **fields)
    fill_structured_target(built)
    return built


# --- RAG ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        ("100", "green"),
        ("85", "green"),  # exactly at the target
        ("80.75", "amber"),  # short by exactly 5% of 85 (4.25)
        ("80.74", "red"),  # beyond the tolerance
        ("0", "red"),
    ],
)
def test_higher_is_better(value, rag):
    assert derive_rag(indicator("85%", "up"), D(value)) == rag


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        ("0", "green"),
        ("28", "green"),  # exactly at the target
        ("29.4", "amber"),  # over by exactly 5% of 28 (1.4)
        ("29.401", "red"),
        ("60", "red"),
    ],
)
def test_lower_is_better(value, rag):
    assert derive_rag(indicator("Below 28% CAADA benchmark", "down"), D(value)) == rag


def test_a_bare_figure_follows_the_desired_direction():
    fewer_is_better = indicator("340", "down", "count")
    assert derive_rag(fewer_is_better, D("300")) == "green"
    assert derive_rag(fewer_is_better, D("357")) == "amber"  # 340 + 17
    assert derive_rag(fewer_is_better, D("400")) == "red"
    more_is_better = indicator("340", "up", "count")
    assert derive_rag(more_is_better, D("300")) == "red"
    assert derive_rag(more_is_better, D("323")) == "amber"


def test_the_amber_tolerance_is_per_indicator():
    strict = indicator("85%", "up", amber_tolerance=D("0"))
    assert derive_rag(strict, D("84.9")) == "red"
    lenient = indicator("85%", "up", amber_tolerance=D("20"))
    assert derive_rag(lenient, D("68")) == "amber"
    assert derive_rag(lenient, D("67.9")) == "red"


def test_no_value_or_no_measurable_target_means_no_derived_rag():
    assert derive_rag(indicator("85%", "up"), None) is None
    assert derive_rag(indicator("TBC"), D("12")) is None
    assert derive_rag(indicator(""), D("12")) is None
    assert derive_rag(indicator("Complete research which identifies…"), D("1")) is None


def test_a_reduction_is_measured_from_the_reference_when_there_is_no_baseline():
    fly_tipping = indicator("5% reduction", "down", "count")
    assert target_threshold(fly_tipping) is None
    assert derive_rag(fly_tipping, D("150")) is None  # nothing to measure the change from
    assert target_threshold(fly_tipping, reference=D("200")) == D("190")
    assert derive_rag(fly_tipping, D("190"), reference=D("200")) == "green"
    assert derive_rag(fly_tipping, D("199.5"), reference=D("200")) == "amber"  # 190 + 9.5
    assert derive_rag(fly_tipping, D("199.6"), reference=D("200")) == "red"


def test_a_baseline_beats_the_reference_and_counts_change_by_the_count():
    casualties = indicator("A reduction of 5 casualties a year", "down", "count")
    assert target_threshold(casualties, reference=D("48")) == D("43")
    casualties.target_baseline = D("60")  # an admin entered the baseline
    assert target_threshold(casualties, reference=D("48")) == D("55")


def test_an_increase_is_higher_is_better():
    fpns = indicator("10% increase", "up", "count")
    assert target_threshold(fpns, reference=D("100")) == D("110")
    assert derive_rag(fpns, D("110"), reference=D("100")) == "green"
    assert derive_rag(fpns, D("104.5"), reference=D("100")) == "amber"
    assert derive_rag(fpns, D("104.4"), reference=D("100")) == "red"


def test_an_explicit_result_is_the_threshold_not_the_baseline_plus_the_change():
    opiates = indicator("Increase by 2% from 2013/14 baseline of 6.2% i.e. 8.2%", "up")
    assert target_threshold(opiates, reference=D("1")) == D("8.2")
    assert derive_rag(opiates, D("8.2")) == "green"
    assert derive_rag(opiates, D("7.5")) == "red"


def test_equal_to_is_met_within_the_tolerance_either_side():
    steady = indicator("Equal to 50%")
    assert derive_rag(steady, D("47.5")) == "green"
    assert derive_rag(steady, D("52.5")) == "green"
    assert derive_rag(steady, D("55")) == "amber"
    assert derive_rag(steady, D("44.9")) == "red"


def value_row(target_indicator: Indicator, value: str | None, **fields) -> IndicatorValue:
    return IndicatorValue(
        indicator=target_indicator,
        value=None if value is None else D(value),
        not_available=value is None,
        **fields,
    )


def test_the_leads_override_wins():
    rate = indicator("Below 28%", "down")
    assert value_rag(value_row(rate, "20"), reference=None) == "green"
    overridden = value_row(rate, "20", rag_override="red", rag_override_reason="Data quality")
    assert value_rag(overridden, reference=None) == "red"


def test_a_milestone_has_a_rag_only_when_the_lead_sets_one():
    research = indicator("TBC")
    assert value_rag(value_row(research, "3"), reference=None) is None
    assert value_rag(value_row(research, None), reference=None) is None
    set_by_lead = value_row(research, None, rag_override="amber", rag_override_reason="Late")
    assert value_rag(set_by_lead, reference=None) == "amber"


@pytest.mark.django_db
def test_a_reduction_without_baseline_uses_the_same_quarter_last_year(seeded):
    """Medway 2015/16 2.4 fly tipping "5% reduction", lower is better, measured against
    2014/15 Q1 of the same measure in the 2013–16 plan (its predecessor)."""
    old = Indicator.objects.get(plan__pk=2, ref="2.4")
    new = Indicator.objects.get(plan__pk=3, ref="2.4")
    new.predecessor = old
    new.save()
    last_year = enter(old, 2014, 1, "200")
    this_year = enter(new, 2015, 1, "195")
    assert value_rag(this_year) == "amber"  # 190 is the target, 199.5 the edge of Amber
    assert value_rag(last_year) is None  # no 2013/14 Q1 figure to measure from


def enter(target_indicator: Indicator, year: int, quarter: int, value: str | None, **fields):
    period = ReportingPeriod.objects.filter(
        plan=target_indicator.plan, year=year, quarter=quarter
    ).first() or period_open(
        plan=target_indicator.plan, year=year, quarter=quarter, deadline=FAR_DEADLINE
    )
    return IndicatorValue.objects.create(
        indicator=target_indicator,
        period=period,
        value=None if value is None else D(value),
        not_available=value is None,
        not_available_reason="" if value is not None else "Not collected",
        entered_at=timezone.now(),
        **fields,
    )


# --- Direction of travel -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "direction", "current", "previous", "travel", "label"),
    [
        ("85%", "up", "88", "80", "improving", "Improving ↑"),
        ("85%", "up", "70", "80", "worsening", "Worsening ↓"),
        ("85%", "up", "80", "80", "no_change", "No change →"),
        ("Below 28%", "down", "25", "30", "improving", "Improving ↓"),
        ("Below 28%", "down", "31", "30", "worsening", "Worsening ↑"),
        ("Below 28%", "down", "30", "30", "no_change", "No change →"),
        # No direction set: implied by the target.
        ("340", "", "350", "300", "improving", "Improving ↑"),
        ("Under 30%", "", "25", "20", "worsening", "Worsening ↑"),
        ("5% reduction", "", "90", "100", "improving", "Improving ↓"),
        ("Equal to 50%", "", "49", "45", "improving", "Improving ↑"),
        ("Equal to 50%", "", "58", "52", "worsening", "Worsening ↑"),
        # Neither a direction nor a measurable target: only "no change" can be told.
        ("TBC", "", "5", "3", None, ""),
        ("TBC", "", "5", "5", "no_change", "No change →"),
    ],
)
def test_direction_of_travel(target, direction, current, previous, travel, label):
    measure = indicator(target, direction)
    assert direction_of_travel(measure, D(current), D(previous)) == travel
    assert direction_label(measure, D(current), D(previous)) == label


def test_no_direction_of_travel_without_both_figures():
    measure = indicator("85%", "up")
    assert direction_of_travel(measure, D("80"), None) is None
    assert direction_of_travel(measure, None, D("80")) is None
    assert direction_label(measure, D("80"), None) == ""


def test_the_labels_have_words_and_arrows():
    assert DIRECTION_LABELS == {
        "improving": "Improving ↑",
        "worsening": "Worsening ↓",
        "no_change": "No change →",
    }


# --- On the indicator page and the value form ------------------------------------------------


@pytest.fixture
def caada_2013(seeded) -> Indicator:
    """Medway 2013–16 4.5 "Below 28%" (repeat victimisation, lower is better)."""
    return Indicator.objects.get(plan__pk=2, ref="4.5")


def test_the_indicator_page_shows_rag_and_direction_of_travel(reader_client, caada_2013):
    enter(caada_2013, 2013, 1, "30")  # red
    enter(caada_2013, 2013, 2, "29")  # amber, improving on Q1
    enter(caada_2013, 2013, 3, "25")  # green
    enter(caada_2013, 2014, 1, "31", rag_override="amber", rag_override_reason="New cohort")
    html = reader_client.get(caada_2013.get_absolute_url()).content.decode()
    assert "At most 28% (from “Below 28%”)" in html
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in html
    assert html.count('<strong class="govuk-tag govuk-tag--yellow">Amber</strong>') == 3
    assert "Set by the lead: New cohort" in html
    assert "Improving ↓</span> on the previous quarter" in html
    assert "Worsening ↑</span> on the same quarter last year" in html  # 30 → 31
    assert "No earlier figure to compare" in html  # 2013/14 Q1
    assert "RAG, latest quarter" in html


def test_the_indicator_page_needs_no_more_queries_for_more_quarters(reader_client, caada_2013):
    url = caada_2013.get_absolute_url()
    enter(caada_2013, 2013, 1, "30")
    reader_client.get(url)
    with CaptureQueriesContext(connection) as one:
        reader_client.get(url)
    for year, quarter in [(2013, 2), (2013, 3), (2013, 4), (2014, 1), (2014, 2), (2015, 1)]:
        enter(caada_2013, year, quarter, "27")
    with CaptureQueriesContext(connection) as many:
        reader_client.get(url)
    assert len(many) == len(one)


@pytest.fixture
def q2(seeded) -> ReportingPeriod:
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    return period_open(plan=swale, year=2019, quarter=2, deadline=FAR_DEADLINE)


@pytest.fixture
def dv(q2) -> Indicator:
    """Swale 1.1 reported incidents of domestic abuse: Kent Police, no target written."""
    return Indicator.objects.get(plan=q2.plan, ref="1.1")


def post_value(client: Client, measure: Indicator, period, **data):
    url = reverse("indicators:indicator_value", args=[measure.pk, period.pk])
    fields = {"value": "", "not_available_reason": "", "note": "", "version": ""}
    return client.post(url, fields | data)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_lead_sets_a_rag_with_a_reason(police_officer, q2, dv):
    client = signed_in(police_officer)
    form = client.get(reverse("indicators:indicator_value", args=[dv.pk, q2.pk]))
    html = form.content.decode()
    assert "RAG override" in html and 'type="radio"' in html
    assert "The target is a milestone" in html and ">None</label>" in html

    response = post_value(client, dv, q2, value="42", rag_override="amber")
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert '<a href="#id_rag_override_reason">Enter why you are setting the RAG yourself' in html
    assert not IndicatorValue.objects.filter(indicator=dv).exists()

    response = post_value(
        client, dv, q2, value="42", rag_override="amber", rag_override_reason="Rising again"
    )
    assert response.status_code == 302
    saved = IndicatorValue.objects.get(indicator=dv, period=q2)
    assert (saved.rag_override, saved.rag_override_reason) == ("amber", "Rising again")
    page = client.get(dv.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>' in page
    assert "Set by the lead: Rising again" in page

    # Saving the quarter's figures on the bulk page leaves the override alone…
    indicator_values_save_all(
        user=police_officer,
        period=q2,
        entries=[ValueEntry(indicator=dv, value=D("40"), not_available=False, expected_version=1)],
    )
    saved.refresh_from_db()
    assert (saved.value, saved.rag_override) == (D("40"), "amber")
    # …and the lead clears it on the one-value form, reason and all.
    response = post_value(
        client, dv, q2, value="40", version="2", rag_override="", rag_override_reason="Old"
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.rag_override, saved.rag_override_reason) == ("", "")


def test_the_override_reason_is_asked_for_alongside_a_missing_value(police_officer, q2, dv):
    response = post_value(signed_in(police_officer), dv, q2, rag_override="red")
    html = response.content.decode()
    assert '<a href="#id_value">' in html and '<a href="#id_rag_override_reason">' in html
    assert not IndicatorValue.objects.exists()


def test_a_measurable_target_offers_the_derived_rag(police_officer, q2, dv):
    dv.target = "Under 300"
    dv.save()
    url = reverse("indicators:indicator_value", args=[dv.pk, q2.pk])
    html = signed_in(police_officer).get(url).content.decode()
    assert "None: use the RAG worked out from the target (At most 300)" in html


def test_an_unknown_rag_is_refused(police_officer, q2, dv):
    response = post_value(
        signed_in(police_officer), dv, q2, value="4", rag_override="purple", rag_override_reason="x"
    )
    assert response.status_code == 200
    assert '<a href="#id_rag_override">' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_reader_cannot_set_a_rag(reader, q2, dv):
    response = post_value(
        signed_in(reader), dv, q2, value="4", rag_override="red", rag_override_reason="x"
    )
    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()
