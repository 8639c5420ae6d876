"""The seed plans load faithfully: counts, exact texts and the links between rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count
from django.db.models.functions import Lower

from indicators.models import Indicator
from plans.models import Agency, Plan, Risk
from plans.seeds import load_seed_plans
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority

pytestmark = pytest.mark.django_db


def plan(title_start: str) -> Plan:
    return Plan.objects.get(title__startswith=title_start)


def test_loading_twice_creates_nothing_new(seeded):
    counts = [m.objects.count() for m in (Plan, Priority, Objective, Action, Milestone, Indicator)]
    load_seed_plans()
    assert [
        m.objects.count() for m in (Plan, Priority, Objective, Action, Milestone, Indicator)
    ] == counts


def test_medway_2016_20_refresh(seeded):
    refresh = plan("Community Safety Partnership Action Plan 2016 – 2020")
    assert refresh.kind == Plan.Kind.REFRESH
    assert refresh.period == "2016/17–2019/20"
    themes = list(refresh.priorities.select_related("lead_agency"))
    assert len(themes) == 5
    assert [t.lead_agency.label for t in themes] == [
        "Medway Council",
        "Kent Police",
        "Medway Council",
        "KSS CRC",
        "KFRS",
    ]
    assert themes[2].lead_display == "Medway Council (Public Health)"
    assert Objective.objects.filter(priority__plan=refresh).count() == 20
    aims = Action.objects.filter(priority__plan=refresh)
    assert aims.count() == 62
    assert not aims.filter(objective__isnull=True).exists()
    aim = aims.get(priority__ref="1", ref="3a")
    assert aim.title == (
        "Perception of safety in town centres improved*, measured through community "
        "engagement events."
    )
    assert aim.footnote == (
        "* Medway Council's 'Regeneration, Culture, Environment & Transformation "
        "Directorate Plan 2019/20'."
    )
    assert aim.objective.title == "Supporting our Town Centres"
    assert aims.exclude(footnote="").count() == 6


def test_medway_2013_16_plan_and_action_plan(seeded):
    csp = plan("Community Safety Plan 2013")
    assert csp.kind == Plan.Kind.COMMUNITY_SAFETY_PLAN
    assert csp.priorities.count() == 5
    assert Objective.objects.filter(priority__plan=csp).count() == 18
    assert csp.risks.count() > 0
    assert csp.risks.get(ref="2").risk == 'Decreased Agency "buy in".'

    action_plan = Plan.objects.get(title="Action Plan 2013 – 2016")
    assert action_plan.parent == csp
    assert action_plan.priorities.count() == 5
    assert action_plan.indicators.count() == 35
    triage = action_plan.indicators.get(ref="NI111")
    assert triage.target == "5% (< 275 young people)"
    assert triage.due_as_written == "31 March 2014"
    assert triage.due_date == date(2014, 3, 31)
    assert triage.priority.plan == action_plan
    below = action_plan.indicators.get(target="Below 28%")
    assert below.responsible == "CSU Inspector"
    assert below.agency.name == "Kent Police"


def test_medway_2015_16_action_plan(seeded):
    action_plan = Plan.objects.get(title="Action Plan 2015 – 2016")
    assert action_plan.parent.title == "Community Safety Plan 2013–2016"
    assert action_plan.priorities.count() == 5
    assert action_plan.indicators.count() == 35
    opiates = action_plan.indicators.get(title__startswith="Percentage of opiate users")
    assert opiates.target == "Increase by 2% from 2013/14 baseline of 6.2% i.e. 8.2%"
    assert opiates.due_date == date(2016, 3, 31)
    assert action_plan.indicators.filter(ref__in=["DA06", "DA07", "NI111"]).count() == 3


def test_medway_2024_25_action_plan(seeded):
    action_plan = Plan.objects.get(title="Action Plan 2024-25")
    assert action_plan.status == Plan.Status.ACTIVE
    assert action_plan.priorities.count() == 4
    assert KeyTheme.objects.filter(priority__plan=action_plan).count() == 18
    deliverables = Action.objects.filter(priority__plan=action_plan)
    assert deliverables.count() == 28
    drugs = action_plan.priorities.get(ref="3")
    assert drugs.lead_agency.name == "Medway Combating Drugs Partnership"
    assert deliverables.filter(priority=drugs, partner_priority="delivering priority 1").count()
    kent_police = deliverables.get(priority=drugs, lead_agency__name="Kent Police")
    assert kent_police.title == (
        "Kent Police; the arrest and successful prosecution of known offenders."
    )


def test_swale_2019_20_plan(seeded):
    swale = plan("Swale Community Safety Plan 2019/20")
    assert swale.partnership.name == "Swale Community Safety Partnership"
    priorities = swale.priorities.all()
    assert priorities.filter(is_cross_cutting=False).count() == 4
    assert list(priorities.filter(is_cross_cutting=True).values_list("title", flat=True)) == [
        "Reducing Reoffending",
        "Communication and Information Sharing",
    ]
    actions = Action.objects.filter(priority__plan=swale)
    assert actions.count() == 33
    assert not actions.filter(desired_outcome="").exists()
    assert not actions.filter(lead_agency__isnull=True).exists()
    # Refs sort naturally: 4.10 after 4.9, and there is no 2.6 in the plan.
    refs = list(actions.values_list("ref", flat=True))
    assert refs.index("4.10") == refs.index("4.9") + 1
    assert "2.6" not in refs

    festival = Milestone.objects.get(action__priority__plan=swale, text="Swale Fusion Festival")
    assert (festival.action.ref, festival.timescale, festival.order) == ("2.2", "October 19", 1)
    assert festival.due_date == date(2019, 10, 31)
    assert Milestone.objects.filter(action__priority__plan=swale, timescale="").count() == 0
    quarterly = Milestone.objects.filter(action__priority__plan=swale, timescale="Quarterly")
    assert quarterly.exists() and all(m.recurrence == "quarterly" for m in quarterly)

    iom = actions.get(ref="6.1")
    assert iom.lead_as_written == "KSS CRC/ Kent Police/NPS"
    assert iom.lead_agency.short_name == "KSS CRC"
    assert {a.label for a in iom.supporting_agencies.all()} == {"Kent Police", "NPS"}

    indicators = swale.indicators.select_related("agency")
    assert indicators.count() == 25
    by_group = dict(indicators.values_list("reported_to__name").annotate(n=Count("pk")).order_by())
    # "reported quarterly to the CSP Executive and Project and Performance Group": the
    # Group's list includes those reported to the Executive.
    assert by_group == {"Swale CSP Executive": 12, "Project and Performance Group": 25}
    doorstep = indicators.get(title="Number of doorstep crime cases")
    assert (doorstep.agency.name, doorstep.agency_as_written) == (
        "Kent County Council",
        "KCC Trading Standards",
    )

    risks = Risk.objects.filter(plan=swale)
    assert risks.count() == 4
    staffing = risks.get(ref="2.0")
    assert (staffing.score_before, staffing.score_after) == (12, 9)
    assert staffing.status == "Risk managed."


def test_agencies_are_one_row_per_body(seeded):
    assert Agency.objects.filter(name="Kent Police").count() == 1
    assert Agency.objects.filter(short_name="KFRS").count() == 1
    duplicates = (
        Agency.objects.annotate(lower=Lower("name"))
        .values("lower")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    kent_police = Agency.objects.get(name="Kent Police")
    plans_naming_kent_police = set(
        Plan.objects.filter(priorities__actions__lead_agency=kent_police).values_list("pk")
    ) | set(Plan.objects.filter(indicators__agency=kent_police).values_list("pk"))
    assert len(plans_naming_kent_police) >= 3


def test_no_personal_names_in_seed_texts(seeded):
    # The cabinet report names its author; the fixtures keep roles only.
    for name in ("Neil Howlett", "Robin Cooper", "Mike O'Brien"):
        assert not Indicator.objects.filter(responsible__icontains=name).exists()
        assert not Plan.objects.filter(summary__icontains=name).exists()
