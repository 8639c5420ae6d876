"""Forms for questions, answers and evidence. Text is plain: it is shown escaped, with line
breaks kept, never as HTML."""

from __future__ import annotations

from django import forms

from plans.collaboration.filecheck import ALLOWED, MAX_FILE_BYTES, MB, check_upload
from plans.collaboration.models import COMMENT

NO_PERSONAL_DATA = (
    "Do not upload anything that identifies a victim or an offender: this service holds no "
    "personal data about them. Remove names, addresses and case details first."
)
FILE_HINT = f"{ALLOWED[0].upper()}{ALLOWED[1:]}, up to {MAX_FILE_BYTES // MB} MB."


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Your question",
        max_length=COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {COMMENT} characters or fewer",
        },
    )

    def __init__(self, *args, label: str = "Your question", noun: str = "question", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        field.label = label
        field.error_messages = {
            "required": f"Enter your {noun}",
            "max_length": f"Your {noun} must be {COMMENT} characters or fewer",
        }


class EvidenceFileMixin:
    """Checks the uploaded file's content, so a refused file is a field error (the service
    checks it again before storing anything)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


class AnswerForm(EvidenceFileMixin, CommentForm):
    file = forms.FileField(
        label="Attach a file (optional)",  # kept as evidence of the item's quarter
        required=False,
        help_text=f"{FILE_HINT} It is kept with the evidence for this quarter. {NO_PERSONAL_DATA}",
        error_messages={
            "invalid": "The selected file could not be read: try again",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label="Your answer", noun="answer", **kwargs)


class EvidenceForm(EvidenceFileMixin, forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=FILE_HINT,  # the page warns about personal data above the form
        error_messages={
            "required": "Select a file",
            "invalid": "The selected file could not be read: try again",
            "empty": "The selected file is empty",
        },
    )
    description = forms.CharField(
        label="What it shows (optional)",
        max_length=300,
        required=False,
        error_messages={"max_length": "What it shows must be 300 characters or fewer"},
    )
