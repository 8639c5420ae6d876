"""Hostile and broken files: anything that is not a plain .xlsx is refused by content, zip
bombs before openpyxl parses them, and property-based tests (hypothesis) throw broken
workbooks at the importer: nothing but ImportRefused may escape, and nothing is written
unless the whole workbook is valid."""

from __future__ import annotations

import datetime as dt
import os
import struct
import zipfile
from io import BytesIO

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from plans.importing import LIMITS, ImportRefused, plan_import, read_and_validate, reader
from plans.models import Partnership, Plan
from plans.workbook import SHEETS
from tests.plans.import_workbooks import counts, valid_rows, xlsx

pytestmark = pytest.mark.django_db

NOT_XLSX = (
    "This is not an Excel workbook (.xlsx), whatever its name: open it in Excel and save it as "
    '"Excel Workbook (.xlsx)".'
)


@pytest.fixture
def swale(seeded) -> Partnership:
    return Partnership.objects.get(name__startswith="Swale")


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail the test if openpyxl is asked to parse the file."""

    def refuse_to_parse(*args, **kwargs):
        raise AssertionError("openpyxl was given a file that should have been refused first")

    monkeypatch.setattr(reader, "load_workbook", refuse_to_parse)


def only_problem(content: bytes, partnership) -> str:
    with pytest.raises(ImportRefused) as caught:
        read_and_validate(content, partnership=partnership)
    [problem] = caught.value.problems
    return str(problem)


def a_zip(members: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORKBOOK_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


# --- Not an .xlsx, whatever the name --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty. Choose the filled-in workbook (.xlsx)."),
        (b"Ref,Title\n1,Tackle ASB\n", NOT_XLSX),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", NOT_XLSX),
        (b"PK\x03\x04 but not really a zip", NOT_XLSX),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
         "This is an Excel 97–2003 workbook (.xls) or a password-protected file. Remove any "
         'password, then open it in Excel and save it as "Excel Workbook (.xlsx)".'),
        (a_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
         "This is a Word document, not an Excel workbook (.xlsx)."),
        (a_zip({"notes.txt": b"hello"}), NOT_XLSX),
        (a_zip({**WORKBOOK_PARTS, "xl/vbaProject.bin": b"macro"}),
         "This is a macro-enabled workbook (.xlsm). Macros are not accepted: open it in Excel "
         'and save it as "Excel Workbook (.xlsx)".'),
    ],
    ids=["empty", "csv", "pdf", "fake-zip", "xls", "docx", "other-zip", "xlsm"],
)  # fmt: skip
def test_files_that_are_not_xlsx_are_refused_by_content(swale, no_openpyxl, content, message):
    assert only_problem(content, swale) == message


def test_a_file_over_the_size_limit_is_refused_unread(swale, no_openpyxl):
    content = b"PK" + os.urandom(LIMITS["max_bytes"])

    assert only_problem(content, swale).startswith("The file is 10.0 MB; the limit is 10 MB.")


def test_a_valid_workbook_under_another_name_is_still_read(swale):
    """Only the content counts: the import never sees a file name."""
    assert read_and_validate(xlsx(valid_rows()), partnership=swale).counts["actions"] == 3


# --- Zip bombs: refused before openpyxl -----------------------------------------------------


def test_a_zip_that_unpacks_huge_is_refused_before_parsing(swale, no_openpyxl):
    huge = LIMITS["max_unpacked_bytes"] + 1024 * 1024
    content = a_zip({**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": b" " * huge})

    assert len(content) < 200 * 1024
    assert only_problem(content, swale) == (
        "The workbook unpacks to 101 MB, more than the 100 MB allowed. Remove content that is "
        "not part of the plan."
    )


def test_a_member_compressed_like_a_bomb_is_refused_before_parsing(swale, no_openpyxl):
    content = a_zip({**WORKBOOK_PARTS, "xl/sharedStrings.xml": b"A" * (8 * 1024 * 1024)})

    assert "xl/sharedStrings.xml is compressed" in only_problem(content, swale)


def test_a_zip_needing_an_unknown_zip_version_is_refused_not_a_500(swale):
    """Found by the damaged-bytes fuzzing: zipfile raises NotImplementedError ("zip file
    version 7.8") for an entry it cannot read, which escaped as a server error."""
    content = bytearray(xlsx(valid_rows()))
    directory = content.index(b"PK\x01\x02")  # the first entry's central directory header
    struct.pack_into("<H", content, directory + 6, 78)  # version needed to extract: 7.8

    problem = only_problem(bytes(content), swale)

    assert "could not be read as an Excel workbook" in problem or "not an Excel" in problem


def test_a_zip_that_lies_about_its_sizes_is_refused_cleanly(swale):
    """The directory claims 1 KB; the data inflates to 8 MB. zipfile stops at the claimed size
    and the checksum fails: a clear refusal, not a crash and not 8 MB in memory."""
    content = xlsx(valid_rows())
    sheet = "xl/worksheets/sheet1.xml"
    xml = zipfile.ZipFile(BytesIO(content)).read(sheet)
    bomb = a_zip({sheet: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 8 * 1024 * 1024)})
    merged = _replace_member(content, sheet, bomb, claimed=1024)

    problem = only_problem(merged, swale)

    assert problem.startswith("The file could not be read as an Excel workbook")


def _replace_member(content: bytes, name: str, source_zip: bytes, *, claimed: int) -> bytes:
    """``content`` with member ``name`` taken from ``source_zip``, its sizes forged."""
    original = zipfile.ZipFile(BytesIO(content))
    source = zipfile.ZipFile(BytesIO(source_zip))
    info = source.getinfo(name)
    raw = source_zip[info.header_offset :]
    name_len, extra_len = struct.unpack("<HH", raw[26:30])
    compressed = raw[30 + name_len + extra_len : 30 + name_len + extra_len + info.compress_size]
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in original.infolist():
            if member.filename != name:
                target.writestr(member, original.read(member.filename))
        forged = zipfile.ZipInfo(name)
        forged.compress_type = zipfile.ZIP_DEFLATED
        forged.CRC = info.CRC
        forged.file_size = claimed
        forged.compress_size = len(compressed)
        target.fp.seek(target.start_dir)
        forged.header_offset = target.start_dir
        target.fp.write(forged.FileHeader(False))
        target.fp.write(compressed)
        target.start_dir = target.fp.tell()
        target.filelist.append(forged)
        target.NameToInfo[name] = forged
        target._didModify = True
    return buffer.getvalue()


def test_xml_entity_expansion_is_refused_by_defusedxml(swale):
    """A "billion laughs" in a sheet: openpyxl parses through defusedxml, which forbids
    entities, so the file is refused instead of eating the server's memory."""
    assert openpyxl.DEFUSEDXML is True
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    content = xlsx(valid_rows())
    sheet = "xl/worksheets/sheet1.xml"
    original = zipfile.ZipFile(BytesIO(content))
    xml = original.read(sheet)
    poisoned = laughs + xml[xml.index(b"<worksheet") :].replace(b"Test workbook", b"&lol3;")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            data = poisoned if info.filename == sheet else original.read(info.filename)
            target.writestr(info.filename, data)

    assert only_problem(buffer.getvalue(), swale) == (
        "The workbook holds XML that Excel never writes (entity or DTD declarations), so it "
        'is refused as unsafe: open it in Excel and save it as "Excel Workbook (.xlsx)" again.'
    )


def test_too_many_sheets_are_refused_before_parsing(swale, no_openpyxl):
    members = {f"xl/worksheets/sheet{n}.xml": b"<worksheet/>" for n in range(21)}
    content = a_zip({**WORKBOOK_PARTS, **members})

    assert only_problem(content, swale) == (
        "The workbook has 21 sheets; at most 20 are allowed. Delete the sheets that are not "
        "part of the template."
    )


def test_too_many_rows_and_columns_and_huge_cells_are_refused(swale, monkeypatch):
    monkeypatch.setitem(LIMITS, "max_rows", 50)
    monkeypatch.setitem(LIMITS, "max_cell_chars", 30000)  # openpyxl writes at most 32,767
    rows = valid_rows()
    rows["Milestones"] = [
        {"Priority ref": "1", "Action ref": "1.1", "Milestone": f"Step {n}"} for n in range(60)
    ]
    rows["Actions"][0]["Desired outcome"] = "long " * 7000
    content = xlsx(rows)
    book = openpyxl.load_workbook(BytesIO(content))
    book["Risks"].cell(2, LIMITS["max_columns"] + 1, "far away")
    buffer = BytesIO()
    book.save(buffer)

    with pytest.raises(ImportRefused) as caught:
        read_and_validate(buffer.getvalue(), partnership=swale)

    assert [str(p) for p in caught.value.problems] == [
        "Actions row 2, Desired outcome: the text is 32,767 characters long; a cell may hold "
        "at most 30,000. Shorten it.",
        "Milestones row 51: the sheet has more than 50 rows, which is more than a plan needs. "
        "Delete unused rows.",
        "Risks row 2: there is something beyond column 40: delete the columns after the "
        "template's.",
    ]


# --- Property-based: broken workbooks -------------------------------------------------------

SHEET_NAMES = list(SHEETS)
REFS = st.sampled_from(["1", "2", "1.1", "1.2", "a", "R1", "ASB1", "", " 1 "])
AGENCIES = st.sampled_from(
    ["Kent Police", "Kent Polce", "KFRS", "kent police", "Swale Borough Council; SBC", "Nobody"]
)
TEXT = st.text(max_size=40).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))
VALUES = st.one_of(
    st.none(),
    TEXT,
    REFS,
    AGENCIES,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["Yes", "no", "Quarterly", "Higher is better", "2020/21", "31/02/2020",
                     "By June 20", "Ongoing", "#REF!", "=1+1", "EXAMPLE – delete this row",
                     "x" * 40000, "🚓 Café ‘quotes’"]),
)  # fmt: skip


@st.composite
def broken_workbooks(draw) -> bytes:
    rows = valid_rows()
    headers = {name: [column.header for column in SHEETS[name]] for name in SHEET_NAMES}
    # Harmless changes (shuffled or shouted headings, empty rows, merges down a column) are
    # drawn as often as breaking ones, so that both outcomes are exercised.
    kinds = ["drop", "rename", "cell", "row"] + ["shuffle", "case"] * 2
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(SHEET_NAMES))
        change = draw(st.sampled_from(kinds))
        if name not in rows:
            continue
        if change == "drop":
            del rows[name]
        elif change == "shuffle":
            headers[name] = draw(st.permutations(headers[name]))
        elif change == "rename":
            index = draw(st.integers(0, len(headers[name]) - 1))
            old, new = headers[name][index], draw(TEXT)
            headers[name][index] = new
            for row in rows[name]:
                row[new] = row.pop(old, None)
        elif change == "case":
            headers[name] = [h.upper() for h in headers[name]]
            rows[name] = [{k.upper(): v for k, v in row.items()} for row in rows[name]]
        elif change == "cell" and rows[name]:
            row = draw(st.sampled_from(rows[name]))
            row[draw(st.sampled_from(headers[name]))] = draw(VALUES)
        elif change == "row":
            rows[name].append({header: draw(VALUES) for header in headers[name]})
    book = openpyxl.load_workbook(BytesIO(xlsx(rows, headers=headers)))
    for sheet in book.worksheets:
        if draw(st.booleans()) and sheet.max_row > 1:
            sheet.insert_rows(draw(st.integers(2, sheet.max_row)), draw(st.integers(1, 3)))
        if draw(st.booleans()):
            top = draw(st.integers(1, 6))
            left = draw(st.integers(1, 5))
            across = draw(st.sampled_from([0, 0, 0, 1, 2]))  # mostly down one column
            sheet.merge_cells(
                start_row=top,
                start_column=left,
                end_row=top + draw(st.integers(0, 3)),
                end_column=left + across,
            )
    if draw(st.booleans()):
        book.create_sheet(draw(st.sampled_from(["Notes", "actions", "Lists", "Sheet1"])))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_or_refuse(content: bytes, partnership) -> None:
    """Validate and import; only ImportRefused may escape, and then nothing is written."""
    with transaction.atomic():
        before = counts()
        plans = Plan.objects.count()
        try:
            preview = read_and_validate(content, partnership=partnership)
            assert counts() == before  # the preview writes nothing
            plan_import(
                content=content,
                partnership=partnership,
                user=None,
                create_agencies=set(preview.new_agencies),
                replace_draft=True,
            )
        except ImportRefused as refused:
            assert refused.problems
            assert all(str(problem) for problem in refused.problems)
            assert counts() == before
        else:
            assert Plan.objects.count() in (plans, plans + 1)  # a draft replaced, or a new plan
        transaction.set_rollback(True)


HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)  # fmt: skip


@HYPOTHESIS
@given(content=broken_workbooks())
def test_broken_workbooks_are_refused_or_imported_whole(swale, content):
    import_or_refuse(content, swale)


@settings(HYPOTHESIS, max_examples=15)
@given(cut=st.integers(min_value=0), flips=st.lists(st.integers(min_value=0), max_size=8))
def test_damaged_bytes_are_refused_cleanly(swale, cut, flips):
    content = bytearray(xlsx(valid_rows()))
    content = content[: len(content) - cut % 64] if cut % 3 == 0 else content
    for position in flips:
        content[position % len(content)] ^= 0x5A
    import_or_refuse(bytes(content), swale)


@settings(HYPOTHESIS, max_examples=15)
@given(
    sheets=st.dictionaries(
        st.sampled_from(SHEET_NAMES + ["Other"]),
        st.lists(st.lists(VALUES, max_size=8), max_size=5),
        max_size=8,
    )
)
def test_random_sheets_and_cells_are_refused_cleanly(swale, sheets):
    book = openpyxl.Workbook()
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    import_or_refuse(buffer.getvalue(), swale)
