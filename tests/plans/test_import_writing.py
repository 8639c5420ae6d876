"""What an import writes: a plan of the same title, predecessors, atomicity; the import_plan and
export_plan commands; a large workbook's speed. Workbooks come from ``import_workbooks``."""

from __future__ import annotations

import time

import openpyxl
import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import IntegrityError, connections

from indicators.models import Indicator
from plans.importing import ImportRefused, plan_import, read_and_validate, writer
from plans.models import Agency, Partnership, Plan, Risk
from priorities.models import Action, Milestone
from tests.plans.import_workbooks import (
    SWALE,
    TITLE,
    counts,
    valid_rows,
    with_change,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name=SWALE)


# --- Duplicates, predecessors, atomicity ----------------------------------------------------


def test_a_plan_with_the_same_title_is_refused_naming_it(swale):
    content = with_change("Plan", 0, "Title", "Swale Community Safety Plan 2019/20")

    preview = read_and_validate(content, partnership=swale)
    assert preview.existing_plan.title == "Swale Community Safety Plan 2019/20"
    assert preview.existing_is_draft is False
    with pytest.raises(ImportRefused) as caught:
        plan_import(content=content, partnership=swale, user=None, replace_draft=True)

    assert [str(p) for p in caught.value.problems] == [
        "Plan, Title: Swale Community Safety Partnership already has a plan 'Swale Community "
        "Safety Plan 2019/20' (2019/20). It is closed, so it cannot be replaced: change the "
        "title on the Plan sheet if this is a new plan."
    ]


def test_importing_twice_refuses_then_replaces_the_draft_when_confirmed(swale):
    content = xlsx(valid_rows())
    first = plan_import(content=content, partnership=swale, user=None)
    before = counts()

    with pytest.raises(ImportRefused) as caught:
        plan_import(content=content, partnership=swale, user=None)
    assert "Confirm that it should be replaced" in str(caught.value)
    assert counts() == before
    assert read_and_validate(content, partnership=swale).existing_is_draft is True

    second = plan_import(content=content, partnership=swale, user=None, replace_draft=True)

    assert second.pk != first.pk
    assert not Plan.objects.filter(pk=first.pk).exists()
    assert counts() == before


def test_indicators_are_linked_to_the_same_measure_in_the_previous_plan(swale):
    earlier = list(Indicator.objects.filter(plan__partnership=swale).order_by("sort_key"))
    same_title, same_code = earlier[0], earlier[1]
    rows = valid_rows()
    rows["Indicators"] = [
        {"Ref": "N1", "Indicator": same_title.title.upper(), "Frequency": "Quarterly"},
        {"Ref": same_code.ref, "Indicator": same_code.title + " (all)", "Frequency": "Annually"},
        {"Ref": earlier[2].ref, "Indicator": "Something else entirely", "Frequency": "Monthly"},
    ]
    content = xlsx(rows)

    preview = read_and_validate(content, partnership=swale)
    plan = plan_import(content=content, partnership=swale, user=None)

    plan_title = "Swale Community Safety Plan 2019/20"
    assert preview.predecessor_links == [
        (f"N1 {same_title.title.upper()}", f"{plan_title}: {same_title.ref} {same_title.title}"),
        (f"{same_code.ref} {same_code.title} (all)",
         f"{plan_title}: {same_code.ref} {same_code.title}"),
    ]  # fmt: skip
    linked = {i.ref: i.predecessor for i in plan.indicators.all()}
    assert linked == {"N1": same_title, same_code.ref: same_code, earlier[2].ref: None}


def test_a_failed_import_writes_nothing(swale, monkeypatch):
    before = counts()
    real_insert = writer._insert

    def failing_insert(model, objects):
        if model is Risk:
            raise IntegrityError("the disk is full")
        real_insert(model, objects)

    monkeypatch.setattr(writer, "_insert", failing_insert)
    with pytest.raises(IntegrityError):
        plan_import(
            content=with_change("Actions", 0, "Lead agency", "Brand new agency"),
            partnership=swale,
            user=None,
            create_agencies={"brand new agency"},
        )

    assert counts() == before


# --- Commands -------------------------------------------------------------------------------


def test_import_plan_command_imports_and_summarises(swale, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(valid_rows()))
    call_command("import_plan", str(path), partnership=SWALE, stdout=(text := _Text()))

    assert Plan.objects.get(title=TITLE).status == Plan.Status.DRAFT
    assert "as a draft of Swale Community Safety Partnership" in text.value
    assert "2 priorities, 1 objectives, 3 actions, 2 milestones, 1 indicators, 1 risks" in (
        text.value
    )


def test_import_plan_dry_run_writes_nothing(swale, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(with_change("Actions", 0, "Lead agency", "Brand new agency"))
    before = counts()

    call_command(
        "import_plan", str(path), partnership=SWALE, dry_run=True, create_agencies=True,
        stdout=(text := _Text()), stderr=_Text(),
    )  # fmt: skip

    assert counts() == before
    assert "it can be imported; nothing written" in text.value
    assert "New agencies: Brand new agency" in text.value


def test_import_plan_command_fails_with_every_problem_and_a_non_zero_exit(
    swale, tmp_path, capsys, monkeypatch
):
    # Run from the command line, a command closes the database connections on its way out;
    # here that connection holds the test's transaction (PostgreSQL would lose it).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    rows = valid_rows()
    rows["Actions"][0]["Lead agency"] = "Kent Polce"
    rows["Risks"][0]["Risk"] = None
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(rows))

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_plan", str(path), "--partnership", SWALE])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "plan.xlsx cannot be imported (1 problem):" in err
    assert "- Risks row 2, Risk: this cell is empty, but it is required: fill it in." in err
    assert not Plan.objects.filter(title=TITLE).exists()

    rows["Risks"][0]["Risk"] = "Data arrives late."
    path.write_bytes(xlsx(rows))
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), partnership=SWALE, stderr=_Text())
    assert "Actions row 2, Lead agency: 'Kent Polce' is not a known agency — did you mean " in (
        str(caught.value)
    )
    assert "Add --create-agencies" in str(caught.value)

    call_command(
        "import_plan", str(path), partnership=SWALE, create_agencies=True,
        stdout=_Text(), stderr=_Text(),
    )  # fmt: skip
    assert Agency.objects.filter(name="Kent Polce").exists()
    call_command(
        "import_plan", str(path), partnership=SWALE, replace_draft=True,
        stdout=_Text(), stderr=_Text(),
    )  # fmt: skip
    assert Plan.objects.filter(title=TITLE).count() == 1


def test_import_plan_command_refuses_unknown_partnerships_and_files(swale, tmp_path):
    with pytest.raises(CommandError, match="There is no partnership 'Nowhere CSP'"):
        call_command("import_plan", str(tmp_path / "x.xlsx"), partnership="Nowhere CSP")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_plan", str(tmp_path / "missing.xlsx"), partnership=SWALE)
    (tmp_path / "notes.xlsx").write_text("a,b,c\n1,2,3\n")
    with pytest.raises(CommandError, match="This is not an Excel workbook"):
        call_command("import_plan", str(tmp_path / "notes.xlsx"), partnership=SWALE)


def test_export_plan_command_by_id_or_title(seeded, tmp_path):
    plan = Plan.objects.get(title="Action Plan 2024-25")

    call_command("export_plan", str(plan.pk), str(tmp_path / "a.xlsx"), stdout=_Text())
    call_command("export_plan", plan.title, str(tmp_path / "b.xlsx"), stdout=(text := _Text()))

    assert (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"
    assert "Exported 'Action Plan 2024-25' (Medway Community Safety Partnership)" in text.value
    book = openpyxl.load_workbook(tmp_path / "b.xlsx", read_only=True)
    assert book["Plan"]["A2"].value == "Action Plan 2024-25"
    with pytest.raises(CommandError, match="There is no plan with the id or title 'Nope'"):
        call_command("export_plan", "Nope", str(tmp_path / "c.xlsx"))


class _Text:
    """A stdout/stderr stand-in that keeps what was written."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> None:
        self.value += text

    def flush(self) -> None:
        pass


# --- Performance ----------------------------------------------------------------------------


@pytest.mark.performance
def test_a_thousand_action_workbook_validates_and_imports_in_a_few_seconds(swale):
    rows = valid_rows()
    rows["Priorities"] = [{"Ref": str(p), "Title": f"Priority {p}", "Lead agency": "Kent Police"}
                          for p in range(1, 11)]  # fmt: skip
    rows["Objectives"] = [{"Priority ref": str(p), "Ref": "1", "Title": f"Objective of {p}"}
                          for p in range(1, 11)]  # fmt: skip
    rows["Actions"] = [
        {"Priority ref": str(p), "Objective ref": "1", "Ref": f"{p}.{a}",
         "Action": f"Action {a} of priority {p}: patrol, engage and report back.",
         "Lead agency": "KFRS", "Supporting agencies": "Kent Police; SBC",
         "Timescale": "By June 20"}
        for p in range(1, 11) for a in range(1, 101)
    ]  # fmt: skip
    rows["Milestones"] = [
        {"Priority ref": r["Priority ref"], "Action ref": r["Ref"], "Milestone": f"Step {m}",
         "Timescale": "Quarterly"}
        for r in rows["Actions"] for m in (1, 2)
    ]  # fmt: skip
    rows["Indicators"] = [{"Ref": f"I{i}", "Indicator": f"Measure {i}", "Target": "At least 50%",
                           "Frequency": "Quarterly"}
                          for i in range(100)]  # fmt: skip
    content = xlsx(rows)

    started = time.perf_counter()
    preview = read_and_validate(content, partnership=swale)
    validated = time.perf_counter() - started
    plan = plan_import(content=content, partnership=swale, user=None)
    total = time.perf_counter() - started

    print(f"\n1,000 actions: validated in {validated:.2f} s, validated + imported {total:.2f} s")
    assert preview.counts["actions"] == 1000
    assert Action.objects.filter(priority__plan=plan).count() == 1000
    assert Milestone.objects.filter(action__priority__plan=plan).count() == 2000
    assert total < 20
