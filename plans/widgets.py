"""A drop-down that writes its own HTML: Django renders each ``<option>`` through two template
includes, which made a superuser's 300-partnership filter most of the actions table's time.
The markup is byte for byte what Django's ``select.html`` gives (tests/plans/test_widgets.py
compares them)."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """As ``attrs.html``: ``False`` leaves the attribute out, ``True`` writes its name alone."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Named as Django's, so a bound field's ``widget_type`` is still "select"."""

    def _render(self, template_name, context, renderer=None):
        if template_name != SELECT or self.option_template_name != OPTION:
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name and not isinstance(group_name, str):
                return super()._render(template_name, context, renderer)
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                if not isinstance(option["label"], str):  # numbers are localised: Django's way
                    return super()._render(template_name, context, renderer)
                html.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")  # the renderer strips what the template ends with
        return mark_safe("".join(html))  # every name, value and label escaped above
