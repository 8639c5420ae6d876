"""The SEG report pack: the printable page, the Excel workbook, publishing frozen snapshots
and the list of published reports."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from plans import reporting as reports
from plans.models import PublishedReport
from plans.reporting import quarter_report
from plans.services import period_close, period_open
from priorities.models import ActionUpdate
from tests.plans.report_data import (
    Known,
    publish_url,
    report_html,
    save_update,
    save_value,
    workbook_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(swale_admin) -> Known:
    return Known(swale_admin)


# --- The report pack page ---------------------------------------------------------------------


def test_report_pack_shows_cover_summary_priorities_exceptions_and_missing(
    client, seg_member, known
):
    client.force_login(seg_member)
    html = report_html(client, known.q2)
    # Cover
    assert "Swale Community Safety Partnership" in html
    assert "2019/20 Q2 progress report to the Strategic Executive Group" in html
    assert "1 July 2019 to 30 September 2019" in html
    assert "Draft — not yet published" in html
    assert "Print this page, or save it as PDF" in html
    # Executive summary: counts beside the previous quarter's, with the change.
    summary = html[html.index('id="summary-actions-by-status"') :]
    summary = summary[: summary.index("</table>")]
    assert "2019/20 Q1" in summary and "Change" in summary
    off_track = summary[summary.index("Off track (Red)") :]
    assert [cell for cell in _cells(off_track)[:3]] == ["1", "0", "+1"]
    # One section per priority, with actions (status and commentary) and indicators
    # (target, last four quarters, RAG, direction in words and arrows).
    assert html.count('class="app-report__section" id="priority-') == 6
    assert "The Sittingbourne venue closed in August." in html
    assert "Find a new venue by December." in html
    assert '<strong class="govuk-tag govuk-tag--red">Off track (Red)</strong>' in html
    assert "2018/19 Q3" in html and "2019/20 Q2" in html  # last four quarters as columns
    assert "90%" in html and "80%" in html
    assert "Worsening ↓" in html
    # Exceptions: Red first, with commentary; the indicator's figure against its target.
    exceptions = html[html.index('id="exceptions"') : html.index('id="missing"')]
    assert exceptions.index("1.2</strong> Oversight of One Stop Shop") < exceptions.index(
        'govuk-tag--yellow">Amber'
    )
    assert "80% against a target of 85%" in exceptions
    assert "Two referral routes paused." in exceptions
    # Missing updates, by agency: the draft does not count as reported.
    missing = html[html.index('id="missing"') :]
    assert "1.3</strong> Delivery of White Ribbon" in missing


def _cells(html: str) -> list[str]:
    import re

    return re.findall(r'govuk-table__cell--numeric">([^<]*)<', html)


def test_report_pack_for_the_first_quarter_has_nothing_to_compare_with(client, seg_member, known):
    client.force_login(seg_member)
    html = report_html(client, known.q1)
    assert "There is no earlier quarter to compare with." in html
    assert ">Change<" not in html


def test_report_pack_offers_publishing_to_admins_only(client, seg_member, swale_admin, known):
    url = reverse("plans:report_publish", args=[known.q2.pk])
    client.force_login(seg_member)
    assert url not in report_html(client, known.q2)
    client.force_login(swale_admin)
    assert url in report_html(client, known.q2)


def test_printed_report_breaks_pages_per_priority_and_hides_the_chrome(settings):
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    block = css[css.index("==== SEG report pack") :]
    assert ".app-report__section {\n    break-before: page;" in block
    assert "body:has(.app-report) .app-header" in block
    assert ".app-report-controls" in block
    assert css.count("@media print {") == 2  # the general block, and the report's


# --- The workbook -----------------------------------------------------------------------------


def test_workbook_has_typed_cells_rag_fills_frozen_headers_and_filters(
    client, police_officer, known
):
    client.force_login(police_officer)
    response = client.get(reverse("plans:report_workbook", args=[known.q2.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == reports.XLSX
    assert "2019-20-q2-report.xlsx" in response["Content-Disposition"]
    book = workbook_of(response.content)
    assert book.sheetnames[:5] == [
        "Summary",
        "Actions",
        "Indicators",
        "Exceptions",
        "Missing updates",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None
        assert sheet.auto_filter.ref

    summary = book["Summary"]
    assert summary["B1"].value == "Swale Community Safety Partnership"
    assert summary["B4"].value == datetime(2019, 7, 1)  # a date, shown as "1 July 2019"
    assert summary["B4"].number_format == reports.DATE_FORMAT

    actions = book["Actions"]
    headers = [cell.value for cell in actions[1]]
    assert headers[:8] == [
        "Priority",
        "Priority title",
        "Ref",
        "Action",
        "Lead",
        "Status",
        "RAG",
        "Commentary",
    ]
    assert actions.freeze_panes == "A2"
    rows = {row[2].value: row for row in actions.iter_rows(min_row=2)}
    oss = rows["1.2"]
    assert oss[5].value == "Off track (Red)"
    assert oss[6].value == "Red"
    assert oss[6].fill.start_color.rgb.endswith(reports.RAG_STYLES["red"][0])
    assert oss[6].font.color.rgb.endswith(reports.RAG_STYLES["red"][1])
    assert oss[7].value == "The Sittingbourne venue closed in August."
    assert isinstance(oss[9].value, datetime)  # submitted at, a real date and time
    assert rows["1.3"][5].value == "No update"  # a draft is not reported
    assert rows["1.3"][6].fill.fill_type is None

    indicators = book["Indicators"]
    headers = [cell.value for cell in indicators[1]]
    value_column = headers.index("Value 2019/20 Q2")
    rag_column = headers.index("RAG")
    q1_column = headers.index("2019/20 Q1")
    by_ref = {row[2].value: row for row in indicators.iter_rows(min_row=2)}
    referrals = by_ref["1.1"]
    assert referrals[value_column].value == 80
    assert isinstance(referrals[value_column].value, (int, float))
    assert referrals[q1_column].value == 90  # earlier quarters are numbers too
    assert referrals[rag_column].value == "Red"
    assert by_ref["1.2"][value_column].value == 82.5
    assert by_ref["1.2"][rag_column].value == "Amber"
    assert by_ref["1.2"][rag_column].fill.start_color.rgb.endswith(reports.RAG_STYLES["amber"][0])
    assert indicators.auto_filter.ref.startswith("A1:")

    exceptions = [row for row in book["Exceptions"].iter_rows(min_row=2, values_only=True)]
    assert [(row[0], row[1], row[4]) for row in exceptions] == [
        ("Action", "1.2", "Red"),
        ("Indicator", "1.1", "Red"),
        ("Indicator", "1.2", "Amber"),
    ]
    missing = {row[2] for row in book["Missing updates"].iter_rows(min_row=2, values_only=True)}
    assert "1.3" in missing

    milestones = book["Overdue milestones"]
    due = [row[3] for row in milestones.iter_rows(min_row=2, values_only=True)]
    assert due and all(isinstance(day, datetime) for day in due)


def test_workbook_builds_from_the_report_or_its_snapshot_alike(known):
    report = quarter_report(plan=known.plan, period=known.q2)
    data = report.to_json()
    from_report = workbook_of(reports.report_workbook(report))
    from_snapshot = workbook_of(reports.report_workbook(data))
    for name in from_report.sheetnames:
        left = [r for r in from_report[name].iter_rows(values_only=True)]
        right = [r for r in from_snapshot[name].iter_rows(values_only=True)]
        if name == "Summary":  # "report as at" differs by the time between the two
            left, right = left[:5] + left[6:], right[:5] + right[6:]
        assert left == right


def test_empty_quarter_still_gives_every_sheet_with_headers(known):
    plan = known.plan
    q3 = period_open(plan=plan, year=2019, quarter=3, deadline=date(2020, 1, 31))
    # Closed: an open quarter would show Q2's statuses, carried forward.
    period_close(period=q3)
    book = workbook_of(reports.report_workbook(quarter_report(plan=plan, period=q3)))
    assert book["Exceptions"].max_row == 1
    assert book["Exceptions"]["A1"].value == "Kind"
    assert book["Exceptions"].auto_filter.ref == "A1:H2"


# --- Publishing -------------------------------------------------------------------------------


def test_admin_publishes_a_frozen_snapshot(client, swale_admin, known):
    client.force_login(swale_admin)
    page = client.get(publish_url(known.q2)).content.decode()
    assert "Publish the 2019/20 Q2 report" in page
    assert "is still open" in page  # warned that officers can still change updates
    response = client.post(publish_url(known.q2), {"reason": ""})
    published = PublishedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:published_report", args=[published.pk])
    assert (published.version, published.plan, published.published_by) == (
        1,
        known.plan,
        swale_admin,
    )
    assert published.data["period"]["label"] == "2019/20 Q2"
    assert "Published v1 on" in published.html
    assert "csrfmiddlewaretoken" not in published.html  # the report only, not the page
    assert "app-account-bar" not in published.html
    page = client.get(response["Location"]).content.decode()
    assert "Version 1 of the 2019/20 Q2 report is published." in page
    assert "The Sittingbourne venue closed in August." in page


def test_published_report_does_not_change_when_updates_do(client, seg_member, known):
    published = reports.report_publish(period=known.q2, user=known.admin, reason="")
    # Later: the OSS update is corrected, and the referrals figure revised.
    save_update(
        known.admin,
        known.oss,
        known.q2,
        ActionUpdate.Status.ON_TRACK,
        "New venue found at the library.",
    )
    save_value(known.admin, known.referrals, known.q2, "88")

    client.force_login(seg_member)
    frozen = client.get(reverse("plans:published_report", args=[published.pk])).content.decode()
    assert "The Sittingbourne venue closed in August." in frozen
    assert "New venue found at the library." not in frozen
    assert "Off track (Red)" in frozen
    assert "Published v1 on" in frozen

    response = client.get(reverse("plans:published_report_workbook", args=[published.pk]))
    assert response.status_code == 200
    assert "-v1.xlsx" in response["Content-Disposition"]
    book = workbook_of(response.content)
    actions = {row[2]: row for row in book["Actions"].iter_rows(min_row=2, values_only=True)}
    assert actions["1.2"][5:8] == (
        "Off track (Red)",
        "Red",
        "The Sittingbourne venue closed in August.",
    )
    headers = [cell.value for cell in book["Indicators"][1]]
    indicators = {r[2]: r for r in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert indicators["1.1"][headers.index("Value 2019/20 Q2")] == 80

    published.refresh_from_db()
    oss = next(
        row for p in published.data["priorities"] for row in p["actions"] if row["ref"] == "1.2"
    )
    assert oss["commentary"] == "The Sittingbourne venue closed in August."

    live = report_html(client, known.q2)
    assert "New venue found at the library." in live
    assert "88%" in live
    assert "Version 1 of this report was published on" in live


def test_republishing_needs_a_reason_and_makes_version_two(client, swale_admin, known):
    reports.report_publish(period=known.q2, user=swale_admin, reason="")
    client.force_login(swale_admin)
    page = client.get(publish_url(known.q2)).content.decode()
    assert "Why are you republishing?" in page
    assert "Republish as version 2" in page

    response = client.post(publish_url(known.q2), {"reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert '<a href="#id_reason">Enter why you are republishing</a>' in html
    assert 'id="id_reason-error"' in html
    assert PublishedReport.objects.count() == 1

    response = client.post(publish_url(known.q2), {"reason": "Kent Police sent a late figure."})
    assert response.status_code == 302
    latest = PublishedReport.objects.get(version=2)
    assert latest.reason == "Kent Police sent a late figure."
    assert "Republished because: Kent Police sent a late figure." in latest.html
    assert PublishedReport.objects.filter(period=known.q2, version=1).exists()


def test_publish_service_refuses_without_reason_or_role(known, seg_member):
    reports.report_publish(period=known.q2, user=known.admin, reason="")
    with pytest.raises(ValidationError) as error:
        reports.report_publish(period=known.q2, user=known.admin, reason="")
    assert error.value.message_dict == {"reason": ["Enter why you are republishing"]}
    with pytest.raises(PermissionDenied):
        reports.report_publish(period=known.q2, user=seg_member, reason="Because")
    assert PublishedReport.objects.count() == 1


def test_published_report_list_shows_every_version(client, reader, known):
    first = reports.report_publish(period=known.q1, user=known.admin, reason="")
    reports.report_publish(period=known.q2, user=known.admin, reason="")
    reports.report_publish(period=known.q2, user=known.admin, reason="Late police figures")
    client.force_login(reader)
    html = client.get(reverse("plans:published_report_list", args=[known.plan.pk])).content.decode()
    table = html[html.index('id="published-reports"') : html.index("</table>")]
    assert table.count('<tr class="govuk-table__row" id="published-') == 3
    assert table.index("report, version 2") < table.index("report, version 1")
    assert "Late police figures" in table
    assert "swale-admin" in table
    assert reverse("plans:published_report", args=[first.pk]) in table
    assert reverse("plans:published_report_workbook", args=[first.pk]) in table
    assert reverse("plans:report_pack", args=[known.q2.pk]) in html  # the live reports too


def test_plan_page_links_to_published_reports(client, seg_member, known):
    client.force_login(seg_member)
    html = client.get(known.plan.get_absolute_url()).content.decode()
    assert reverse("plans:published_report_list", args=[known.plan.pk]) in html
