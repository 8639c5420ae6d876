"""My updates' task list rows (plans.templatetags.task_list): what each row says in the
states and cases the demo data does not show, and that what people typed is escaped."""

from __future__ import annotations

from indicators.models import Indicator
from plans.models import Agency, Plan, ReportingPeriod
from plans.templatetags.task_list import task_list
from plans.worklist import DRAFT, RETURNED, SUBMITTED, WorkItem
from priorities.models import Action, Priority

PERIOD = ReportingPeriod(pk=7, plan_id=1, year=2019, quarter=2)


def indicator(**fields) -> Indicator:
    fields = {"pk": 3, "plan": Plan(pk=1), "ref": "1.1", "title": "Incidents", **fields}
    return Indicator(**fields)


def test_an_indicator_without_an_agency_says_so_and_a_late_submission_is_marked():
    html = task_list([WorkItem(indicator(agency=None), PERIOD, SUBMITTED, late=True)])
    assert 'id="indicator-3-period-7"' in html
    assert ">Agency not stated</div>" in html
    assert ">Submitted (late)</div>" in html


def test_a_monthly_indicator_says_how_its_quarter_is_made():
    item = indicator(
        agency=Agency(name="Kent Police"),
        frequency=Indicator.Frequency.MONTHLY,
        unit=Indicator.Unit.COUNT,
    )
    html = task_list([WorkItem(item, PERIOD, DRAFT, overdue=True)])
    assert (
        "<strong>Overdue.</strong> Kent Police. Enter the quarter's figure: the total of its "
        "three months." in html.replace("&#x27;", "'")
    )
    assert '<strong class="govuk-tag govuk-tag--light-blue">Draft</strong>' in html


def test_what_people_typed_is_escaped_and_long_words_are_cut():
    priority = Priority(pk=2, ref="1", title="Safer <streets>")
    action = Action(pk=5, priority=priority, ref="1.1", title="<b>Bold</b> " + "word " * 30)
    html = task_list([WorkItem(action, PERIOD, RETURNED, return_comment="Fix & <add> it")])
    assert "<b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; word" in html
    assert "word …</a>" in html  # 20 words, then the ellipsis
    assert "Priority 1: Safer &lt;streets&gt;" in html
    assert "<strong>Returned for changes:</strong> Fix &amp; &lt;add&gt; it</span>" in html
