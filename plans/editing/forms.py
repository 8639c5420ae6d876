"""One form per kind of item, built from the model and the import's columns (so the same
text limits, required cells and help hold in the browser as in a workbook), and the reason an
active plan's change needs."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from plans.editing.kinds import Kind
from plans.importing.archive import LIMITS
from plans.importing.cells import Bad, read_cell
from plans.importing.problems import MESSAGES
from plans.limits import REASON
from plans.models import Agency, Plan
from plans.workbook.columns import SHEETS
from priorities.models import Objective, Priority

REASON_HELP = (
    "This plan is active: say why it changes. The reason is kept in the plan's list of changes."
)
REASON_MISSING = "Enter the reason for this change"
EMPTY_LABELS = {
    "objective": "Not under an objective",
    "lead_agency": "None",
    "agency": "None",
    "priority": "Not linked to a priority",
}


def reason_field(plan: Plan) -> forms.CharField:
    return forms.CharField(
        label="Reason for the change",
        help_text=REASON_HELP,
        required=plan.status == Plan.Status.ACTIVE,
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_MISSING},
    )


class ReasonForm(forms.Form):
    """Moving or removing an item: only the reason (required on an active plan)."""

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(plan)


class ItemForm(forms.ModelForm):
    """An item's own fields, checked as the import checks them, plus the reason."""

    def __init__(self, *args, kind: Kind, plan: Plan, parent: models.Model, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.plan, self.parent = kind, plan, parent
        columns = {column.field: column for column in SHEETS[kind.sheet]}
        for name, field in self.fields.items():
            column = columns.get(name)
            if column is not None:
                # A workbook may leave refs out (the import numbers them); here one is asked.
                field.required = column.required or (name == "ref" and kind.ordered_by_ref)
                field.label = column.header  # as the workbook names it
                field.help_text = column.help or field.help_text
            if isinstance(field, forms.CharField):
                limit = (column.max_length if column else None) or LIMITS["max_cell_chars"]
                field.max_length = min(field.max_length or limit, limit)
                field.validators.append(MaxLengthValidator(field.max_length))
        agencies = Agency.objects.filter(partnerships=plan.partnership_id)
        for name in ("lead_agency", "agency", "reported_to", "supporting_agencies"):
            if name in self.fields:
                self.fields[name].queryset = agencies
        for name, empty in EMPTY_LABELS.items():
            if name in self.fields:
                self.fields[name].empty_label = empty
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
        if "supporting_agencies" in self.fields:
            self.fields["supporting_agencies"].help_text = "Tick each agency that supports it."
        if kind.slug == "theme":
            self.fields["text"].label = "Key theme"
            self.fields["text"].help_text = "One key theme of the priority, as written."
        if "reported_to" in self.fields:
            self.fields["reported_to"].help_text = "Tick each group it is reported to."
        if "objective" in self.fields:
            self.fields["objective"].queryset = Objective.objects.filter(priority=parent)
        if "priority" in self.fields:
            self.fields["priority"].queryset = Priority.objects.filter(plan=plan)
        for name in ("amount", "financial_year"):
            if name in self.fields:  # read as the import reads them: "£118,369", "2019/20"
                old = self.fields[name]
                self.fields[name] = forms.CharField(
                    label=old.label, help_text=old.help_text, required=False
                )
        self.fields["reason"] = reason_field(plan)

    def _as_imported(self, name: str):
        column = next(c for c in SHEETS[self.kind.sheet] if c.field == name)
        try:
            return read_cell(None, column, self.cleaned_data[name])
        except Bad as bad:
            key, values = bad.args
            message = MESSAGES[key].format(**values)
            raise forms.ValidationError(message[0].upper() + message[1:]) from None

    def clean_amount(self):
        return self._as_imported("amount")

    def clean_financial_year(self):
        return self._as_imported("financial_year")

    def clean_ref(self) -> str:
        """Refs are unique within their parent, as the import requires (a previous year's
        result keeps its ref as written)."""
        ref = self.cleaned_data["ref"].strip()
        if not self.kind.ordered_by_ref:
            return ref
        siblings = self.kind.model.objects.filter(**{self.kind.parent: self.parent}, ref=ref)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        if siblings.exists():
            where = f"{self.kind.parent} {self.parent.ref}"
            if self.kind.parent == "plan":
                where = "this plan"
            raise forms.ValidationError(f"Ref {ref} is already used in {where}: choose another")
        return ref


def item_form_class(kind: Kind) -> type[ItemForm]:
    widgets = {
        name: forms.CheckboxSelectMultiple
        for name in kind.fields
        if isinstance(kind.model._meta.get_field(name), models.ManyToManyField)
    }
    return forms.modelform_factory(kind.model, form=ItemForm, fields=kind.fields, widgets=widgets)


class PlanDetailsForm(forms.ModelForm):
    """The plan's own fields, checked as the Plan sheet checks them, plus the reason."""

    class Meta:
        model = Plan
        fields = ("title", "kind", "start_year", "end_year", "summary", "source", "parent")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance
        columns = {column.field: column for column in SHEETS["Plan"]}
        columns["parent"] = columns["parent_title"]
        for name, field in list(self.fields.items()):
            column = columns[name]
            if column.kind == "year":  # "2025" or "2025/26", as the import reads it
                field = self.fields[name] = forms.CharField()
            field.label, field.help_text = column.header, column.help
            if isinstance(field, forms.CharField):
                limit = column.max_length or LIMITS["max_cell_chars"]
                field.max_length = min(field.max_length or limit, limit)
                field.validators.append(MaxLengthValidator(field.max_length))
        self.fields["summary"].widget.attrs["rows"] = 5
        self.fields["parent"].queryset = Plan.objects.filter(
            partnership=plan.partnership_id
        ).exclude(pk=plan.pk)
        self.fields["parent"].empty_label = "Not read with another plan"
        self.fields["reason"] = reason_field(plan)

    def _year(self, name: str) -> int:
        column = next(c for c in SHEETS["Plan"] if c.field == name)
        try:
            return read_cell(None, column, self.cleaned_data[name])
        except Bad as bad:
            key, values = bad.args
            message = MESSAGES[key].format(**values)
            raise forms.ValidationError(message[0].upper() + message[1:]) from None

    def clean_start_year(self) -> int:
        return self._year("start_year")

    def clean_end_year(self) -> int:
        return self._year("end_year")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        others = Plan.objects.filter(partnership=self.instance.partnership_id, title__iexact=title)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"The partnership already has a plan called '{title}': choose another title"
            )
        return title

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", f"The plan cannot end ({end}) before it starts ({start})")
        return data

    def validate_unique(self) -> None:
        """Said by ``clean_title`` in words; the check constraint by ``clean``."""
