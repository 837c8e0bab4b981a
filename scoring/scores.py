"""One score per question type: the scale's own arithmetic behind one interface. Pure.

NPS (scoring/nps.py), CSAT (csat.py) and CES (ces.py) each say `kind`, `value` (the headline:
an NPS, a CSAT percentage, a CES mean), `margin_of_error` in that unit, `enough` and `uncertain`
(their own small-sample rules), `bands` (good, middle, bad) and `as_dict`. The API and exports
give every field of every kind, null where it is not the group's scale, so that a client reads
the same keys whatever a team asks.
"""

from surveys.scales import CES, CSAT, NPS, scale_for

from .ces import CesScore
from .csat import CsatScore
from .nps import Score

AnyScore = Score | CsatScore | CesScore

_KINDS: dict[str, type[Score] | type[CsatScore] | type[CesScore]] = {
    NPS.key: Score,
    CSAT.key: CsatScore,
    CES.key: CesScore,
}


def score_of(question_type: str, histogram, withheld: bool = False) -> AnyScore:
    """The score of a histogram (counts per score of the type's scale, lowest first)."""
    return _KINDS[question_type].from_histogram(histogram, withheld=withheld)


def empty_histogram(question_type: str) -> tuple[int, ...]:
    return (0,) * len(scale_for(question_type).scores)


def histogram(question_type: str, scores) -> list[int]:
    """How many of `scores` gave each score of the type's scale, lowest first."""
    scale = scale_for(question_type)
    counts = [0] * len(scale.scores)
    for score in scores:
        counts[score - scale.low] += 1
    return counts


_ALL_FIELDS = {key: None for kind in (Score(), CsatScore(), CesScore()) for key in kind.as_dict()}


def api_fields(score: AnyScore) -> dict:
    """Every kind's fields (null where not this score's), the kind's own filled in, and which
    question type and scale they are on."""
    scale = scale_for(score.question_type)
    return {
        **_ALL_FIELDS,
        **score.as_dict(),
        "question_type": score.question_type,
        "scale": {"low": scale.low, "high": scale.high},
    }
