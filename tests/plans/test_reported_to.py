"""Indicators reported to several groups: the workbook's "Reported to" column takes several
groups separated by ";" (import and export), the indicator page and the indicators table show
them all, the filter finds an indicator by any of its groups, and the edit form ticks them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.models import Indicator
from plans.importing import plan_import, read_and_validate
from plans.models import Agency, Plan
from plans.workbook import plan_rows
from tests.plans.import_workbooks import valid_rows, xlsx

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"
BOTH = "Swale CSP Executive; Project and Performance Group"


@pytest.fixture
def swale(seeded):
    return Plan.objects.get(title=SWALE_PLAN).partnership


def with_groups(text: str) -> bytes:
    rows = valid_rows()
    rows["Indicators"][0]["Reported to"] = text
    return xlsx(rows)


def test_several_groups_separated_by_semicolons_are_imported(swale):
    plan = plan_import(content=with_groups(BOTH + ";\nswale csp executive"), partnership=swale)

    indicator = plan.indicators.get()
    assert sorted(g.name for g in indicator.reported_to.all()) == [
        "Project and Performance Group", "Swale CSP Executive"
    ]  # fmt: skip
    assert plan_rows(plan)["Indicators"][0]["reported_to"] == (
        "Project and Performance Group; Swale CSP Executive"
    )


def test_an_unknown_group_suggests_the_nearest_and_is_created_only_when_ticked(swale):
    content = with_groups("Swale CSP Executiv; Project and Performance Group")

    preview = read_and_validate(content, partnership=swale)

    assert preview.new_agencies == ["Swale CSP Executiv"]
    assert [str(w) for w in preview.warnings] == [
        "Indicators row 2, Reported to: 'Swale CSP Executiv' is not a known agency — did you "
        "mean 'Swale CSP Executive'?"
    ]
    plan = plan_import(content=content, partnership=swale, create_agencies={"Swale CSP Executiv"})
    assert plan.indicators.get().reported_to.count() == 2


def test_swales_project_and_performance_group_receives_every_indicator(seeded):
    plan = Plan.objects.get(title=SWALE_PLAN)
    group = Agency.objects.get(name="Project and Performance Group")
    assert plan.indicators.count() == 25
    assert plan.indicators.filter(reported_to=group).count() == 25
    assert plan.indicators.filter(reported_to__name="Swale CSP Executive").count() == 12


def test_the_indicator_page_and_table_show_every_group(reader_client, seeded):
    indicator = Indicator.objects.get(title="Number of incidents of Hate Crime")

    page = reader_client.get(indicator.get_absolute_url()).content.decode()
    table = reader_client.get(reverse("indicators:indicator_list"), {"q": "Hate Crime"})

    assert '<a class="govuk-link" href="/agencies/' in page
    assert ">Project and Performance Group</a></li>" in page
    assert ">Swale CSP Executive</a></li>" in page
    assert "Project and Performance Group; Swale CSP Executive" in table.content.decode()


def test_the_edit_form_ticks_several_groups(client, swale_admin, seeded):
    plan = Plan.objects.get(title=SWALE_PLAN)
    plan.status = Plan.Status.DRAFT
    plan.save()
    client.force_login(swale_admin)
    indicator = plan.indicators.get(title="Number of incidents of burglary residential")
    url = reverse("plans:plan_item_change", args=[plan.pk, "indicator", indicator.pk])
    groups = Agency.objects.filter(
        name__in=["Swale CSP Executive", "Project and Performance Group"]
    )

    form = client.get(url).content.decode()
    assert "Tick each group it is reported to." in form
    assert form.count('name="reported_to"') >= 2

    data = {
        "ref": indicator.ref, "title": indicator.title, "priority": indicator.priority_id,
        "frequency": "quarterly", "unit": "count", "reported_to": [g.pk for g in groups],
        "agency": indicator.agency_id,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert indicator.reported_to.count() == 2
