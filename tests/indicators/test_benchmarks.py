"""Benchmarks across partnerships: who sees a measure's page, whose names they see, which
figure counts, rates per 1,000, the sharing setting, and the page's cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue, Population
from plans.models import Membership, Partnership, Plan
from plans.services import period_open
from tests.conftest import MEDWAY, SWALE, member
from tests.factories import IndicatorFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db
CODE = "NI 111"


def measured(partnership: Partnership, figures: dict[int, tuple[str, int]], unit="count"):
    """A plan of ``partnership`` with an NI 111 indicator and figures {quarter: (state, n)}."""
    plan = PlanFactory(partnership=partnership, title=f"{partnership.name} plan", start_year=2019,
                       end_year=2019)  # fmt: skip
    indicator = IndicatorFactory(plan=plan, measure_code=CODE, unit=unit, title="First entrants")
    for quarter, (state, figure) in figures.items():
        period = period_open(plan=plan, year=2019, quarter=quarter, deadline=date(2099, 1, 1))
        IndicatorValue.objects.create(
            indicator=indicator, period=period, value=Decimal(figure), state=state,
            entered_at=timezone.now(),
        )  # fmt: skip
    return indicator


@pytest.fixture
def world(seeded, seg_member):
    """Swale and a neighbour measure NI 111 this year; Medway's seed plans carry it too."""
    swale = Partnership.objects.get(name=SWALE)
    neighbour = Partnership.objects.create(name="Neighbour CSP", area="Neighbourhood")
    own = measured(swale, {1: ("submitted", 30), 2: ("submitted", 40), 3: ("draft", 99)})
    measured(neighbour, {1: ("submitted", 50), 2: ("awaiting", 70)})
    Population.objects.create(partnership=swale, year=2019, residents=150_000)
    return {"swale": swale, "neighbour": neighbour, "own": own}


def page(client, user, code=CODE):
    client.force_login(user)
    return client.get(reverse("indicators:benchmark", args=[code]))


def test_members_see_their_own_highlighted_and_others_unnamed_unless_they_share(
    client, world, seg_member
):
    response = page(client, seg_member)
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert set(rows) == {SWALE, "Another partnership"}  # Medway and the neighbour, unnamed
    html = response.content.decode()
    assert "Neighbour CSP" not in html and MEDWAY not in html
    assert html.count("Another partnership") >= 2
    assert 'Yours</strong> <a class="govuk-link" href="' + world["own"].get_absolute_url() in html
    world["neighbour"].share_benchmarks = True
    world["neighbour"].save()
    html = page(client, seg_member).content.decode()
    assert "Neighbour CSP" in html and MEDWAY not in html


def test_the_latest_counted_figure_and_its_rate_per_1000(client, world, seg_member):
    rows = {r.partnership_id: r for r in page(client, seg_member).context["rows"]}
    own = rows[world["swale"].pk]
    # Q3's draft does not count; Q2's submitted figure is the latest.
    assert (own.value, own.quarter, own.rate) == (Decimal(40), "2019/20 Q2", Decimal("0.27"))
    other = rows[world["neighbour"].pk]
    # The neighbour's Q2 awaits sign-off: Q1 is its latest counted figure; no population.
    assert (other.value, other.quarter, other.rate) == (Decimal(50), "2019/20 Q1", None)
    medway = rows[Partnership.objects.get(name=MEDWAY).pk]
    assert medway.value is None and medway.figure == "No figure yet"
    html = page(client, seg_member).content.decode()
    assert "0.27" in html and "2019/20 Q2" in html and "No figure yet" in html


def test_the_chart_names_the_bars_and_says_which_is_yours(client, world, seg_member):
    html = page(client, seg_member).content.decode()
    assert '<svg class="app-rag-chart"' in html and "Chart: latest figure" in html
    assert f"Yours: {SWALE}: 40" in html  # the chart's description, read out
    Population.objects.create(partnership=world["neighbour"], year=2019, residents=100_000)
    Population.objects.create(
        partnership=Partnership.objects.get(name=MEDWAY), year=2019, residents=1
    )  # (Medway has no figure: rates are charted once every figure has one)
    assert "Chart: rate per 1,000 residents" in page(client, seg_member).content.decode()


@pytest.mark.parametrize(
    "who, expected",
    [("swale seg", 200), ("medway admin", 200), ("other admin", 404), ("nobody", 404),
     ("superuser", 200)],
)  # fmt: skip
def test_who_sees_a_benchmark(client, world, seg_member, who, expected):
    other = Partnership.objects.create(name="Unmeasured CSP", area="Elsewhere")
    users = {
        "swale seg": lambda: seg_member,
        "medway admin": lambda: member("medway-admin", MEDWAY, Membership.Role.ADMIN),
        "other admin": lambda: member("other-admin", other.name, Membership.Role.ADMIN),
        "nobody": lambda: UserFactory(username="nobody"),
        "superuser": lambda: UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    response = page(client, users[who]())
    assert response.status_code == expected
    if who == "superuser":  # sees every partnership, so every name, and none is "own"
        html = response.content.decode()
        assert "Neighbour CSP" in html and "Another partnership" not in html
        assert not any(row.own for row in response.context["rows"])
        assert "Yours</strong>" not in html


def test_an_unknown_code_is_404_and_anonymous_visitors_sign_in(client, world, seg_member):
    assert page(client, seg_member, "NI 999").status_code == 404
    client.logout()
    response = client.get(reverse("indicators:benchmark", args=[CODE]))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_the_indicator_page_links_to_its_benchmark(client, world, seg_member):
    client.force_login(seg_member)
    html = client.get(world["own"].get_absolute_url()).content.decode()
    assert f'href="{reverse("indicators:benchmark", args=[CODE])}"' in html
    assert "Compare with other partnerships (NI 111)" in html
    plain = Indicator.objects.filter(plan__partnership=world["swale"], measure_code="").first()
    assert (
        "Compare with other partnerships"
        not in client.get(plain.get_absolute_url()).content.decode()
    )


def test_admins_choose_whether_their_partnership_is_named_and_it_is_audited(
    client, world, swale_admin, seg_member
):
    url = reverse("indicators:benchmark_sharing", args=[world["swale"].pk])
    client.force_login(swale_admin)
    assert "shown as “Another partnership”" in client.get(url).content.decode()
    html = client.post(url, {}).content.decode()
    assert "There is a problem" in html and "Choose whether to name this partnership" in html
    response = client.post(url, {"share": "yes"})
    assert response.status_code == 302
    assert Partnership.objects.get(pk=world["swale"].pk).share_benchmarks
    entry = LogEntry.objects.get_for_object(world["swale"]).filter(actor=swale_admin).first()
    assert entry.changes_dict["share_benchmarks"] == ["False", "True"]
    client.force_login(seg_member)
    assert client.post(url, {"share": "no"}).status_code == 403
    assert Partnership.objects.get(pk=world["swale"].pk).share_benchmarks


@pytest.mark.parametrize("others", [1, 12])
def test_benchmark_page_query_budget_at_two_sizes(
    client, world, seg_member, django_assert_max_num_queries, others
):
    for n in range(others):
        partnership = Partnership.objects.create(name=f"Other {n}", area=f"Area {n}")
        measured(partnership, {1: ("submitted", n), 2: ("submitted", n + 1)})
        Population.objects.create(partnership=partnership, year=2019, residents=1000 + n)
    client.force_login(seg_member)
    url = reverse("indicators:benchmark", args=[CODE])
    with django_assert_max_num_queries(9):  # session, user, memberships (3), then 6
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["rows"]) == 3 + others


def test_seed_plans_carry_the_national_code(seeded):
    codes = set(Indicator.objects.filter(ref="NI111").values_list("measure_code", flat=True))
    assert codes == {CODE}
    assert Plan.objects.filter(indicators__measure_code=CODE).count() == 2


def test_the_data_migration_gives_national_refs_their_code(seeded):
    """Databases loaded before measure codes: refs such as "NI111" or "NI 45" get "NI 111"."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("indicators.migrations.0012_national_measure_codes")
    Indicator.objects.update(measure_code="")
    plan = Plan.objects.get(title="Swale Community Safety Plan 2019/20")
    IndicatorFactory(plan=plan, ref="NI 045")
    IndicatorFactory(plan=plan, ref="NIGHT1")  # not a national code
    migration.national_codes(apps, None)
    assert dict(Indicator.objects.exclude(measure_code="").values_list("ref", "measure_code")) == {
        "NI111": CODE, "NI 045": "NI 45",
    }  # fmt: skip
