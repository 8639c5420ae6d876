"""Reading targets as plans write them: "85%", "Below 28% CAADA benchmark", "5% reduction",
"10 per year", "Increase by 2% from 2013/14 baseline of 6.2% i.e. 8.2%".

The text is always kept as written (``Indicator.target``). ``parse_target`` derives a
structure the software can compare figures with; ``fill_structured_target`` stores it on the
indicator beside the text (on every save, see ``plans.signals``) and only reads the text
again when it has changed, so an admin's correction of the structure is kept. A target with
no usable figure ("TBC", "Complete research which identifies…") is a milestone: its RAG is
set by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from indicators.models import TargetComparator, TargetUnit

MILESTONE = TargetComparator.MILESTONE.value
AT_LEAST = TargetComparator.AT_LEAST.value
AT_MOST = TargetComparator.AT_MOST.value
EQUAL = TargetComparator.EQUAL.value
REDUCE_BY = TargetComparator.REDUCE_BY.value
INCREASE_BY = TargetComparator.INCREASE_BY.value
PERCENT = TargetUnit.PERCENT.value
COUNT = TargetUnit.COUNT.value
POINTS = TargetUnit.POINTS.value

# The structure fields on Indicator that ``fill_structured_target`` writes.
STRUCTURE_FIELDS = [
    "target_comparator",
    "target_value",
    "target_unit",
    "target_per",
    "target_baseline",
    "target_baseline_period",
    "target_parsed_from",
]

# What the model's DecimalFields (max_digits=14, decimal_places=3) can hold.
LARGEST_STORABLE = Decimal("99999999999.999")
THREE_PLACES = Decimal("0.001")


@dataclass(frozen=True)
class ParsedTarget:
    comparator: str  # TargetComparator value; "milestone" when not measurable
    value: Decimal | None
    unit: str  # TargetUnit value or ""
    per: str = ""  # "year" for "10 per year"
    baseline: Decimal | None = None
    baseline_period: str = ""

    @property
    def is_measurable(self) -> bool:
        return self.comparator != MILESTONE and self.value is not None


NOT_MEASURABLE = ParsedTarget(comparator=MILESTONE, value=None, unit="")

# --- Patterns ----------------------------------------------------------------------------------

# A figure, with thousands separators or decimals: "275", "1,200", "6.2", ".5".
NUMBER = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\w])"
UNIT = r"(?:\s*(?P<unit>%|per\s?cent\b|percentage\s+points?\b|pp\b|points?\b))?"
FIGURE = re.compile(rf"(?P<number>{NUMBER}){UNIT}")

WORD_NUMBERS = {
    word: str(number)
    for number, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven"]
        + ["eight", "nine", "ten", "eleven", "twelve"]
    )
}
WORD_NUMBER = re.compile(rf"\b({'|'.join(WORD_NUMBERS)})\b")

# A financial year, "2013/14", "2013-14" or "2013/2014".
FINANCIAL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[/-]\s*(\d{2}|(?:19|20)\d{2})(?!\d)")
# Words that make a financial year the baseline's period ("against 2013/14 out-turn"), not a
# deadline ("by 2015/16").
BASELINE_BEFORE = re.compile(
    r"(?:\bfrom|\bagainst|\bsince|\bon|\bvs\.?|\bversus|\bcompared (?:to|with)"
    r"|\bbaseline(?: of| in| for)?)\s*$"
)
BASELINE_AFTER = re.compile(r"^\s*(?:baseline|out-?turn|figures?|levels?|position)\b")

# A calendar year written as a date ("early 2015", "by 2020"), not a figure.
TIME_WORDS = (
    r"in|by|early|late|mid|from|since|until|till|end of|during|before|after|spring|summer"
    r"|autumn|winter|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
CALENDAR_YEAR = re.compile(rf"\b(?:{TIME_WORDS})[\s-]+((?:19|20)\d{{2}})\b(?![.,]\d)(?!\s*%)")
# Numbers that name things rather than measure them: "year 12", "key stage 2", "Q3".
LABEL_NUMBER = re.compile(
    r"\b(?:year|yr|key stage|ks|q|quarter|phase|tier|level|stage|section|priority|ni)\s*\d+\b"
)

AT_MOST_BEFORE = re.compile(
    r"(?:<=?|≤|\bbelow|\bunder|\bless than|\bfewer than|\blower than|\bno more than"
    r"|\bnot more than|\bnot to exceed|\bnot exceed(?:ing)?|\bmaximum(?: of)?|\bmax\.?"
    r"|\bat most|\bup to|\bwithin)\s*$"
)
AT_LEAST_BEFORE = re.compile(
    r"(?:>=?|≥|\babove|\bover|\bmore than|\bgreater than|\bhigher than|\bat least"
    r"|\bno fewer than|\bno less than|\bnot less than|\bminimum(?: of)?|\bmin\.?"
    r"|\bexceed(?:ing)?)\s*$"
)
EQUAL_BEFORE = re.compile(r"(?:=|\bequal to|\bequals|\bexactly)\s*$")
AT_MOST_AFTER = re.compile(r"^\s*(?:or (?:less|below|lower|fewer|under)|maximum|max\b)")
AT_LEAST_AFTER = re.compile(r"^\s*(?:or (?:more|above|higher|greater|over)|minimum|min\b|\+)")

REDUCTION_WORDS = re.compile(r"\b(?:reduc|decreas|fall|drop|cut\b|lower\b|fewer\b)")
INCREASE_WORDS = re.compile(r"\b(?:increas|rise|raise|grow|improv|uplift)")

# "i.e. 8.2%": the explicit result of a change beats the change itself.
EXPLICIT_RESULT = re.compile(
    r"(?:\bi\.?\s?e\.?,?|\bthat is|\bequivalent to|\bwhich is)\s*" + FIGURE.pattern
)
FROM_TO = re.compile(
    rf"\bfrom\s+(?P<start>{NUMBER})(?P<start_unit>\s*%)?\s*(?:to|-|–)\s+" + FIGURE.pattern
)
BASELINE_FIGURE = re.compile(r"\bbaseline\s*(?:of|is|was|at|:)?\s*" + FIGURE.pattern)
# "(< 275 young people)": an explicit threshold in brackets beside a change.
BRACKETED_THRESHOLD = re.compile(
    r"\(\s*(?P<sign><=?|≤|>=?|≥|below|under|less than|fewer than|no more than|above|over"
    r"|more than|at least|at most)\s*" + FIGURE.pattern
)
AT_MOST_SIGN = re.compile(r"<|≤|below|under|less|fewer|no more|at most")
# "Reduce to 50", "Increase to 45%": the figure to reach, not the size of the change.
CHANGE_TO = re.compile(r"\bto\s*$")
PER = re.compile(r"\b(?:per|a|an|each|every)\s+(year|annum|quarter|month|week)\b")
PER_WORDS = re.compile(r"\b(annually|yearly|per annum|p\.a\.)")

NOT_MEASURABLE_TEXTS = {"", "tbc", "tbd", "tba", "n/a", "na", "none", "-", "to be confirmed"}


# --- Parsing ------------------------------------------------------------------------------------


def parse_target(text: str, *, direction: str = "", measure: str = "") -> ParsedTarget:
    """The structure of a target as written.

    ``parse_target`` reads the text alone. A bare figure ("85%", "340") says nothing about
    which way is better: it is read as "at least", or "at most" when ``direction`` (the
    indicator's desired direction, "up"/"down") is "down". A bare percentage on a count
    (``measure`` "count") is a relative change: "5%" on "Number of repeat victims", lower is
    better, is "reduce by 5%".
    """
    cleaned = normalise(text)
    if cleaned in NOT_MEASURABLE_TEXTS:
        return NOT_MEASURABLE
    cleaned, baseline_period = take_financial_years(cleaned)
    cleaned = CALENDAR_YEAR.sub(lambda m: m.group(0).replace(m.group(1), "#"), cleaned)
    cleaned = LABEL_NUMBER.sub("#", cleaned)
    per = read_per(cleaned)
    baseline = None
    if match := BASELINE_FIGURE.search(cleaned):
        baseline = to_decimal(match.group("number"))

    # An explicit result ("… i.e. 8.2%") or a from–to ("from 33% to 45%") gives the figure
    # to reach; the change words only say which side of it is good.
    if (match := EXPLICIT_RESULT.search(cleaned)) or (match := FROM_TO.search(cleaned)):
        value = to_decimal(match.group("number"))
        if "start" in match.groupdict():
            baseline = to_decimal(match.group("start"))
        falls = value < baseline if baseline is not None else REDUCTION_WORDS.search(cleaned)
        comparator = AT_MOST if falls else AT_LEAST
        return ParsedTarget(
            comparator, value, unit_of(match.group("unit")), per, baseline, baseline_period
        )

    # "5% (< 275 young people)": the bracketed figure is the threshold itself, in the
    # measure's own unit, and can be checked without a baseline; the 5% is only how it was
    # worked out. So the bracket wins over the percentage change beside it.
    if match := BRACKETED_THRESHOLD.search(cleaned):
        sign = match.group("sign")
        comparator = AT_MOST if AT_MOST_SIGN.match(sign) else AT_LEAST
        return ParsedTarget(
            comparator,
            to_decimal(match.group("number")),
            unit_of(match.group("unit")),
            per,
            baseline,
            baseline_period,
        )

    match = first_figure(cleaned)
    if match is None:
        return NOT_MEASURABLE
    value = to_decimal(match.group("number"))
    unit = unit_of(match.group("unit"))
    before, after = cleaned[: match.start()], cleaned[match.end() :]
    comparator = comparator_around(cleaned, before, after, unit, direction, measure)
    return ParsedTarget(comparator, value, unit, per, baseline, baseline_period)


def comparator_around(
    cleaned: str, before: str, after: str, unit: str, direction: str, measure: str
) -> str:
    """Which way a lone figure points, from the words before and after it, then the change
    words anywhere in the text, then the indicator's own direction."""
    if AT_MOST_BEFORE.search(before) or AT_MOST_AFTER.search(after):
        return AT_MOST
    if AT_LEAST_BEFORE.search(before) or AT_LEAST_AFTER.search(after):
        return AT_LEAST
    if EQUAL_BEFORE.search(before):
        return EQUAL
    if REDUCTION_WORDS.search(cleaned):
        return AT_MOST if CHANGE_TO.search(before) else REDUCE_BY
    if INCREASE_WORDS.search(cleaned):
        return AT_LEAST if CHANGE_TO.search(before) else INCREASE_BY
    if unit == PERCENT and measure == "count" and direction in ("up", "down"):
        return REDUCE_BY if direction == "down" else INCREASE_BY
    return AT_MOST if direction == "down" else AT_LEAST


def normalise(text: str) -> str:
    cleaned = " ".join((text or "").lower().split()).rstrip(" .;:")
    cleaned = cleaned.replace("\u2264", "<=").replace("\u2265", ">=")
    return WORD_NUMBER.sub(lambda m: WORD_NUMBERS[m.group(1)], cleaned)


def take_financial_years(text: str) -> tuple[str, str]:
    """The text with financial years blanked out (they are periods, not figures), and the
    first one that reads as the baseline's period, as "2013/14"."""
    period = ""
    for match in FINANCIAL_YEAR.finditer(text):
        first, second = match.group(1), match.group(2)
        if int(second[-2:]) != (int(first) + 1) % 100:
            continue  # "2013-2020" is a span, "1/2" a fraction: leave them
        before, after = text[: match.start()], text[match.end() :]
        if not period and (BASELINE_BEFORE.search(before) or BASELINE_AFTER.search(after)):
            period = f"{first}/{second[-2:]}"
    return FINANCIAL_YEAR.sub("#", text), period


def first_figure(text: str) -> re.Match[str] | None:
    return next(FIGURE.finditer(text), None)


def read_per(text: str) -> str:
    if match := PER.search(text):
        return "year" if match.group(1) == "annum" else match.group(1)
    return "year" if PER_WORDS.search(text) else ""


def unit_of(written: str | None) -> str:
    if not written:
        return COUNT
    written = written.strip()
    if written == "%" or written.startswith("per"):
        return POINTS if "point" in written else PERCENT
    return POINTS


def to_decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


# --- On the indicator ---------------------------------------------------------------------------


def fill_structured_target(indicator) -> None:
    """Store the parsed target on the indicator (not saved), if the text changed since it was
    last read or it was never read; a structure an admin corrected is otherwise kept.

    Works on historical models too (the data migration uses it): it only reads and sets
    fields.
    """
    text = indicator.target or ""
    if text == indicator.target_parsed_from and indicator.target_comparator:
        return
    parsed = storable(parse_target(text, direction=indicator.direction, measure=indicator.unit))
    indicator.target_comparator = parsed.comparator
    indicator.target_value = parsed.value
    indicator.target_unit = parsed.unit
    indicator.target_per = parsed.per
    indicator.target_baseline = parsed.baseline
    indicator.target_baseline_period = parsed.baseline_period
    indicator.target_parsed_from = text


def storable(parsed: ParsedTarget) -> ParsedTarget:
    """Figures rounded to what the model keeps; one too big to keep makes no usable target."""
    figures = [parsed.value, parsed.baseline]
    if any(f is not None and abs(f) > LARGEST_STORABLE for f in figures):
        return NOT_MEASURABLE
    return ParsedTarget(
        parsed.comparator,
        rounded(parsed.value),
        parsed.unit,
        parsed.per[:20],
        rounded(parsed.baseline),
        parsed.baseline_period[:50],
    )


def rounded(figure: Decimal | None) -> Decimal | None:
    if figure is None:
        return None
    try:
        return figure.quantize(THREE_PLACES)
    except InvalidOperation:
        return None


def structured_target(indicator) -> ParsedTarget:
    """The target as stored on the indicator; read from the text for a row whose structure
    was never filled (``bulk_create`` skips the signal that fills it)."""
    if not indicator.target_comparator:
        return parse_target(indicator.target, direction=indicator.direction, measure=indicator.unit)
    return ParsedTarget(
        comparator=indicator.target_comparator,
        value=indicator.target_value,
        unit=indicator.target_unit,
        per=indicator.target_per,
        baseline=indicator.target_baseline,
        baseline_period=indicator.target_baseline_period,
    )


SUMMARY_WORDS = {
    AT_LEAST: "At least",
    AT_MOST: "At most",
    EQUAL: "Equal to",
    REDUCE_BY: "Reduce by",
    INCREASE_BY: "Increase by",
}


def target_summary(indicator) -> str:
    """The target in the software's words: "At most 28%", "Reduce by 5%", "At least 10 per
    year", "Milestone: manual RAG"."""
    target = structured_target(indicator)
    if target.comparator not in SUMMARY_WORDS or target.value is None:
        return "Milestone: manual RAG"
    summary = f"{SUMMARY_WORDS[target.comparator]} {format_figure(target.value, target.unit)}"
    if target.per:
        summary += f" per {target.per}"
    if target.baseline is not None:
        baseline = format_figure(target.baseline, target.unit)
        period = f" in {target.baseline_period}" if target.baseline_period else ""
        summary += f" (baseline {baseline}{period})"
    elif target.baseline_period:
        summary += f" against {target.baseline_period}"
    return summary


def format_figure(figure: Decimal, unit: str) -> str:
    number = f"{figure.normalize():f}"
    if unit == PERCENT:
        return f"{number}%"
    if unit == POINTS:
        return f"{number} percentage point{'' if figure == 1 else 's'}"
    return number
