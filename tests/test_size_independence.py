"""A page's cost follows the viewer's own data, never other partnerships': each page below
makes the same queries and renders the same thing whether 1 or 30 other partnerships share the
service (with their plans, quarters, updates and values, and agencies shared with Swale as
police forces and fire services are).

Pages that by design look across every partnership (a superuser's home and lists, the Django
admin) are not here; their cost is held by query budgets (tests/test_pages.py) and by the
benchmark harness instead.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from plans.models import Agency, Membership, Partnership, Plan, PublishedReport, ReportingPeriod
from plans.services import period_open
from plans.synthetic import make_synthetic_plans
from priorities.models import Action, ActionUpdate, UpdateState
from tests.factories import UserFactory
from tests.size_pages import api_pages, import_and_report_pages

pytestmark = pytest.mark.django_db

SWALE_PLAN = "Swale Community Safety Plan 2019/20"
SHARED = ["Kent Police", "Kent Fire and Rescue Service"]


def other_partnerships(first: int, count: int) -> None:
    """Partnerships like Swale's neighbours: a plan of the same year with three quarters of
    updates and values, members, and Kent's police and fire service leading some of it."""
    shared = list(Agency.objects.filter(name__in=SHARED))
    for n in range(first, first + count):
        partnership = Partnership.objects.create(name=f"Neighbour CSP {n:02d}", area=f"Area {n}")
        partnership.agencies.add(*shared)
        for role in ("admin", "seg", "officer"):
            Membership.objects.create(
                user=UserFactory(username=f"n{n}-{role}"), partnership=partnership, role=role
            )
        (plan,) = make_synthetic_plans(
            partnership=partnership, priorities=2, actions=3, indicators=2, first_year=2019
        )
        Action.objects.filter(priority__plan=plan, ref__endswith=".1").update(lead_agency=shared[0])
        Indicator.objects.filter(plan=plan).update(agency=shared[-1])
        _quarters_of_reports(plan)
        _questions(plan)


def _questions(plan: Plan) -> None:
    """A question on each action and indicator of the plan's last quarter (plans.collaboration)."""
    from plans.collaboration.models import Comment

    by = plan.partnership.memberships.get(role="seg").user
    period = plan.periods.order_by("-quarter").first()
    Comment.objects.bulk_create(
        [Comment(action=a, period=period, text="Why?", author=by, created_at=timezone.now())
         for a in Action.objects.filter(priority__plan=plan)]
        + [Comment(indicator=i, period=period, text="Why?", author=by, created_at=timezone.now())
           for i in Indicator.objects.filter(plan=plan)]
    )  # fmt: skip


def _quarters_of_reports(plan: Plan) -> None:
    by = plan.partnership.memberships.get(role="officer").user
    now = timezone.now()
    actions = list(Action.objects.filter(priority__plan=plan))
    indicators = list(Indicator.objects.filter(plan=plan))
    for quarter in (1, 2, 3):
        period = period_open(plan=plan, year=2019, quarter=quarter, deadline=date(2020, 1, 15))
        if quarter < 3:
            ReportingPeriod.objects.filter(pk=period.pk).update(status="closed", closed_at=now)
        ActionUpdate.objects.bulk_create(
            ActionUpdate(
                action=action, period=period, status="at_risk", commentary="Some progress.",
                state=UpdateState.SUBMITTED, saved_by=by, saved_at=now, submitted_by=by,
                submitted_at=now,
            )
            for action in actions
        )  # fmt: skip
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator, period=period, value=40 + quarter, entered_by=by,
                entered_at=now,
            )
            for indicator in indicators
        )  # fmt: skip


@pytest.fixture
def swale_world(seeded, seg_member, swale_admin, csu_officer, police_officer, settings, tmp_path):
    """Swale with quarters of its own (Q1, Q2 closed and Q3 open), a published report, and
    one other partnership."""
    plan = Plan.objects.get(title=SWALE_PLAN)
    periods = [
        period_open(plan=plan, year=2019, quarter=q, deadline=date(2099, 1, 1)) for q in (1, 2, 3)
    ]
    ReportingPeriod.objects.filter(pk__in=[p.pk for p in periods[:2]]).update(status="closed")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE)  # (the seed's is closed)
    plan.status = Plan.Status.ACTIVE
    # Sign-off on: the CSU officer signs off for the CSU, and one CSU update awaits them.
    Partnership.objects.filter(pk=plan.partnership_id).update(sign_off=True)
    csu = Agency.objects.get(name="Swale Community Safety Unit")
    Membership.objects.get(user=csu_officer).signs_off_for.add(csu)
    now = timezone.now()
    ActionUpdate.objects.create(
        action=Action.objects.get(priority__plan=plan, ref="2.2"), period=periods[2],
        status="on_track", commentary="Awaiting.", state="awaiting", saved_by=police_officer,
        saved_at=now, submitted_by=police_officer, submitted_at=now,
    )  # fmt: skip
    PublishedReport.objects.create(
        plan=plan, period=periods[1], version=1, data={}, html="<p>Frozen.</p>", workbook=b"",
        pdf=None, published_at=now,
    )  # fmt: skip
    other_partnerships(1, 1)
    settings.MEDIA_ROOT = tmp_path / "media"
    _swale_questions(periods[2], seg_member, csu_officer)
    return {"plan": plan, "period": periods[2], "closed": periods[1]}


def _swale_questions(period, seg_member, csu_officer) -> None:
    """A question on action 2.2 answered with a file, and one awaiting an answer."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.collaboration import services

    action = Action.objects.select_related("priority__plan").get(pk=_action(period.plan).pk)
    answered = services.question_ask(user=seg_member, item=action, period=period, text="Why?")
    services.question_answer(
        user=csu_officer, question=answered, item=action, text="Because.",
        upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF\n"),
    )  # fmt: skip
    services.question_ask(user=seg_member, item=action, period=period, text="And now?")


def _action(plan: Plan) -> Action:
    return Action.objects.get(priority__plan=plan, ref="2.2")


def pages(world) -> dict[str, tuple[str, str]]:
    """name -> (role fixture, url) for every page a partnership's members read."""
    plan, period, closed = world["plan"], world["period"], world["closed"]
    action = Action.objects.get(priority__plan=plan, ref="2.2")  # led by the Swale CSU
    indicator = Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime")
    partnership = plan.partnership
    member = Membership.objects.get(user__username="seg-member")
    police = Agency.objects.get(name="Kent Police")
    return {
        "home": ("seg_member", reverse("home")),
        "partnership": ("seg_member", partnership.get_absolute_url()),
        "plan": ("seg_member", plan.get_absolute_url()),
        "periods": ("seg_member", reverse("plans:period_list", args=[plan.pk])),
        "period": ("seg_member", reverse("plans:period_detail", args=[period.pk])),
        "period_open": (
            "swale_admin",
            reverse("plans:period_open", args=[plan.pk]) + "?year=2019&quarter=4",
        ),
        "my_updates (officer)": ("csu_officer", reverse("plans:my_updates")),
        "my_updates (SEG)": ("seg_member", reverse("plans:my_updates")),
        "members": ("swale_admin", reverse("plans:member_list", args=[partnership.pk])),
        "member_add": ("swale_admin", reverse("plans:member_add", args=[partnership.pk])),
        "member_edit": ("swale_admin", reverse("plans:member_edit", args=[member.pk])),
        "action_delegates": ("swale_admin", reverse("plans:action_delegates", args=[action.pk])),
        "indicator_delegates": (
            "swale_admin",
            reverse("plans:indicator_delegates", args=[indicator.pk]),
        ),
        "plan_import": ("swale_admin", reverse("plans:plan_import", args=[partnership.pk])),
        "partnership_dashboard": (
            "seg_member",
            reverse("plans:partnership_dashboard", args=[partnership.pk]),
        ),
        "plan_dashboard": ("seg_member", reverse("plans:plan_dashboard", args=[plan.pk])),
        "plan_dashboard (closed quarter)": (
            "seg_member",
            reverse("plans:plan_dashboard", args=[plan.pk]) + f"?period={closed.pk}",
        ),
        "my_dashboard": ("seg_member", reverse("plans:my_dashboard")),
        "report_pack": ("seg_member", reverse("plans:report_pack", args=[closed.pk])),
        "published_reports": (
            "seg_member",
            reverse("plans:published_report_list", args=[plan.pk]),
        ),
        "agencies (partnership)": (
            "swale_admin",
            reverse("plans:partnership_agencies", args=[partnership.pk]),
        ),
        "audit_log": ("swale_admin", reverse("plans:audit_log", args=[partnership.pk])),
        "agency_list": ("seg_member", reverse("plans:agency_list")),
        "agency (shared police force)": ("seg_member", police.get_absolute_url()),
        "action_list": ("seg_member", reverse("priorities:action_list")),
        "action_list (by shared agency)": (
            "seg_member",
            reverse("priorities:action_list") + f"?lead_agency={police.pk}",
        ),
        "action_csv": ("seg_member", reverse("priorities:action_list") + "?export=csv"),
        "action": ("seg_member", action.get_absolute_url()),
        "action_update": (
            "csu_officer",
            reverse("priorities:action_update", args=[action.pk, period.pk]),
        ),
        "milestones": ("seg_member", reverse("priorities:milestone_list")),
        "milestones_csv": ("seg_member", reverse("priorities:milestone_list") + "?export=csv"),
        "indicator_list": ("seg_member", reverse("indicators:indicator_list")),
        "indicator_csv": ("seg_member", reverse("indicators:indicator_list") + "?export=csv"),
        "indicator": ("seg_member", indicator.get_absolute_url()),
        "indicator_trend": (
            "seg_member",
            reverse("indicators:indicator_trend", args=[indicator.pk]),
        ),
        "indicator_value": (
            "police_officer",
            reverse("indicators:indicator_value", args=[indicator.pk, period.pk]),
        ),
        "bulk_values": (
            "police_officer",
            reverse("indicators:bulk_values", args=[plan.pk, period.pk]),
        ),
        "account": ("seg_member", reverse("accounts:account")),
        "notifications": ("csu_officer", reverse("notifications:list")),
        # Editing a plan (plans.editing): the plan is made active in swale_world.
        "plan_edit": ("swale_admin", reverse("plans:plan_edit", args=[plan.pk])),
        "plan_details_change": (
            "swale_admin",
            reverse("plans:plan_details_change", args=[plan.pk]),
        ),
        "plan_item_add": (
            "swale_admin",
            reverse("plans:plan_item_add", args=[plan.pk, "action"])
            + f"?parent={action.priority_id}",
        ),
        "plan_item_change": (
            "swale_admin",
            reverse("plans:plan_item_change", args=[plan.pk, "action", action.pk]),
        ),
        "plan_item_move": (
            "swale_admin",
            reverse("plans:plan_item_move", args=[plan.pk, "action", action.pk]) + "?direction=up",
        ),
        "plan_item_remove": (
            "swale_admin",
            reverse("plans:plan_item_remove", args=[plan.pk, "action", action.pk]),
        ),
        "plan_changes": ("seg_member", reverse("plans:plan_changes", args=[plan.pk])),
        "sign_off": ("csu_officer", reverse("plans:sign_off")),
        "partnership_sign_off": (
            "swale_admin",
            reverse("plans:partnership_sign_off", args=[partnership.pk]),
        ),
        "notification_settings": ("seg_member", reverse("notifications:settings")),
        # Year end (plans.yearend): the plan is active in swale_world.
        "plan_close": ("swale_admin", reverse("plans:plan_close", args=[plan.pk])),
        "year_end_report": ("seg_member", reverse("plans:year_end_report", args=[plan.pk])),
        **figure_pages(plan, period, indicator),
        **crime_pages(plan, indicator),
        **_collaboration_pages(plan, period, action, indicator),
        **_roll_forward_pages(plan),
        **_benchmark_and_api_pages(partnership, indicator),
        **import_and_report_pages(plan),
        **api_pages(plan, period, action, indicator),
    }


def _roll_forward_pages(plan) -> dict[str, tuple[str, str]]:
    """Next year's plan started from Swale's and made active: compared with last year's,
    and the year after's may be started from it (plans.rollforward)."""
    from django.contrib.auth import get_user_model

    from plans.rollforward.services import plan_roll_forward

    admin = get_user_model().objects.get(username="swale-admin")
    new = plan_roll_forward(plan=plan, title="Swale Community Safety Plan 2020/21",
                            start_year=2020, end_year=2020, user=admin)  # fmt: skip
    Plan.objects.filter(pk=new.pk).update(status=Plan.Status.ACTIVE)
    return {
        "plan_roll_forward": ("swale_admin", reverse("plans:plan_roll_forward", args=[new.pk])),
        "plan_comparison": ("seg_member", reverse("plans:plan_comparison", args=[new.pk])),
    }


def _benchmark_and_api_pages(partnership, indicator) -> dict[str, tuple[str, str]]:
    """A benchmark of a code Swale measures (neighbours measure other things), the sharing
    setting, and the API's token and docs pages."""
    Indicator.objects.filter(pk=indicator.pk).update(measure_code="HO 99")
    return {
        "benchmark": ("seg_member", reverse("indicators:benchmark", args=["HO 99"])),
        "benchmark_sharing": (
            "swale_admin", reverse("indicators:benchmark_sharing", args=[partnership.pk])
        ),
        "api_tokens": ("seg_member", reverse("api_pages:tokens")),
        "api_docs": ("seg_member", reverse("api_pages:docs")),
    }  # fmt: skip


def figure_pages(plan, period, indicator) -> dict[str, tuple[str, str]]:
    """Figures from a sheet: the upload, its preview (the officer's own), history,
    calculation and population pages."""
    from django.contrib.auth import get_user_model

    from indicators.models import ValueUpload

    officer = get_user_model().objects.get(username="police-officer")
    upload = ValueUpload.objects.create(
        user=officer, plan=plan, period=period, kind="quarter", file_name="f.xlsx",
        rows=[{"indicator": indicator.pk, "ref": indicator.ref, "title": indicator.title,
               "row": 2, "value": "12", "not_available": False, "reason": "", "note": "",
               "version": None, "before": ""}],
    )  # fmt: skip
    return {
        "values_upload": (
            "police_officer",
            reverse("indicators:values_upload", args=[plan.pk, period.pk]),
        ),
        "values_upload_preview": (
            "police_officer",
            reverse("indicators:values_upload_preview", args=[upload.pk]),
        ),
        "history_upload": ("swale_admin", reverse("indicators:history_upload", args=[plan.pk])),
        "indicator_calculation": (
            "swale_admin",
            reverse("indicators:indicator_calculation", args=[indicator.pk]),
        ),
        "population": ("swale_admin", reverse("indicators:population", args=[plan.partnership_id])),
    }


def crime_pages(plan, indicator) -> dict[str, tuple[str, str]]:
    """Crime data (indicators.crimedata): Swale's area with a quarter of police.uk counts,
    and the hate crime indicator filled from them."""
    from indicators.crimedata.models import CrimeSeries, District
    from indicators.crimedata.services import area_set, police_data_import
    from tests.crimedata.files import crimes, named, street_csv

    rows = [row for month in ("2019-04", "2019-05", "2019-06")
            for row in crimes(month, "Burglary", 3, lsoa_name="Swale 003C")]  # fmt: skip
    police_data_import(files=[named("kent.csv", street_csv(rows))])
    area_set(partnership=plan.partnership, districts=District.objects.filter(name="Swale"))
    CrimeSeries.objects.get_or_create(indicator=indicator)
    partnership = plan.partnership_id
    return {
        "crime_data": ("seg_member", reverse("crimedata:crime_data", args=[partnership])),
        "crime_data (CSV)": (
            "seg_member", reverse("crimedata:crime_data", args=[partnership]) + "?export=csv"
        ),
        "crime_area": ("swale_admin", reverse("crimedata:crime_area", args=[partnership])),
        "crime_series": ("swale_admin", reverse("crimedata:crime_series", args=[indicator.pk])),
        "crime_series_confirm": (
            "swale_admin", reverse("crimedata:crime_series_confirm", args=[indicator.pk])
        ),
    }  # fmt: skip


def _collaboration_pages(plan, period, action, indicator) -> dict[str, tuple[str, str]]:
    from plans.collaboration.models import Comment, Evidence

    question = Comment.objects.filter(action=action, parent__isnull=True).first()
    answer = Comment.objects.filter(action=action, parent__isnull=False).first()
    evidence = Evidence.objects.filter(action=action).first()

    def item(name, kind, obj):
        return reverse(f"collaboration:{name}", args=[kind, obj.pk, period.pk])

    return {
        "thread": ("seg_member", item("thread", "action", action)),
        "thread (indicator)": ("seg_member", item("thread", "indicator", indicator)),
        "evidence": ("csu_officer", item("evidence", "action", action)),
        "question_answer": (
            "csu_officer", reverse("collaboration:question_answer", args=[question.pk])
        ),
        "comment_edit": ("csu_officer", reverse("collaboration:comment_edit", args=[answer.pk])),
        "comment_remove": (
            "seg_member", reverse("collaboration:comment_remove", args=[question.pk])
        ),
        "evidence_remove": (
            "csu_officer", reverse("collaboration:evidence_remove", args=[evidence.pk])
        ),
        "plan_questions": ("seg_member", reverse("collaboration:plan_questions", args=[plan.pk])),
    }  # fmt: skip


VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "csrf"),
    (re.compile(r'nonce="[^"]+"'), "nonce"),
]


def visit(client, request, role: str, url: str) -> tuple[int, str]:
    client.force_login(request.getfixturevalue(role))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = response.getvalue().decode("utf-8-sig")
    assert response.status_code in (200, 302), (url, response.status_code)
    for pattern, stand_in in VOLATILE:
        body = pattern.sub(stand_in, body)
    return len(queries), body


def test_every_page_costs_the_same_with_1_or_30_other_partnerships(client, request, swale_world):
    visits = pages(swale_world)
    for where in visits.values():  # once to fill per-process caches (content types, …)
        visit(client, request, *where)
    before = {name: visit(client, request, *where) for name, where in visits.items()}
    assert "Awaiting." in before["sign_off"][1]  # the world has something to sign off
    other_partnerships(2, 29)
    assert Partnership.objects.count() == 2 + 30
    for name, where in visits.items():
        queries, body = visit(client, request, *where)
        assert queries == before[name][0], f"{name}: {before[name][0]} → {queries} queries"
        assert body == before[name][1], f"{name} shows something else with 30 partnerships"


def test_the_list_covers_every_page_of_the_partnership_apps(swale_world):
    """A new page joins the list above, or is named here with why it is left out."""
    from django.urls import get_resolver

    left_out = {
        # POST-only actions; downloads (their query budgets are in their own tests); a
        # published report is a frozen copy, read from one row.
        "period_close", "member_remove", "member_invitation_resend", "member_unlock",
        "plan_activate", "report_publish", "partnership_agency_remove", "action_reopen",
        "plan_import_template", "plan_export", "report_workbook",
        "report_pdf", "published_report_workbook", "published_report_pdf",
        "read_all", "read", "period_remind", "sign_off_decide", "values_sheet",
        "evidence_download", "token_revoke",
        # Year end: the workbook is a download and published copies are frozen rows (both
        # held by budgets in tests/plans/test_year_end_report.py); publishing needs a closed
        # plan, and swale_world's is active.
        "year_end_workbook", "year_end_published", "year_end_published_workbook",
        "year_end_publish",
        # Crime data: loading police.uk files is the operators' (superusers') page; the
        # benchmark looks across every partnership by design (its own test below, and its
        # query budget at two sizes, with 20 partnerships, in tests/crimedata/test_budgets.py).
        "crime_import", "crime_benchmark",
        # The API's root (django-ninja's) answers 404: there is nothing to read there.
        "api-root",
    }  # fmt: skip
    visited = {reverse_name(url) for _, url in pages(swale_world).values()}
    names = set()
    namespaces = ("plans", "priorities", "indicators", "notifications", "collaboration",
                  "api_pages", "crimedata", "api-v1")  # fmt: skip
    for namespace in namespaces:
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {name for name in resolver.reverse_dict if isinstance(name, str)}
    missing = names - visited - left_out
    assert not missing, f"pages without a size-independence check: {sorted(missing)}"


def reverse_name(url: str) -> str:
    from django.urls import resolve

    return resolve(url.split("?")[0]).url_name
