"""The close page's form: a final status for every action of the plan, and a reason for
each that was not completed. Its checks are the service's (``services.decision_errors``),
so the page and the service refuse the same things in the same words."""

from __future__ import annotations

from django import forms

from plans.yearend.services import (
    FinalDecision,
    decision_errors,
    proposed_status,
    reason_field,
    status_field,
)
from priorities.models import Action, FinalStatus


class PlanCloseForm(forms.Form):
    """``status-<action id>`` (radios) and ``reason-<action id>`` for each action."""

    def __init__(self, data=None, *, actions: list[Action]) -> None:
        super().__init__(data, auto_id="%s")
        self.actions = actions
        for action in actions:
            self.fields[status_field(action.pk)] = forms.ChoiceField(
                label=f"How did action {action.display_ref} end the year?",
                choices=FinalStatus.choices,
                required=False,
                initial=proposed_status(action),
                widget=forms.RadioSelect,
            )
            self.fields[reason_field(action.pk)] = forms.CharField(
                label="Reason",
                help_text="Needed if it was not achieved, cancelled or deferred.",
                required=False,
                initial=action.final_status_reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, message in decision_errors(self.actions, self._decisions(cleaned)).items():
            self.add_error(name, message)
        return cleaned

    def _decisions(self, cleaned: dict) -> dict[int, FinalDecision]:
        return {
            action.pk: FinalDecision(
                action_id=action.pk,
                status=cleaned.get(status_field(action.pk)) or "",
                reason=cleaned.get(reason_field(action.pk)) or "",
            )
            for action in self.actions
        }

    def decisions(self) -> list[FinalDecision]:
        return list(self._decisions(self.cleaned_data).values())

    def rows(self):
        """(action, status field, reason field) in the plan's order, for the template."""
        for action in self.actions:
            yield action, self[status_field(action.pk)], self[reason_field(action.pk)]
