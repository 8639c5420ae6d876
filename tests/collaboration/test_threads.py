"""Questions and answers on an item's quarter: who asks, who answers, who is told, edits kept,
removals leaving "Comment removed", and where open questions show."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from plans import events
from plans.collaboration import services
from plans.collaboration.models import COMMENT, Comment

pytestmark = pytest.mark.django_db


def thread_url(item, period, kind="action"):
    return reverse("collaboration:thread", args=[kind, item.pk, period.pk])


def ask(client, user, swale, text="Why is this Amber again?", kind="action"):
    client.force_login(user)
    item = swale[kind]
    return client.post(thread_url(item, swale["period"], kind), {"text": text})


def test_seg_member_asks_and_the_leads_officers_are_told(
    client, seg_member, csu_officer, police_officer, swale, news, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, seg_member, swale)
    assert response.status_code == 302
    question = Comment.objects.get()
    assert question.author == seg_member and question.action == swale["action"]
    asked = [n for n in news if n["kind"] == events.QUESTION_ASKED]
    assert len(asked) == 1
    assert asked[0]["recipients"] == [csu_officer]  # the CSU leads 2.2; not Kent Police
    assert asked[0]["key"] == f"question-asked-{question.pk}"
    assert asked[0]["url"] == thread_url(swale["action"], swale["period"])
    page = client.get(response["Location"]).content.decode()
    assert "Why is this Amber again?" in page and "Awaiting an answer" in page


def test_indicator_questions_go_to_the_reporting_agency(
    client, seg_member, csu_officer, police_officer, swale, news, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, seg_member, swale, kind="indicator")
    (asked,) = [n for n in news if n["kind"] == events.QUESTION_ASKED]
    assert asked["recipients"] == [police_officer]


def test_officer_answers_and_the_asker_is_told(
    client, seg_member, csu_officer, swale, news, django_capture_on_commit_callbacks
):
    ask(client, seg_member, swale)
    question = Comment.objects.get()
    client.force_login(csu_officer)
    url = reverse("collaboration:question_answer", args=[question.pk])
    assert "Answer a question" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "The venue fell through."})
    assert response.status_code == 302
    answer = question.answers.get()
    assert answer.author == csu_officer
    (told,) = [n for n in news if n["kind"] == events.QUESTION_ANSWERED]
    assert told["recipients"] == [seg_member]
    assert told["key"] == f"question-answered-{answer.pk}"
    assert not Comment.objects.open_questions().exists()


@pytest.mark.parametrize(
    "who, status", [("seg_member", 403), ("police_officer", 403), ("outsider", 404)]
)
def test_only_the_lead_answers(request, client, seg_member, swale, who, status):
    ask(client, seg_member, swale)
    question = Comment.objects.get()
    client.force_login(request.getfixturevalue(who))
    url = reverse("collaboration:question_answer", args=[question.pk])
    assert client.post(url, {"text": "Not mine to answer."}).status_code == status
    assert not question.answers.exists()


def test_officers_do_not_ask(client, csu_officer, swale):
    assert ask(client, csu_officer, swale).status_code == 403
    assert not Comment.objects.exists()
    page = client.get(thread_url(swale["action"], swale["period"])).content.decode()
    assert "Ask the lead a question" not in page


def test_outsider_sees_no_thread(client, seg_member, outsider, swale):
    ask(client, seg_member, swale)
    client.force_login(outsider)
    assert client.get(thread_url(swale["action"], swale["period"])).status_code == 404
    question = Comment.objects.get()
    for name in ("comment_edit", "comment_remove", "question_answer"):
        assert client.get(reverse(f"collaboration:{name}", args=[question.pk])).status_code == 404


def test_a_quarter_of_another_plan_is_not_found(client, seg_member, swale):
    from plans.models import ReportingPeriod

    other = ReportingPeriod.objects.exclude(plan=swale["plan"]).first()
    if other is None:
        from datetime import date

        from plans.models import Plan
        from plans.services import period_open

        medway = Plan.objects.exclude(pk=swale["plan"].pk).first()
        other = period_open(
            plan=medway, year=medway.start_year, quarter=1, deadline=date(2099, 1, 1)
        )
    client.force_login(seg_member)
    assert client.get(thread_url(swale["action"], other)).status_code == 404


def test_text_is_plain_and_bounded(client, seg_member, swale):
    ask(client, seg_member, swale, text='<script>alert("x")</script>\n<b>bold</b>')
    page = client.get(thread_url(swale["action"], swale["period"])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page
    response = ask(client, seg_member, swale, text="x" * (COMMENT + 1))
    assert response.status_code == 200
    assert f"Your question must be {COMMENT} characters or fewer" in response.content.decode()
    response = ask(client, seg_member, swale, text="   ")
    assert "Enter your question" in response.content.decode()
    assert Comment.objects.count() == 1


def test_edits_are_kept_and_only_the_author_edits(client, seg_member, swale_admin, swale):
    ask(client, seg_member, swale, text="First words")
    question = Comment.objects.get()
    url = reverse("collaboration:comment_edit", args=[question.pk])
    assert client.post(url, {"text": "Second words"}).status_code == 302
    question.refresh_from_db()
    assert question.text == "Second words" and question.version == 2
    assert [v.text for v in question.versions.all()] == ["First words"]
    page = client.get(thread_url(swale["action"], swale["period"])).content.decode()
    assert "Second words" in page and "Earlier words (1)" in page and "First words" in page
    client.force_login(swale_admin)
    assert client.post(url, {"text": "An admin's words"}).status_code == 403
    question.refresh_from_db()
    assert question.text == "Second words"


def test_removal_leaves_comment_removed_and_an_audit_record(
    client, seg_member, csu_officer, swale_admin, swale
):
    ask(client, seg_member, swale, text="Something I should not have written")
    question = Comment.objects.get()
    services.comment_edit(user=seg_member, comment=question, text="Edited, still regretted")
    client.force_login(csu_officer)
    remove = reverse("collaboration:comment_remove", args=[question.pk])
    assert client.post(remove).status_code == 403  # not the author, not an admin
    client.force_login(seg_member)
    assert client.post(remove).status_code == 302
    question.refresh_from_db()
    assert question.removed_at and question.removed_by == seg_member and question.text == ""
    assert not question.versions.exists()
    page = client.get(thread_url(swale["action"], swale["period"])).content.decode()
    assert "Comment removed" in page and "regretted" not in page and "should not" not in page
    entry = LogEntry.objects.get_for_object(question).filter(action=LogEntry.Action.UPDATE).first()
    assert entry is not None and "removed_at" in entry.changes_dict
    assert not Comment.objects.open_questions().exists()  # a removed question is not open


def test_an_admin_removes_anyones_comment(client, seg_member, csu_officer, swale_admin, swale):
    ask(client, seg_member, swale)
    question = Comment.objects.get()
    answer = services.question_answer(
        user=csu_officer, question=question, item=swale["action"], text="Answer"
    )
    client.force_login(swale_admin)
    assert client.post(reverse("collaboration:comment_remove", args=[answer.pk])).status_code == 302
    answer.refresh_from_db()
    assert answer.removed_by == swale_admin
    # The question is open again: its only answer was removed.
    assert list(Comment.objects.open_questions()) == [question]


def test_open_questions_on_my_updates_and_the_dashboard(
    client, seg_member, csu_officer, police_officer, swale
):
    for text in ("One?", "Two?", "Three?"):
        ask(client, seg_member, swale, text=text)
    client.force_login(csu_officer)
    page = client.get(reverse("plans:my_updates")).content.decode()
    assert "Questions awaiting your answer (3)" in page and "Three?" in page
    client.force_login(police_officer)  # Kent Police do not lead 2.2
    page = client.get(reverse("plans:my_updates")).content.decode()
    assert "Questions awaiting your answer" not in page
    client.force_login(seg_member)
    dashboard = client.get(reverse("plans:plan_dashboard", args=[swale["plan"].pk]))
    html = dashboard.content.decode()
    listing = reverse("collaboration:plan_questions", args=[swale["plan"].pk])
    assert f'<a class="govuk-link" href="{listing}">3 questions awaiting an answer</a>' in html
    listed = client.get(listing)
    assert [q.text for q in listed.context["questions"]] == ["Three?", "Two?", "One?"]
    question = Comment.objects.get(text="One?")
    services.question_answer(user=csu_officer, question=question, item=swale["action"], text="A")
    html = client.get(reverse("plans:plan_dashboard", args=[swale["plan"].pk])).content.decode()
    assert "2 questions awaiting an answer" in html
    assert len(client.get(listing).context["questions"]) == 2
    assert len(client.get(listing, {"show": "all"}).context["questions"]) == 3


def test_threads_show_on_the_action_page_and_link_from_the_update_form(
    client, seg_member, csu_officer, swale
):
    ask(client, seg_member, swale, text="How many venues were tried?")
    action, period = swale["action"], swale["period"]
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Questions and evidence" in page and "How many venues were tried?" in page
    client.force_login(csu_officer)
    form = client.get(reverse("priorities:action_update", args=[action.pk, period.pk]))
    html = form.content.decode()
    assert thread_url(action, period) in html and "(1 awaiting your answer)" in html
    assert reverse("collaboration:evidence", args=["action", action.pk, period.pk]) in html


def test_indicator_page_and_value_form_link_to_the_quarter(client, police_officer, swale):
    indicator, period = swale["indicator"], swale["period"]
    client.force_login(police_officer)
    page = client.get(indicator.get_absolute_url()).content.decode()
    evidence = reverse("collaboration:evidence", args=["indicator", indicator.pk, period.pk])
    assert evidence in page
    form = client.get(reverse("indicators:indicator_value", args=[indicator.pk, period.pk]))
    assert evidence in form.content.decode()


def test_a_question_whose_answer_was_removed_awaits_an_answer_again(
    client, seg_member, csu_officer, swale
):
    ask(client, seg_member, swale)
    question = Comment.objects.get()
    answer = services.question_answer(
        user=csu_officer, question=question, item=swale["action"], text="Soon."
    )
    url = thread_url(swale["action"], swale["period"])
    assert "Answered</strong>" in client.get(url).content.decode()
    services.comment_remove(user=csu_officer, comment=answer, item=swale["action"])
    html = client.get(url).content.decode()
    assert "Awaiting an answer</strong>" in html and "Comment removed" in html


def test_a_delegate_is_told_and_answers(
    client, seg_member, csu_officer, police_officer, swale, news, django_capture_on_commit_callbacks
):
    swale["action"].delegates.add(police_officer)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, seg_member, swale)
    (asked,) = [n for n in news if n["kind"] == events.QUESTION_ASKED]
    assert set(asked["recipients"]) == {csu_officer, police_officer}
    question = Comment.objects.get()
    client.force_login(police_officer)
    url = reverse("collaboration:question_answer", args=[question.pk])
    assert client.post(url, {"text": "As delegate: soon."}).status_code == 302


def test_asked_and_answered_reach_people_by_email_once(
    client, seg_member, csu_officer, swale, mailoutbox, django_capture_on_commit_callbacks
):
    """Through the notifications app: the officer is e-mailed the question, the asker the
    answer, each once."""
    seg_member.email, csu_officer.email = "seg@example.invalid", "csu@example.invalid"
    seg_member.save()
    csu_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, seg_member, swale, text="Why Amber?")
    question = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(
            user=csu_officer, question=question, item=swale["action"], text="Venue."
        )
    sent = [(m.to, m.subject) for m in mailoutbox]
    assert (
        ["csu@example.invalid"],
        "CSP Tracker: A question about action 2.2 for 2019/20 Q2",
    ) in sent
    assert (
        ["seg@example.invalid"],
        "CSP Tracker: Your question about action 2.2 has been answered",
    ) in sent
    assert len(sent) == 2
