"""A partnership's own settings and plan content: its agencies and audit log, sign-off,
editing a plan, and questions and evidence on an item's quarter."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from plans.models import Membership, Plan
from priorities.models import ActionUpdate
from tests.factories import UserFactory
from tests.permission_matrix import Matrix, Views

# --- Trust: the partnership's agencies and audit log, for every role and for a signed-in user
# with no membership at all ("nobody") ------------------------------------------------------

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


def trust_views(swale) -> Views:
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


def sign_off_views(swale) -> Views:
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


def edit_views(swale) -> Views:
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


def collab_views(swale, seg_member, csu_officer) -> Views:
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


def decision_taken(swale, view, expected, response) -> None:
    if expected != "login" and response.status_code == 302 and view in DECISIONS:
        assert ActionUpdate.objects.get(saved_by__username="author").state != "awaiting", (
            "the decision was taken"
        )


DECISIONS = ("sign_off approve POST", "sign_off return POST")
MATRICES = {
    "trust": Matrix(TRUST_EXPECTED, trust_views),
    # Built after sign-in: the CSU officer's membership signs off for the CSU.
    "sign_off": Matrix(SIGN_OFF_EXPECTED, sign_off_views, sign_in_first=True,
                       after=decision_taken),
    "edit": Matrix(EDIT_EXPECTED, edit_views),
    "collaboration": Matrix(COLLAB_EXPECTED, collab_views,
                            fixtures=("seg_member", "csu_officer")),
}  # fmt: skip
