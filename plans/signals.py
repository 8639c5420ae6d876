"""Derived fields kept right on every write, including ``loaddata`` (which bypasses ``save()``)."""

from __future__ import annotations

from django.db.models.signals import pre_save
from django.dispatch import receiver

from plans.refs import NaturallyOrdered
from plans.timescales import fill_parsed_dates


@receiver(pre_save)
def derive_fields(sender, instance, **kwargs) -> None:
    if isinstance(instance, NaturallyOrdered):
        instance.fill_sort_key()
    fill_parsed_dates(instance)
