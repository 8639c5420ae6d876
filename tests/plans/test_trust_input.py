"""Finding 9: figures with commas are read as people mean them or refused, free text has a
limit shown with a character count, and dates outside 1998–2100 are refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from plans.limits import DECIMAL_COMMA, figure_text
from plans.models import Plan
from plans.services import period_open
from priorities.models import Action, ActionUpdate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "read"),
    [("1,234", "1234"), ("1,234,567.5", "1234567.5"), ("12.5", "12.5"), ("45%", "45"),
     (" 7 ", "7")],
)  # fmt: skip
def test_figures_people_write(typed, read):
    assert figure_text(typed) == read


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12,5", "Use a full stop for decimals"), ("0,25", "Use a full stop for decimals"),
     ("1,2,3", "groups of three"), ("12,34,567", "groups of three"),
     ("1,2345", "Use a full stop for decimals")],
)  # fmt: skip
def test_figures_that_would_be_misread_are_refused(typed, message):
    with pytest.raises(ValidationError) as caught:
        figure_text(typed)
    assert message in caught.value.messages[0]


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    return {
        "plan": plan,
        "period": period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1)),
        "indicator": Indicator.objects.filter(plan=plan, agency__name="Kent Police").first(),
        "action": Action.objects.get(priority__plan=plan, ref="2.2"),
    }


def test_a_decimal_comma_is_refused_on_the_value_page(client, police_officer, swale):
    client.force_login(police_officer)
    url = reverse("indicators:indicator_value", args=[swale["indicator"].pk, swale["period"].pk])
    response = client.post(url, {"value": "12,5", "note": "", "version": ""})
    assert response.status_code == 200
    assert DECIMAL_COMMA in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=swale["indicator"]).exists()


def test_next_steps_are_limited_and_counted(client, csu_officer, swale):
    client.force_login(csu_officer)
    url = reverse("priorities:action_update", args=[swale["action"].pk, swale["period"].pk])
    page = client.get(url).content.decode()
    assert "You can enter up to 5000 characters" in page
    response = client.post(url, {"status": "on_track", "commentary": "Fine.",
                                 "next_steps": "x" * 2_000_000, "action": "submit",
                                 "version": ""})  # fmt: skip
    assert response.status_code == 200
    assert "Next steps must be 5000 characters or fewer" in response.content.decode()
    assert not ActionUpdate.objects.filter(action=swale["action"]).exists()


def test_the_model_refuses_overlong_text_whatever_the_path(swale):
    update = ActionUpdate(action=swale["action"], period=swale["period"], status="on_track",
                          state="draft", next_steps="x" * 5001, version=1)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        update.full_clean(exclude=["saved_by", "submitted_by"])
    assert "next_steps" in caught.value.message_dict


def test_a_milestone_done_in_0999_is_refused(client, csu_officer, swale):
    action = Action.objects.filter(
        priority__plan=swale["plan"], milestones__isnull=False,
        lead_agency__name="Swale Community Safety Unit",
    ).first()  # fmt: skip
    if action is None:
        pytest.skip("no milestone led by the CSU in the seed plan")
    milestone = action.milestones.first()
    client.force_login(csu_officer)
    url = reverse("priorities:action_update", args=[action.pk, swale["period"].pk])
    data = {"status": "on_track", "commentary": "", "next_steps": "", "action": "save",
            "version": "", f"milestone_{milestone.pk}": "on",
            f"milestone_{milestone.pk}_date_day": "1", f"milestone_{milestone.pk}_date_month": "4",
            f"milestone_{milestone.pk}_date_year": "0999"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Enter a date between 1998 and 2100" in response.content.decode()


def test_a_deadline_in_2101_is_refused(client, swale_admin, swale):
    client.force_login(swale_admin)
    url = reverse("plans:period_open", args=[swale["plan"].pk]) + "?year=2019&quarter=3"
    response = client.post(url, {"year": "2019", "quarter": "3", "deadline-day": "1",
                                 "deadline-month": "1", "deadline-year": "2101"})  # fmt: skip
    assert response.status_code == 200
    assert "Enter a date between 1998 and 2100" in response.content.decode()
