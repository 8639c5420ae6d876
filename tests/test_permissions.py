"""Who may do what: every view of quarterly progress, GET and POST, for every role.

Expected codes: 200 (or 302 after a successful POST) allowed; 403 may see but not change;
404 another partnership's data; anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from csp_tracker.accounts.models import Invitation
from indicators.models import Indicator
from plans.models import Membership, Plan, PublishedReport, YearEndReport
from plans.services import period_open
from priorities.models import Action, ActionUpdate
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "csu_officer", "police_officer", "seg_member", "swale_admin", "outsider",
         "superuser", "no_membership"]  # fmt: skip


@pytest.fixture
def swale(seeded):
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    period = period_open(plan=plan, year=2019, quarter=2, deadline=date(2099, 1, 1))
    completed = Action.objects.get(priority__plan=plan, ref="2.3")  # led by the Swale CSU
    completed.completed_in = period
    completed.save()
    return {
        "completed": completed,
        "plan": plan,
        "period": period,
        "published": PublishedReport.objects.create(
            plan=plan,
            period=period,
            version=1,
            data={},
            html="",
            workbook=b"",
            pdf=b"%PDF-1.7",
            published_at=period.opened_at,
        ),
        # 2.2 is led by the Swale CSU; the hate crime indicator by Kent Police.
        "action": Action.objects.get(priority__plan=plan, ref="2.2"),
        "indicator": Indicator.objects.get(plan=plan, title="Number of incidents of Hate Crime"),
        "invited": _invited_member(plan.partnership),
    }


def _invited_member(partnership):
    user = UserFactory(username="invited@example.invalid", email="invited@example.invalid")
    Invitation.objects.create(user=user, partnership=partnership, sent_at=timezone.now())
    return Membership.objects.create(user=user, partnership=partnership, role="seg")


def client_for(role: str, request, client):
    if role == "anonymous":
        return client
    if role == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    elif role == "no_membership":
        user = UserFactory(username="signed-in-nobody")
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    return client


def views(swale) -> dict[str, tuple[str, str, dict]]:
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


def notification_views(swale) -> dict[str, tuple[str, str, dict]]:
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


def upload_views(swale) -> dict[str, tuple[str, str, dict]]:
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


def account_views(swale) -> dict[str, tuple[str, str, dict]]:
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


ALLOWED = {200, 302}
# "form": the page answers 200 with the form's error (a wrong two-factor code). "away": a
# redirect elsewhere, because there is nothing to do here for this user (no code is due,
# no recovery codes to show, no two-factor sign-in to turn off).
EXPECTED = {
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", EXPECTED)
def test_role_by_view_matrix(request, client, swale, role, view):
    method, url, data = views(swale)[view]
    response = getattr(client_for(role, request, client), method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = EXPECTED[view][ROLES.index(role) - 1]
    if expected == "form":
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    elif expected == "away":
        assert response.status_code == 302, (view, role, response.status_code)
    elif expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)


def test_outsider_sees_no_swale_milestones(client, outsider, swale):
    client.force_login(outsider)
    response = client.get(reverse("priorities:milestone_list"), {"export": "csv"})
    assert "Swale" not in response.getvalue().decode("utf-8-sig")


def test_outsider_sees_nothing_of_swale_in_lists(client, outsider, swale):
    client.force_login(outsider)
    response = client.get(reverse("priorities:action_list"))
    assert "Swale Community Safety Plan" not in response.content.decode()
    assert all(
        row.record.priority.plan.partnership.name.startswith("Medway")
        for row in response.context["table"].page.object_list
    )
    html = client.get(reverse("home")).content.decode()
    assert "Swale Community Safety Plan" not in html
    assert client.get(swale["plan"].get_absolute_url()).status_code == 404
    assert client.get(swale["action"].get_absolute_url()).status_code == 404


# --- Trust: the partnership's agencies and audit log, for every role and for a signed-in user
# with no membership at all ("nobody") ------------------------------------------------------

TRUST_ROLES = ROLES  # the last, "no_membership", is signed in with no membership at all
TRUST_EXPECTED = {
    #                          csu  police seg  admin  outsider superuser no membership
    "agencies GET":            (403, 403, 403, "ok", 404, "ok", 404),
    "agencies POST":           (403, 403, 403, "ok", 404, "ok", 404),
    "agency_remove POST":      (403, 403, 403, "ok", 404, "ok", 404),
    "audit_log GET":           (403, 403, 403, "ok", 404, "ok", 404),
    "audit_log POST":          (405, 405, 405, 405, 405, 405, 405),  # read only, for all
    "audit_log_csv GET":       (403, 403, 403, "ok", 404, "ok", 404),
    "agency_list GET":         ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
}  # fmt: skip


def trust_views(swale) -> dict[str, tuple[str, str, dict]]:
    from plans.models import Agency

    partnership = swale["plan"].partnership
    spare = Agency.objects.create(name="Spare agency")
    partnership.agencies.add(spare)
    agencies = reverse("plans:partnership_agencies", args=[partnership.pk])
    audit_log = reverse("plans:audit_log", args=[partnership.pk])
    return {
        "agencies GET": ("get", agencies, {}),
        "agencies POST": ("post", agencies, {"name": "New agency", "kind": "partner_organisation"}),
        "agency_remove POST": (
            "post", reverse("plans:partnership_agency_remove", args=[partnership.pk, spare.pk]), {}
        ),
        "audit_log GET": ("get", audit_log, {}),
        "audit_log POST": ("post", audit_log, {}),
        "audit_log_csv GET": ("get", audit_log, {"export": "csv"}),
        "agency_list GET": ("get", reverse("plans:agency_list"), {}),
    }  # fmt: skip


@pytest.mark.parametrize("role", TRUST_ROLES)
@pytest.mark.parametrize("view", TRUST_EXPECTED)
def test_trust_role_by_view_matrix(request, client, swale, role, view):
    method, url, data = trust_views(swale)[view]
    client = client_for(role, request, client)
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = TRUST_EXPECTED[view][TRUST_ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)


# --- Sign-off: the Sign-off page, a decision on an awaiting update of the CSU (the CSU officer
# signs off for the CSU), and the partnership's setting -------------------------------------

SIGN_OFF_EXPECTED = {
    #                          csu  police seg  admin  outsider superuser no membership
    "sign_off GET":            ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "sign_off approve POST":   ("ok", 403, 403, 403, 404, 403, 404),
    "sign_off return POST":    ("ok", 403, 403, 403, 404, 403, 404),
    "partnership_sign_off GET":  (403, 403, 403, "ok", 404, "ok", 404),
    "partnership_sign_off POST": (403, 403, 403, "ok", 404, "ok", 404),
}  # fmt: skip


def sign_off_views(swale) -> dict[str, tuple[str, str, dict]]:
    """Call after the user is signed in: their membership (if the CSU officer) signs off."""
    from plans.models import Agency

    partnership, period = swale["plan"].partnership, swale["period"]
    partnership.sign_off = True
    partnership.save()
    csu = Agency.objects.get(name="Swale Community Safety Unit")
    for membership in Membership.objects.filter(user__username="csu-officer"):
        membership.signs_off_for.add(csu)
    author = UserFactory(username="author")
    update = ActionUpdate.objects.create(
        action=swale["action"], period=period, status="on_track", commentary="Fine.",
        state="awaiting", saved_at=period.opened_at, saved_by=author, submitted_by=author,
    )  # fmt: skip
    decide = reverse("plans:sign_off_decide", args=["update", update.pk])
    setting = reverse("plans:partnership_sign_off", args=[partnership.pk])
    return {
        "sign_off GET": ("get", reverse("plans:sign_off"), {}),
        "sign_off approve POST": ("post", decide, {"decision": "approve"}),
        "sign_off return POST": (
            "post", decide, {"decision": "return", f"update-{update.pk}-comment": "Say more."}
        ),
        "partnership_sign_off GET": ("get", setting, {}),
        "partnership_sign_off POST": ("post", setting, {"sign_off": "no"}),
    }  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", SIGN_OFF_EXPECTED)
def test_sign_off_role_by_view_matrix(request, client, swale, role, view):
    client = client_for(role, request, client)
    method, url, data = sign_off_views(swale)[view]
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    if response.status_code == 302 and "decision" in data:
        assert ActionUpdate.objects.get(saved_by__username="author").state != "awaiting", (
            "the decision was taken"
        )
    expected = SIGN_OFF_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"


# --- An uploaded sheet's preview: only the user who uploaded it sees and confirms it -------

UPLOAD_PREVIEW_EXPECTED = {
    #                               csu  police seg  admin outsider superuser no membership
    "values_upload_preview GET":  (404, "ok", 404, 404, 404, 404, 404),
    "values_upload_preview POST": (404, "ok", 404, 404, 404, 404, 404),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", UPLOAD_PREVIEW_EXPECTED)
def test_upload_preview_role_matrix(request, client, swale, police_officer, role, view):
    from indicators.models import ValueUpload

    upload = ValueUpload.objects.create(
        user=police_officer, plan=swale["plan"], period=swale["period"], kind="quarter",
        file_name="f.xlsx", rows=[{"indicator": swale["indicator"].pk, "ref": "2.3", "row": 2,
        "value": "12", "not_available": False, "reason": "", "note": "", "version": None}],
    )  # fmt: skip
    url = reverse("indicators:values_upload_preview", args=[upload.pk])
    method = "get" if view.endswith("GET") else "post"
    if role == "police_officer":
        client.force_login(police_officer)
    else:
        client = client_for(role, request, client)
    response = getattr(client, method)(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    expected = UPLOAD_PREVIEW_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == expected, (view, role, response.status_code)


# --- Editing a plan (plans.editing): its admins only; the list of changes for every reader ---

EDIT_EXPECTED = {
    #                          csu  police seg  admin  outsider superuser no membership
    "plan_edit GET":           (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_add GET":       (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_add POST":      (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_change GET":    (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_change POST":   (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_move GET":      (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_move POST":     (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_remove GET":    (403, 403, 403, "ok", 404, "ok", 404),
    "plan_item_remove POST":   (403, 403, 403, "ok", 404, "ok", 404),
    "plan_changes GET":        ("ok", "ok", "ok", "ok", 404, "ok", 404),
    # Funding lines (under an action) and the previous year's results (of the plan).
    "funding add GET":         (403, 403, 403, "ok", 404, "ok", 404),
    "funding add POST":        (403, 403, 403, "ok", 404, "ok", 404),
    "funding change POST":     (403, 403, 403, "ok", 404, "ok", 404),
    "funding remove POST":     (403, 403, 403, "ok", 404, "ok", 404),
    "result add POST":         (403, 403, 403, "ok", 404, "ok", 404),
    "result change GET":       (403, 403, 403, "ok", 404, "ok", 404),
    "result move POST":        (403, 403, 403, "ok", 404, "ok", 404),
    "result remove POST":      (403, 403, 403, "ok", 404, "ok", 404),
    # The plan's own details and its priorities' key themes.
    "plan details GET":        (403, 403, 403, "ok", 404, "ok", 404),
    "plan details POST":       (403, 403, 403, "ok", 404, "ok", 404),
    "theme add POST":          (403, 403, 403, "ok", 404, "ok", 404),
    "theme move POST":         (403, 403, 403, "ok", 404, "ok", 404),
}  # fmt: skip


def edit_views(swale) -> dict[str, tuple[str, str, dict]]:
    from plans.models import FundingLine, PreviousResult, Risk

    plan = swale["plan"]
    plan.status = Plan.Status.ACTIVE  # the seed plan is closed, and a closed plan is not edited
    plan.save()
    risk = Risk.objects.create(plan=plan, ref="R99", risk="A spare risk")
    reason = {"reason": "Agreed by the SEG"}
    add = reverse("plans:plan_item_add", args=[plan.pk, "risk"])
    change = reverse("plans:plan_item_change", args=[plan.pk, "risk", risk.pk])
    move = reverse("plans:plan_item_move", args=[plan.pk, "risk", risk.pk])
    remove = reverse("plans:plan_item_remove", args=[plan.pk, "risk", risk.pk])
    return {
        "plan_edit GET": ("get", reverse("plans:plan_edit", args=[plan.pk]), {}),
        "plan_item_add GET": ("get", add, {}),
        "plan_item_add POST": ("post", add, {"ref": "R100", "risk": "New risk"} | reason),
        "plan_item_change GET": ("get", change, {}),
        "plan_item_change POST": ("post", change, {"ref": "R99", "risk": "Reworded"} | reason),
        "plan_item_move GET": ("get", move + "?direction=up", {}),
        "plan_item_move POST": ("post", move, {"direction": "up"} | reason),
        "plan_item_remove GET": ("get", remove, {}),
        "plan_item_remove POST": ("post", remove, reason),
        "plan_changes GET": ("get", reverse("plans:plan_changes", args=[plan.pk]), {}),
        **content_views(plan, FundingLine, PreviousResult, reason),
    }


def content_views(plan, FundingLine, PreviousResult, reason) -> dict:  # noqa: N803
    action = plan.priorities.first().actions.first()
    line = FundingLine.objects.create(action=action, source="PCC grant", amount=118369)
    PreviousResult.objects.create(plan=plan, order=1, title="Earlier result")
    result = PreviousResult.objects.create(plan=plan, order=2, title="A result of last year")
    details = reverse("plans:plan_details_change", args=[plan.pk])
    priority = action.priority
    priority.key_themes.create(order=98, text="First theme")
    theme = priority.key_themes.create(order=99, text="Second theme")

    def at(name: str, kind: str, *args) -> str:
        return reverse(f"plans:plan_item_{name}", args=[plan.pk, kind, *args])

    funding = {"source": "PCC grant", "amount": "£118,369", "financial_year": "2019/20"}
    return {
        "funding add GET": ("get", at("add", "funding") + f"?parent={action.pk}", {}),
        "funding add POST": ("post", at("add", "funding") + f"?parent={action.pk}",
                             funding | reason),
        "funding change POST": ("post", at("change", "funding", line.pk), funding | reason),
        "funding remove POST": ("post", at("remove", "funding", line.pk), reason),
        "result add POST": ("post", at("add", "result"), {"title": "Reviewed"} | reason),
        "result change GET": ("get", at("change", "result", result.pk), {}),
        "result move POST": ("post", at("move", "result", result.pk), {"direction": "up"} | reason),
        "result remove POST": ("post", at("remove", "result", result.pk), reason),
        "plan details GET": ("get", details, {}),
        "plan details POST": ("post", details, {
            "title": plan.title, "kind": plan.kind, "start_year": "2019/20",
            "end_year": "2019", "summary": "Changed summary", "source": plan.source,
        } | reason),
        "theme add POST": ("post", at("add", "theme") + f"?parent={priority.pk}",
                           {"text": "A new theme"} | reason),
        "theme move POST": ("post", at("move", "theme", theme.pk), {"direction": "up"} | reason),
    }  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", EDIT_EXPECTED)
def test_edit_role_by_view_matrix(request, client, swale, role, view):
    method, url, data = edit_views(swale)[view]
    response = getattr(client_for(role, request, client), method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = EDIT_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)


# --- Questions and evidence (plans.collaboration): a question on Swale's action 2.2 (CSU-led)
# asked by the SEG member, and a file the CSU officer uploaded for it ------------------------

COLLAB_EXPECTED = {
    #                            csu  police seg  admin  outsider superuser no membership
    "thread GET":                ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "thread POST":               (403, 403, "ok", "ok", 404, "ok", 404),
    "indicator_thread GET":      ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "question_answer GET":       ("ok", 403, 403, "ok", 404, "ok", 404),
    "question_answer POST":      ("ok", 403, 403, "ok", 404, "ok", 404),
    "indicator_answer POST":     (403, "ok", 403, "ok", 404, "ok", 404),
    "comment_edit GET":          (403, 403, "ok", 403, 404, 403, 404),
    "comment_edit POST":         (403, 403, "ok", 403, 404, 403, 404),
    "comment_remove GET":        (403, 403, "ok", "ok", 404, "ok", 404),
    "comment_remove POST":       (403, 403, "ok", "ok", 404, "ok", 404),
    "evidence GET":              ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "evidence POST":             ("ok", 403, 403, "ok", 404, "ok", 404),
    "indicator_evidence POST":   (403, "ok", 403, "ok", 404, "ok", 404),
    "evidence_download GET":     ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "evidence_remove GET":       ("ok", 403, 403, "ok", 404, "ok", 404),
    "evidence_remove POST":      ("ok", 403, 403, "ok", 404, "ok", 404),
    "plan_questions GET":        ("ok", "ok", "ok", "ok", 404, "ok", 404),
    "evidence_download POST":    (405, 405, 405, 405, 405, 405, 405),
}  # fmt: skip


def collab_views(swale, seg_member, csu_officer) -> dict[str, tuple[str, str, dict]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.collaboration import services
    from plans.collaboration.models import Comment, Evidence

    action, indicator, period = swale["action"], swale["indicator"], swale["period"]
    question = services.question_ask(user=seg_member, item=action, period=period, text="Why?")
    on_indicator = Comment.objects.create(
        indicator=indicator, period=period, text="And this?", author=seg_member,
        created_at=timezone.now(),
    )  # fmt: skip
    pdf = b"%PDF-1.4\n%%EOF\n"
    evidence = Evidence.objects.create(
        action=action, period=period, file=SimpleUploadedFile("m.pdf", pdf), name="m.pdf",
        kind="pdf", size=len(pdf), uploaded_by=csu_officer, uploaded_at=timezone.now(),
    )  # fmt: skip

    def item(name, kind, obj):
        return reverse(f"collaboration:{name}", args=[kind, obj.pk, period.pk])

    def a_file():
        return {"file": SimpleUploadedFile("e.pdf", pdf)}

    answer = reverse("collaboration:question_answer", args=[question.pk])
    return {
        "thread GET": ("get", item("thread", "action", action), {}),
        "thread POST": ("post", item("thread", "action", action), {"text": "Another?"}),
        "indicator_thread GET": ("get", item("thread", "indicator", indicator), {}),
        "question_answer GET": ("get", answer, {}),
        "question_answer POST": ("post", answer, {"text": "Because."} | a_file()),
        "indicator_answer POST": (
            "post", reverse("collaboration:question_answer", args=[on_indicator.pk]),
            {"text": "Because."},
        ),
        "comment_edit GET": ("get", reverse("collaboration:comment_edit", args=[question.pk]), {}),
        "comment_edit POST": (
            "post", reverse("collaboration:comment_edit", args=[question.pk]), {"text": "Why??"}
        ),
        "comment_remove GET": (
            "get", reverse("collaboration:comment_remove", args=[question.pk]), {}
        ),
        "comment_remove POST": (
            "post", reverse("collaboration:comment_remove", args=[question.pk]), {}
        ),
        "evidence GET": ("get", item("evidence", "action", action), {}),
        "evidence POST": ("post", item("evidence", "action", action), a_file()),
        "indicator_evidence POST": ("post", item("evidence", "indicator", indicator), a_file()),
        "evidence_download GET": (
            "get", reverse("collaboration:evidence_download", args=[evidence.pk]), {}
        ),
        "evidence_remove GET": (
            "get", reverse("collaboration:evidence_remove", args=[evidence.pk]), {}
        ),
        "evidence_remove POST": (
            "post", reverse("collaboration:evidence_remove", args=[evidence.pk]), {}
        ),
        "plan_questions GET": (
            "get", reverse("collaboration:plan_questions", args=[swale["plan"].pk]), {}
        ),
        "evidence_download POST": (
            "post", reverse("collaboration:evidence_download", args=[evidence.pk]), {}
        ),
    }  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", COLLAB_EXPECTED)
def test_collaboration_role_by_view_matrix(
    request, client, settings, tmp_path, swale, seg_member, csu_officer, role, view
):
    settings.MEDIA_ROOT = tmp_path / "media"
    method, url, data = collab_views(swale, seg_member, csu_officer)[view]
    client = client_for(role, request, client)
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = COLLAB_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)


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


def benchmark_views(swale) -> dict[str, tuple[str, str, dict]]:
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", BENCHMARK_EXPECTED)
def test_benchmark_and_api_pages_role_matrix(request, client, swale, role, view):
    method, url, data = benchmark_views(swale)[view]
    response = getattr(client_for(role, request, client), method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = BENCHMARK_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "shown":  # the new token is shown on this response, once
        assert response.status_code == 200 and "Your new token" in response.content.decode()
    elif expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)


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


def year_end_views(swale) -> dict[str, tuple[str, str, dict]]:
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", YEAR_END_EXPECTED)
def test_year_end_role_by_view_matrix(request, client, swale, role, view):
    method, url, data = year_end_views(swale)[view]
    response = getattr(client_for(role, request, client), method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = YEAR_END_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
            done = "closed" if view == "plan_close POST" else "published"
            plan = swale["plan"] if done == "closed" else None
            if plan is not None:
                plan.refresh_from_db()
                assert plan.status == Plan.Status.CLOSED
            else:
                assert YearEndReport.objects.filter(version=2).exists()
    else:
        assert response.status_code == expected, (view, role, response.status_code)


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


def crime_views(swale) -> dict[str, tuple[str, str, dict]]:
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", CRIME_EXPECTED)
def test_crime_data_role_by_view_matrix(request, client, swale, role, view):
    method, url, data = crime_views(swale)[view]
    response = getattr(client_for(role, request, client), method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    expected = CRIME_EXPECTED[view][ROLES.index(role) - 1]
    if expected == "ok":
        assert response.status_code in ALLOWED, (view, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
    else:
        assert response.status_code == expected, (view, role, response.status_code)
