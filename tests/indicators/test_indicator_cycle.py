"""Indicators in the quarterly cycle: frequency (annual, six-monthly, monthly), and what the
value forms show beside each box (target, last quarter, same quarter last year, the RAG a
figure would get)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Plan, ReportingPeriod
from plans.reminders import indicators_due
from plans.services import period_close, period_open

pytestmark = pytest.mark.django_db

MY_UPDATES = "/my-updates/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bulk_url(period: ReportingPeriod) -> str:
    return reverse(
        "indicators:bulk_values", kwargs={"plan_pk": period.plan_id, "period_pk": period.pk}
    )


def value_url(indicator: Indicator, period: ReportingPeriod) -> str:
    return reverse("indicators:indicator_value", args=[indicator.pk, period.pk])


# --- Frequency ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frequency, due_quarter, due",
    [
        ("annually", 4, [False, False, False, True]),
        ("annually", 2, [False, True, False, False]),
        ("six_monthly", 4, [False, True, False, True]),
        ("quarterly", 4, [True, True, True, True]),
        ("monthly", 4, [True, True, True, True]),
    ],
)
def test_when_an_indicator_is_due(seeded, frequency, due_quarter, due):
    indicator = Indicator.objects.filter(plan__title__startswith="Swale").first()
    indicator.frequency, indicator.due_quarter = frequency, due_quarter
    indicator.save()
    assert [indicator.is_due_in(q) for q in (1, 2, 3, 4)] == due
    # The query form of the rule agrees.
    assert [
        Indicator.objects.filter(Indicator.due_in_rule(q), pk=indicator.pk).exists()
        for q in (1, 2, 3, 4)
    ] == due


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def annual(swale) -> Indicator:
    """A Kent Police indicator reported once a year, in Q4."""
    indicator = Indicator.objects.get(plan=swale, ref="2.1")
    indicator.frequency = Indicator.Frequency.ANNUALLY
    indicator.save()
    return indicator


@pytest.mark.parametrize("quarter", [1, 2, 3])
def test_an_annual_indicator_is_not_asked_for_in_q1_to_q3(police_officer, swale, annual, quarter):
    period = period_open(plan=swale, year=2019, quarter=quarter, deadline=date(2099, 1, 1))
    client = signed_in(police_officer)
    response = client.get(MY_UPDATES)
    group = response.context["groups"][0]
    assert annual.pk not in {item.obj.pk for item in group.items}
    assert group.not_due == 1
    html = response.content.decode()
    assert f"1 of your indicators is not due in {period.label}" in html
    assert f'id="indicator-{annual.pk}-period-{period.pk}"' not in html

    response = client.get(bulk_url(period))
    assert annual not in response.context["formset"].indicators
    assert "1 of your indicators is not due" in response.content.decode()

    # Not owed, so reminders do not ask for it.
    assert annual not in indicators_due(police_officer, period, officer=True)

    # Its own form still takes a figure, saying it is not due.
    html = client.get(value_url(annual, period)).content.decode()
    assert f"This indicator is not due in {period.label}" in html


def test_an_annual_indicator_is_asked_for_in_q4(police_officer, swale, annual):
    period = period_open(plan=swale, year=2019, quarter=4, deadline=date(2099, 1, 1))
    client = signed_in(police_officer)
    group = client.get(MY_UPDATES).context["groups"][0]
    assert annual.pk in {item.obj.pk for item in group.indicators}
    assert annual in client.get(bulk_url(period)).context["formset"].indicators
    assert annual in indicators_due(police_officer, period, officer=True)


def test_a_monthly_indicator_says_how_to_make_the_quarters_figure(police_officer, swale):
    indicator = Indicator.objects.get(plan=swale, ref="2.1")
    indicator.frequency = Indicator.Frequency.MONTHLY
    indicator.save()
    period = period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 1))
    client = signed_in(police_officer)
    note = "Enter the quarter&#x27;s figure: the total of its three months."
    assert note in client.get(value_url(indicator, period)).content.decode()
    assert note in client.get(bulk_url(period)).content.decode()
    assert note in client.get(MY_UPDATES).content.decode()


# --- Earlier figures and the RAG beside the box -------------------------------------------------


@pytest.fixture
def ni111(seeded) -> Indicator:
    """Medway's NI111: first-time entrants to the youth justice system, at most 275."""
    return Indicator.objects.get(ref="NI111", plan__title="Action Plan 2013 – 2016")


@pytest.fixture
def history(outsider, ni111) -> ReportingPeriod:
    """Figures for 2013/14 Q2 (280) and 2014/15 Q1 (260); 2014/15 Q2 open. Returns it."""
    plan = ni111.plan
    for (year, quarter), figure in {(2013, 2): 280, (2014, 1): 260}.items():
        period = period_open(plan=plan, year=year, quarter=quarter, deadline=date(2099, 1, 1))
        indicator_value_save(
            user=outsider,
            period=period,
            entry=ValueEntry(indicator=ni111, value=Decimal(figure), not_available=False),
        )
        period_close(period=period)
    return period_open(
        plan=plan, year=2014, quarter=2, deadline=timezone.localdate() + timedelta(days=9)
    )


def test_the_value_form_shows_earlier_figures_and_checks_the_rag(outsider, ni111, history):
    client = signed_in(outsider)
    html = client.get(value_url(ni111, history)).content.decode()
    assert "5% (&lt; 275 young people)" in html
    assert (
        "Last quarter (2014/15 Q1)" in html
        and '<dd class="govuk-summary-list__value" id="last-quarter">260</dd>' in html
    )
    assert "Same quarter last year (2013/14 Q2)" in html and 'id="last-year">280</dd>' in html

    # "Check RAG": the RAG the figure would get, and nothing saved.
    for figure, rag in (("270", "Green"), ("285", "Amber"), ("300", "Red")):
        response = client.post(
            value_url(ni111, history), {"value": figure, "version": "", "check": "1"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert f"With {figure}, 2014/15 Q2 would be" in html
        checked = html[html.index('id="checked-rag"') :]
        assert f">{rag}</strong>" in checked[: checked.index("</div>")]
        assert "Nothing has been saved yet." in html
    assert not IndicatorValue.objects.filter(period=history).exists()

    # Saved: the saved value shows with its RAG.
    client.post(value_url(ni111, history), {"value": "300", "version": ""})
    html = client.get(value_url(ni111, history)).content.decode()
    saved = html[html.index('id="saved-value"') :]
    assert saved.startswith('id="saved-value">300 <strong class="govuk-tag govuk-tag--red">Red')


def test_the_bulk_page_shows_earlier_figures_and_checks_rags(outsider, ni111, history):
    client = signed_in(outsider)
    response = client.get(bulk_url(history))
    html = response.content.decode()
    assert f'id="row-{ni111.pk}-last-quarter">260<' in html
    assert f'id="row-{ni111.pk}-last-year">280<' in html
    assert 'class="govuk-table app-table--stack app-bulk-table"' in html
    assert 'data-label="Earlier figures"' in html
    assert "<textarea" in html[html.index(f'id="row-{ni111.pk}"') :]  # wide boxes

    data = {f"values-{ni111.pk}-value": "285", f"values-{ni111.pk}-version": "", "check": "1"}
    html = client.post(bulk_url(history), data).content.decode()
    rag = html[html.index(f'id="row-{ni111.pk}-rag"') :]
    assert rag.startswith(
        f'id="row-{ni111.pk}-rag">Would be: <strong class="govuk-tag govuk-tag--yellow">Amber'
    )
    assert "Nothing has been saved yet." in html
    assert not IndicatorValue.objects.filter(period=history).exists()


def test_save_and_go_to_the_next(police_officer, swale):
    period = period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 1))
    client = signed_in(police_officer)
    first, second = client.get(MY_UPDATES).context["groups"][0].indicators[:2]
    response = client.post(
        value_url(first.obj, period), {"value": "4", "version": "", "then": "next"}
    )
    assert response.status_code == 302 and response["Location"] == value_url(second.obj, period)
    html = client.get(response["Location"]).content.decode()
    assert "Save and go to the next" in html and "Back to My updates" in html


def test_an_annual_indicator_is_not_missing_before_its_quarter(swale, annual):
    from plans.reporting import quarter_progress

    q2 = period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 1))
    assert annual not in [row.indicator for row in quarter_progress(q2).indicators]
    q4 = period_open(plan=swale, year=2019, quarter=4, deadline=date(2099, 1, 1))
    assert annual in [row.indicator for row in quarter_progress(q4).indicators]
