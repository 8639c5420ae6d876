"""Shared fixtures: the seed plans, a signed-in reader, and a larger synthetic data set."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from plans.models import Agency, Membership, Partnership, Plan
from plans.seeds import load_seed_plans
from plans.synthetic import make_synthetic_plans
from tests.factories import UserFactory
from tests.two_factor import must_use_two_factor, verify_session

PASSWORD = "correct-horse-battery"

# The test client and the live server speak plain HTTP: production's HTTPS redirect is off
# here, before any request handler is built (tests of the redirect turn it back on).
settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def two_factor_done_on_force_login(monkeypatch) -> None:
    """Partnership admins and superusers must sign in with a second factor. A test that signs
    one in with ``force_login`` gets an authenticator app and a session that has entered a
    code, as the sign-in journey would leave it (tests/accounts drive the journey itself)."""
    original = Client.force_login

    def force_login(self, user, backend=None) -> None:
        original(self, user, backend)
        if must_use_two_factor(user):
            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def plain_static_files(settings) -> None:
    """Tests serve static files from the source folders, without a collectstatic manifest."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


STAND_IN_PDF = b"%PDF-1.7\n% a stand-in: tests marked `pdf` make real ones\n%%EOF\n"


@pytest.fixture(autouse=True)
def quick_report_pdf(request, monkeypatch) -> None:
    """Making a PDF with WeasyPrint takes a few seconds a report: tests stand a fixed one in
    (as a server that can make PDFs), except those marked ``pdf``
    (tests/plans/test_report_pdf.py), which make real ones."""
    if request.node.get_closest_marker("pdf") is None:
        from plans.reporting import pack_pdf

        monkeypatch.setattr(pack_pdf, "report_pdf", lambda data, **kwargs: STAND_IN_PDF)
        monkeypatch.setattr(pack_pdf, "pdf_available", lambda: True)


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


def member(username: str, partnership_name: str, role: str, agencies=()):
    """A user with a membership of the named partnership (created if need be)."""
    user = UserFactory(username=username)
    partnership = Partnership.objects.get(name=partnership_name)
    membership = Membership.objects.create(user=user, partnership=partnership, role=role)
    membership.agencies.set(Agency.objects.filter(name__in=agencies))
    return user


MEDWAY = "Medway Community Safety Partnership"
SWALE = "Swale Community Safety Partnership"


@pytest.fixture
def reader(seeded):
    """An SEG member of both partnerships: reads every seed plan, changes nothing."""
    user = member("reader", MEDWAY, Membership.Role.SEG)
    Membership.objects.create(
        user=user, partnership=Partnership.objects.get(name=SWALE), role=Membership.Role.SEG
    )
    return user


# The fixed cast for permission tests, all in Swale unless named otherwise.
@pytest.fixture
def csu_officer(seeded):
    """Officer of the Swale Community Safety Unit (leads most Swale actions)."""
    return member("csu-officer", SWALE, Membership.Role.OFFICER, ["Swale Community Safety Unit"])


@pytest.fixture
def police_officer(seeded):
    """Officer of Kent Police in Swale (leads most Swale indicators)."""
    return member("police-officer", SWALE, Membership.Role.OFFICER, ["Kent Police"])


@pytest.fixture
def seg_member(seeded):
    return member("seg-member", SWALE, Membership.Role.SEG)


@pytest.fixture
def swale_admin(seeded):
    return member("swale-admin", SWALE, Membership.Role.ADMIN)


@pytest.fixture
def outsider(seeded):
    """A Medway admin: may do everything in Medway and must see nothing of Swale."""
    return member("medway-admin", MEDWAY, Membership.Role.ADMIN)


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def large_data(seeded) -> Partnership:
    """The seeds plus three synthetic plans of 6 priorities × 15 actions × 3 milestones and
    6 × 8 indicators: roughly ten times the rows of the biggest seed plan."""
    partnership = Partnership.objects.create(name="Synthetic CSP", area="Synthetic")
    for membership in Membership.objects.filter(user__username="reader"):
        Membership.objects.get_or_create(
            user=membership.user, partnership=partnership, role=membership.role
        )
    make_synthetic_plans(partnership=partnership, plans=3, priorities=6, actions=15, indicators=8)
    return partnership


@pytest.fixture
def crime_areas(seeded):
    """Swale's and Medway's areas, with Kent files for April to October 2019: 2019/20 Q1 and
    Q2 complete, Q3 with one month (the crime-data pages' and the API's tests)."""
    from indicators.crimedata.models import District
    from indicators.crimedata.services import area_set, police_data_import
    from tests.crimedata.files import crimes, medway_rows, named, street_csv, swale_rows

    rows = []
    for n, month in enumerate(["2019-04", "2019-05", "2019-06", "2019-07", "2019-08",
                               "2019-09", "2019-10"]):  # fmt: skip
        rows += swale_rows(month, 2 + n % 2, 5) + medway_rows(month, 4)
    rows += crimes("2019-04", "Drugs", 3)  # no location
    police_data_import(files=[named("kent.csv", street_csv(rows))])
    swale = Partnership.objects.get(name="Swale Community Safety Partnership")
    medway = Partnership.objects.get(name="Medway Community Safety Partnership")
    area_set(partnership=swale, districts=District.objects.filter(name="Swale"))
    area_set(partnership=medway, districts=District.objects.filter(name="Medway"))
    return {"swale": swale, "medway": medway}
