"""Finding 6 and the partnership's Audit log page: activation, delegations, publishing,
uploads, agencies created by an import and role changes are recorded; admins read, filter
and download them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from plans.audit_log import partnership_log
from plans.models import Agency, Membership, Partnership, Plan, PlanImport, PublishedReport
from plans.reporting.publishing import report_publish
from plans.services import delegates_set, membership_save, period_open
from priorities.models import Action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name__startswith="Swale")


def entries_for(model, pk=None):
    qs = LogEntry.objects.get_for_model(model)
    return qs.filter(object_id=pk) if pk else qs


def test_delegations_and_role_changes_are_recorded(swale, swale_admin, police_officer):
    action = Action.objects.get(priority__plan__partnership=swale, ref="2.2")
    delegates_set(obj=action, users=[police_officer])
    assert entries_for(Action, action.pk).filter(changes__icontains="delegates").exists()
    membership = police_officer.memberships.get()
    membership_save(partnership=swale, user=police_officer, role="seg", agencies=[],
                    membership=membership)  # fmt: skip
    assert entries_for(Membership, membership.pk).filter(changes__icontains="seg").exists()


def test_activation_publishing_and_uploads_are_recorded(client, swale, swale_admin):
    from tests.plans.import_workbooks import valid_rows, xlsx
    from tests.plans.test_trust_import_bounds import upload

    client.force_login(swale_admin)
    rows = valid_rows()
    rows["Actions"][0]["Lead agency"] = "Sittingbourne Street Pastors"
    response = upload(client, swale, xlsx(rows))
    plan_import = PlanImport.objects.get()
    assert entries_for(PlanImport, plan_import.pk).filter(actor=swale_admin).exists()
    client.post(response["Location"], {"create_agencies": ["Sittingbourne Street Pastors"]})
    agency = Agency.objects.get(name="Sittingbourne Street Pastors")
    assert entries_for(Agency, agency.pk).filter(action=LogEntry.Action.CREATE).exists()
    plan = Plan.objects.get(imports=plan_import)
    client.post(reverse("plans:plan_activate", args=[plan.pk]))
    assert entries_for(Plan, plan.pk).filter(changes__icontains="active").exists()
    period = period_open(plan=plan, year=plan.start_year, quarter=1, deadline=date(2099, 1, 1))
    published = report_publish(period=period, user=swale_admin, reason="")
    assert entries_for(PublishedReport, published.pk).exists()


def test_the_log_holds_the_partnerships_changes_only(swale, swale_admin, police_officer):
    medway = Partnership.objects.get(name__startswith="Medway")
    action = Action.objects.get(priority__plan__partnership=swale, ref="2.2")
    delegates_set(obj=action, users=[police_officer])
    medway_action = Action.objects.filter(priority__plan__partnership=medway).first()
    medway_action.title = "Changed in Medway"
    medway_action.save()
    swale_log = partnership_log(swale)
    assert swale_log.filter(object_id=action.pk, content_type__model="action").exists()
    assert not swale_log.filter(object_repr__icontains="Changed in Medway").exists()
    assert partnership_log(medway).filter(object_repr__icontains="Changed in Medway").exists()


def test_a_removed_member_stays_in_the_log(swale, swale_admin, seg_member):
    from plans.services import membership_remove

    membership = seg_member.memberships.get()
    pk = membership.pk
    membership_remove(membership=membership)
    deleted = partnership_log(swale).filter(action=LogEntry.Action.DELETE)
    assert deleted.filter(object_id=pk).exists()


def test_the_page_filters_and_downloads_safely(client, swale, swale_admin, police_officer):
    action = Action.objects.get(priority__plan__partnership=swale, ref="2.2")
    delegates_set(obj=action, users=[police_officer])
    client.force_login(swale_admin)
    client.post(  # an agency whose name is a formula: its log entry's "Which" starts with =
        reverse("plans:partnership_agencies", args=[swale.pk]),
        {"name": '=HYPERLINK("http://evil.example","x")', "kind": "partner_organisation"},
    )
    url = reverse("plans:audit_log", args=[swale.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Audit log" in page.content.decode()
    kinds = client.get(url, {"kind": "plans.membership"}).context["table"].data
    assert all(entry.content_type.model == "membership" for entry in kinds)
    today = date.today().isoformat()
    dated = client.get(url, {"since": today, "until": today}).context["table"].page.paginator
    assert dated.count >= 1
    future = client.get(url, {"since": "2099-01-01"}).context["table"].page.paginator
    assert future.count == 0
    text = client.get(url, {"export": "csv"}).getvalue().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_a_bad_date_filter_is_a_clear_error(client, swale, swale_admin):
    client.force_login(swale_admin)
    response = client.get(reverse("plans:audit_log", args=[swale.pk]), {"since": "soon"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


@pytest.mark.parametrize("changes", [5, 120])
def test_audit_log_query_budget(client, swale, swale_admin, django_assert_max_num_queries, changes):
    actions = list(Action.objects.filter(priority__plan__partnership=swale)[:changes])
    for n in range(changes):
        action = actions[n % len(actions)]
        action.title = f"Edited {n}"
        action.save()
        membership = Membership.objects.create(
            user=UserFactory(username=f"audit{n}"), partnership=swale, role="seg"
        )
        membership.delete()
    client.force_login(swale_admin)
    url = reverse("plans:audit_log", args=[swale.pk])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url, {"page": 2}).status_code == 200
