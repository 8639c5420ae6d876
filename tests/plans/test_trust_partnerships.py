"""Finding 8: agencies per partnership, agency pages show only what the viewer may see, and
user names are unique without regard to case or Unicode look-alikes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from plans.models import Agency, Partnership
from plans.services import validate_new_username
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWALE_ONLY = "Swale Community Safety Unit"


@pytest.fixture
def medway(seeded):
    return Partnership.objects.get(name__startswith="Medway")


@pytest.fixture
def swale(seeded):
    return Partnership.objects.get(name__startswith="Swale")


def test_each_partnership_lists_the_agencies_its_plans_name(medway, swale):
    assert swale.agencies.filter(name=SWALE_ONLY).exists()
    assert not medway.agencies.filter(name=SWALE_ONLY).exists()
    assert medway.agencies.filter(name="Kent Police").exists()


def test_a_user_with_no_membership_sees_no_agency_or_count(client, seeded):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("plans:agency_list"))
    assert list(response.context["agencies"]) == []
    police = Agency.objects.get(name="Kent Police")
    assert client.get(police.get_absolute_url()).status_code == 404


def test_counts_cover_only_the_viewers_partnerships(client, outsider, medway):
    client.force_login(outsider)  # a Medway admin
    agencies = {a.name: a for a in client.get(reverse("plans:agency_list")).context["agencies"]}
    assert SWALE_ONLY not in agencies
    police = agencies["Kent Police"]
    from priorities.models import Action

    led_in_medway = Action.objects.led_by(police).filter(priority__plan__partnership=medway)
    assert police.action_count == led_in_medway.count()


def test_medways_import_template_lists_only_medways_agencies(client, outsider, medway):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(outsider)
    content = client.get(reverse("plans:plan_import_template", args=[medway.pk])).content
    texts = {
        cell.value
        for sheet in load_workbook(BytesIO(content)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    assert "Kent Police" in texts
    assert SWALE_ONLY not in texts


def test_action_filter_offers_only_the_viewers_agencies(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("priorities:action_list"))
    choices = [str(a) for a in response.context["filter"].form.fields["lead_agency"].queryset]
    assert "Kent Police" in choices and SWALE_ONLY not in choices


def test_an_agency_created_by_one_partnerships_import_stays_off_the_others(client, outsider, swale):
    from plans.importing import plan_import
    from tests.plans.import_workbooks import valid_rows, xlsx

    rows = valid_rows()
    rows["Actions"][0]["Lead agency"] = "Faversham Street Pastors"
    plan_import(content=xlsx(rows), partnership=swale, create_agencies={"Faversham Street Pastors"})
    assert swale.agencies.filter(name="Faversham Street Pastors").exists()
    client.force_login(outsider)
    html = client.get(reverse("plans:agency_list")).content.decode()
    assert "Faversham Street Pastors" not in html


def test_admins_add_and_remove_agencies(client, swale_admin, swale):
    client.force_login(swale_admin)
    url = reverse("plans:partnership_agencies", args=[swale.pk])
    response = client.post(url, {"name": "Swale Youth Forum", "kind": "partner_organisation"})
    assert response.status_code == 302
    forum = swale.agencies.get(name="Swale Youth Forum")
    remove = reverse("plans:partnership_agency_remove", args=[swale.pk, forum.pk])
    assert client.post(remove).status_code == 302
    assert not swale.agencies.filter(pk=forum.pk).exists()
    # An agency the plans name stays, with a clear message.
    csu = swale.agencies.get(name=SWALE_ONLY)
    page = client.post(
        reverse("plans:partnership_agency_remove", args=[swale.pk, csu.pk]), follow=True
    )
    assert "so it stays on the list" in page.content.decode()
    assert swale.agencies.filter(pk=csu.pk).exists()


def test_adding_an_agency_needs_a_choice_or_a_name(client, swale_admin, swale):
    client.force_login(swale_admin)
    url = reverse("plans:partnership_agencies", args=[swale.pk])
    response = client.post(url, {"kind": "partner_organisation"})
    assert response.status_code == 200
    assert "Choose an agency, or enter a new agency&#x27;s name" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["Swale-Admin", "SWALE-ADMIN", "swаle-admin", "ｓｗａｌｅ-admin", "swale admin"]
)
def test_look_alike_user_names_are_refused(swale_admin, name):
    with pytest.raises(ValidationError):
        validate_new_username(name)


def test_a_fresh_ascii_user_name_is_accepted(seeded):
    assert validate_new_username("kent.officer-2") == "kent.officer-2"


def test_the_member_form_refuses_a_look_alike(client, swale_admin, swale):
    """Invited accounts take their e-mail address as user name: one with a Cyrillic "а" in
    it could pose as another's, so it is refused and no account is made."""
    client.force_login(swale_admin)
    look_alike = "swale-admin@ex\u0430mple.invalid"
    response = client.post(
        reverse("plans:member_add", args=[swale.pk]),
        {"full_name": "Someone", "email": look_alike, "role": "seg"},
    )
    assert response.status_code == 200
    assert "Use only the letters a to z" in response.content.decode()
    assert not get_user_model().objects.filter(email__iexact=look_alike).exists()


def test_the_database_refuses_names_differing_only_in_case(swale_admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(username="SWALE-admin")


def test_a_taken_short_name_gets_a_clear_message(client, swale_admin, swale):
    client.force_login(swale_admin)
    url = reverse("plans:partnership_agencies", args=[swale.pk])
    taken = Agency.objects.exclude(short_name="").first()
    response = client.post(
        url,
        {"name": "Another body", "short_name": taken.short_name, "kind": "partner_organisation"},
    )
    html = response.content.decode()
    assert f"Another agency is already called {taken.short_name}" in html
    assert "Constraint" not in html and "already exists" not in html
