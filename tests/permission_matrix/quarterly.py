"""Quarterly progress: updates, figures, quarters, reports, milestones, figures from a sheet
(and its preview), accounts and notifications."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.permission_matrix import Matrix, Views


def quarter_views(swale) -> Views:
    """name -> (method, url, POST data)."""
    action, indicator, period, plan = (
        swale["action"], swale["indicator"], swale["period"], swale["plan"],
    )  # fmt: skip
    update_url = reverse("priorities:action_update", args=[action.pk, period.pk])
    value_url = reverse("indicators:indicator_value", args=[indicator.pk, period.pk])
    bulk_url = reverse(
        "indicators:bulk_values", kwargs={"plan_pk": plan.pk, "period_pk": period.pk}
    )
    open_url = reverse("plans:period_open", args=[plan.pk]) + "?year=2019&quarter=3"
    reopen_url = reverse("priorities:action_reopen", args=[swale["completed"].pk])
    return {
        "action_update GET": ("get", update_url, {}),
        "action_update POST": (
            "post",
            update_url,
            {"status": "on_track", "commentary": "On course.", "next_steps": "", "action": "submit",
             "version": ""},
        ),
        "indicator_value GET": ("get", value_url, {}),
        "indicator_value POST": ("post", value_url, {"value": "12", "note": "", "version": ""}),
        "bulk_values GET": ("get", bulk_url, {}),
        "my_updates GET": ("get", reverse("plans:my_updates"), {}),
        "my_dashboard GET": ("get", reverse("plans:my_dashboard"), {}),
        "period_list GET": ("get", reverse("plans:period_list", args=[plan.pk]), {}),
        "period_detail GET": ("get", reverse("plans:period_detail", args=[period.pk]), {}),
        "period_open GET": ("get", open_url, {}),
        "period_open POST": (
            "post",
            open_url,
            {"year": "2019", "quarter": "3", "deadline-day": "15", "deadline-month": "1",
             "deadline-year": "2020"},
        ),
        "period_close POST": ("post", reverse("plans:period_close", args=[period.pk]), {}),
        **account_views(swale),
        "report_pdf GET": ("get", reverse("plans:report_pdf", args=[period.pk]), {}),
        "published_report_pdf GET": (
            "get", reverse("plans:published_report_pdf", args=[swale["published"].pk]), {},
        ),
        "milestone_list GET": ("get", reverse("priorities:milestone_list"), {}),
        "milestone_list CSV": ("get", reverse("priorities:milestone_list") + "?export=csv", {}),
        "action_reopen GET": ("get", reopen_url, {}),
        "action_reopen POST": ("post", reopen_url, {"reason": "Needed again."}),
        **upload_views(swale),
        **notification_views(swale),
    }  # fmt: skip


def notification_views(swale) -> Views:
    """Your own notifications and settings (everyone signed in); someone else's notification
    (404 for all); an admin's "Send a reminder now" for a quarter."""
    from plans.notifications.models import Notification

    other = Notification.objects.create(
        user=UserFactory(username="someone-else"), kind="reminder", subject="Not yours"
    )
    settings_url = reverse("notifications:settings")
    return {
        "notifications GET": ("get", reverse("notifications:list"), {}),
        "notification_read POST": ("post", reverse("notifications:read", args=[other.pk]), {}),
        "notifications_read_all POST": ("post", reverse("notifications:read_all"), {}),
        "notification_settings GET": ("get", settings_url, {}),
        "notification_settings POST": ("post", settings_url, {"email_kinds": ["reminder"]}),
        "period_remind POST": (
            "post", reverse("notifications:period_remind", args=[swale["period"].pk]), {}
        ),
    }  # fmt: skip


def upload_views(swale) -> Views:
    """Figures from a sheet: the quarter's sheet and upload, history, calculations."""
    plan, period, indicator = swale["plan"], swale["period"], swale["indicator"]
    sheet = reverse("indicators:values_sheet", args=[plan.pk, period.pk])
    upload = reverse("indicators:values_upload", args=[plan.pk, period.pk])
    history = reverse("indicators:history_upload", args=[plan.pk])
    calculation = reverse("indicators:indicator_calculation", args=[indicator.pk])
    population = reverse("indicators:population", args=[plan.partnership_id])
    figures = _sheet([["Ref", "Value"], [indicator.ref, 12]], "figures.xlsx")
    earlier = _sheet([["Ref", "2019/20 Q1"], [indicator.ref, 12]], "history.xlsx")
    return {
        "values_sheet GET": ("get", sheet, {}),
        "values_upload GET": ("get", upload, {}),
        "values_upload POST": ("post", upload, {"file": figures}),
        "history_upload GET": ("get", history, {}),
        "history_upload POST": ("post", history, {"source": "Kent Police", "file": earlier}),
        "indicator_calculation GET": ("get", calculation, {}),
        "indicator_calculation POST": ("post", calculation, {"expression": ""}),
        "population GET": ("get", population, {}),
        "population POST": ("post", population, {"year": "2019", "residents": "150000"}),
    }


def _sheet(rows, name):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def account_views(swale) -> Views:
    """The accounts pages: your own account (everyone signed in), and an admin's actions on
    an invited member of Swale."""
    invited = swale["invited"]
    new_password = {"old_password": PASSWORD, "new_password1": "a-new-long-pass-77",
                    "new_password2": "a-new-long-pass-77"}  # fmt: skip
    setup = reverse("accounts:two_factor_setup")
    codes = reverse("accounts:recovery_codes")
    turn_off = reverse("accounts:two_factor_turn_off")
    verify = reverse("accounts:two_factor_verify")
    resend = reverse("plans:member_invitation_resend", args=[invited.pk])
    return {
        "account GET": ("get", reverse("accounts:account"), {}),
        "password_change GET": ("get", reverse("accounts:password_change"), {}),
        "password_change POST": ("post", reverse("accounts:password_change"), new_password),
        "password_change_done GET": ("get", reverse("accounts:password_change_done"), {}),
        "two_factor_setup GET": ("get", setup, {}),
        "two_factor_setup POST": ("post", setup, {"code": "000000"}),
        "two_factor_verify GET": ("get", verify, {}),
        "two_factor_verify POST": ("post", verify, {"code": "000000"}),
        "recovery_codes GET": ("get", codes, {}),
        "recovery_codes POST": ("post", codes, {}),
        "two_factor_turn_off GET": ("get", turn_off, {}),
        "two_factor_turn_off POST": ("post", turn_off, {}),
        "member_edit GET": ("get", reverse("plans:member_edit", args=[invited.pk]), {}),
        "member_invitation_resend POST": ("post", resend, {}),
        "member_unlock POST": ("post", reverse("plans:member_unlock", args=[invited.pk]), {}),
    }


QUARTER_EXPECTED = {
    #                       csu     police  seg  admin  outsider  superuser  no membership
    "action_update GET":    ("ok", 403, 403, "ok", 404, "ok", 404),
    "action_update POST":   ("ok", 403, 403, "ok", 404, "ok", 404),
    "indicator_value GET":  (403, "ok", 403, "ok", 404, "ok", 404),
    "indicator_value POST": (403, "ok", 403, "ok", 404, "ok", 404),
    "bulk_values GET":      (403, "ok", 403, "ok", 404, "ok", 404),
    "my_updates GET":       ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "my_dashboard GET":     ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "period_list GET":      ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "period_detail GET":    ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "period_open GET":      (403, 403, 403, "ok", 404, "ok", 404),
    "period_open POST":     (403, 403, 403, "ok", 404, "ok", 404),
    "period_close POST":    (403, 403, 403, "ok", 404, "ok", 404),
    # Accounts: everyone signed in has their own account pages.
    "account GET":               ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "password_change GET":       ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "password_change POST":      ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "password_change_done GET":  ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "two_factor_setup GET":      ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "two_factor_setup POST":     ("form", "form", "form", "form", "form", "form", "form"),
    "two_factor_verify GET":     ("away", "away", "away", "away", "away", "away", "away"),
    "two_factor_verify POST":    ("away", "away", "away", "away", "away", "away", "away"),
    "recovery_codes GET":        ("away", "away", "away", "away", "away", "away", "away"),
    "recovery_codes POST":       (403, 403, 403, "ok", "ok", "ok", 403),
    "two_factor_turn_off GET":   ("away", "away", "away", 403, 403, 403, "away"),
    "two_factor_turn_off POST":  ("away", "away", "away", 403, 403, 403, "away"),
    # An admin's actions on an invited member of Swale.
    "member_edit GET":                (403, 403, 403, "ok", 404, "ok", 404),
    "member_invitation_resend POST":  (403, 403, 403, "ok", 404, "ok", 404),
    "member_unlock POST":             (403, 403, 403, "ok", 404, "ok", 404),
    "report_pdf GET":       ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "published_report_pdf GET": ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "milestone_list GET":   ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "milestone_list CSV":   ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "action_reopen GET":    ("ok", 403, 403, "ok", 404, "ok", 404),
    "action_reopen POST":   ("ok", 403, 403, "ok", 404, "ok", 404),
    # Figures from a sheet: officers for what they report on; history and calculations admins.
    "values_sheet GET":     (403, "ok", 403, "ok", 404, "ok", 404),
    "values_upload GET":    (403, "ok", 403, "ok", 404, "ok", 404),
    "values_upload POST":   (403, "ok", 403, "ok", 404, "ok", 404),
    "history_upload GET":   (403, 403, 403, "ok", 404, "ok", 404),
    "history_upload POST":  (403, 403, 403, "ok", 404, "ok", 404),
    "indicator_calculation GET":  (403, 403, 403, "ok", 404, "ok", 404),
    "indicator_calculation POST": (403, 403, 403, "ok", 404, "ok", 404),
    "population GET":       (403, 403, 403, "ok", 404, "ok", 404),
    "population POST":      (403, 403, 403, "ok", 404, "ok", 404),
    # Notifications: your own only; reminders are the partnership admins'.
    "notifications GET":             ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "notification_read POST":        (404, 404, 404, 404, 404, 404, 404),
    "notifications_read_all POST":   ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "notification_settings GET":     ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "notification_settings POST":    ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "period_remind POST":            (403, 403, 403, "ok", 404, "ok", 404),
}  # fmt: skip


# --- An uploaded sheet's preview: only the user who uploaded it sees and confirms it -------

UPLOAD_PREVIEW_EXPECTED = {
    #                               csu  police seg  admin outsider superuser no membership
    "values_upload_preview GET":  (404, "ok", 404, 404, 404, 404, 404),
    "values_upload_preview POST": (404, "ok", 404, 404, 404, 404, 404),
}  # fmt: skip


def upload_preview_views(swale, police_officer) -> Views:
    from indicators.models import ValueUpload

    upload = ValueUpload.objects.create(
        user=police_officer, plan=swale["plan"], period=swale["period"], kind="quarter",
        file_name="f.xlsx", rows=[{"indicator": swale["indicator"].pk, "ref": "2.3", "row": 2,
        "value": "12", "not_available": False, "reason": "", "note": "", "version": None}],
    )  # fmt: skip
    url = reverse("indicators:values_upload_preview", args=[upload.pk])
    return {"values_upload_preview GET": ("get", url, {}),
            "values_upload_preview POST": ("post", url, {})}  # fmt: skip


def upload_previewed(swale, view, expected, response) -> None:
    """The uploader sees the preview (200) and confirms it (302)."""
    if expected == "ok":
        assert response.status_code == (302 if view.endswith("POST") else 200)


MATRICES = {
    "quarter": Matrix(QUARTER_EXPECTED, quarter_views),
    "upload_preview": Matrix(
        UPLOAD_PREVIEW_EXPECTED, upload_preview_views, fixtures=("police_officer",),
        after=upload_previewed,
    ),
}  # fmt: skip
