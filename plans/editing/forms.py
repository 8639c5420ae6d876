"""One form per kind of item, built from the model and the import's columns (so the same
text limits, required cells and help hold in the browser as in a workbook), and the reason an
active plan's change needs."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from plans.editing.kinds import Kind
from plans.importing.archive import LIMITS
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
    "reporting_group": "None",
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
                field.required = column.required or name == "ref"
                field.label = column.header  # as the workbook names it
                field.help_text = column.help or field.help_text
            if isinstance(field, forms.CharField):
                limit = (column.max_length if column else None) or LIMITS["max_cell_chars"]
                field.max_length = min(field.max_length or limit, limit)
                field.validators.append(MaxLengthValidator(field.max_length))
        agencies = Agency.objects.filter(partnerships=plan.partnership_id)
        for name in ("lead_agency", "agency", "reporting_group", "supporting_agencies"):
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
        if "objective" in self.fields:
            self.fields["objective"].queryset = Objective.objects.filter(priority=parent)
        if "priority" in self.fields:
            self.fields["priority"].queryset = Priority.objects.filter(plan=plan)
        self.fields["reason"] = reason_field(plan)

    def clean_ref(self) -> str:
        """Refs are unique within their parent, as the import requires."""
        ref = self.cleaned_data["ref"].strip()
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
