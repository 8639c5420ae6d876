"""Writing a valid workbook's plan: the agencies the admin ticked, then the plan and everything
in it, one bulk insert per table (the caller holds the transaction)."""

from __future__ import annotations

from django.db import models

from indicators.models import Indicator
from plans.importing.checks import Parsed
from plans.models import Agency, Plan, Risk
from plans.models_content import FundingLine, PreviousResult
from priorities.models import Action, KeyTheme, Milestone, Objective, Priority


def save(parsed: Parsed, *, links: dict) -> Plan:
    """Write the plan and everything in it: one insert per table (and the plan's own save,
    which the audit trail records)."""
    created = {
        name.casefold(): Agency.objects.create(name=name)
        for name in parsed.unknown_agencies  # all ticked, or the import was refused
    }
    for obj, attribute, name in parsed.pending_agencies:
        setattr(obj, attribute, created[name.casefold()])
    plan = parsed.plan
    plan.full_clean()
    plan.save()
    _insert(Priority, parsed.priorities)
    _insert(KeyTheme, [theme for themes in parsed.key_themes.values() for theme in themes])
    _insert(Objective, parsed.objectives)
    _insert(Action, parsed.actions)
    _link_agencies(Action.supporting_agencies, parsed.actions, parsed.supporting, created)
    _insert(Milestone, parsed.milestones)
    _link_agencies(
        Milestone.supporting_agencies, parsed.milestones, parsed.milestone_supporting, created
    )
    for indicator in parsed.indicators:
        indicator.predecessor = links.get(id(indicator))
    _insert(Indicator, parsed.indicators)
    _link_agencies(Indicator.reported_to, parsed.indicators, parsed.reported_to, created)
    _link_measures(parsed)
    _insert(Risk, parsed.risks)
    _insert(FundingLine, parsed.funding)
    _insert(PreviousResult, parsed.previous_results)
    plan.partnership.add_named_agencies()  # the agencies it names now sit on the partnership
    plan.partnership.agencies.add(  # ... milestones' supporters too
        *{a.pk if isinstance(a, Agency) else created[a.casefold()].pk
          for named in parsed.milestone_supporting.values() for a in named}
    )  # fmt: skip
    return plan


def _link_agencies(relation, objects: list, named: dict, created: dict) -> None:
    """Each object's supporting agencies (known, or created just now), one insert."""
    through = relation.through
    source = relation.field.m2m_field_name() + "_id"
    rows = []
    for obj in objects:
        pks = {
            (a if isinstance(a, Agency) else created[a.casefold()]).pk
            for a in named.get(id(obj), [])
        }
        rows += [through(**{source: obj.pk, "agency_id": pk}) for pk in sorted(pks)]
    through.objects.bulk_create(rows)


def _link_measures(parsed: Parsed) -> None:
    """The actions and objectives each indicator measures: one insert per link table."""
    to_actions, to_objectives = [], []
    actions = Indicator.measures_actions.through
    objectives = Indicator.measures_objectives.through
    for indicator in parsed.indicators:
        measured_actions, measured_objectives = parsed.measures.get(id(indicator), ([], []))
        to_actions += [actions(indicator_id=indicator.pk, action_id=a.pk) for a in measured_actions]
        to_objectives += [
            objectives(indicator_id=indicator.pk, objective_id=o.pk) for o in measured_objectives
        ]
    actions.objects.bulk_create(to_actions)
    objectives.objects.bulk_create(to_objectives)


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """bulk_create skips ``pre_save``: derive sort keys, due dates and parsed targets here,
    with the same receiver."""
    from plans.signals import derive_fields

    for obj in objects:
        derive_fields(sender=model, instance=obj)
    model.objects.bulk_create(objects, batch_size=500)
