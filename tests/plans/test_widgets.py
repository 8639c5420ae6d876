"""The drop-down that writes its own HTML (plans.widgets.Select) writes what Django's
select template writes, byte for byte, for any choices, attributes and value."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from plans.widgets import Select

CHOICES = [
    ("", "All partnerships"),
    (1, "Medway Community Safety Partnership"),
    (2, 'Quotes " and <tags> & ampersands'),
    ("x&y", "A text value"),
    (3, mark_safe("<b>kept</b>")),
]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, None, {}),
        (CHOICES, 2, {"class": "govuk-select", "aria-describedby": "id_plan-hint id_plan-error"}),
        (CHOICES, "x&y", {"id": "id_q", "required": True, "disabled": False}),
        ([("", "All plans")], "", {"class": "govuk-select"}),
        ([], None, {}),
        ([("Group <1>", [(1, "One"), (2, "Two")]), (3, "Three")], 2, {"id": "id_g"}),
        ([(1, gettext_lazy("Lazy label")), (2, 42)], 1, {}),  # Django's way: localised
        ([(1, "First"), ("1", "Same value again"), (None, "No value")], "1", {}),
        ([(1, "One"), (2, "Two")], [2], {"multiple": False}),
    ],
)
def test_same_html_as_django(choices, value, attrs):
    ours = Select(attrs=attrs, choices=choices).render("plan", value)
    djangos = forms.Select(attrs=attrs, choices=choices).render("plan", value)
    assert ours == djangos


@pytest.mark.django_db
def test_a_filter_form_drop_down_is_ours_and_still_a_select():
    from priorities.filters import ActionFilterSet
    from priorities.models import Action

    filterset = ActionFilterSet({}, queryset=Action.objects.none())
    field = filterset.form["partnership"]
    assert isinstance(field.field.widget, Select)
    assert field.widget_type == "select"  # so govuk_widget gives it the govuk-select class
