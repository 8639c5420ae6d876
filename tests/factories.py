"""factory_boy factories for the CSP Tracker models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from indicators.models import Indicator
from plans.models import Agency, Partnership, Plan, Risk
from priorities.models import Action, Milestone, Objective, Priority


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "correct-horse-battery")
        if create:
            user.save(update_fields=["password"])


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    area = "Somewhere"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Plan {n}")
    kind = Plan.Kind.ACTION_PLAN
    start_year = 2024
    end_year = 2024
    status = Plan.Status.ACTIVE


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    ref = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Priority {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    priority = factory.SubFactory(PriorityFactory)
    ref = factory.Sequence(lambda n: str(n + 1))
    title = "An objective"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    ref = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Action {n}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "A milestone"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(PlanFactory)
    ref = factory.Sequence(lambda n: f"I{n + 1}")
    title = factory.Sequence(lambda n: f"Indicator {n}")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    plan = factory.SubFactory(PlanFactory)
    ref = factory.Sequence(lambda n: str(n + 1))
    risk = "A risk"
