"""Writes for questions, answers and evidence: keyword-only, in a transaction, checked with
``full_clean()``. News of a question asked or answered goes out through ``plans.events`` once
the transaction commits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from plans import access_items, events
from plans.collaboration.filecheck import MAX_QUARTER_BYTES, MB, check_upload, safe_name
from plans.collaboration.models import Comment, CommentVersion, Evidence
from plans.models import ReportingPeriod
from priorities.models import Action

Item = Action | Indicator


def item_fields(item: Item) -> dict:
    return {"action": item} if isinstance(item, Action) else {"indicator": item}


def item_kind(item: Item) -> str:
    return "action" if isinstance(item, Action) else "indicator"


def thread_url(item: Item, period: ReportingPeriod) -> str:
    return reverse("collaboration:thread", args=[item_kind(item), item.pk, period.pk])


def item_name(item: Item) -> str:
    ref = item.display_ref if isinstance(item, Action) else item.ref
    return f"{item_kind(item)} {ref}"


@transaction.atomic
def question_ask(*, user, item: Item, period: ReportingPeriod, text: str) -> Comment:
    """An SEG member or admin asks the item's lead about its quarter."""
    if not access_items.can_ask_about(user, item):
        raise PermissionDenied("Only SEG members and admins ask questions.")
    question = Comment(
        **item_fields(item), period=period, text=text.strip(), author=user,
        created_at=timezone.now(),
    )  # fmt: skip
    question.full_clean()
    question.save()
    events.announce(
        kind=events.QUESTION_ASKED,
        recipients=access_items.item_answerers(item).exclude(pk=user.pk),
        subject=f"A question about {item_name(item)} for {period.label}",
        body=f"{user.get_full_name() or user.get_username()} asked about "
        f"{item_name(item)} ({item.title}) in {period.label}:\n\n{question.text}",
        url=thread_url(item, period),
        key=f"question-asked-{question.pk}",
    )
    return question


@transaction.atomic
def question_answer(
    *, user, question: Comment, item: Item, text: str, upload: UploadedFile | None = None
) -> Comment:
    """Whoever reports on the item answers; a file is checked and kept as evidence of the
    item's quarter, attached to the answer."""
    if question.parent_id is not None or question.is_removed:
        raise ValidationError("You can only answer a question that has not been removed.")
    if not access_items.can_report_on_item(user, item):
        raise PermissionDenied("Only the lead's officers answer questions.")
    answer = Comment(
        **item_fields(item), period=question.period, parent=question, text=text.strip(),
        author=user, created_at=timezone.now(),
    )  # fmt: skip
    answer.full_clean()
    answer.save()
    if upload is not None:
        evidence_add(user=user, item=item, period=question.period, upload=upload, comment=answer)
    asker = question.author
    if asker is not None and asker.pk != user.pk:
        events.announce(
            kind=events.QUESTION_ANSWERED,
            recipients=[asker],
            subject=f"Your question about {item_name(item)} has been answered",
            body=f"{user.get_full_name() or user.get_username()} answered your question about "
            f"{item_name(item)} in {question.period.label}:\n\n{answer.text}",
            url=thread_url(item, question.period),
            key=f"question-answered-{answer.pk}",
        )
    return answer


@transaction.atomic
def comment_edit(*, user, comment: Comment, text: str) -> Comment:
    """The author changes their words; the words before are kept as a version."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not access_items.can_edit_comment(user, comment):
        raise PermissionDenied("Only its author may change a comment.")
    text = text.strip()
    if text == comment.text:
        return comment
    previous = CommentVersion(
        comment=comment, number=comment.version, text=comment.text,
        saved_at=comment.edited_at or comment.created_at,
    )  # fmt: skip
    previous.full_clean()
    previous.save()
    comment.text, comment.version, comment.edited_at = text, comment.version + 1, timezone.now()
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_remove(*, user, comment: Comment, item: Item) -> Comment:
    """Remove a comment (its author or an admin): its words and earlier versions go, a
    "Comment removed" line stays, and the audit trail records who removed it."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not access_items.can_remove_comment(user, comment, item):
        raise PermissionDenied("Only its author or an admin may remove a comment.")
    comment.versions.all().delete()
    comment.text = ""
    comment.removed_at, comment.removed_by = timezone.now(), user
    comment.save()
    return comment


@transaction.atomic
def evidence_add(
    *, user, item: Item, period: ReportingPeriod, upload: UploadedFile,
    comment: Comment | None = None, description: str = "",
) -> Evidence:  # fmt: skip
    """Store a file as evidence of the item's quarter, once its content is checked
    (``filecheck.check_upload``) and it fits within the quarter's total."""
    if not access_items.can_report_on_item(user, item):
        raise PermissionDenied("Only the lead's officers add evidence.")
    if period.plan_id != (item.priority.plan_id if isinstance(item, Action) else item.plan_id):
        raise ValidationError("That quarter belongs to another plan.")
    # Lock the quarter so two uploads at once cannot both squeeze under the total.
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
    kind = check_upload(upload)
    stored = Evidence.objects.filter(**item_fields(item), period=period)
    total = stored.aggregate(total=Sum("size"))["total"] or 0
    if total + upload.size > MAX_QUARTER_BYTES:
        raise ValidationError(
            f"The files for one quarter's update must add up to less than "
            f"{MAX_QUARTER_BYTES // MB} MB: remove a file or upload a smaller one",
            code="quarter_total",
        )
    evidence = Evidence(
        **item_fields(item), period=period, name=safe_name(upload.name or ""), kind=kind,
        size=upload.size, comment=comment, description=description.strip(), uploaded_by=user,
        uploaded_at=timezone.now(),
    )  # fmt: skip
    evidence.full_clean(exclude=["file"])
    evidence.file.save(evidence.name, upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)  # no row, no bytes
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, user, evidence: Evidence, item: Item) -> None:
    """Remove a file: the audit trail keeps its name, size, uploader and who removed it; the
    bytes go once the removal commits."""
    if not access_items.can_remove_evidence(user, evidence, item):
        raise PermissionDenied("Only the uploader or an admin may remove a file.")
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)
