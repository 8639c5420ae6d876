"""Forms for the quarterly action update: status, commentary, milestones, next steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.limits import LONG_TEXT, REASON, validate_year_range
from priorities.models import ActionUpdate, Milestone, MilestoneProgress
from priorities.services import MilestoneReport

COMMENTARY_MAX_LENGTH = 2000  # the model allows up to LONG_TEXT


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input), posted as ``<name>_day`` and so on.
    The template draws the markup; this only splits and gathers the values."""

    def __init__(self) -> None:
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}
        )

    def decompress(self, value: date | None) -> list[int | None]:
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages; ``name`` is how
    the messages refer to it ("Date milestone 2 was done")."""

    widget = DateInputWidget

    def __init__(self, *, name: str, **kwargs) -> None:
        self.name = name
        parts = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(fields=parts, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        day, month, year = (part.strip() for part in (list(data_list) + ["", "", ""])[:3])
        if not (day or month or year):
            return None
        missing = [
            label for label, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(f"{self.name} must include a {' and '.join(missing)}")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.name} must be a real date") from None
        if len(year) != 4:
            raise ValidationError(f"{self.name} must include a year with 4 numbers")
        validate_year_range(value)
        return value


@dataclass(frozen=True)
class MilestoneRow:
    """One milestone's checkbox and date, as the template draws them."""

    number: int
    milestone: Milestone
    done: forms.BoundField
    done_on: forms.BoundField

    @property
    def date_inputs(self) -> list[dict[str, object]]:
        """Day, month and year boxes with their values; the day box carries the field's id,
        so the error summary's link lands on it."""
        value = self.done_on.value()
        if not isinstance(value, list | tuple):
            value = self.done_on.field.widget.decompress(value)
        field_id, name = self.done_on.auto_id, self.done_on.html_name
        return [
            {
                "id": field_id if part == "day" else f"{field_id}_{part}",
                "name": f"{name}_{part}",
                "label": part.capitalize(),
                "width": 4 if part == "year" else 2,
                "value": "" if entered is None else entered,
            }
            for part, entered in zip(("day", "month", "year"), value, strict=True)
        ]


class ActionUpdateForm(forms.Form):
    """A quarter's update on an action. Milestone fields are added per milestone; the
    correction reason only when an admin corrects a closed quarter."""

    status = forms.ChoiceField(
        label="Status",
        choices=ActionUpdate.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    commentary = forms.CharField(
        label="Progress commentary",
        required=False,
        max_length=COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened this quarter. Needed for At risk, Off track and Complete.",
        error_messages={
            "max_length": "Progress commentary must be %(limit_value)d characters or fewer"
        },
    )
    next_steps = forms.CharField(
        label="Next steps",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What will happen next quarter.",
        error_messages={"max_length": "Next steps must be %(limit_value)d characters or fewer"},
    )
    correction_reason = forms.CharField(
        label="Reason for correction",
        help_text="This quarter is closed. Say why you are changing its update.",
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are correcting a closed quarter"},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        milestones: list[Milestone],
        correcting: bool = False,
        today: date | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        self.today = today or timezone.localdate()
        # The character count shows the limit; a maxlength attribute would cut text silently.
        self.fields["commentary"].widget.attrs.pop("maxlength", None)
        if not correcting:
            del self.fields["correction_reason"]
        for number, milestone in enumerate(milestones, start=1):
            self.fields[f"milestone_{milestone.pk}"] = forms.BooleanField(
                label=milestone.text, required=False
            )
            self.fields[f"milestone_{milestone.pk}_date"] = DateField(
                name=f"Date milestone {number} was done", label="Date done"
            )

    @classmethod
    def initial_from(
        cls, update: ActionUpdate | None, progress: list[MilestoneProgress]
    ) -> dict[str, object]:
        """The form's starting values: the saved update, or nothing for a new one."""
        if update is None:
            return {"version": None}
        initial: dict[str, object] = {
            "status": update.status,
            "commentary": update.commentary,
            "next_steps": update.next_steps,
            "version": update.version,
        }
        for row in progress:
            initial[f"milestone_{row.milestone_id}"] = row.done
            initial[f"milestone_{row.milestone_id}_date"] = row.done_on
        return initial

    @classmethod
    def initial_carried_over(cls, previous: ActionUpdate) -> dict[str, object]:
        """A new quarter's starting values from the last submitted update: its status and
        the milestones it reported done, with their dates. Commentary starts empty: what
        happened this quarter is new."""
        initial: dict[str, object] = {"status": previous.status, "version": None}
        for row in previous.milestones_done:
            initial[f"milestone_{row.milestone_id}"] = True
            initial[f"milestone_{row.milestone_id}_date"] = row.done_on
        return initial

    @property
    def milestone_rows(self) -> list[MilestoneRow]:
        return [
            MilestoneRow(number, m, self[f"milestone_{m.pk}"], self[f"milestone_{m.pk}_date"])
            for number, m in enumerate(self.milestones, start=1)
        ]

    @property
    def milestone_errors(self) -> bool:
        return any(row.done_on.errors for row in self.milestone_rows)

    def clean(self) -> dict:
        data = super().clean()
        status = data.get("status")
        if status in ActionUpdate.NEEDS_COMMENTARY and not data.get("commentary", "x"):
            label = ActionUpdate.Status(status).label
            self.add_error("commentary", f"Enter a progress commentary for status {label}")
        for number, milestone in enumerate(self.milestones, start=1):
            done_key, date_key = f"milestone_{milestone.pk}", f"milestone_{milestone.pk}_date"
            if not data.get(done_key) or date_key in self.errors:
                continue
            done_on = data.get(date_key)
            if done_on is None:
                self.add_error(date_key, f"Enter the date milestone {number} was done")
            elif done_on > self.today:
                self.add_error(
                    date_key, f"Date milestone {number} was done must be today or in the past"
                )
        return data

    def to_save(self) -> dict[str, object]:
        """The cleaned values as ``action_update_save`` takes them."""
        data = self.cleaned_data
        return {
            "status": data["status"],
            "commentary": data["commentary"],
            "next_steps": data["next_steps"],
            "milestones": self.milestone_reports(),
            "expected_version": data["version"],
            "correction_reason": data.get("correction_reason", ""),
        }

    def milestone_reports(self) -> list[MilestoneReport]:
        data = self.cleaned_data
        return [
            MilestoneReport(
                milestone=m,
                done=bool(data.get(f"milestone_{m.pk}")),
                done_on=data.get(f"milestone_{m.pk}_date")
                if data.get(f"milestone_{m.pk}")
                else None,
            )
            for m in self.milestones
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """Show what the service refused as the form's own errors, so they reach the summary."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            self.add_error(key if key in self.fields else None, errors)


class ReopenForm(forms.Form):
    """Why a completed action goes back into quarterly reporting."""

    reason = forms.CharField(
        label="Why are you reopening this action?",
        help_text="For example, what still needs doing. The reason is kept in its history.",
        max_length=COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter why you are reopening this action",
            "max_length": "The reason must be %(limit_value)d characters or fewer",
        },
    )
