"""Net Promoter Score arithmetic. Pure functions: no Django, no database.

NPS = % promoters − % detractors, an integer from −100 to +100; which scores are promoters and
detractors is the scale's (surveys/scales.py).
The margin of error is the 95% adjusted-Wald interval half-width, which behaves well for the
small samples a single team sees in a month (the plain Wald interval collapses to 0 at n=5
when everybody agrees).
"""

import math
from dataclasses import dataclass
from functools import cached_property

from surveys.scales import DETRACTOR, NPS, PASSIVE, PROMOTER

MIN_RESPONSES = 5  # below this a score says more about chance than about the team
CONFIDENT_RESPONSES = 30  # below this the score is shown, marked as uncertain
Z_95 = 1.96


def category(score: int) -> str:
    return NPS.category(score).name


def histogram(scores) -> list[int]:
    """How many of `scores` gave each score of the scale, lowest first."""
    counts = [0] * len(NPS.scores)
    for score in scores:
        counts[score - NPS.low] += 1
    return counts


def _round_half_away(x: float) -> int:
    return math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1)


def nps(promoters: int, passives: int, detractors: int) -> int | None:
    n = promoters + passives + detractors
    if n == 0:
        return None
    return _round_half_away(100 * (promoters - detractors) / n)


def margin_of_error(promoters: int, passives: int, detractors: int) -> float | None:
    """95% margin of error of the NPS, in NPS points (adjusted Wald)."""
    n = promoters + passives + detractors
    return None if n == 0 else _margin(promoters, detractors, n)


def _margin(promoters: int, detractors: int, n: int) -> float:
    """margin_of_error of n > 0 responses."""
    n_adj = n + 3
    p = (promoters + 0.75) / n_adj
    d = (detractors + 0.75) / n_adj
    variance = p + d - (p - d) ** 2
    return Z_95 * 100 * math.sqrt(variance / n_adj)


@dataclass(frozen=True)
class Score:
    """The counts of one group of responses and everything honest that can be said about them.

    Frozen, so the derived figures are cached (a dashboard template asks for them many times).
    The other scales' scores (scoring/csat.py, ces.py) answer the same questions: `kind`,
    `value`, `margin_of_error`, `enough`, `uncertain`, `bands`, `as_dict`.
    """

    kind = "nps"
    question_type = NPS.key
    min_responses = MIN_RESPONSES

    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    # Too few distinct people behind it to show (an anonymous team's small group): the counts
    # are not given at all, not even to the API, since they would tell the score.
    withheld: bool = False

    @cached_property
    def responses(self) -> int:
        return self.promoters + self.passives + self.detractors

    @cached_property
    def enough(self) -> bool:
        return not self.withheld and self.responses >= MIN_RESPONSES

    @cached_property
    def uncertain(self) -> bool:
        return self.enough and self.responses < CONFIDENT_RESPONSES

    @cached_property
    def nps(self) -> int | None:
        return nps(self.promoters, self.passives, self.detractors) if self.enough else None

    @cached_property
    def margin_of_error(self) -> float | None:
        if not self.enough:
            return None
        return round(_margin(self.promoters, self.detractors, self.responses), 1)

    @property
    def value(self) -> int | None:
        """The headline figure, whatever the scale: here the NPS."""
        return self.nps

    @property
    def bands(self) -> tuple[int, int, int]:
        """The good, middle and bad band's counts."""
        return self.promoters, self.passives, self.detractors

    def noise(self) -> float:
        """The unrounded margin, for judging a change (call only when `enough`)."""
        return _margin(self.promoters, self.detractors, self.responses)

    @classmethod
    def from_histogram(cls, histogram, withheld: bool = False) -> "Score":
        """From the count of each score of the scale, lowest first."""
        if withheld:
            return cls(withheld=True)

        def total(band) -> int:
            return sum(histogram[band.low - NPS.low : band.high - NPS.low + 1])

        return cls(total(PROMOTER), total(PASSIVE), total(DETRACTOR))

    def as_dict(self) -> dict:
        def count(value: int) -> int | None:
            return None if self.withheld else value

        return {
            "nps": self.nps,
            "responses": count(self.responses),
            "promoters": count(self.promoters),
            "passives": count(self.passives),
            "detractors": count(self.detractors),
            "margin_of_error": self.margin_of_error,
            "withheld": self.withheld,
        }


def response_rate(answered: int, sent: int) -> float | None:
    return None if sent == 0 else answered / sent


@dataclass(frozen=True)
class Change:
    """A score against an earlier one. `real` only when the difference is larger than the noise.

    `points` in the headline's unit: NPS or percentage points, or a CES mean's difference."""

    points: float
    real: bool
    kind: str = "nps"


def change(current, previous) -> Change | None:
    """The difference of two scores of one scale, judged against the 95% margin of the
    difference; None when either has too few answers or they are on different scales (a type
    change starts a new series: nothing is compared across it).

    Independent samples: the margin of a difference is the root of the summed squared margins.
    """
    if current.value is None or previous.value is None or current.kind != previous.kind:
        return None
    noise = math.hypot(current.noise(), previous.noise())
    points = current.value - previous.value
    if current.kind == "ces":
        points = round(points, 1)
    return Change(points, abs(points) > noise, current.kind)
