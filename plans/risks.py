"""Reading a risk register: the band a likelihood × impact score falls in, and a risk's
controls as the separate measures they are."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RiskBand:
    """A band of the 5 × 5 risk matrix: its name in words and the colour it is shown in
    (a GOV.UK tag; the word is always shown with it, never the colour alone)."""

    key: str
    label: str
    lowest: int
    highest: int
    tag_class: str


# The usual 5 × 5 matrix bands (the seed registers score but do not band: Swale's scores
# run from 4 to 12). A score is a product of two 1–5 ratings, so nothing falls in 17–19.
RISK_BANDS = (
    RiskBand("low", "Low", 1, 4, "govuk-tag--green"),
    RiskBand("medium", "Medium", 5, 9, "govuk-tag--yellow"),
    RiskBand("high", "High", 10, 16, "govuk-tag--orange"),
    RiskBand("very_high", "Very high", 17, 25, "govuk-tag--red"),
)


def risk_band(score: int | None) -> RiskBand | None:
    if not score:
        return None
    return next((band for band in RISK_BANDS if band.lowest <= score <= band.highest), None)


BULLET = re.compile(r"^\s*(?:[•▪◦*·–-]|\d+[.)])\s+")
# A sentence ends at ".", ";" or "!" followed by a capital: "…quarterly basis. Impacts to…"
SENTENCE_END = re.compile(r"(?<=[.;!])\s+(?=[A-Z])")


def split_controls(text: str) -> list[str]:
    """A risk's controls, one measure an item: the register's own lines (bullets dropped);
    a single paragraph is split into its sentences, which the registers use as items."""
    lines = [BULLET.sub("", line).strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        lines = [part.strip() for part in SENTENCE_END.split(lines[0]) if part.strip()]
    return lines
