"""Derived fields kept right on every write, including ``loaddata`` (which bypasses ``save()``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from indicators.models import Indicator
from indicators.targets import fill_structured_target
from plans.refs import NaturallyOrdered
from plans.timescales import fill_parsed_dates


@receiver(pre_save)
def derive_fields(sender, instance, **kwargs) -> None:
    if isinstance(instance, NaturallyOrdered):
        instance.fill_sort_key()
    fill_parsed_dates(instance)
    if isinstance(instance, Indicator):
        fill_structured_target(instance)


@receiver(post_save, sender="plans.Membership")
@receiver(post_delete, sender="plans.Membership")
def mirror_role_into_groups(sender, instance, raw: bool = False, **kwargs) -> None:
    from plans.roles import sync_user_groups

    if raw:
        return  # loaddata: the fixture holds the users' groups as they were

    sync_user_groups(instance.user)


@receiver(post_save, sender="plans.Membership")
@receiver(pre_delete, sender="plans.Membership")
def end_stale_delegations(sender, instance, **kwargs) -> None:
    """Delegations last while the user is an officer of the partnership, whatever path
    changed or removed the membership (the service, the admin site, a script)."""
    from plans.services import delegations_end

    if kwargs.get("signal") is pre_delete or instance.role != instance.Role.OFFICER:
        delegations_end(membership=instance)
