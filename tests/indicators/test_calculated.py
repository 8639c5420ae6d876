"""Calculated indicators: an admin sets the calculation on a page, it is said in words on the
indicator page, and the values are worked out whenever an input's value is saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue, Population
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Plan
from plans.services import period_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def q2(swale):
    return period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 31))


def ind(plan, ref) -> Indicator:
    return Indicator.objects.get(plan=plan, ref=ref)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def calc_url(indicator):
    return reverse("indicators:indicator_calculation", args=[indicator.pk])


def save(user, period, indicator, figure):
    current = IndicatorValue.objects.filter(indicator=indicator, period=period).first()
    entry = ValueEntry(indicator, None if figure is None else Decimal(figure), figure is None,
                       "Not collected" if figure is None else "",
                       expected_version=current.version if current else None)  # fmt: skip
    return indicator_value_save(user=user, period=period, entry=entry)


def value_of(indicator, period) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator=indicator, period=period)


def test_admin_sets_a_sum_and_it_is_worked_out_when_inputs_are_saved(
    swale_admin, police_officer, swale, q2
):
    total = ind(swale, "2.4")
    client = signed_in(swale_admin)
    assert "Calculate this indicator from others" in client.get(calc_url(total)).content.decode()
    response = client.post(calc_url(total), {"expression": "[2.5] + [2.7]"})
    assert response.status_code == 302 and response["Location"] == total.get_absolute_url()
    page = client.get(total.get_absolute_url()).content.decode()
    assert "Sum of 2.5 and 2.7" in page

    save(police_officer, q2, ind(swale, "2.5"), 10)
    missing = value_of(total, q2)
    assert missing.not_available and missing.value is None
    assert missing.not_available_reason == "Not calculated: 2.7 has no figure for 2019/20 Q2."
    assert (
        "2.7 has no figure for 2019/20 Q2" in client.get(total.get_absolute_url()).content.decode()
    )

    save(police_officer, q2, ind(swale, "2.7"), "4.5")
    worked_out = value_of(total, q2)
    assert worked_out.value == Decimal("14.5") and not worked_out.not_available
    assert worked_out.source == "calculated from other indicators"
    assert worked_out.version == 2


def test_percentage_and_rate_per_1000_residents(swale_admin, police_officer, swale, q2):
    client = signed_in(swale_admin)
    share, rate = ind(swale, "2.2"), ind(swale, "3.4")
    client.post(calc_url(share), {"expression": "100 * [2.3] / [2.4]"})
    client.post(calc_url(rate), {"expression": "1000 * [2.4] / POPULATION"})
    assert "2.3 as a percentage of 2.4" in client.get(share.get_absolute_url()).content.decode()
    assert "2.4 per 1,000 residents" in client.get(rate.get_absolute_url()).content.decode()

    save(police_officer, q2, ind(swale, "2.3"), 30)
    save(police_officer, q2, ind(swale, "2.4"), 120)
    assert value_of(share, q2).value == 25
    assert "the population has no figure" in value_of(rate, q2).not_available_reason

    Population.objects.create(partnership=swale.partnership, year=2019, residents=150_000)
    save(police_officer, q2, ind(swale, "2.4"), 150)
    assert value_of(rate, q2).value == 1
    assert value_of(share, q2).value == 20

    save(police_officer, q2, ind(swale, "2.4"), 0)
    assert value_of(share, q2).not_available_reason == (
        "Not calculated: 2.4 is 0, so it cannot divide for 2019/20 Q2."
    )


def test_setting_a_calculation_works_out_the_quarters_already_entered(
    swale_admin, police_officer, swale, q2
):
    save(police_officer, q2, ind(swale, "2.5"), 3)
    save(police_officer, q2, ind(swale, "2.7"), 4)
    total = ind(swale, "2.4")
    signed_in(swale_admin).post(calc_url(total), {"expression": "[2.5] + [2.7]"})
    assert value_of(total, q2).value == 7


def test_a_not_available_input_leaves_the_result_missing(swale_admin, police_officer, swale, q2):
    total = ind(swale, "2.4")
    signed_in(swale_admin).post(calc_url(total), {"expression": "[2.5] + [2.7]"})
    save(police_officer, q2, ind(swale, "2.5"), 3)
    save(police_officer, q2, ind(swale, "2.7"), None)
    assert "2.7 has no figure" in value_of(total, q2).not_available_reason


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('x')", "are not allowed"),
        ("[2.5].real", "Attribute access"),
        ("9 ** 9 ** 9", "Powers (**) are not allowed"),
        ("[2.5] + [9.9]", "9.9: no indicator with that ref in this plan"),
        ("[2.4] + 1", "2.4 cannot be calculated from itself"),
        ("open('/etc/passwd')", "Functions such as open(&#x27;/etc/passwd&#x27;) are not allowed"),
    ],
)
def test_refused_calculations_are_explained_and_nothing_changes(swale_admin, swale, expression,
                                                                message):  # fmt: skip
    total = ind(swale, "2.4")
    response = signed_in(swale_admin).post(calc_url(total), {"expression": expression})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and message in html
    total.refresh_from_db()
    assert total.expression == ""


def test_a_loop_of_calculations_is_refused(swale_admin, swale):
    client = signed_in(swale_admin)
    client.post(calc_url(ind(swale, "2.5")), {"expression": "[2.4] * 2"})
    html = client.post(calc_url(ind(swale, "2.4")), {"expression": "[2.5] + 1"}).content.decode()
    assert "2.4 cannot be calculated from itself" in html


def test_calculated_indicators_leave_the_bulk_page(swale_admin, police_officer, swale, q2):
    signed_in(swale_admin).post(calc_url(ind(swale, "2.4")), {"expression": "[2.5] + [2.7]"})
    html = (
        signed_in(police_officer)
        .get(reverse("indicators:bulk_values", args=[swale.pk, q2.pk]))
        .content.decode()
    )
    assert "All crime" not in html and "Number of incidents of Hate Crime" in html


def test_clearing_the_calculation_makes_it_typed_again(swale_admin, swale):
    total = ind(swale, "2.4")
    client = signed_in(swale_admin)
    client.post(calc_url(total), {"expression": "[2.5] + [2.7]"})
    client.post(calc_url(total), {"expression": ""})
    total.refresh_from_db()
    assert total.expression == ""


def test_only_admins_set_calculations(police_officer, seg_member, outsider, swale):
    total = ind(swale, "2.4")
    assert signed_in(police_officer).get(calc_url(total)).status_code == 403
    assert signed_in(seg_member).post(calc_url(total), {"expression": "1"}).status_code == 403
    assert signed_in(outsider).get(calc_url(total)).status_code == 404
    total.refresh_from_db()
    assert total.expression == ""


def population_url(plan):
    return reverse("indicators:population", args=[plan.partnership_id])


def test_admin_records_the_population_and_rates_are_worked_out_again(
    swale_admin, police_officer, swale, q2
):
    client = signed_in(swale_admin)
    rate = ind(swale, "3.4")
    client.post(calc_url(rate), {"expression": "1000 * [2.4] / POPULATION"})
    save(police_officer, q2, ind(swale, "2.4"), 300)
    assert value_of(rate, q2).not_available

    response = client.post(population_url(swale), {"year": "2019", "residents": "150000"})
    assert response.status_code == 302
    assert value_of(rate, q2).value == 2
    html = client.get(population_url(swale)).content.decode()
    assert "2019/20" in html and "150,000" in html and "Population for 2019/20 saved" in html

    client.post(population_url(swale), {"year": "2019", "residents": "100000"})
    assert Population.objects.get(partnership=swale.partnership, year=2019).residents == 100000
    assert value_of(rate, q2).value == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "", "residents": "5"}, "Enter the financial year"),
        ({"year": "19/20", "residents": "5"}, "Enter the year as a number, like 2019"),
        ({"year": "2019", "residents": "0"}, "Enter a number of residents of 1 or more"),
        ({"year": "2019", "residents": "1.5"}, "Enter the number of residents as a whole number"),
    ],
)
def test_population_mistakes_are_explained(swale_admin, swale, data, message):
    response = signed_in(swale_admin).post(population_url(swale), data)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert not Population.objects.exists()


def test_only_admins_record_the_population(police_officer, outsider, swale):
    assert signed_in(police_officer).get(population_url(swale)).status_code == 403
    assert signed_in(outsider).get(population_url(swale)).status_code == 404


def test_a_calculated_indicator_is_not_typed_in(swale_admin, police_officer, swale, q2):
    total = ind(swale, "2.4")
    signed_in(swale_admin).post(calc_url(total), {"expression": "[2.5] + [2.7]"})
    url = reverse("indicators:indicator_value", args=[total.pk, q2.pk])
    assert signed_in(police_officer).get(url).status_code == 403
    assert url not in signed_in(police_officer).get(total.get_absolute_url()).content.decode()
