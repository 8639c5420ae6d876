"""Forms of the Sign-off page and the partnership's sign-off setting."""

from __future__ import annotations

from django import forms

from plans.limits import NOTE


class ReturnForm(forms.Form):
    """Send an item back to its officer, saying what to change (prefixed per item)."""

    comment = forms.CharField(
        label="What needs to change",
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your officer sees this on the update and on My updates.",
        error_messages={"required": "Enter what needs to change before you can sign it off"},
    )


class SignOffSettingForm(forms.Form):
    sign_off = forms.TypedChoiceField(
        label="Do submitted updates and values need signing off?",
        choices=[
            ("yes", "Yes: they count on dashboards and in reports once signed off"),
            ("no", "No: they count as soon as they are submitted"),
        ],
        coerce=lambda choice: choice == "yes",
        widget=forms.RadioSelect,
        help_text="Turning sign-off off makes everything awaiting sign-off count at once. "
        "Turning it on leaves what is already submitted as it is.",
        error_messages={"required": "Choose whether updates need signing off"},
    )
