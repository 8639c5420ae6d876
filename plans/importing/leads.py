"""Who leads: a lead that looks like a person or a role ("Chief Inspector Smith") is kept as
the lead officer, not created as an agency; a lead officer is a user of the partnership where
the workbook names one (by e-mail address or full name), else the name or role as written."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from plans.importing.checks import Checker, Parsed
from plans.importing.names import looks_like_person


def set_lead(check: Checker, parsed: Parsed, obj, row: dict, sheet: str) -> None:
    """``obj.lead_agency`` from the Lead agency cell, or, for a person's name or role, its
    lead officer (unless the row names one), with a warning."""
    name = row["lead_agency"] or ""
    if is_person(check, name):
        if not (obj.lead_officer_id or obj.lead_officer_as_written):
            obj.lead_officer_as_written = name
        check.warn(sheet, row["_row"], "Lead agency", "person_lead", name=name,
                   where="lead officer", column="Lead agency")  # fmt: skip
        return
    check.set_agency(parsed, obj, "lead_agency", row, sheet)


def set_indicator_agency(check: Checker, parsed: Parsed, indicator, row: dict) -> None:
    """The reporting agency, or, for a person's name or role, who is responsible."""
    name = row["agency"] or ""
    if is_person(check, name):
        indicator.responsible = indicator.responsible or name
        check.warn("Indicators", row["_row"], "Agency", "person_lead", name=name,
                   where="responsible officer", column="Agency")  # fmt: skip
        return
    check.set_agency(parsed, indicator, "agency", row, "Indicators")


def is_person(check: Checker, name: str) -> bool:
    """An unknown name that reads as a person or a role, not a misspelt agency."""
    if not name or name.casefold() in check.agencies:
        return False
    return looks_like_person(name, like_an_agency=check.agency_guess(name) is not None)


def set_lead_officer(check: Checker, obj, text: str | None) -> None:
    """The lead officer named: a user of the partnership, or the name or role as written."""
    text = (text or "").strip()
    if not text:
        return
    user = officers(check).get(text.casefold())
    if user is not None:
        obj.lead_officer = user
    else:
        obj.lead_officer_as_written = text


def officers(check: Checker) -> dict:
    """The partnership's users by e-mail address and by full name (a name two users share is
    left out: it says no one in particular). Read once per import."""
    if check.officers is None:
        users = (
            list(get_user_model().objects.filter(memberships__partnership=check.partnership))
            if check.partnership
            else []
        )
        by_email = {u.email.casefold(): u for u in users if u.email}
        names: dict[str, list] = {}
        for user in users:
            if user.get_full_name():
                names.setdefault(user.get_full_name().casefold(), []).append(user)
        check.officers = by_email | {n: us[0] for n, us in names.items() if len(us) == 1}
    return check.officers
