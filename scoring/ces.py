"""Customer effort (CES) arithmetic: 1–7 answers (7 = very easy), their mean and the share of
5–7. Pure: no Django, no database.

The mean's 95% margin is a t-interval on the sample standard deviation: t(0.975, n − 1) · s / √n.
The share of the easy band (surveys/scales.py: 5–7) has its adjusted-Wald margin in percentage
points, as CSAT's. Small samples: nothing below 10 answers, since a mean of a handful of answers
on a short, lopsided scale (most say 6 or 7) has a standard deviation that is itself mostly
chance, and the t-interval then claims more than it knows; "uncertain" below 30.
"""

import math
from dataclasses import dataclass
from functools import cached_property

from surveys.scales import CES, DIFFICULT, EASY, NEUTRAL_EFFORT

from .proportion import share, share_margin

MIN_RESPONSES = 10
CONFIDENT_RESPONSES = 30
EMPTY = (0,) * len(CES.scores)

# Two-sided 95% quantiles of Student's t for 1–30 degrees of freedom (any statistics table).
_T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t_975(df: int) -> float:
    """t(0.975, df); past 30 the Cornish–Fisher expansion around z, within 0.001 of the table."""
    if df <= len(_T_975):
        return _T_975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def mean(histogram) -> float | None:
    n = sum(histogram)
    if n == 0:
        return None
    return sum(score * count for score, count in zip(CES.scores, histogram, strict=True)) / n


def mean_margin(histogram) -> float | None:
    """95% margin of the mean of a 1–7 histogram (t-interval, sample standard deviation)."""
    n = sum(histogram)
    if n < 2:
        return None
    average = mean(histogram) or 0.0
    squares = sum(
        count * (score - average) ** 2 for score, count in zip(CES.scores, histogram, strict=True)
    )
    sd = math.sqrt(squares / (n - 1))
    return t_975(n - 1) * sd / math.sqrt(n)


@dataclass(frozen=True)
class CesScore:
    """The answers of one group on the 1–7 scale, as counts per score."""

    histogram: tuple[int, ...] = EMPTY
    withheld: bool = False

    kind = "ces"
    question_type = CES.key
    min_responses = MIN_RESPONSES

    def _band(self, band) -> int:
        return sum(self.histogram[band.low - CES.low : band.high - CES.low + 1])

    @cached_property
    def responses(self) -> int:
        return sum(self.histogram)

    @cached_property
    def enough(self) -> bool:
        return not self.withheld and self.responses >= MIN_RESPONSES

    @cached_property
    def uncertain(self) -> bool:
        return self.enough and self.responses < CONFIDENT_RESPONSES

    @cached_property
    def mean(self) -> float | None:
        return round(mean(self.histogram) or 0.0, 1) if self.enough else None

    @cached_property
    def margin_of_error(self) -> float | None:
        """Of the mean, on the 1–7 scale."""
        return round(self.noise(), 1) if self.enough else None

    @cached_property
    def easy(self) -> int:
        return self._band(EASY)

    @cached_property
    def neutral(self) -> int:
        return self._band(NEUTRAL_EFFORT)

    @cached_property
    def difficult(self) -> int:
        return self._band(DIFFICULT)

    @cached_property
    def easy_share(self) -> int | None:
        return share(self.easy, self.responses) if self.enough else None

    @cached_property
    def easy_share_margin(self) -> float | None:
        if not self.enough:
            return None
        return round(share_margin(self.easy, self.responses) or 0.0, 1)

    @property
    def value(self) -> float | None:
        return self.mean

    @property
    def bands(self) -> tuple[int, int, int]:
        return self.easy, self.neutral, self.difficult

    def noise(self) -> float:
        return mean_margin(self.histogram) or 0.0

    @classmethod
    def from_histogram(cls, histogram, withheld: bool = False) -> "CesScore":
        """From the count of each score 1–7, lowest first."""
        return cls(withheld=True) if withheld else cls(tuple(histogram))

    def as_dict(self) -> dict:
        def count(value: int) -> int | None:
            return None if self.withheld else value

        return {
            "ces": self.mean,
            "responses": count(self.responses),
            "easy": count(self.easy),
            "neutral": count(self.neutral),
            "difficult": count(self.difficult),
            "margin_of_error": self.margin_of_error,
            "easy_share": self.easy_share,
            "easy_share_margin_of_error": self.easy_share_margin,
            "withheld": self.withheld,
        }
