"""Forms for the officer's My updates filters and for opening reporting quarters."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from csp_tracker.accounts.templatetags.people import person_name
from plans.limits import validate_year_range
from plans.models import Agency, Membership, Plan, Quarter
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

    def __init__(self, data, *, plans: list[Plan]) -> None:
        """``plans``: those with a quarter open, loaded and in order. Their choices are listed
        from what is loaded (the priorities' in one plain query), not by iterating each
        field's queryset, which reads on a server-side cursor; the querysets check a value."""
        super().__init__(data)
        ids = [plan.pk for plan in plans]
        fields = self.fields
        fields["plan"].queryset = Plan.objects.filter(pk__in=ids)
        fields["plan"].choices = [("", fields["plan"].empty_label)] + [
            (plan.pk, str(plan)) for plan in plans
        ]
        priorities = Priority.objects.filter(plan__in=ids).select_related("plan")
        fields["priority"].queryset = priorities
        fields["priority"].choices = [("", fields["priority"].empty_label)] + [
            (priority.pk, priority_choice_label(priority)) for priority in priorities
        ]


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
            value = date(year, month, day)
        except ValueError:
            raise ValidationError(f"{name} must be a real date") from None
        validate_year_range(value)
        return value

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


class MembershipForm(forms.Form):
    """A partnership admin adds someone, by e-mail address, or changes their role and
    agencies. Someone without an account is invited to make one (``plans.services``)."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter their full name"},
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We will e-mail them an invitation to choose a password, unless they "
        "already have an account. Reminders go here too.",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role", choices=Membership.Role.choices, widget=forms.RadioSelect
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies they report for",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Officers enter updates for what these agencies lead.",
    )
    signs_off_for = forms.ModelMultipleChoiceField(
        label="Agencies they sign off for",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Officers only. With sign-off on, they approve or return the updates and "
        "values of what these agencies lead.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in ("full_name", "email"):
                del self.fields[name]
        else:  # chosen on the member's page once they are in
            del self.fields["signs_off_for"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Membership.Role.OFFICER and not data.get("agencies"):
            self.add_error("agencies", "Choose the agencies this officer reports for")
        if data.get("signs_off_for") and data.get("role") != Membership.Role.OFFICER:
            self.add_error("signs_off_for", "Only officers sign off: untick these agencies")
        return data


class DelegatesForm(forms.Form):
    delegates = forms.ModelMultipleChoiceField(
        label="Officers who may also report on this",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegates"].queryset = officers
        self.fields["delegates"].label_from_instance = person_name


# --- Importing an action plan from Excel ----------------------------------------------------

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanUploadForm(forms.Form):
    """The workbook an admin uploads. Only its size is checked here, before anything is
    stored; what it holds is for ``plans.importing`` to judge, by content, not by name."""

    workbook = forms.FileField(
        label="Upload the action plan",
        help_text="An Excel workbook (.xlsx) filled in from the template.",
        widget=forms.FileInput(attrs={"accept": XLSX_TYPES}),
        error_messages={
            "required": "Select the action plan workbook",
            "empty": "The selected file is empty",
            "invalid": "Select the action plan workbook",
        },
    )

    def __init__(self, data=None, files=None, *, max_bytes: int) -> None:
        super().__init__(data, files)
        self.max_bytes = max_bytes

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > self.max_bytes:
            limit = self.max_bytes / 1024 / 1024
            raise ValidationError(f"The selected file must be smaller than {limit:g}MB")
        return upload


class ImportConfirmForm(forms.Form):
    """The admin's explicit choices before a previewed workbook is imported: which new
    agencies to create, and whether to replace a draft plan of the same title."""

    create_agencies = forms.MultipleChoiceField(
        label="Create these agencies",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    replace_draft = forms.BooleanField(label="Replace the existing draft", required=False)

    def __init__(
        self,
        data=None,
        *,
        new_agencies: list[str],
        existing_plan: Plan | None,
        existing_is_draft: bool,
    ) -> None:
        super().__init__(data)
        self.new_agencies = new_agencies
        self.existing_plan = existing_plan
        self.existing_is_draft = existing_is_draft
        self.fields["create_agencies"].choices = [(name, name) for name in new_agencies]
        if existing_plan is None or not existing_is_draft:
            del self.fields["replace_draft"]

    def clean(self) -> dict:
        cleaned = super().clean()
        ticked = set(cleaned.get("create_agencies") or ())
        unticked = [name for name in self.new_agencies if name not in ticked]
        if unticked and "create_agencies" not in self.errors:
            names = ", ".join(f"'{name}'" for name in unticked)
            self.add_error(
                "create_agencies",
                f"Tick each new agency to create it, or correct its name in the workbook: {names}",
            )
        plan = self.existing_plan
        if plan is not None and not self.existing_is_draft:
            self.add_error(
                None,
                f"'{plan.title}' already exists and is {plan.get_status_display().lower()}: "
                "change the plan title in the workbook to import it as a new plan",
            )
        elif plan is not None and not cleaned.get("replace_draft"):
            self.add_error(
                "replace_draft",
                f"'{plan.title}' already exists as a draft: tick 'Replace the existing draft' "
                "or change the plan title in the workbook",
            )
        return cleaned


class PartnershipAgencyForm(forms.Form):
    """Put an agency on a partnership's list: one the app knows, or a new one."""

    agency = forms.ModelChoiceField(
        label="An agency the app knows",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
    )
    name = forms.CharField(
        label="Or a new agency's full name", max_length=200, required=False,
        help_text="For example, Kent Fire and Rescue Service",
    )  # fmt: skip
    short_name = forms.CharField(label="Short name (optional)", max_length=50, required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=Agency.Kind.choices, initial=Agency.Kind.PARTNER_ORGANISATION,
        widget=forms.RadioSelect,
    )  # fmt: skip

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.exclude(partnerships=partnership)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("agency") and not (data.get("name") or "").strip():
            self.add_error("agency", "Choose an agency, or enter a new agency's name")
        if data.get("agency") and (data.get("name") or "").strip():
            self.add_error("name", "Choose an agency or enter a new one, not both")
        return data
