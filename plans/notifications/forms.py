from __future__ import annotations

from django import forms

from plans.notifications.models import Kind


class PreferenceForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="Send me an e-mail when",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Everything also appears on your Notifications page.",
    )
