"""Forms for signing in, accepting an invitation and two-factor codes."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form, accepting an e-mail address (the user name of invited accounts)
    in any case, with GOV.UK messages."""

    error_messages = {
        "invalid_login": "Enter a correct e-mail address or user name and password",
        "inactive": "This account has been closed",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address or user name"
        self.fields["username"].error_messages["required"] = (
            "Enter your e-mail address or user name"
        )
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        return value.lower() if "@" in value else value


class ChoosePasswordForm(SetPasswordForm):
    """The invited person's own password (Django's validators apply)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"
        self.fields["new_password1"].error_messages["required"] = "Choose a password"
        self.fields["new_password2"].error_messages["required"] = "Type the password again"


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app (or, when signing in, a recovery code)."""

    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "text"}
        ),
        error_messages={"required": "Enter the code"},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()
