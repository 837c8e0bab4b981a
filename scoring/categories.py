"""The scale's categories as database filters and counts: the thresholds (surveys/scales.py)
reach the SQL as parameters, never written into a query."""

from django.db.models import Count, Q

from surveys.scales import DETRACTOR, NPS, PASSIVE, PROMOTER, Category


def in_category(band: Category) -> Q:
    """Responses whose score falls in `band`."""
    return Q(score__gte=band.low, score__lte=band.high)


def below_promoter() -> Q:
    """Detractors and passives: the answers whose reasons are asked and tagged."""
    return Q(score__gte=NPS.low, score__lt=PROMOTER.low)


def category_counts() -> dict[str, Count]:
    """Aggregates giving the keyword arguments of a scoring.nps.Score."""
    return {
        "promoters": Count("id", filter=in_category(PROMOTER)),
        "passives": Count("id", filter=in_category(PASSIVE)),
        "detractors": Count("id", filter=in_category(DETRACTOR)),
    }
