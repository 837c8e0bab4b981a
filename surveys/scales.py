"""The answer scale of a question: which scores it takes and the categories they fall in.

The one home of the 0–10 range and of the promoter / passive / detractor thresholds. The
arithmetic (scoring/nps.py), the database filters and counts (scoring/categories.py), the
templates (through the charts and forms built from these), the demo data and follow-ups all
read them here, so changing a threshold is one edit. It lives with the question in `surveys`,
the lowest app that asks, and is plain Python: scoring's maths imports it and stays free of
Django. A question type with another scale (CSAT, effort) would be another `Scale`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """A named band of scores, both ends included. `name` is what the API, the CSV export and
    the comment filter say ("promoter")."""

    name: str
    low: int
    high: int

    @property
    def scores(self) -> range:
        return range(self.low, self.high + 1)

    def __contains__(self, score: int) -> bool:
        return self.low <= score <= self.high


@dataclass(frozen=True)
class Scale:
    """Whole scores from `low` to `high`; `categories` cover them without overlap, best first."""

    low: int
    high: int
    categories: tuple[Category, ...]

    @property
    def scores(self) -> range:
        return range(self.low, self.high + 1)

    def category(self, score: int) -> Category:
        for band in self.categories:
            if score in band:
                return band
        raise ValueError(f"score must be {self.low}..{self.high}, not {score}")

    def by_name(self, name: str) -> Category | None:
        return next((band for band in self.categories if band.name == name), None)


PROMOTER = Category("promoter", 9, 10)
PASSIVE = Category("passive", 7, 8)
DETRACTOR = Category("detractor", 0, 6)
# Recommendation (Net Promoter Score): every team's answers are counted on it today.
NPS = Scale(0, 10, (PROMOTER, PASSIVE, DETRACTOR))
