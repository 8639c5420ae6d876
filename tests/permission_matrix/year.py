"""The year's end and the next year, and what the partnership shares and reads from outside:
benchmarks and the API's pages, year end, open crime data, and rolling a plan forward."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from plans.models import Plan, YearEndReport
from plans.rollforward.services import plan_roll_forward
from priorities.models import Action
from tests.factories import UserFactory
from tests.permission_matrix import Matrix, Views

# --- Benchmarks and the API's pages: a benchmark of a code only Swale measures; Swale's
# sharing setting; your own API tokens (made, shown once with 200) and someone else's (404) --

BENCHMARK_EXPECTED = {
    #                          csu  police seg  admin  outsider superuser no membership
    "benchmark GET":           ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "benchmark_sharing GET":   (403, 403, 403, "ok", 404, "ok", 404),
    "benchmark_sharing POST":  (403, 403, 403, "ok", 404, "ok", 404),
    "api_tokens GET":          ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "api_tokens POST":         ("shown", "shown", "shown", "shown", "shown", "shown", "shown"),
    "api_token_revoke POST":   (404, 404, 404, 404, 404, 404, 404),
    "api_docs GET":            ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
}  # fmt: skip


def benchmark_views(swale) -> Views:
    from plans.api.tokens import api_token_create

    Indicator.objects.filter(pk=swale["indicator"].pk).update(measure_code="HO 99")
    someone_elses, _ = api_token_create(user=UserFactory(username="token-owner"), name="theirs")
    sharing = reverse("indicators:benchmark_sharing", args=[swale["plan"].partnership_id])
    tokens = reverse("api_pages:tokens")
    return {
        "benchmark GET": ("get", reverse("indicators:benchmark", args=["HO 99"]), {}),
        "benchmark_sharing GET": ("get", sharing, {}),
        "benchmark_sharing POST": ("post", sharing, {"share": "yes"}),
        "api_tokens GET": ("get", tokens, {}),
        "api_tokens POST": ("post", tokens, {"name": "Power BI", "days": "30"}),
        "api_token_revoke POST": (
            "post", reverse("api_pages:token_revoke", args=[someone_elses.pk]), {}
        ),
        "api_docs GET": ("get", reverse("api_pages:docs"), {}),
    }  # fmt: skip


# --- Year end (plans.yearend): its admins close a plan and publish its year-end report; every
# member reads the report, its workbook and its published versions. Swale's plan is active
# (to close); a second, closed Swale plan has a published year-end report (to publish again).

YEAR_END_EXPECTED = {
    #                                   csu  police seg  admin  outsider superuser no membership
    "plan_close GET":                   (403, 403, 403, "ok", 404, "ok", 404),
    "plan_close POST":                  (403, 403, 403, "ok", 404, "ok", 404),
    "year_end_report GET":              ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "year_end_workbook GET":            ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "year_end_publish GET":             (403, 403, 403, "ok", 404, "ok", 404),
    "year_end_publish POST":            (403, 403, 403, "ok", 404, "ok", 404),
    "year_end_published GET":           ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "year_end_published_workbook GET":  ("ok", "ok", "ok", "ok", 404, "ok", 404),
}  # fmt: skip


def year_end_views(swale) -> Views:
    from tests.factories import ActionFactory, PlanFactory

    plan = swale["plan"]
    plan.status = Plan.Status.ACTIVE
    plan.save()
    decided = {}
    for action in Action.objects.filter(priority__plan=plan):
        decided |= {f"status-{action.pk}": "complete", f"reason-{action.pk}": ""}
    closed = PlanFactory(partnership=plan.partnership, status=Plan.Status.CLOSED)
    ActionFactory(priority__plan=closed, final_status="cancelled", final_status_reason="Merged.")
    published = YearEndReport.objects.create(
        plan=closed, version=1, data={}, html="<p>Frozen</p>", workbook=b"PK",
        published_at=timezone.now(),
    )  # fmt: skip
    close = reverse("plans:plan_close", args=[plan.pk])
    publish = reverse("plans:year_end_publish", args=[closed.pk])
    frozen = [closed.pk, published.pk]
    return {
        "plan_close GET": ("get", close, {}),
        "plan_close POST": ("post", close, decided),
        "year_end_report GET": ("get", reverse("plans:year_end_report", args=[plan.pk]), {}),
        "year_end_workbook GET": ("get", reverse("plans:year_end_workbook", args=[plan.pk]), {}),
        "year_end_publish GET": ("get", publish, {}),
        "year_end_publish POST": ("post", publish, {"reason": "A late correction."}),
        "year_end_published GET": ("get", reverse("plans:year_end_published", args=frozen), {}),
        "year_end_published_workbook GET": (
            "get", reverse("plans:year_end_published_workbook", args=frozen), {}
        ),
    }  # fmt: skip


# --- Open crime data (indicators.crimedata): members read; admins set the area and link
# indicators; only operators (superusers) load police.uk files and the ONS lookup ----------

CRIME_EXPECTED = {
    #                            csu  police seg  admin  outsider superuser no membership
    "crime_data GET":            ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "crime_data CSV":            ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "crime_area GET":            (403, 403, 403, "ok", 404, "ok", 404),
    "crime_area POST":           (403, 403, 403, "ok", 404, "ok", 404),
    "crime_series GET":          (403, 403, 403, "ok", 404, "ok", 404),
    "crime_series POST":         (403, 403, 403, "ok", 404, "ok", 404),
    "crime_series_confirm GET":  (403, 403, 403, "ok", 404, "ok", 404),
    "crime_series_confirm POST": (403, 403, 403, "ok", 404, "ok", 404),
    "crime_import GET":          (403, 403, 403, 403, 403, "ok", 403),
    "crime_import POST":         (403, 403, 403, 403, 403, "ok", 403),
    "crime_benchmark GET":       ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
}  # fmt: skip


def crime_views(swale) -> Views:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.crimedata.models import CrimeSeries
    from tests.crimedata.files import crimes, street_csv

    partnership, indicator = swale["plan"].partnership, swale["indicator"]
    CrimeSeries.objects.create(indicator=indicator)
    data = reverse("crimedata:crime_data", args=[partnership.pk])
    area = reverse("crimedata:crime_area", args=[partnership.pk])
    series = reverse("crimedata:crime_series", args=[indicator.pk])
    confirm = reverse("crimedata:crime_series_confirm", args=[indicator.pk])
    load = reverse("crimedata:crime_import")
    kent = street_csv(crimes("2019-04", "Burglary", 2, lsoa_name="Swale 003C"))
    return {
        "crime_data GET": ("get", data, {}),
        "crime_data CSV": ("get", data + "?export=csv", {}),
        "crime_area GET": ("get", area, {}),
        "crime_area POST": ("post", area, {"districts": []}),
        "crime_series GET": ("get", series, {}),
        "crime_series POST": ("post", series, {"link": "yes", "measure": "count"}),
        "crime_series_confirm GET": ("get", confirm, {}),
        "crime_series_confirm POST": ("post", confirm, {}),
        "crime_import GET": ("get", load, {}),
        "crime_import POST": ("post", load, {"files": SimpleUploadedFile("kent.csv", kent)}),
        "crime_benchmark GET": ("get", reverse("crimedata:crime_benchmark"), {}),
    }


def year_end_done(swale, view, expected, response) -> None:
    """An allowed close closes the plan; an allowed publish makes the report's version 2."""
    if expected != "ok" or not view.endswith("POST"):
        return
    if view == "plan_close POST":
        plan = swale["plan"]
        plan.refresh_from_db()
        assert plan.status == Plan.Status.CLOSED
    else:
        assert YearEndReport.objects.filter(version=2).exists()


# --- Roll forward: starting next year's plan is for the partnership's admins; "What changed
# from last year" for everyone who sees the plan ------------------------------------------

ROLL_FORWARD_EXPECTED = {
    #                          csu  police seg  admin  outsider superuser no membership
    "plan_roll_forward GET":   (403, 403, 403, "ok", 404, "ok", 404),
    "plan_roll_forward POST":  (403, 403, 403, "ok", 404, "ok", 404),
    "plan_comparison GET":     ("ok", "ok", "ok", "ok", 404, "ok", 404),
}  # fmt: skip


def roll_forward_views(swale) -> Views:
    """Swale's 2020/21 plan, started from 2019/20 and made active: it is compared with last
    year's, and next year's may be started from it."""
    owner = get_user_model().objects.create(username="plan-owner", is_superuser=True)
    new = plan_roll_forward(plan=swale["plan"], title="Swale Community Safety Plan 2020/21",
                            start_year=2020, end_year=2020, user=owner)  # fmt: skip
    new.status = Plan.Status.ACTIVE
    new.save()
    roll = reverse("plans:plan_roll_forward", args=[new.pk])
    data = {"title": "Swale Community Safety Plan 2021/22", "start_year": "2021",
            "end_year": "2021"}  # fmt: skip
    return {
        "plan_roll_forward GET": ("get", roll, {}),
        "plan_roll_forward POST": ("post", roll, data),
        "plan_comparison GET": ("get", reverse("plans:plan_comparison", args=[new.pk]), {}),
    }


def next_year_started(swale, view, expected, response) -> None:
    """Only an allowed POST starts next year's plan; nothing else does."""
    started = Plan.objects.filter(title="Swale Community Safety Plan 2021/22").exists()
    if expected == "ok":
        if view.endswith("POST"):
            assert started
    else:
        assert not started


MATRICES = {
    "benchmark_api": Matrix(BENCHMARK_EXPECTED, benchmark_views),
    "year_end": Matrix(YEAR_END_EXPECTED, year_end_views, after=year_end_done),
    "crime_data": Matrix(CRIME_EXPECTED, crime_views),
    "roll_forward": Matrix(ROLL_FORWARD_EXPECTED, roll_forward_views, after=next_year_started),
}
