"""A drop-down that writes its own HTML: Django renders each ``<option>`` through two template
includes, which made a superuser's 300-partnership filter most of the actions table's time.
The markup is byte for byte what Django's ``select.html`` gives (tests/plans/test_widgets.py
compares them)."""

from __future__ import annotations

import html

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def escape_text(text) -> str:
    """``conditional_escape``, without its lazy-text check on a plain ``str`` (most of its
    time, paid per option and per table cell): the same ``html.escape``."""
    if type(text) is str:
        return html.escape(text)
    return conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """As ``attrs.html``: ``False`` leaves the attribute out, ``True`` writes its name alone."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Named as Django's, so a bound field's ``widget_type`` is still "select"."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        plain = self.template_name == SELECT and self.option_template_name == OPTION
        if not plain or self.allow_multiple_selected or not _flat_texts(choices):
            return super().render(name, value, attrs, renderer)
        # As ChoiceWidget.get_context and optgroups, without a dict per option.
        chosen = self.format_value(value)
        final_attrs = _attrs(self.build_attrs(self.attrs, attrs))
        html = [f'<select name="{conditional_escape(name)}"{final_attrs}>']
        found = False
        for option_value, label in choices:
            option_value = "" if option_value is None else option_value
            selected = not found and str(option_value) in chosen
            found |= selected
            html.append(
                f'\n  <option value="{escape_text(option_value)}"'
                f"{' selected' if selected else ''}>{escape_text(label)}</option>\n"
            )
        html.append("\n</select>")  # the renderer strips what the template ends with
        return mark_safe("".join(html))  # every name, value and label escaped above


def _flat_texts(choices: list) -> bool:
    """No groups, and every label a text (numbers and lazy texts are localised by the
    template: Django's way)."""
    return all(isinstance(label, str) for _value, label in choices)
