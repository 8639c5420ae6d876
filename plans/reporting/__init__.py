"""What a plan's quarter looks like to the Strategic Executive Group: the data behind every
dashboard, report pack and workbook, built in a fixed number of queries however big the plan.

``quarter_report(plan=, period=)`` returns a ``QuarterReport`` (``quarter_reports`` builds
several at once, for the partnership overview, in the same number of queries):

``QuarterReport``
    ``plan``, ``period``; ``periods`` (every opened quarter of the plan, oldest first);
    ``previous_period`` (the plan's latest opened quarter before ``period``, or None);
    ``generated_at`` (aware datetime); ``priority`` and ``agency`` (the filters, or None).

    ``action_counts``: {ActionUpdate.Status value: n, "no_update": n}, by where each action
    stands (``standing``): its SUBMITTED update this quarter (a draft does not count); else
    Complete when done in an earlier quarter (``Action.completed_in``); else, while the
    quarter is open, its last earlier submitted status ("carried forward, not yet updated");
    else "no_update". Indicators without a figure stand at their latest earlier one when not
    due this quarter (``Indicator.is_due_in``) or while the quarter is open.

    ``provisional`` (the quarter is open), ``completeness`` (``Completeness``: "x of y
    reported", of the actions not done and the indicators due), ``changed`` and
    ``changed_lists`` (``changes``: new Red, new Amber, improved, completed).

    ``indicator_counts``: {"red", "amber", "green", "no_rag", "no_value"}. "no_rag" is a
    figure without a RAG (no measurable target and no override); "no_value" is no figure at
    all: none entered, or entered as "not available" (without an override).

    ``changes``: {"actions": {same keys as action_counts}, "indicators": {same keys as
    indicator_counts}} for ``previous_period``, counting the same rows read the same way
    there (so the changes add up to nought); ``{}`` when there is none.
    ``action_rag_counts``: the actions by RAG ("red", "amber", "green", "no_rag" = not
    started, "no_update"). ``action_rag_summary``, ``indicator_summary`` (and
    ``action_summary``, by status) give ``SummaryLine``s (``key``, ``label``, ``count``,
    ``previous``, ``delta``, ``delta_display``) to show "change since last quarter";
    ``summaries`` pairs them with captions for the headline tables.

    ``priorities``: ``PriorityReport`` (``priority`` — None for indicators not linked to a
    priority —, ``actions``: [ActionRow], ``indicators``: [IndicatorRow]), in plan order;
    with an agency filter, priorities left without rows are dropped.

    ``exceptions``: the Red and Amber ActionRows (status off_track/at_risk) and
    IndicatorRows, Red first, then in plan order; each has ``commentary`` and ``lead``.

    ``overdue_milestones``: [MilestoneRow] (``milestone``, ``action``, ``lead``,
    ``due_date``, ``flagged``): due before ``cutoff`` (the quarter's end, or today if
    earlier) and not marked done in any submitted update of the plan up to this quarter.
    (Update forms start blank each quarter, so "done in the latest update" alone would flag
    milestones finished earlier.)

    ``flagged_actions``: [ActionRow] with an overdue milestone and no submitted update this
    quarter.

    ``missing``: [AgencyMissing] (``agency`` — None when no agency is named —, ``actions``:
    [ActionRow] without a submitted update (``has_draft`` says a draft exists),
    ``indicators``: [IndicatorRow] without any value entered), by agency label;
    ``missing_actions`` and ``missing_indicators`` count them.

    ``to_json()``: a JSON-serialisable snapshot (strings, numbers, ISO dates) of all the above,
    for ``PublishedReport.data`` and the report pack.

``ActionRow``: ``action``, ``lead`` (str), ``agency`` (lead Agency or None), ``update`` (the
submitted ActionUpdate or None), ``status`` (str or None), ``status_label``,
``commentary``, ``rag`` ("red"/"amber"/"green"/None: off_track→red, at_risk→amber,
on_track/complete→green), ``has_draft``, ``overdue_milestones``, ``flagged``; properties
``kind`` ("action"), ``ref``, ``title``, ``url``, ``rag_label``.

``IndicatorRow``: ``indicator``, ``target_text`` (as written), ``target_summary`` (as
understood), ``lead``, ``agency``, ``value`` (IndicatorValue or None), ``display``, ``rag``,
``direction`` (vs the previous quarter), ``direction_year`` (vs the same quarter a year
before), ``last_four`` ([(label, display)], oldest first, calendar quarters ending with this
one), ``commentary`` (the value's note, the "not available" reason, the override's reason),
``direction_label`` and ``direction_year_label`` (words and an arrow, "Not known" when there
is nothing to compare); properties ``kind`` ("indicator"), ``ref``, ``title``, ``url``,
``rag_label``, ``tag_class``.

Trends run across plans: an indicator's earlier quarters include those of its
``predecessor`` chain (the same measure in the partnership's earlier plans).
``indicator_trend(indicator)`` gives the last eight quarters of that chain as ``TrendPoint``s
(``label``, ``value``, ``figure``, ``display``, ``source`` indicator, ``rag`` — for the
indicator's own figures only —, ``direction_label``); ``TrendChart(points, target)`` places
them in a server-side SVG.

The modules, in the order a report is made and read:

``quarters``       quarter arithmetic: (financial year, quarter) pairs and runs of them.
``loading``        ``QuarterData``: one or more plans' quarters, read in a fixed number of
                   queries.
``standing``       where an action or indicator stands in a quarter, reported or not.
``changes``        what changed since the previous quarter.
``rows``           ``ActionRow``, ``IndicatorRow``, ``MilestoneRow``, ``PriorityReport`` and how
                   each is built from the loaded data.
``summary``        the count keys and labels, the counts, ``SummaryLine`` and the changes.
``missing``        ``AgencyMissing`` and ``missing_by_agency``: who has not reported (the one
                   answer, for the reports and the quarter's page).
``progress``       ``quarter_progress``: the quarter page's counts and missing, in two queries.
``report``         ``QuarterReport``, ``quarter_report`` and ``quarter_reports``.
``snapshot``       a report as JSON, for publishing and the report pack.
``trends``         ``TrendPoint`` and ``indicator_trend``.
``trend_chart``    ``TrendChart``, the SVG line chart's geometry.
``rag_chart``      ``RagChart``, the dashboard's SVG bar chart of counts by RAG.
``pack``           the report pack page, read from a snapshot, and its frozen rendering.
``pack_workbook``  the report pack as an Excel workbook.
``publishing``     publishing a report pack and reading the published versions.
"""

from __future__ import annotations

from plans.reporting.loading import QuarterData, predecessor_chain
from plans.reporting.missing import AgencyMissing, missing_by_agency
from plans.reporting.pack import (
    FROZEN_LAYOUT,
    REPORT_TEMPLATE,
    render_report_html,
    report_context,
    snapshot_of,
    summary_lines,
)
from plans.reporting.pack_workbook import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    RAG_STYLES,
    XLSX,
    Column,
    report_file_name,
    report_workbook,
    write_table,
)
from plans.reporting.progress import QuarterProgress, quarter_progress
from plans.reporting.publishing import (
    get_published_report_for_user,
    latest_published,
    report_publish,
    visible_published_reports,
)
from plans.reporting.quarters import YearQuarter, quarter_before, quarters_ending, quarters_of
from plans.reporting.report import RAG_ORDER, QuarterReport, quarter_report, quarter_reports
from plans.reporting.rows import (
    NO_VALUE,
    NOT_KNOWN,
    RAG_LABELS,
    RAG_TAG_CLASSES,
    ActionRow,
    IndicatorRow,
    MilestoneRow,
    PriorityReport,
    ReportRow,
    indicator_lead,
)
from plans.reporting.summary import (
    ACTION_KEYS,
    ACTION_RAG_KEYS,
    ACTION_RAG_LABELS,
    COUNT_LABELS,
    INDICATOR_KEYS,
    NO_UPDATE,
    STATUS_RAG,
    Status,
    SummaryLine,
    action_rag_counts,
    action_rag_key,
    indicator_counts,
)
from plans.reporting.trend_chart import TrendChart
from plans.reporting.trends import TrendPoint, indicator_trend

__all__ = [
    "ACTION_KEYS",
    "ACTION_RAG_KEYS",
    "ACTION_RAG_LABELS",
    "COUNT_LABELS",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "FROZEN_LAYOUT",
    "INDICATOR_KEYS",
    "NO_UPDATE",
    "NO_VALUE",
    "NOT_KNOWN",
    "RAG_LABELS",
    "RAG_ORDER",
    "RAG_STYLES",
    "RAG_TAG_CLASSES",
    "REPORT_TEMPLATE",
    "STATUS_RAG",
    "XLSX",
    "ActionRow",
    "AgencyMissing",
    "Column",
    "IndicatorRow",
    "MilestoneRow",
    "PriorityReport",
    "QuarterData",
    "QuarterProgress",
    "QuarterReport",
    "ReportRow",
    "Status",
    "SummaryLine",
    "TrendChart",
    "TrendPoint",
    "YearQuarter",
    "action_rag_counts",
    "action_rag_key",
    "get_published_report_for_user",
    "indicator_counts",
    "indicator_lead",
    "indicator_trend",
    "latest_published",
    "missing_by_agency",
    "predecessor_chain",
    "quarter_before",
    "quarter_progress",
    "quarter_report",
    "quarter_reports",
    "quarters_ending",
    "quarters_of",
    "render_report_html",
    "report_context",
    "report_file_name",
    "report_publish",
    "report_workbook",
    "snapshot_of",
    "summary_lines",
    "visible_published_reports",
    "write_table",
]
