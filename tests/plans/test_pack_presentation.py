"""How the plan and its reports read: whole numbers in the Excel pack, the risk register's
bands and controls, and no internal ids on any page."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Plan, Risk
from plans.risks import risk_band, split_controls
from tests.plans.report_data import Known

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(swale_admin) -> Known:
    return Known(swale_admin)


def test_excel_pack_shows_whole_numbers_without_a_trailing_point(client, seg_member, known):
    client.force_login(seg_member)
    response = client.get(reverse("plans:report_workbook", args=[known.q2.pk]))
    sheet = load_workbook(BytesIO(response.content))["Indicators"]
    headers = [cell.value for cell in sheet[1]]
    by_ref = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    whole = by_ref["1.1"][headers.index("Value 2019/20 Q2")]
    fraction = by_ref["1.2"][headers.index("Value 2019/20 Q2")]
    assert (whole.value, whole.number_format) == (80, "#,##0")  # shown "80", not "80."
    assert (fraction.value, fraction.number_format) == (82.5, "#,##0.0##")  # "82.5"
    formats = {cell.number_format for row in sheet.iter_rows(min_row=2) for cell in row}
    assert not any(re.search(r"0\.#+$", fmt) for fmt in formats)


@pytest.mark.parametrize(
    ("score", "band"),
    [(None, None), (1, "Low"), (4, "Low"), (5, "Medium"), (9, "Medium"), (10, "High"),
     (16, "High"), (20, "Very high"), (25, "Very high")],
)  # fmt: skip
def test_risk_bands_of_the_5_by_5_matrix(score, band):
    assert (risk_band(score).label if risk_band(score) else None) == band


def test_controls_split_by_line_or_sentence():
    assert split_controls("Literature to be created\n• Quarterly mapping\n\n- Report") == [
        "Literature to be created",
        "Quarterly mapping",
        "Report",
    ]
    assert split_controls(
        "Executive Group to discuss changes quarterly. Impacts to be considered. "
        "Legislation changes to be considered at each Executive meeting."
    ) == [
        "Executive Group to discuss changes quarterly.",
        "Impacts to be considered.",
        "Legislation changes to be considered at each Executive meeting.",
    ]
    assert split_controls("Prioritisation based on Strategic Assessment") == [
        "Prioritisation based on Strategic Assessment"
    ]
    assert split_controls("") == []


def banded(score: str, colour: str, band: str) -> str:
    """A score followed by its band in words on its colour."""
    return rf'{score}</span> <strong class="govuk-tag govuk-tag--{colour}[^>]*>{band}<'


def test_plan_page_bands_each_risk_and_lists_its_controls(client, seg_member):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    client.force_login(seg_member)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "1–4 low, 5–9 medium, 10–16 high, 20–25 very high" in page
    organisational = Risk.objects.get(plan=plan, ref="2.0")  # 4 × 3 = 12, then 3 × 3 = 9
    row = page.split(f'id="risk-{organisational.pk}"')[1].split("</tr>")[0]
    assert "app-risk--medium" in page.split(f'id="risk-{organisational.pk}"')[0][-80:]
    assert re.search(
        r"4 × 3 = 12</span> <strong class=\"govuk-tag govuk-tag--orange[^>]*>High", row
    )
    assert re.search(
        r"3 × 3 = 9</span> <strong class=\"govuk-tag govuk-tag--yellow[^>]*>Medium", row
    )
    controls = re.findall(r"<li>(.*?)</li>", row.split('data-label="Controls"')[1])
    assert controls == [
        "Executive Group to discuss organisational changes on a quarterly basis.",
        "Impacts to be considered and discussed.",
        "Legislation changes to be considered at each Executive meeting.",
    ]
    grant = Risk.objects.get(plan=plan, ref="4.0")  # 2 × 2 = 4 after controls
    grant_row = page.split(f'id="risk-{grant.pk}"')[1].split("</tr>")[0]
    assert re.search(
        r"2 × 2 = 4</span> <strong class=\"govuk-tag govuk-tag--green[^>]*>Low", grant_row
    )
    assert grant_row.count("<li>") == 4


def test_no_page_shows_internal_seed_ids(client, seg_member, reader, known):
    client.force_login(reader)
    urls = [reverse("home"), reverse("plans:report_pack", args=[known.q2.pk])]
    urls += [plan.get_absolute_url() for plan in Plan.objects.all()]
    urls += [reverse("plans:plan_dashboard", args=[plan.pk]) for plan in Plan.objects.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "(seed" not in response.content.decode(), url
    assert not Plan.objects.filter(source__contains="(seed").exists()
