"""Reports read only the quarters they show (plans.reporting.loading): every report, page and
download is the same as when every quarter's updates, milestones and values were read.

The reference below is the loader as it was before (every quarter read), kept here to
compare with: on the seed plans, on a synthetic partnership with gaps, drafts, carried
figures, annual indicators, milestones done and a predecessor chain, for every quarter."""

from __future__ import annotations

import re
from collections import defaultdict
from io import BytesIO

import pytest
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicator, IndicatorValue
from plans.models import Membership, Partnership, Plan, ReportingPeriod
from plans.reporting import loading, report
from plans.reporting.quarters import period_key
from plans.synthetic_service import make_synthetic_partnerships
from priorities.models import ActionUpdate, Milestone, MilestoneProgress, UpdateState

pytestmark = pytest.mark.django_db


class EveryQuarter(loading.QuarterData):
    """The loader before: every update (with its milestones done) and every value."""

    @classmethod
    def load(cls, plans, priority, agency, wanted):
        plan_ids = set(plans)
        partnership_ids = {plan.partnership_id for plan in plans.values()}
        periods = loading._periods(plans, partnership_ids)[0]
        priorities, by_pk = loading._priorities(plans, priority)
        actions = loading._actions(by_pk, agency)
        updates = defaultdict(list)
        done = MilestoneProgress.objects.filter(done=True)
        for update in (
            ActionUpdate.objects.filter(action__priority__plan__in=plan_ids)
            .select_related("period")
            .order_by("period__year", "period__quarter")
            .prefetch_related(Prefetch("milestone_progress", queryset=done, to_attr="done"))
        ):
            updates[update.action_id].append(update)
        indicators = loading._indicators(partnership_ids, [])
        plan_indicators = loading._plan_indicators(indicators, plan_ids, by_pk, priority, agency)
        wanted_pks = {
            pk
            for rows in plan_indicators.values()
            for indicator in rows
            for pk in loading.predecessor_chain(indicator, indicators)
        }
        values = defaultdict(dict)
        for value in (
            IndicatorValue.objects.counted()
            .filter(indicator__in=wanted_pks)
            .select_related("period")
        ):
            value.indicator = indicators[value.indicator_id]
            values[value.indicator_id][period_key(value.period)] = value
        return cls(
            periods, priorities, actions, updates, {}, indicators, plan_indicators, values,
            priority, agency,
        )  # fmt: skip

    def done_milestones(self, action, period):
        upto = {p.pk for p in self.periods[period.plan_id] if period_key(p) <= period_key(period)}
        return {
            progress.milestone_id
            for update in self.updates.get(action.pk, [])
            if update.counts and update.period_id in upto
            for progress in update.done
        }


@pytest.fixture
def everything_read(monkeypatch):
    """Call to switch reports to the reference loader."""
    return lambda: monkeypatch.setattr(report, "QuarterData", EveryQuarter)


@pytest.fixture
def synthetic(reader) -> Partnership:
    """Two plans of 2 years, the second's indicators succeeding the first's, with the gaps
    a real partnership has: actions unreported for a while, drafts and updates awaiting
    sign-off, milestones done, indicators annual or missing figures for a year."""
    (partnership,) = make_synthetic_partnerships(
        count=1, first=901, plans=2, priorities=2, actions=4, indicators=3, years=2
    )
    first, second = Plan.objects.filter(partnership=partnership).order_by("start_year")
    for old, new in zip(
        Indicator.objects.filter(plan=first).order_by("pk"),
        Indicator.objects.filter(plan=second).order_by("pk"),
        strict=True,
    ):
        Indicator.objects.filter(pk=new.pk).update(predecessor=old)
    # Values of the successor start in its third quarter: its chain carries its predecessor's.
    for n, update in enumerate(
        ActionUpdate.objects.filter(action__priority__plan__partnership=partnership).order_by("pk")
    ):
        if n % 5 == 0:
            update.delete()
        elif n % 7 == 0:
            ActionUpdate.objects.filter(pk=update.pk).update(state=UpdateState.DRAFT)
        elif n % 11 == 0:
            ActionUpdate.objects.filter(pk=update.pk).update(state="awaiting")
        elif n % 3 == 0:
            milestone = Milestone.objects.filter(action=update.action_id).order_by("pk").first()
            if milestone:
                MilestoneProgress.objects.create(update=update, milestone=milestone, done=True)
    values = IndicatorValue.objects.filter(indicator__plan__partnership=partnership)
    for n, value in enumerate(values.order_by("pk")):
        if n % 4 == 0 or (value.indicator.plan_id == second.pk and value.period.year == 2021):
            value.delete()
        elif n % 9 == 0:
            IndicatorValue.objects.filter(pk=value.pk).update(not_available=True, value=None)
    Indicator.objects.filter(plan__partnership=partnership, ref__endswith=".1").update(
        frequency=Indicator.Frequency.ANNUALLY
    )
    # Quarters open at once: each carries earlier statuses forward (a plan's first has none).
    ReportingPeriod.objects.filter(
        Q(plan=second, year=2021, quarter=2) | Q(plan=first, year=2020, quarter=1)
    ).update(status=ReportingPeriod.Status.OPEN, closed_at=None)
    Membership.objects.create(user=reader, partnership=partnership, role=Membership.Role.SEG)
    return partnership


def snapshots(periods) -> list[dict]:
    made = report.quarter_reports(list(periods))
    return [{**r.to_json(), "generated_at": None} for r in made]


def every_period():
    return ReportingPeriod.objects.select_related("plan__partnership").order_by(
        "plan", "year", "quarter"
    )


def test_every_quarter_of_every_plan_reports_the_same(synthetic, everything_read):
    assert Plan.objects.count() >= 8  # the six seed plans and the synthetic two
    periods = list(every_period())
    narrow = [snapshots([p]) for p in periods]
    everything_read()
    assert narrow == [snapshots([p]) for p in periods]


def test_several_quarters_at_once_report_the_same(synthetic, everything_read):
    """The overview's way: one report per plan, built together (and two of one plan)."""
    periods = list(every_period().filter(plan__partnership=synthetic))
    asked = [periods[-1], periods[3], periods[len(periods) // 2]]
    narrow = snapshots(asked)
    everything_read()
    assert narrow == snapshots(asked)


def test_filtered_reports_are_the_same(synthetic, everything_read):
    period = every_period().filter(plan__partnership=synthetic).last()
    agency = synthetic.agencies.order_by("pk").first()
    priority = period.plan.priorities.order_by("pk").first()
    made = [report.quarter_report(plan=period.plan, period=period, agency=agency),
            report.quarter_report(plan=period.plan, period=period, priority=priority)]  # fmt: skip
    narrow = [{**r.to_json(), "generated_at": None} for r in made]
    everything_read()
    made = [report.quarter_report(plan=period.plan, period=period, agency=agency),
            report.quarter_report(plan=period.plan, period=period, priority=priority)]  # fmt: skip
    assert narrow == [{**r.to_json(), "generated_at": None} for r in made]


# What differs between two requests whatever they show: times of day ("generated at"),
# script nonces and CSRF tokens.
CLOCK = re.compile(
    r"\d{1,2}:\d{2}(:\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?|\d{1,2}(am|pm|a\.m\.|p\.m\.)"
    r'|nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"'
)


def pages(client, partnership: Partnership) -> list:
    """The dashboard and report pack (HTML and Excel) of every quarter of the
    partnership's plans, and its overview, each freshly built."""
    shown = []
    for period in every_period().filter(plan__partnership=partnership):
        for url in (
            reverse("plans:plan_dashboard", args=[period.plan_id]) + f"?period={period.pk}",
            reverse("plans:report_pack", args=[period.pk]),
        ):
            cache.clear()
            response = client.get(url)
            assert response.status_code == 200, url
            shown.append(CLOCK.sub("", response.content.decode()))
        cache.clear()
        book = client.get(reverse("plans:report_workbook", args=[period.pk]))
        cells = load_workbook(BytesIO(book.content), read_only=True)
        shown.append(
            [row for sheet in cells.worksheets for row in sheet.values if row[0] != "Report as at"]
        )
    cache.clear()
    overview = client.get(reverse("plans:partnership_dashboard", args=[partnership.pk]))
    shown.append(CLOCK.sub("", overview.content.decode()))
    return shown


@pytest.mark.parametrize("name", ["synthetic", "Medway Community Safety Partnership"])
def test_pages_and_downloads_are_the_same(name, synthetic, reader, client, everything_read):
    partnership = synthetic if name == "synthetic" else Partnership.objects.get(name=name)
    client.force_login(reader)
    narrow = pages(client, partnership)
    everything_read()
    assert narrow == pages(client, partnership)
