"""Pages of the size-independence list (tests/test_size_independence.py) for imports, published
reports and the API, kept here so that each module reads in one sitting."""

from __future__ import annotations

from django.urls import reverse

from plans.models import PublishedReport


def import_and_report_pages(plan) -> dict[str, tuple[str, str]]:
    """An upload of Swale's own plan (its export) waiting on its preview, and the quarter's
    published report."""
    from django.contrib.auth import get_user_model

    from plans.importing.uploads import import_upload
    from plans.workbook.export import plan_workbook

    admin = get_user_model().objects.get(username="swale-admin")
    upload, problems = import_upload(
        partnership=plan.partnership, user=admin, file_name="swale.xlsx",
        content=plan_workbook(plan),
    )  # fmt: skip
    assert not problems, problems
    report = PublishedReport.objects.get(plan=plan)
    return {
        "plan_import_preview": (
            "swale_admin", reverse("plans:plan_import_preview", args=[upload.pk])
        ),
        "published_report": ("seg_member", reverse("plans:published_report", args=[report.pk])),
    }  # fmt: skip


def api_pages(plan, period, action, indicator) -> dict[str, tuple[str, str]]:
    """The read-only API (plans.api), read with the member's signed-in session (its own test,
    tests/api/test_api_queries.py, reads it with a token)."""
    report = PublishedReport.objects.get(plan=plan)

    def api(name, *args):
        return ("seg_member", reverse(f"api-v1:{name}", args=args))

    return {
        "api schema": api("openapi-json"),
        "api try": api("openapi-view"),
        "api partnerships": api("partnership_list"),
        "api partnership": api("partnership_detail", plan.partnership_id),
        "api plans": api("plan_list"),
        "api plan": api("plan_detail", plan.pk),
        "api quarters": api("quarter_list"),
        "api quarter": api("quarter_detail", period.pk),
        "api reports": api("report_list"),
        "api report": api("report_detail", report.pk),
        "api actions": api("action_list"),
        "api action": api("action_detail", action.pk),
        "api indicators": api("indicator_list"),
        "api indicator": api("indicator_detail", indicator.pk),
        "api crime counts": api("crime_counts", plan.partnership_id),
    }
