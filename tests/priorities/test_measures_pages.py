"""The links between indicators and the actions and objectives they measure, and the named
lead officers and milestone supporters, shown both ways: on the action page, the indicator
page and the plan page, within the pages' query budgets at two data sizes."""

from __future__ import annotations

import pytest

from indicators.models import Indicator
from plans.models import Agency, Plan
from priorities.models import Action, Milestone, Objective
from tests.test_pages import BUDGETS, page_urls

pytestmark = pytest.mark.django_db


def link_everything() -> tuple[Indicator, Action, Objective]:
    """Every indicator of every plan measures two of its plan's actions and one objective;
    every action and milestone has a lead officer and a supporter: the pages' worst case."""
    kent = Agency.objects.get(name="Kent Police")
    for plan in Plan.objects.all():
        actions = list(Action.objects.filter(priority__plan=plan)[:2])
        objectives = list(Objective.objects.filter(priority__plan=plan)[:1])
        for indicator in plan.indicators.all():
            indicator.measures_actions.set(actions)
            indicator.measures_objectives.set(objectives)
    Action.objects.update(lead_officer_as_written="Chief Inspector Smith")
    Milestone.objects.update(lead_officer_as_written="CSU Manager")
    for milestone in Milestone.objects.all():
        milestone.supporting_agencies.add(kent)
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    indicator = Indicator.objects.filter(plan=swale).first()
    action = Action.objects.get(priority__plan=swale, ref="6.1")
    indicator.measures_actions.add(action)
    objective = Objective.objects.create(priority=action.priority, ref="9", title="Fewer victims")
    indicator.measures_objectives.add(objective)
    return indicator, action, objective


@pytest.mark.parametrize("size", ["seeded", "large_data"])
@pytest.mark.parametrize("name", ["plan", "action", "indicator", "milestones"])
def test_pages_with_every_link_hold_their_budget(
    request, reader_client, django_assert_max_num_queries, name, size
):
    request.getfixturevalue(size)
    link_everything()
    url = page_urls()[name]
    with django_assert_max_num_queries(BUDGETS[name]):
        response = reader_client.get(url)
    assert response.status_code == 200


def test_the_action_page_shows_what_measures_it_and_who_leads(reader_client, seeded):
    indicator, action, _ = link_everything()
    html = reader_client.get(action.get_absolute_url()).content.decode()
    assert 'id="measured-by"' in html
    assert f'href="{indicator.get_absolute_url()}">Indicator {indicator.ref}: ' in html
    assert "Lead officer" in html and "Chief Inspector Smith" in html
    assert "CSU Manager" in html and "Supported by" in html


def test_the_indicator_page_shows_what_it_measures(reader_client, seeded):
    indicator, action, objective = link_everything()
    indicator.frequency_as_written = "3 year rolling programme"
    indicator.save()
    html = reader_client.get(indicator.get_absolute_url()).content.decode()
    assert f'href="{action.get_absolute_url()}">Action {action.display_ref}: ' in html
    assert f"Objective {objective.priority.ref}/{objective.ref}: Fewer victims" in html
    assert "written as “3 year rolling programme”" in html


def test_an_indicator_that_measures_nothing_says_so(reader_client, seeded):
    indicator = Indicator.objects.filter(plan__title__startswith="Swale").first()
    html = reader_client.get(indicator.get_absolute_url()).content.decode()
    assert "The plan links it to no action or objective." in html


def test_the_plan_page_shows_the_links_both_ways(reader_client, seeded):
    indicator, action, objective = link_everything()
    html = reader_client.get(action.priority.plan.get_absolute_url()).content.decode()
    assert (
        f'<a class="govuk-link" href="#indicator-{indicator.pk}">indicator {indicator.ref}</a>'
        in html
    )
    assert f'href="{action.get_absolute_url()}">action {action.display_ref}</a>' in html
    assert f'href="#objective-{objective.pk}">objective {action.priority.ref}/9</a>' in html
    assert "Lead officer: Chief Inspector Smith" in html


def test_refs_numbered_by_the_app_say_so(reader_client, seeded):
    action = Action.objects.get(priority__plan__title__startswith="Swale", ref="6.1")
    Action.objects.filter(pk=action.pk).update(ref_generated=True)
    html = reader_client.get(action.get_absolute_url()).content.decode()
    assert "Numbered by CSP Tracker" in html
    html = reader_client.get(action.priority.plan.get_absolute_url()).content.decode()
    assert "numbered by CSP Tracker" in html
