"""The scales' bands as database filters and counts: the thresholds (surveys/scales.py) reach
the SQL as parameters, never written into a query. A band is always one scale's: a filter on
it names the question type too, so a 2 out of 5 is never taken for a 2 out of 10."""

from django.db.models import Count, Q, QuerySet

from surveys.scales import DETRACTOR, NPS, PASSIVE, PROMOTER, SCALES, Category

from .scores import AnyScore, empty_histogram, score_of


def in_category(band: Category, question_type: str | None = None) -> Q:
    """Responses whose score falls in `band` (of `question_type`'s scale, when given)."""
    q = Q(score__gte=band.low, score__lte=band.high)
    return q if question_type is None else q & Q(question_type=question_type)


def below_promoter() -> Q:
    """Below each scale's good band (detractors and passives, the dissatisfied and neutral,
    the difficult and neutral): the answers whose reasons are asked and tagged."""
    q = Q()
    for scale in SCALES.values():
        q |= Q(question_type=scale.key, score__gte=scale.low, score__lt=scale.best.low)
    return q


def in_worst_band() -> Q:
    """Each scale's bad band: detractors (0–6), dissatisfied (1–2), difficult (1–3)."""
    q = Q()
    for scale in SCALES.values():
        q |= in_category(scale.worst, scale.key)
    return q


def category_counts() -> dict[str, Count]:
    """Aggregates giving the keyword arguments of a scoring.nps.Score (NPS answers only)."""
    return {
        "promoters": Count("id", filter=in_category(PROMOTER, NPS.key)),
        "passives": Count("id", filter=in_category(PASSIVE, NPS.key)),
        "detractors": Count("id", filter=in_category(DETRACTOR, NPS.key)),
    }


def scores_by_type(responses: QuerySet) -> list[AnyScore]:
    """One score per question type the responses were given on, NPS first: an agent who
    worked for teams of different types, or whose team changed type, gets each series apart."""
    histograms: dict[str, list[int]] = {}
    rows = responses.order_by().values("question_type", "score").annotate(n=Count("id"))
    for row in rows:
        kind = row["question_type"]
        histogram = histograms.setdefault(kind, list(empty_histogram(kind)))
        histogram[row["score"] - SCALES[kind].low] += row["n"]
    return [score_of(kind, histograms[kind]) for kind in SCALES if kind in histograms]
