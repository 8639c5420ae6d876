"""Filter drop-downs stay short at a national service's size: each lists what the filter
above it has chosen, and asks the user to choose there first when it would be too long."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from plans.models import Partnership, Plan
from priorities.filters import CHOICES_LIMIT
from priorities.models import Priority
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ACTIONS = reverse("priorities:action_list")
INDICATORS = reverse("indicators:indicator_list")
MILESTONES = reverse("priorities:milestone_list")


@pytest.fixture
def many_plans(seeded) -> Partnership:
    """Enough partnerships with plans and priorities that listing every plan, or every
    priority, would pass the limit."""
    made = []
    for n in range(CHOICES_LIMIT // 2 + 1):
        partnership = Partnership.objects.create(name=f"Partnership {n:03d}", area=f"Area {n}")
        made += [
            Plan(
                partnership=partnership,
                title=f"Plan {n:03d}/{year}",
                kind=Plan.Kind.ACTION_PLAN,
                start_year=year,
                end_year=year,
            )
            for year in (2030, 2031)
        ]
    Plan.objects.bulk_create(made)
    Priority.objects.bulk_create(
        Priority(plan=plan, ref="1", sort_key="1", title="A priority")
        for plan in Plan.objects.filter(title__startswith="Plan ")
    )
    return partnership


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no {name} drop-down"
    return re.findall(r"<option value=\"(\d*)\"", select.group(0))


@pytest.mark.parametrize("url", [ACTIONS, INDICATORS, MILESTONES])
def test_too_many_plans_asks_for_a_partnership_first(superuser_client, many_plans, url):
    html = superuser_client.get(url).content.decode()
    assert options(html, "plan") == [""]
    assert "Choose a partnership first to list its plans." in html
    assert options(html, "priority") == [""]
    assert "Choose a plan first to list its priorities." in html
    # Every partnership is still offered: there are far fewer of them than priorities.
    assert len(options(html, "partnership")) == Partnership.objects.count() + 1


@pytest.mark.parametrize("url", [ACTIONS, INDICATORS, MILESTONES])
def test_choosing_a_partnership_lists_its_plans_and_priorities(superuser_client, many_plans, url):
    medway = Partnership.objects.get(name__startswith="Medway")
    html = superuser_client.get(url, {"partnership": medway.pk}).content.decode()
    plans = Plan.objects.filter(partnership=medway)
    assert sorted(options(html, "plan")[1:]) == sorted(str(plan.pk) for plan in plans)
    priorities = Priority.objects.filter(plan__partnership=medway)
    assert priorities.count() <= CHOICES_LIMIT
    assert sorted(options(html, "priority")[1:]) == sorted(str(p.pk) for p in priorities)
    assert "Choose a partnership first" not in html


def test_choosing_a_plan_lists_its_priorities_and_partnership_agencies(superuser_client, seeded):
    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    html = superuser_client.get(ACTIONS, {"plan": swale.pk}).content.decode()
    expected = Priority.objects.filter(plan=swale).values_list("pk", flat=True)
    assert sorted(options(html, "priority")[1:]) == sorted(str(pk) for pk in expected)
    agencies = swale.partnership.agencies.values_list("pk", flat=True)
    assert sorted(options(html, "lead_agency")[1:]) == sorted(str(pk) for pk in agencies)


def test_a_bookmarked_choice_outside_the_short_list_still_works(superuser_client, many_plans):
    """A link to one priority, without its plan: the rows are filtered and the drop-down
    shows that priority chosen, though the list is otherwise too long to offer."""
    priority = Priority.objects.filter(plan__title__startswith="Swale").first()
    response = superuser_client.get(ACTIONS, {"priority": priority.pk})
    html = response.content.decode()
    assert options(html, "priority") == ["", str(priority.pk)]
    assert f'<option value="{priority.pk}" selected>' in html
    rows = response.context["table"].paginator.count
    assert rows == priority.actions.count() > 0


def test_a_partnership_member_sees_only_their_own_choices(client, seeded, many_plans):
    from tests.conftest import SWALE, member

    client.force_login(member("swale-seg", SWALE, "seg"))
    html = client.get(ACTIONS).content.decode()
    swale = Partnership.objects.get(name=SWALE)
    assert options(html, "partnership")[1:] == [str(swale.pk)]
    assert sorted(options(html, "plan")[1:]) == sorted(
        str(pk) for pk in swale.plans.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("url", [ACTIONS, INDICATORS])
def test_each_choice_is_called_what_its_model_calls_it(superuser_client, seeded, url):
    """Choices are read as plain values: each label must still be the model's own text."""
    from django.utils.html import escape

    from priorities.filters import priority_choice_label

    swale = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    html = superuser_client.get(url, {"partnership": swale.partnership_id}).content.decode()
    chosen = {
        "partnership": Partnership.objects.all(),
        "plan": Plan.objects.filter(partnership=swale.partnership),
        "priority": Priority.objects.filter(plan__partnership=swale.partnership),
    }
    for name, rows in chosen.items():
        labels = priority_choice_label if name == "priority" else str
        for row in rows.select_related("plan") if name == "priority" else rows:
            label = re.escape(escape(labels(row)))
            option = rf'<option value="{row.pk}"( selected)?>{label}</option>'
            assert re.search(option, html), option
