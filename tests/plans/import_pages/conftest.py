"""The Swale seed plan, its partnership and its workbook (and next year's), and a signed-in
Swale admin's client."""

from __future__ import annotations

import pytest

from plans.models import Partnership, Plan
from plans.workbook import plan_workbook
from tests.plans.import_pages.workbooks import (
    SWALE_PLAN,
    edited,
    retitled,
)


@pytest.fixture
def swale(seeded) -> Plan:
    return Plan.objects.get(title=SWALE_PLAN)


@pytest.fixture
def partnership(swale) -> Partnership:
    return swale.partnership


_exports: dict[int, bytes] = {}


@pytest.fixture
def swale_xlsx(swale) -> bytes:
    """The Swale seed plan exported (once per run: every test starts from the same seeds)."""
    if swale.pk not in _exports:
        _exports[swale.pk] = plan_workbook(swale)
    return _exports[swale.pk]


@pytest.fixture
def next_year_xlsx(swale_xlsx) -> bytes:
    """The Swale plan as next year's plan: the same workbook under a new title."""
    return edited(swale_xlsx, retitled)


@pytest.fixture
def admin_client(client, swale_admin):
    client.force_login(swale_admin)
    return client
