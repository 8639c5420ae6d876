"""What an import would create (``ImportPreview``), for the admin to check before confirming:
the plan's fields, its priorities with their objectives, actions, milestones and indicators,
its risks, counts, warnings and the agencies to be created."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from plans.importing.checks import Parsed
from plans.importing.problems import Problem
from plans.importing.progress_sheets import progress_counts
from plans.models import Agency, Plan, Risk


@dataclass
class ImportPreview:
    """What an import would create, for the admin to check before confirming.

    ``plan_fields``: {"title", "kind", "kind_label", "start_year", "end_year", "period",
    "summary", "source", "parent_title"}.
    ``priorities``: one dict per priority, in workbook order: {"ref", "title", "lead",
    "is_cross_cutting", "summary", "key_themes": [str], "objectives": [{"ref", "title",
    "description"}], "actions": [{"ref", "title", "objective_ref", "desired_outcome", "lead",
    "lead_officer", "supporting": [str], "responsible", "timescale", "milestones": [{"text",
    "timescale"}]}],
    "indicators": [indicator dicts]}. Indicators that name no priority are in ``indicators``.
    Indicator dicts: {"ref", "title", "target", "baseline", "due", "agency", "frequency",
    "predecessor"}. ``risks``: [{"ref", "risk", "score_before", "score_after", "status"}].
    ``counts``: {"priorities", "objectives", "actions", "milestones", "indicators", "risks"},
    and "updates", "values", "quarters" when the workbook brings progress (``progress_sheets``).
    ``warnings``: problems that do not stop the import (unknown agencies, ignored columns).
    ``new_agencies``: agency names the workbook names that are not known (to be ticked).
    ``predecessor_links``: (new indicator "ref title", earlier "plan title: ref title").
    ``existing_plan``: a plan of the partnership with the same title, if any.
    """

    plan_fields: dict
    priorities: list
    risks: list
    counts: dict[str, int]
    warnings: list[Problem]
    new_agencies: list[str]
    predecessor_links: list[tuple[str, str]]
    existing_plan: Plan | None
    existing_is_draft: bool
    indicators: list = field(default_factory=list)


def build_preview(parsed: Parsed, existing: Plan | None, links: dict) -> ImportPreview:
    """The preview of ``parsed``; ``existing`` is the partnership's plan of the same title,
    ``links`` the indicators' predecessors (by id of the new indicator)."""
    tree = _priority_tree(parsed)
    loose, predecessor_links = _indicators(parsed, links, tree)
    counted = ("priorities", "objectives", "actions", "milestones", "indicators", "risks")
    return ImportPreview(
        plan_fields=_plan_fields(parsed),
        priorities=list(tree.values()),
        risks=[_risk(r) for r in parsed.risks],
        counts={name: len(getattr(parsed, name)) for name in counted} | progress_counts(parsed),
        warnings=parsed.warnings,
        new_agencies=list(parsed.unknown_agencies),
        predecessor_links=predecessor_links,
        existing_plan=existing,
        existing_is_draft=existing is not None and existing.status == Plan.Status.DRAFT,
        indicators=loose,
    )


def _plan_fields(parsed: Parsed) -> dict:
    plan = parsed.plan
    return {
        "title": plan.title,
        "kind": plan.kind,
        "kind_label": plan.get_kind_display(),
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "period": plan.period,
        "summary": plan.summary,
        "source": plan.source,
        "parent_title": parsed.parent_title,
    }


def _priority_tree(parsed: Parsed) -> dict[str, dict]:
    """Priority ref → the priority's dict, with its objectives and actions (indicators are
    added by ``_indicators``)."""
    tree = {
        p.ref: {
            "ref": p.ref,
            "title": p.title,
            "lead": _lead(parsed, p),
            "is_cross_cutting": p.is_cross_cutting,
            "summary": p.summary,
            "key_themes": [theme.text for theme in parsed.key_themes[p.ref]],
            "objectives": [],
            "actions": [],
            "indicators": [],
        }
        for p in parsed.priorities
    }
    for o in parsed.objectives:
        tree[o.priority.ref]["objectives"].append(
            {"ref": o.ref, "title": o.title, "description": o.description}
        )
    milestones = defaultdict(list)
    for m in parsed.milestones:
        milestones[id(m.action)].append({"text": m.text, "timescale": m.timescale})
    for a in parsed.actions:
        tree[a.priority.ref]["actions"].append(
            {
                "ref": a.ref,
                "title": a.title,
                "objective_ref": a.objective.ref if a.objective else "",
                "desired_outcome": a.desired_outcome,
                "lead": _lead(parsed, a),
                "lead_officer": a.lead_officer_display,
                "supporting": [_name(s) for s in parsed.supporting[id(a)]],
                "responsible": a.responsible,
                "timescale": a.timescale,
                "milestones": milestones[id(a)],
            }
        )
    return tree


def _indicators(
    parsed: Parsed, links: dict, tree: dict[str, dict]
) -> tuple[list[dict], list[tuple[str, str]]]:
    """Each indicator added under its priority in ``tree``; returns those that name no
    priority, and the (new, earlier) indicator pairs that will be linked."""
    loose, predecessor_links = [], []
    for i in parsed.indicators:
        old = links.get(id(i))
        label = f"{old.plan.title}: {old.ref} {old.title}" if old else ""
        if old:
            predecessor_links.append((f"{i.ref} {i.title}", label))
        item = {
            "ref": i.ref,
            "title": i.title,
            "target": i.target,
            "baseline": i.baseline,
            "due": i.due_as_written,
            "agency": _lead(parsed, i, "agency"),
            "frequency": i.get_frequency_display(),
            "predecessor": label,
        }
        (tree[i.priority.ref]["indicators"] if i.priority else loose).append(item)
    return loose, predecessor_links


def _risk(r: Risk) -> dict:
    return {
        "ref": r.ref,
        "risk": r.risk,
        "score_before": r.score_before,
        "score_after": r.score_after,
        "status": r.status,
    }


def _lead(parsed: Parsed, obj, attribute: str = "lead_agency") -> str:
    """The lead as the plan writes it, else the agency's name (known or to be created)."""
    written = getattr(obj, "lead_as_written", "") or getattr(obj, "agency_as_written", "")
    if written:
        return written
    agency = getattr(obj, attribute)
    if agency is not None:
        return agency.name
    pending = [name for o, a, name in parsed.pending_agencies if o is obj and a == attribute]
    return pending[0] if pending else ""


def _name(agency: Agency | str) -> str:
    return agency.name if isinstance(agency, Agency) else agency


def preview_to_json(preview: ImportPreview) -> dict:
    """The preview as stored on its ``PlanImport``, so that visiting the preview page again
    reads it back instead of parsing the workbook again."""
    data = {name: getattr(preview, name) for name in JSON_FIELDS}
    data["warnings"] = [vars(problem) for problem in preview.warnings]
    data["predecessor_links"] = [list(link) for link in preview.predecessor_links]
    data["existing_plan"] = preview.existing_plan.pk if preview.existing_plan else None
    return data


def preview_from_json(data: dict) -> ImportPreview:
    """The stored preview; the plan of the same title is looked up again (it may be gone)."""
    pk = data.get("existing_plan")
    existing = Plan.objects.filter(pk=pk).first() if pk else None
    return ImportPreview(
        **{name: data[name] for name in JSON_FIELDS},
        warnings=[Problem(**problem) for problem in data["warnings"]],
        predecessor_links=[tuple(link) for link in data["predecessor_links"]],
        existing_plan=existing,
        existing_is_draft=existing is not None and existing.status == Plan.Status.DRAFT,
    )


JSON_FIELDS = ("plan_fields", "priorities", "risks", "counts", "new_agencies", "indicators")
