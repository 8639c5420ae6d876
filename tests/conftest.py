"""Shared fixtures: the seed plans, a signed-in reader, and a larger synthetic data set."""

from __future__ import annotations

import pytest

from plans.models import Partnership, Plan
from plans.seeds import load_seed_plans
from plans.synthetic import make_synthetic_plans
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def plain_static_files(settings) -> None:
    """Tests serve static files from the source folders, without a collectstatic manifest."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed plans once into the test database; each test's transaction is rolled
    back, so every test starts from the seeds."""
    with django_db_blocker.unblock():
        load_seed_plans()


@pytest.fixture
def seeded(db) -> None:
    """Every seed plan, loaded as ``make run`` loads them (a transactional test's flush
    empties the database, so load again when they are gone)."""
    if not Plan.objects.exists():
        load_seed_plans()


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def large_data(seeded) -> Partnership:
    """The seeds plus three synthetic plans of 6 priorities × 15 actions × 3 milestones and
    6 × 8 indicators: roughly ten times the rows of the biggest seed plan."""
    partnership = Partnership.objects.create(name="Synthetic CSP", area="Synthetic")
    make_synthetic_plans(partnership=partnership, plans=3, priorities=6, actions=15, indicators=8)
    return partnership
