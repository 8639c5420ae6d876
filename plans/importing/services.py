"""The importer's two entry points: ``read_and_validate`` (check a workbook and preview what
it would create; writes nothing) and ``plan_import`` (create its plan as a draft, in one
transaction)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError

from plans.importing.links import duplicate_problem, existing_plan, predecessors
from plans.importing.preview import ImportPreview, build_preview
from plans.importing.problems import MESSAGES, ImportRefused, Problem, grouped
from plans.importing.progress_sheets import progress_save
from plans.importing.validation import parse
from plans.importing.writer import save
from plans.models import Partnership, Plan


def read_and_validate(content: bytes, *, partnership: Partnership) -> ImportPreview:
    """Check ``content`` (the uploaded file's bytes) and say what importing it would create.

    Raises ``ImportRefused`` with every problem found. Writes nothing. Unknown agencies are not
    an error here: they are listed in ``new_agencies`` (with a warning each) for the admin to
    tick.
    """
    parsed = parse(content, partnership=partnership)
    existing = existing_plan(partnership, parsed.plan.title)
    links = predecessors(parsed, partnership, exclude=existing)
    return build_preview(parsed, existing, links)


@transaction.atomic
def plan_import(
    *,
    content: bytes,
    partnership: Partnership,
    user=None,
    create_agencies: set[str] | frozenset[str] = frozenset(),
    replace_draft: bool = False,
) -> Plan:
    """Create the workbook's plan, as a draft of ``partnership``, in one transaction.

    Validates again; refuses (``ImportRefused``) if an unknown agency is not in
    ``create_agencies`` (matched without case), or if the partnership already has a plan with
    this title (unless it is a draft and ``replace_draft``: then the draft is deleted and
    replaced). Indicators are linked to the same measure of the partnership's previous plan.
    ``user`` is who imports it (the audit trail's actor comes from the request).
    """
    parsed = parse(content, partnership=partnership)
    ticked = {name.casefold() for name in create_agencies}
    problems = [
        problem
        for name, uses in parsed.unknown_agencies.items()
        if name.casefold() not in ticked
        for problem in uses
    ]
    existing = existing_plan(partnership, parsed.plan.title)
    if existing is not None and (existing.status != Plan.Status.DRAFT or not replace_draft):
        problems.insert(0, duplicate_problem(existing))
    if problems:
        raise ImportRefused(grouped(problems))
    if existing is not None:
        try:
            existing.delete()
        except ProtectedError as error:
            count = len(error.protected_objects)
            message = MESSAGES["protected"].format(title=existing.title, count=count)
            raise ImportRefused([Problem("Plan", None, None, message)]) from error
    links = predecessors(parsed, partnership, exclude=None)
    plan = save(parsed, links=links)
    progress_save(parsed, plan=plan, user=user)
    return plan
