"""Forms for the officer's My updates filters and for opening reporting quarters."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format

from plans.models import Plan, Quarter
from priorities.filters import priority_choice_label
from priorities.models import Priority


class MyUpdatesFilterForm(forms.Form):
    """GET filters of the My updates page: one plan, one priority or theme."""

    plan = forms.ModelChoiceField(
        label="Plan", queryset=Plan.objects.none(), required=False, empty_label="All plans"
    )
    priority = forms.ModelChoiceField(
        label="Priority or theme",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="All priorities",
    )

    def __init__(self, data, *, plans: QuerySet[Plan]) -> None:
        super().__init__(data)
        self.fields["plan"].queryset = plans
        priorities = self.fields["priority"]
        priorities.queryset = Priority.objects.filter(plan__in=plans).select_related("plan")
        priorities.label_from_instance = priority_choice_label


DATE_PARTS = ("day", "month", "year")


class DateInputWidget(forms.MultiWidget):
    """The three boxes of the GOV.UK date input, named as its macro names them:
    ``<name>-day``, ``-month`` and ``-year``. The page writes the markup itself; the widget
    only reads the posted parts."""

    def __init__(self) -> None:
        super().__init__(widgets={part: forms.TextInput for part in DATE_PARTS})
        self.widgets_names = [f"-{part}" for part in DATE_PARTS]

    def decompress(self, value: date | None) -> list[int | None]:
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages."""

    widget = DateInputWidget

    def __init__(self, **kwargs) -> None:
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def clean(self, value: list[str] | None) -> date | None:
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        name = str(self.label)
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter the {name.lower()}")
            return None
        missing = [unit for unit, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        if len(parts[2]) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            day, month, year = (int(part) for part in parts)
            return date(year, month, day)
        except ValueError:
            raise ValidationError(f"{name} must be a real date") from None

    def compress(self, data_list: list) -> None:  # clean() above does the work
        raise NotImplementedError


class PeriodOpenForm(forms.Form):
    """The deadline an admin sets when opening a quarter for updates."""

    deadline = GovukDateField(
        label="Deadline",
        help_text="Updates saved after this day are marked late. For example, 15 10 2019",
    )

    def __init__(self, data=None, *, starts_on: date, initial: date | None = None) -> None:
        super().__init__(data, initial={"deadline": initial})
        self.starts_on = starts_on

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < self.starts_on:
            starts = date_format(self.starts_on)
            raise ValidationError(f"The deadline must be on or after the quarter starts, {starts}")
        return deadline

    @property
    def deadline_parts(self) -> dict[str, str]:
        """What to show in the day, month and year boxes: as typed, or the initial date."""
        field = self["deadline"]
        if self.is_bound:
            parts = field.field.widget.value_from_datadict(self.data, None, field.html_name)
        else:
            parts = field.field.widget.decompress(field.initial)
        return dict(zip(DATE_PARTS, (str(p or "") for p in parts), strict=True))


class QuarterForm(forms.Form):
    """The quarter named in the query string of the open page: ``?year=2019&quarter=2``."""

    year = forms.IntegerField(min_value=1998, max_value=2100)
    quarter = forms.TypedChoiceField(choices=Quarter.choices, coerce=int)


def quarter_of_plan(plan: Plan, data) -> tuple[int, int] | None:
    """(year, quarter) from ``data`` if it names a quarter inside the plan's period."""
    form = QuarterForm(data)
    if not form.is_valid():
        return None
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    if not plan.start_year <= year <= plan.end_year:
        return None
    return year, quarter


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, messages in errors.items():
        form.add_error(name if name in form.fields else None, messages)
