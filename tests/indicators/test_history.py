"""Partnership admins load earlier quarters' figures from a sheet: closed quarters are created
as needed, the figures are marked as imported with their source, and trend charts show them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from indicators.history import parse_quarter
from indicators.models import Indicator, IndicatorValue, ValueUpload
from indicators.services import ValueEntry, indicator_value_save
from plans.models import Plan, ReportingPeriod
from plans.services import period_open
from tests.factories import IndicatorFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title="Swale Community Safety Plan 2019/20")


@pytest.fixture
def dv(swale) -> Indicator:
    return Indicator.objects.get(plan=swale, ref="1.1")


@pytest.fixture
def earlier(swale, dv) -> Indicator:
    """The same measure in Swale's earlier plan (2016/17 to 2018/19), as 1.1's predecessor."""
    plan = PlanFactory(partnership=swale.partnership, title="Swale plan 2016-19",
                       start_year=2016, end_year=2018)  # fmt: skip
    old = IndicatorFactory(plan=plan, ref="DV1", title="Domestic abuse incidents")
    dv.predecessor = old
    dv.save()
    return old


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def history_url(plan):
    return reverse("indicators:history_upload", args=[plan.pk])


def sheet(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post(client, plan, rows, source="Kent Police annual returns", name="history.xlsx"):
    return client.post(
        history_url(plan),
        {"source": source, "file": SimpleUploadedFile(name, sheet(rows))},
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [("2019/20 Q1", (2019, 1)), ("2019-20 q4", (2019, 4)), (" 2018/19 Q3 ", (2018, 3)),
     ("2019/21 Q1", None), ("2019/20 Q5", None), ("Q1 2019", None)],
)  # fmt: skip
def test_quarters_are_read_as_the_partnership_writes_them(text, found):
    assert parse_quarter(text) == found


def test_admin_loads_years_of_figures_into_closed_quarters(swale_admin, swale, dv, earlier):
    client = signed_in(swale_admin)
    rows = [["Ref", "2017/18 Q4", "2018/19 Q1", "2018/19 Q2", "2018/19 Q3", "2018/19 Q4",
             "2019/20 Q1"], ["1.1", 300, 310, "", 290, "1,250", 280]]  # fmt: skip
    response = post(client, swale, rows)
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = client.get(response["Location"]).content.decode()
    assert "5 figures will be loaded" in preview
    assert "into the earlier plan’s DV1" in preview and "2018/19 Q4" in preview
    assert not IndicatorValue.objects.exists()

    done = client.post(response["Location"])
    assert done.status_code == 302 and done["Location"] == swale.get_absolute_url()
    periods = ReportingPeriod.objects.filter(plan__partnership=swale.partnership)
    assert sorted((p.year, p.quarter, p.plan_id) for p in periods) == [
        (2017, 4, earlier.plan_id), (2018, 1, earlier.plan_id), (2018, 3, earlier.plan_id),
        (2018, 4, earlier.plan_id), (2019, 1, swale.pk),
    ]  # fmt: skip
    assert all(not p.is_open and p.closed_at for p in periods)
    value = IndicatorValue.objects.get(indicator=earlier, period__year=2018, period__quarter=4)
    assert value.value == 1250 and value.source == "Kent Police annual returns"
    assert value.imported_at and value.entered_by == swale_admin
    assert not ValueUpload.objects.exists()

    page = client.get(dv.get_absolute_url()).content.decode()
    assert "Imported from Kent Police annual returns on" in page


def test_trend_chart_shows_the_loaded_history(swale_admin, swale, dv, earlier):
    client = signed_in(swale_admin)
    rows = [["Ref", "Quarter", "Value"], ["1.1", "2018/19 Q3", 290], ["1.1", "2018/19 Q4", 250],
            ["1.1", "2019/20 Q1", 280]]  # fmt: skip
    client.post(post(client, swale, rows)["Location"])
    response = client.get(reverse("indicators:indicator_trend", args=[dv.pk]))
    points = {p.label: p for p in response.context["points"]}
    assert points["2018/19 Q3"].figure == 290 and points["2018/19 Q4"].figure == 250
    assert points["2019/20 Q1"].figure == 280
    html = response.content.decode()
    assert response.context["chart"] is not None and 'id="trend-chart"' in html
    assert "imported from Kent Police annual returns" in html


def test_loading_again_replaces_imported_figures_but_never_typed_ones(
    swale_admin, police_officer, swale, dv
):
    client = signed_in(swale_admin)
    client.post(post(client, swale, [["Ref", "2019/20 Q1"], ["1.1", 100]])["Location"])
    client.post(post(client, swale, [["Ref", "2019/20 Q1"], ["1.1", 120]])["Location"])
    assert IndicatorValue.objects.get(indicator=dv).value == 120

    q2 = period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 1))
    indicator_value_save(user=police_officer, period=q2, entry=ValueEntry(dv, Decimal(7), False))
    q2.status = ReportingPeriod.Status.CLOSED
    q2.save()
    html = post(client, swale, [["Ref", "2019/20 Q2"], ["1.1", 9]]).content.decode()
    assert "1.1 already has a figure for 2019/20 Q2 (7) that was not imported" in html
    assert IndicatorValue.objects.get(indicator=dv, period=q2).value == 7


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["Ref", "2015/16 Q1"], ["1.1", 5]],
            "Row 2, column “2015/16 Q1”: 2015/16 Q1 is outside Swale Community Safety Plan 2019/20",
        ),
        ([["Ref", "2019/20 Q1"], ["9.9", 5]], "there is no indicator 9.9 in this plan"),
        ([["Ref", "2019/20 Q1"], ["1.1", "12,5"]], "Use a full stop for decimals"),
        ([["Ref", "2019/20 Q1"], ["1.1", -1]], "Enter a number of 0 or more"),
        ([["Ref", "2019/20 Q1"], ["1.1", "n/a"]], "Enter the value as a number"),
        ([["Ref", "Quarter", "Value"], ["1.1", "Spring", 5]], "“Spring” is not a quarter"),
        (
            [["Ref", "Quarter", "Value"], ["1.1", "2019/20 Q1", 5], ["1.1", "2019/20 Q1", 6]],
            "Row 3, column “Value”: 1.1 2019/20 Q1 is also on row 2",
        ),
        ([["Ref", "2019/20 Q2"], ["1.1", 5]], "2019/20 Q2 is open: enter its figures"),
        ([["Ref", "2099/00 Q1"], ["1.1", 5]], "2099/00 Q1 has not ended yet"),
        ([["Ref", "Figures"], ["1.1", 5]], "head one column per quarter like"),
        ([["Quarter", "Value"], ["2019/20 Q1", 5]], "column “Ref”: this column is missing"),
    ],
)
def test_each_history_problem_is_named_and_nothing_is_kept(swale_admin, swale, rows, message):
    period_open(plan=swale, year=2019, quarter=2, deadline=date(2099, 1, 1))
    response = post(signed_in(swale_admin), swale, rows)
    html = response.content.decode()
    assert response.status_code == 200 and message in html, html[html.find("error-summary") :][:900]
    assert not ValueUpload.objects.exists() and not IndicatorValue.objects.exists()
    assert ReportingPeriod.objects.filter(plan=swale).count() == 1


def test_a_source_is_required(swale_admin, swale):
    html = post(signed_in(swale_admin), swale, [["Ref", "2019/20 Q1"], ["1.1", 5]], source="")
    assert "Enter where these figures come from" in html.content.decode()


def test_history_is_for_admins_only(police_officer, outsider, swale):
    assert signed_in(police_officer).get(history_url(swale)).status_code == 403
    assert signed_in(outsider).get(history_url(swale)).status_code == 404
    rows = [["Ref", "2019/20 Q1"], ["1.1", 5]]
    assert post(signed_in(police_officer), swale, rows).status_code == 403
    assert not ValueUpload.objects.exists()


def test_a_figure_typed_meanwhile_refuses_the_whole_load(swale_admin, police_officer, swale, dv):
    client = signed_in(swale_admin)
    rows = [["Ref", "2018/19 Q4", "2019/20 Q1"], ["1.1", "", 100], ["1.2", 5, ""]]
    response = post(client, swale, [rows[0], rows[1]])
    q1 = period_open(plan=swale, year=2019, quarter=1, deadline=date(2099, 1, 1))
    indicator_value_save(user=police_officer, period=q1, entry=ValueEntry(dv, Decimal(3), False))
    refused = client.post(response["Location"])
    assert (
        refused.status_code == 200 and "2019/20 Q1 was opened meanwhile" in refused.content.decode()
    )
    assert IndicatorValue.objects.get(indicator=dv).value == 3


def test_every_quarter_of_loaded_history_can_be_shown(swale_admin, swale, dv, earlier):
    client = signed_in(swale_admin)
    quarters = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2016, 2017, 2018) for q in (1, 2, 3, 4)]
    rows = [["Ref", *quarters], ["1.1", *range(100, 112)]]
    client.post(post(client, swale, rows)["Location"])
    url = reverse("indicators:indicator_trend", args=[dv.pk])
    assert len([p for p in client.get(url).context["points"] if p.value]) == 8
    every = client.get(url, {"quarters": "all"})
    labels = [p.label for p in every.context["points"]]
    assert labels[0] == "2016/17 Q1" and labels[-1] == "2018/19 Q4" and len(labels) == 12
    assert "Every quarter with a figure, 12 in all" in every.content.decode()
