"""``{{ user|person }}``: how the service names a person everywhere (a template builtin)."""

from __future__ import annotations

from django import template

register = template.Library()


def person_name(user) -> str:
    """The account's full name, or its user name for accounts made before names were kept;
    empty for no user (so ``|default:"A former user"`` still works)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


register.filter("person", person_name)
