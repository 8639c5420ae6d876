"""The roll-forward form: the new plan's title and years, suggested from this plan's."""

from __future__ import annotations

from django import forms

from plans.models import Plan, financial_year_label

YEAR_HELP = "The financial year by its starting calendar year: {example} for {label}."


def _financial_year(which: str) -> forms.IntegerField:
    """The plan's ``which`` ("first" or "last") financial year, typed as a calendar year."""
    return forms.IntegerField(
        label=f"{which.capitalize()} financial year",
        min_value=1998,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": f"Enter the {which} financial year, such as 2020"},
    )


class RollForwardForm(forms.Form):
    title = forms.CharField(
        label="Title of next year's plan",
        max_length=300,
        error_messages={"required": "Enter the title of next year's plan"},
    )
    start_year = _financial_year("first")
    end_year = _financial_year("last")

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        first = plan.end_year + 1
        for name in ("start_year", "end_year"):
            self.fields[name].help_text = YEAR_HELP.format(
                example=first, label=financial_year_label(first)
            )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if Plan.objects.filter(partnership=self.plan.partnership_id, title__iexact=title).exists():
            raise forms.ValidationError(
                f"There is already a plan called {title}: choose another title"
            )
        return title

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and start <= self.plan.end_year:
            self.add_error(
                "start_year",
                f"Next year's plan starts after this one ends: {self.plan.end_year + 1} or later",
            )
        elif start is not None and end is not None and end < start:
            self.add_error("end_year", "The last financial year must be the first or later")
        return data
