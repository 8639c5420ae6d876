"""Forms for entering a quarter's indicator values: one at a time, or a whole agency's at once.

The rules a value obeys live in ``indicators.services.validate_entry``; the forms call it so
that every problem shows next to its field before anything is written.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import ManagementForm

from indicators.models import Indicator, IndicatorValue, Rag
from indicators.services import ValueEntry, rag_override_errors, validate_entry
from indicators.targets import MILESTONE, structured_target, target_summary
from plans.limits import NOTE, REASON, figure_text
from plans.models import ReportingPeriod

NUMBER_MESSAGE = "Enter the value as a number, like 42 or 12.5"
MISSING_MESSAGE = "Enter the value as a number, like 42 or 12.5, or tick “Not available”"
NOT_EMPTY_MESSAGE = "Leave the value empty when it is not available"


class ValueField(forms.DecimalField):
    """A figure typed as text (GOV.UK asks for text inputs with a decimal keyboard, not
    type=number), shown without trailing zeros: 12.5, not 12.500."""

    widget = forms.TextInput(
        attrs={"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_digits=14,
            decimal_places=3,
            error_messages={
                "invalid": NUMBER_MESSAGE,
                "max_digits": "Enter a number with fewer digits",
                "max_whole_digits": "Enter a number with fewer digits",
                "max_decimal_places": "Enter the value with no more than 3 decimal places",
            },
            **kwargs,
        )

    def to_python(self, value):
        # Thousands separators and a typed "%" are how people write figures: accept them,
        # but never read a decimal comma as one ("12,5" is not 125).
        if isinstance(value, str):
            value = figure_text(value)
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


class IndicatorValueForm(forms.Form):
    """One indicator's value for one quarter; for a closed quarter, the admin's reason too."""

    value = ValueField(required=False)
    not_available = forms.BooleanField(required=False, label="Not available")
    not_available_reason = forms.CharField(
        required=False,
        label="Why is the figure not available?",
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        required=False,
        label="Note (optional)",
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        indicator: Indicator,
        period: ReportingPeriod,
        current: IndicatorValue | None = None,
        **kwargs,
    ) -> None:
        self.indicator = indicator
        self.period = period
        self.current = current
        if current is not None:
            kwargs.setdefault(
                "initial",
                {
                    "value": current.value,
                    "not_available": current.not_available,
                    "not_available_reason": current.not_available_reason,
                    "note": current.note,
                    "version": current.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["value"].label = f"Value for {period.label}"
        if indicator.unit == Indicator.Unit.PERCENTAGE:
            self.fields["value"].help_text = "A percentage from 0 to 100"
        elif indicator.unit == Indicator.Unit.COUNT:
            self.fields["value"].help_text = "A number of 0 or more"
        if not period.is_open:
            self.fields["correction_reason"] = forms.CharField(
                label="Reason for correction",
                help_text=f"{period.label} is closed: say why you are changing it.",
                max_length=REASON,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Enter why you are correcting a closed quarter"},
            )

    @property
    def is_percentage(self) -> bool:
        return self.indicator.unit == Indicator.Unit.PERCENTAGE

    def clean(self) -> dict:
        cleaned = super().clean()
        not_available = cleaned.get("not_available", False)
        if not_available and cleaned.get("value") is not None:
            self.add_error("value", NOT_EMPTY_MESSAGE)
        elif not not_available and cleaned.get("value") is None and "value" not in self.errors:
            self.add_error("value", MISSING_MESSAGE)
        if not_available or "value" not in self.errors:
            try:
                validate_entry(self.entry())
            except ValidationError as error:
                self.add_service_error(error)
        return cleaned

    def entry(self) -> ValueEntry:
        data = self.cleaned_data
        not_available = data.get("not_available", False)
        return ValueEntry(
            indicator=self.indicator,
            value=None if not_available else data.get("value"),
            not_available=not_available,
            not_available_reason=data.get("not_available_reason", ""),
            note=data.get("note", ""),
            expected_version=data.get("version"),
        )

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError next to the field it names (or at the top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class IndicatorValueWithRagForm(IndicatorValueForm):
    """The one-value form, where the lead may also set the quarter's RAG by hand (with a
    reason) in place of the one worked out from the target."""

    rag_override = forms.ChoiceField(
        label="RAG override",
        choices=[("", "None: use the RAG worked out from the target"), *Rag.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    rag_override_reason = forms.CharField(
        required=False,
        label="Why are you setting the RAG yourself?",
        help_text="Needed when you choose Red, Amber or Green.",
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.current is not None:
            self.initial.setdefault("rag_override", self.current.rag_override)
            self.initial.setdefault("rag_override_reason", self.current.rag_override_reason)
        field = self.fields["rag_override"]
        if structured_target(self.indicator).comparator == MILESTONE:
            field.help_text = "The target is a milestone, not a figure: set its RAG here."
            field.choices = [("", "None"), *Rag.choices]
        else:
            summary = target_summary(self.indicator)
            field.help_text = "Leave as None unless the figure alone gives the wrong picture."
            field.choices = [
                ("", f"None: use the RAG worked out from the target ({summary})"),
                *Rag.choices,
            ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("not_available") and "value" in self.errors:
            # The figure's own checks did not run (they check the override too).
            for field, message in rag_override_errors(self.entry()).items():
                self.add_error(field, message)
        return cleaned

    def entry(self) -> ValueEntry:
        return dataclasses.replace(
            super().entry(),
            rag_override=self.cleaned_data.get("rag_override", ""),
            rag_override_reason=self.cleaned_data.get("rag_override_reason", ""),
        )


class BaseIndicatorValueFormSet(forms.BaseFormSet):
    """One ``IndicatorValueForm`` per indicator, prefixed by the indicator's id so a row's
    fields keep their names however the list is ordered. Untouched rows are skipped, not
    errors. The row count comes from the indicators, never from the posted data."""

    def __init__(
        self, *args, indicators: list[Indicator], period: ReportingPeriod, **kwargs
    ) -> None:
        self.indicators = indicators
        self.period = period
        kwargs.setdefault("prefix", "values")
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.indicators)

    def initial_form_count(self) -> int:
        return len(self.indicators)

    @property
    def management_form(self) -> ManagementForm:
        count = str(len(self.indicators))
        form = ManagementForm(
            {
                f"{self.prefix}-TOTAL_FORMS": count,
                f"{self.prefix}-INITIAL_FORMS": count,
            },
            auto_id=self.auto_id,
            prefix=self.prefix,
            renderer=self.renderer,
        )
        form.full_clean()
        return form

    def add_prefix(self, index) -> str:
        if isinstance(index, int):
            return f"{self.prefix}-{self.indicators[index].pk}"
        return super().add_prefix(index)

    def get_form_kwargs(self, index: int | None) -> dict:
        indicator = self.indicators[index]
        current = next(iter(getattr(indicator, "period_values", [])), None)
        return {
            "indicator": indicator,
            "period": self.period,
            "current": current,
            "empty_permitted": True,
        }

    def changed_forms(self) -> list[IndicatorValueForm]:
        return [form for form in self.forms if form.has_changed()]

    def form_for(self, indicator_id: int) -> IndicatorValueForm | None:
        return next((f for f in self.forms if f.indicator.pk == indicator_id), None)

    def add_error(self, error: ValidationError | str) -> None:
        """A problem with the whole page rather than one row, shown first in the summary."""
        messages = error.messages if isinstance(error, ValidationError) else [error]
        self.non_form_errors().extend(messages)

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary's entries: (field id, "<ref>: <message>")."""
        first = self.forms[0]["value"].auto_id if self.forms else "main-content"
        links = [(first, str(error)) for error in self.non_form_errors()]
        for form in self.forms:
            ref = form.indicator.ref
            links += [(form["value"].auto_id, f"{ref}: {e}") for e in form.non_field_errors()]
            for field in form:
                links += [(field.auto_id, f"{ref}: {error}") for error in field.errors]
        return links


IndicatorValueFormSet = forms.formset_factory(
    IndicatorValueForm, formset=BaseIndicatorValueFormSet, extra=0
)


class FiguresUploadForm(forms.Form):
    """A filled-in sheet of figures (CSV or .xlsx)."""

    file = forms.FileField(
        label="Upload figures",
        help_text="The downloaded sheet, filled in: an Excel workbook (.xlsx) or a CSV file.",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class HistoryUploadForm(FiguresUploadForm):
    """Earlier quarters' figures, and where they came from."""

    source = forms.CharField(
        label="Where do these figures come from?",
        help_text="Shown beside each figure, e.g. “Kent Police annual returns”.",
        max_length=200,
        error_messages={"required": "Enter where these figures come from"},
    )
    field_order = ["source", "file"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Sheet of earlier figures"
        self.fields["file"].help_text = "An Excel workbook (.xlsx) or a CSV file."


class CalculationForm(forms.Form):
    expression = forms.CharField(
        label="Calculation",
        required=False,
        max_length=200,
        help_text="Leave empty to enter this indicator’s figures by hand.",
    )


class PopulationForm(forms.Form):
    """The area's mid-year residents (ONS estimate) for a financial year."""

    year = forms.IntegerField(
        label="Financial year",
        help_text="Its first year: 2019 for 2019/20.",
        min_value=1998,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the financial year",
            "invalid": "Enter the year as a number, like 2019",
            "min_value": "Enter a year from 1998",
            "max_value": "Enter a year up to 2100",
        },
    )
    residents = forms.IntegerField(
        label="Residents",
        help_text="The mid-year estimate, as a whole number, like 150000.",
        min_value=1,
        max_value=100_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the number of residents",
            "invalid": "Enter the number of residents as a whole number, like 150000",
            "min_value": "Enter a number of residents of 1 or more",
            "max_value": "Enter a number of residents up to 100,000,000",
        },
    )
