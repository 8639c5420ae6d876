"""Query budgets of the questions and evidence pages at two sizes (one question and file,
and forty questions with answers, edits and files), and the report pack's section."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.collaboration import services
from plans.collaboration.models import Comment, Evidence
from plans.reporting import pack
from tests.collaboration.files import PDF

pytestmark = pytest.mark.django_db


def add_file(item, period, user, comment=None, n=0):
    fields = services.item_fields(item)
    return Evidence.objects.create(
        **fields, period=period, file=SimpleUploadedFile(f"f{n}.pdf", PDF), name=f"f{n}.pdf",
        kind="pdf", size=len(PDF), uploaded_by=user, uploaded_at=timezone.now(),
        comment=comment,
    )  # fmt: skip


def grow(swale, seg_member, csu_officer, questions: int) -> None:
    action, period = swale["action"], swale["period"]
    for n in range(questions):
        question = services.question_ask(user=seg_member, item=action, period=period, text=f"Q{n}?")
        if n % 2:
            answer = services.question_answer(
                user=csu_officer, question=question, item=action, text=f"A{n}"
            )
            services.comment_edit(user=csu_officer, comment=answer, text=f"A{n}, edited")
            add_file(action, period, csu_officer, comment=answer, n=n)
        else:
            add_file(action, period, csu_officer, n=n)
        if n % 5 == 4:
            services.comment_remove(user=seg_member, comment=question, item=action)


@pytest.fixture(params=["small", "large"])
def sized(request, swale, seg_member, csu_officer):
    grow(swale, seg_member, csu_officer, 1 if request.param == "small" else 40)
    return swale


def urls(swale) -> dict[str, str]:
    action, period = swale["action"], swale["period"]
    question = Comment.objects.filter(parent__isnull=True).first()
    evidence = Evidence.objects.first()
    return {
        "thread": reverse("collaboration:thread", args=["action", action.pk, period.pk]),
        "evidence": reverse("collaboration:evidence", args=["action", action.pk, period.pk]),
        "answer": reverse("collaboration:question_answer", args=[question.pk]),
        "edit": reverse("collaboration:comment_edit", args=[question.pk]),
        "remove": reverse("collaboration:comment_remove", args=[question.pk]),
        "evidence_remove": reverse("collaboration:evidence_remove", args=[evidence.pk]),
        "download": reverse("collaboration:evidence_download", args=[evidence.pk]),
        "plan_questions": reverse("collaboration:plan_questions", args=[swale["plan"].pk]),
        "plan_questions_all": reverse("collaboration:plan_questions", args=[swale["plan"].pk])
        + "?show=all",
        "my_updates": reverse("plans:my_updates"),
    }


# Session, user, memberships, then the page's own fixed number of queries.
BUDGETS = {
    "thread": ("seg_member", 15),
    "evidence": ("csu_officer", 14),
    "answer": ("csu_officer", 12),
    "edit": ("seg_member", 10),
    "remove": ("seg_member", 10),
    "evidence_remove": ("csu_officer", 12),
    "download": ("seg_member", 8),
    "plan_questions": ("seg_member", 8),
    "plan_questions_all": ("seg_member", 8),
    "my_updates": ("csu_officer", 16),
}


@pytest.mark.parametrize("name", BUDGETS)
def test_query_budgets_hold_at_two_sizes(
    request, client, sized, django_assert_max_num_queries, name
):
    who, budget = BUDGETS[name]
    client.force_login(request.getfixturevalue(who))
    url = urls(sized)[name]
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)


def test_the_report_pack_shows_the_quarters_answered_questions(
    client, seg_member, csu_officer, swale
):
    action, period = swale["action"], swale["period"]
    answered = services.question_ask(user=seg_member, item=action, period=period, text="Why?")
    services.question_answer(
        user=csu_officer, question=answered, item=action, text="Because <b>venues</b>."
    )
    services.question_ask(user=seg_member, item=action, period=period, text="Still open?")
    client.force_login(seg_member)
    html = client.get(reverse("plans:report_pack", args=[period.pk])).content.decode()
    assert 'href="#questions">Questions and answers</a>' in html
    section = html[html.index('id="questions"') :]
    assert "Why?" in section and "Because &lt;b&gt;venues&lt;/b&gt;." in section
    assert "Still open?" not in section  # only answered questions


def test_a_report_published_before_questions_still_renders(seg_member, swale):
    from plans.reporting.report import quarter_report

    data = quarter_report(plan=swale["plan"], period=swale["period"]).to_json()
    data.pop("questions")
    html = pack.render_report_html(data, published=None)
    assert "Missing updates" in html and 'id="questions"' not in html


def test_the_excel_pack_has_a_questions_sheet(client, seg_member, csu_officer, swale):
    from io import BytesIO

    from openpyxl import load_workbook

    action, period = swale["action"], swale["period"]
    asked = services.question_ask(user=seg_member, item=action, period=period, text="Why?")
    services.question_answer(user=csu_officer, question=asked, item=action, text="Venues.")
    services.question_ask(user=seg_member, item=action, period=period, text="Still open?")
    client.force_login(seg_member)
    response = client.get(reverse("plans:report_workbook", args=[period.pk]))
    sheet = load_workbook(BytesIO(response.content))["Questions"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Kind", "Ref", "Title", "Lead", "Question")
    assert [row[4] for row in rows[1:]] == ["Why?"]  # only answered questions
    assert rows[1][0] == "Action" and rows[1][6].startswith("Venues.")


def test_an_excel_pack_published_before_questions_has_an_empty_questions_sheet(swale):
    from io import BytesIO

    from openpyxl import load_workbook

    from plans.reporting.pack_workbook import report_workbook
    from plans.reporting.report import quarter_report

    data = quarter_report(plan=swale["plan"], period=swale["period"]).to_json()
    data.pop("questions")
    book = load_workbook(BytesIO(report_workbook(data)))
    assert book["Questions"].max_row == 1
