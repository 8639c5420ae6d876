"""The django-tables2 memos (plans.table_speed) change no byte of any table page or CSV
export: each list, with a formula-like title among its rows, is read with the memos and again
with django-tables2's own functions, and the two must match."""

from __future__ import annotations

import re

import pytest
from django.template import Template
from django.urls import reverse
from django_tables2 import utils
from django_tables2.columns import templatecolumn

from plans import table_speed
from priorities.models import Action

pytestmark = pytest.mark.django_db

LISTS = [
    ("priorities:action_list", "?export=csv"),
    ("priorities:action_list", "?sort=due_date"),
    ("priorities:milestone_list", "?export=csv"),
    ("priorities:milestone_list", ""),
    ("indicators:indicator_list", "?export=csv"),
    ("indicators:indicator_list", ""),
]
PER_REQUEST = re.compile(rb'(nonce|value|content)="[A-Za-z0-9+/=_-]{20,}"')


def body(client, name: str, query: str) -> bytes:
    """The response, without what differs on every request (CSP nonce, CSRF token)."""
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return PER_REQUEST.sub(rb"\1=\"\"", response.getvalue())


@pytest.mark.parametrize(("name", "query"), LISTS)
def test_memos_change_nothing_shown_or_exported(client, large_data, swale_admin, name, query):
    action = Action.objects.filter(priority__plan__partnership__name__startswith="Swale").first()
    action.title = '=HYPERLINK("http://evil.example")'
    action.save()
    client.force_login(swale_admin)
    assert utils.signature is table_speed.signature  # installed by PlansConfig
    fast = body(client, name, query)
    try:
        utils.signature = table_speed._original_signature
        templatecolumn.Template = Template
        plain = body(client, name, query)
    finally:
        table_speed.install()
    assert fast == plain
    if "export" in query and name == "priorities:action_list":
        assert b"'=HYPERLINK" in fast and b",=HYPERLINK" not in fast
