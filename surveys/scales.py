"""The answer scales of the questions: which scores each takes and the bands they fall in.

The one home of the ranges (0–10, 1–5, 1–7) and of the bands' thresholds. The arithmetic
(scoring/nps.py, csat.py, ces.py), the database filters and counts (scoring/categories.py), the
templates (through the charts and forms built from these), the demo data and follow-ups all read
them here, so changing a threshold is one edit. It lives with the question in `surveys`, the
lowest app that asks, and is plain Python: scoring's maths imports it and stays free of Django.

Each question type (surveys/questions.py) has its scale, keyed by the type's stored value:
"nps" asks 0–10 for a Net Promoter Score, "service" 1–5 for customer satisfaction (CSAT, the
share answering 4 or 5), "effort" 1–7 for customer effort (CES, the mean and the share answering
5–7). Every answer records the type it was given on (Response.question_type), so a team whose
type changes starts a new series and no figure ever adds a 9 out of 10 to a 4 out of 5.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """A named band of scores, both ends included. `name` is what the API, the CSV export and
    the comment filter say ("promoter", "satisfied")."""

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
    """Whole scores from `low` to `high`; `categories` cover them without overlap, best first
    (always three: the good, the middle and the bad band)."""

    low: int
    high: int
    categories: tuple[Category, ...]
    # The question type this scale answers (Team.question_type, Response.question_type).
    key: str = "nps"
    # An answer at or below this opens a follow-up case. NPS: the default of the team's own
    # threshold (followups' TeamRules.detractor_threshold, on 0–10); the other scales: always.
    follow_up_at: int = 6

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

    @property
    def best(self) -> Category:
        return self.categories[0]

    @property
    def worst(self) -> Category:
        return self.categories[-1]


PROMOTER = Category("promoter", 9, 10)
PASSIVE = Category("passive", 7, 8)
DETRACTOR = Category("detractor", 0, 6)
# Recommendation (Net Promoter Score), and every answer given before ITPulse knew other scales.
NPS = Scale(0, 10, (PROMOTER, PASSIVE, DETRACTOR), key="nps", follow_up_at=6)

SATISFIED = Category("satisfied", 4, 5)
NEUTRAL = Category("neutral", 3, 3)
DISSATISFIED = Category("dissatisfied", 1, 2)
# Satisfaction (CSAT): "service" is the stored value the type always had.
CSAT = Scale(1, 5, (SATISFIED, NEUTRAL, DISSATISFIED), key="service", follow_up_at=2)

EASY = Category("easy", 5, 7)
NEUTRAL_EFFORT = Category("neutral", 4, 4)
DIFFICULT = Category("difficult", 1, 3)
# Customer effort (CES): 7 = it was very easy.
CES = Scale(1, 7, (EASY, NEUTRAL_EFFORT, DIFFICULT), key="effort", follow_up_at=3)

SCALES: dict[str, Scale] = {scale.key: scale for scale in (NPS, CSAT, CES)}
ALL_CATEGORY_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(band.name for scale in SCALES.values() for band in scale.categories)
)


def scale_for(question_type: str) -> Scale:
    """The scale of a question type; an unknown type is a programming error."""
    return SCALES[question_type]
