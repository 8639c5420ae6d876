"""Small helpers that give Django form fields the GOV.UK Design System markup."""

from __future__ import annotations

from django import forms, template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

WIDGET_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "radio": "govuk-radios__input",
    "file": "govuk-file-upload",
}


@register.filter
def govuk_widget(field: forms.BoundField) -> str:
    """Render the field's widget with the GOV.UK class, error state and described-by ids."""
    css = WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    if field.errors and css in {
        "govuk-input",
        "govuk-select",
        "govuk-textarea",
        "govuk-file-upload",
    }:
        css += f" {css}--error"
    described = []
    counted = field.widget_type == "textarea" and getattr(field.field, "max_length", None)
    if counted:  # the GOV.UK character count: its script reads the -info message
        css += " govuk-js-character-count"
        # The count shows the limit; a maxlength attribute would cut pasted text silently.
        field.field.widget.attrs.pop("maxlength", None)
        described.append(f"{field.auto_id}-info")
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def paragraphs(text: str) -> str:
    """Text as written, one <p> per paragraph (blank-line separated), escaped."""
    blocks = [block.strip() for block in (text or "").split("\n\n") if block.strip()]
    html = "\n".join(
        f'<p class="govuk-body">{escape(block).replace(chr(10), "<br>")}</p>' for block in blocks
    )
    return mark_safe(html)  # every block was escaped above


@register.filter
def status_tag_class(status: str | None) -> str:
    """The GOV.UK tag colour of an action update status (as a model value or a snapshot's
    string), from the one mapping in ``priorities.models``."""
    from priorities.models import STATUS_TAG_CLASSES

    return STATUS_TAG_CLASSES.get(status or "", "govuk-tag--grey")


@register.filter
def css_string(text: str) -> str:
    """Text as a double-quoted CSS string, for the content of a printed page's margin box.
    Anything but letters and digits becomes a six-digit CSS escape (spaces too: a space
    after an escape would be read as its end), so no text can
    close the string or the <style> element it sits in."""
    escaped = "".join(
        char if char.isascii() and char.isalnum() else f"\\{ord(char):06X}"
        for char in str(text or "")
    )
    return mark_safe(f'"{escaped}"')  # only letters, digits and escapes


@register.filter
def risk_band(score: int | None):
    """The band of a risk score (plans.risks.RiskBand), or None when it is not scored."""
    from plans.risks import risk_band as band_of

    return band_of(score)
