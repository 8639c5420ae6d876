"""Pages for questions and answers on an item's quarter, and for its evidence files.

Every object is loaded through ``plans.access``: 404 for what the user may not see (another
partnership's thread or file), 403 for what they may see but not change.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from plans import access, access_items
from plans.collaboration import services
from plans.collaboration.filecheck import CONTENT_TYPES, MAX_QUARTER_BYTES, MB
from plans.collaboration.forms import NO_PERSONAL_DATA, AnswerForm, CommentForm, EvidenceForm
from plans.collaboration.models import Comment, Evidence


def _thread(item, period):
    """The item's questions in the quarter, each with its answers, versions and files."""
    answers = Comment.objects.select_related("author", "removed_by").prefetch_related(
        "versions", "evidence"
    )
    questions = list(
        Comment.objects.filter(**services.item_fields(item), period=period, parent__isnull=True)
        .select_related("author", "removed_by")
        .prefetch_related("versions", "evidence", Prefetch("answers", queryset=answers))
    )
    for question in questions:
        question.answered = any(not a.is_removed for a in question.answers.all())
    return questions


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, kind: str, pk: int, period_pk: int) -> HttpResponse:
    item, period = _item_and_period(request, kind, pk, period_pk)
    may_ask = access_items.can_ask_about(request.user, item)
    form = CommentForm(request.POST or None)
    form.fields[
        "text"
    ].help_text = "Plain text. The lead's officers are told, and it is listed until they answer."
    if request.method == "POST":
        if not may_ask:
            raise PermissionDenied("Only SEG members and admins ask questions.")
        if form.is_valid():
            services.question_ask(
                user=request.user, item=item, period=period, text=form.cleaned_data["text"]
            )
            messages.success(request, "Your question has been sent to the lead.")
            return redirect(services.thread_url(item, period))
    return _render_item_page(
        request, "thread.html", item, period,
        questions=_thread(item, period),
        form=form if may_ask else None,
        may_answer=access_items.can_report_on_item(request.user, item),
        is_admin=access.is_partnership_admin(request.user, period.plan.partnership_id),
    )  # fmt: skip


def _item_and_period(request: HttpRequest, kind: str, pk: int, period_pk: int) -> tuple:
    """The action or indicator (404 for what the user may not see) and its quarter."""
    item = access_items.get_item_for_user(request.user, kind, pk)
    return item, access_items.get_item_period(item, period_pk)


def _render_item_page(request: HttpRequest, template: str, item, period, **context) -> HttpResponse:
    """A collaboration page about one item's quarter: the item, its plan and both tabs' links,
    with the page's own ``context``."""
    return render(
        request,
        f"collaboration/{template}",
        {
            "item": item,
            "kind": services.item_kind(item),
            "item_name": services.item_name(item),
            "period": period,
            "plan": period.plan,
            "thread_url": services.thread_url(item, period),
            "evidence_url": evidence_url(item, period),
            **context,
        },
    )


def evidence_url(item, period) -> str:
    from django.urls import reverse

    return reverse("collaboration:evidence", args=[services.item_kind(item), item.pk, period.pk])


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_items.get_comment_for_user(request.user, pk)
    item = question.item_loaded
    if not access_items.can_report_on_item(request.user, item):
        raise PermissionDenied("Only the lead's officers answer questions.")
    if question.parent_id or question.is_removed:
        messages.info(request, "That question cannot be answered.")
        return redirect(services.thread_url(item, question.period))
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(
                user=request.user, question=question, item=item, text=form.cleaned_data["text"],
                upload=form.cleaned_data.get("file"),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Your answer has been saved and the asker told.")
            return redirect(services.thread_url(item, question.period))
    return _render_item_page(
        request, "answer_form.html", item, question.period, question=question, form=form
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = access_items.get_comment_for_user(request.user, pk)
    item = comment.item_loaded
    if not access_items.can_edit_comment(request.user, comment):
        raise PermissionDenied("Only its author may change a comment.")
    noun = "question" if comment.is_question else "answer"
    form = CommentForm(
        request.POST or None, initial={"text": comment.text}, label=f"Your {noun}", noun=noun
    )
    if request.method == "POST" and form.is_valid():
        services.comment_edit(user=request.user, comment=comment, text=form.cleaned_data["text"])
        messages.success(request, f"Your {noun} has been changed. The earlier words are kept.")
        return redirect(services.thread_url(item, comment.period))
    return _render_item_page(
        request, "comment_edit.html", item, comment.period, comment=comment, form=form
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    comment = access_items.get_comment_for_user(request.user, pk)
    item = comment.item_loaded
    if not access_items.can_remove_comment(request.user, comment, item):
        raise PermissionDenied("Only its author or an admin may remove a comment.")
    if request.method == "POST":
        services.comment_remove(user=request.user, comment=comment, item=item)
        messages.success(request, "The comment has been removed.")
        return redirect(services.thread_url(item, comment.period))
    return _render_item_page(request, "comment_remove.html", item, comment.period, comment=comment)


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, kind: str, pk: int, period_pk: int) -> HttpResponse:
    item, period = _item_and_period(request, kind, pk, period_pk)
    may_add = access_items.can_report_on_item(request.user, item)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied("Only the lead's officers add evidence.")
        if form.is_valid():
            try:
                services.evidence_add(
                    user=request.user, item=item, period=period, upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, "The file has been uploaded.")
                return redirect(evidence_url(item, period))
    files = list(
        Evidence.objects.filter(**services.item_fields(item), period=period).select_related(
            "uploaded_by", "comment"
        )
    )
    return _render_item_page(
        request, "evidence.html", item, period,
        files=files,
        total=sum(f.size for f in files),
        limit=MAX_QUARTER_BYTES // MB,
        form=form if may_add else None,
        may_add=may_add,
        is_admin=access.is_partnership_admin(request.user, period.plan.partnership_id),
        no_personal_data=NO_PERSONAL_DATA,
    )  # fmt: skip


@login_required
@require_http_methods(["GET"])
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file as an attachment, never shown inline, in the type its content was found to
    be; only for those who see its item."""
    found = access_items.get_evidence_for_user(request.user, pk)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=CONTENT_TYPES.get(found.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_items.get_evidence_for_user(request.user, pk)
    item = found.item_loaded
    if not access_items.can_remove_evidence(request.user, found, item):
        raise PermissionDenied("Only the uploader or an admin may remove a file.")
    if request.method == "POST":
        services.evidence_remove(user=request.user, evidence=found, item=item)
        messages.success(request, f"{found.name} has been removed. The audit log keeps a record.")
        return redirect(evidence_url(item, found.period))
    return _render_item_page(request, "evidence_remove.html", item, found.period, file=found)


@login_required
@require_http_methods(["GET"])
def plan_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's questions: those awaiting an answer, or (``?show=all``) every one."""
    plan = access.get_plan_for_user(request.user, pk)
    show_all = request.GET.get("show") == "all"
    questions = Comment.objects.filter(period__plan=plan)
    questions = questions.questions() if show_all else questions.open_questions()
    questions = questions.select_related(
        "author", "period", "action__priority", "indicator"
    ).order_by("-created_at", "-pk")
    context = {
        "plan": plan,
        "questions": list(questions[:500]),
        "show_all": show_all,
    }
    return render(request, "collaboration/plan_questions.html", context)
