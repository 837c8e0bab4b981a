"""Customer satisfaction (CSAT) arithmetic: 1–5 answers, the share of 4s and 5s. Pure.

CSAT = % of answers in the scale's satisfied band (surveys/scales.py: 4–5), a whole number from 0
to 100, with its adjusted-Wald margin in percentage points (scoring/proportion.py).
Small samples: as the NPS, nothing below 5 answers and "uncertain" below 30; at 30 answers the
margin of a share near 80% is still about ±14 points.
"""

from dataclasses import dataclass
from functools import cached_property

from surveys.scales import CSAT, DISSATISFIED, NEUTRAL, SATISFIED

from .proportion import share, share_margin

MIN_RESPONSES = 5
CONFIDENT_RESPONSES = 30


@dataclass(frozen=True)
class CsatScore:
    satisfied: int = 0
    neutral: int = 0
    dissatisfied: int = 0
    withheld: bool = False

    kind = "csat"
    question_type = CSAT.key
    min_responses = MIN_RESPONSES

    @cached_property
    def responses(self) -> int:
        return self.satisfied + self.neutral + self.dissatisfied

    @cached_property
    def enough(self) -> bool:
        return not self.withheld and self.responses >= MIN_RESPONSES

    @cached_property
    def uncertain(self) -> bool:
        return self.enough and self.responses < CONFIDENT_RESPONSES

    @cached_property
    def csat(self) -> int | None:
        return share(self.satisfied, self.responses) if self.enough else None

    @cached_property
    def margin_of_error(self) -> float | None:
        if not self.enough:
            return None
        return round(self.noise(), 1)

    @property
    def value(self) -> int | None:
        return self.csat

    @property
    def bands(self) -> tuple[int, int, int]:
        return self.satisfied, self.neutral, self.dissatisfied

    def noise(self) -> float:
        return share_margin(self.satisfied, self.responses) or 0.0

    @classmethod
    def from_histogram(cls, histogram, withheld: bool = False) -> "CsatScore":
        """From the count of each score 1–5, lowest first."""
        if withheld:
            return cls(withheld=True)

        def total(band) -> int:
            return sum(histogram[band.low - CSAT.low : band.high - CSAT.low + 1])

        return cls(total(SATISFIED), total(NEUTRAL), total(DISSATISFIED))

    def as_dict(self) -> dict:
        def count(value: int) -> int | None:
            return None if self.withheld else value

        return {
            "csat": self.csat,
            "responses": count(self.responses),
            "satisfied": count(self.satisfied),
            "neutral": count(self.neutral),
            "dissatisfied": count(self.dissatisfied),
            "margin_of_error": self.margin_of_error,
            "withheld": self.withheld,
        }
