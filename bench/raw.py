"""The simplest correct queries over the raw tables, for the numbers the rollups give.

Each computes what the view shows (counts per category and score, sent and answered, the
trend, the agents) straight from surveys_response and surveys_invitation, with the indexes
the foundation has, so the ratio is rollups against a fair, plain implementation.
"""

import secrets
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from scoring.selectors import Period, months_before, period_bounds, team_tally
from scoring.selectors import trend as rolled
from surveys.api_tokens import api_token_create
from surveys.models import Invitation, Response

HISTOGRAM = {f"s{score}": Count("id", filter=Q(score=score)) for score in range(11)}


def api_token() -> str:
    return api_token_create(name=f"bench-{secrets.token_hex(4)}")[1]


def _window(field: str, period: Period) -> Q:
    start, end = period_bounds(period.since, period.until)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _scores(responses, periods: list[Period], by=()) -> list[dict]:
    sums = {
        f"p{i}_{name}": Count("id", filter=_window("created_at", period) & Q(score__in=scores))
        for i, period in enumerate(periods)
        for name, scores in (("p", (9, 10)), ("pa", (7, 8)), ("d", range(7)))
    }
    start, _end = period_bounds(min(p.since for p in periods), None)
    return list(responses.filter(created_at__gte=start).values(*by).annotate(**sums).order_by())


def _rates(invitations, periods: list[Period], by=()) -> list[dict]:
    sums = {}
    for i, period in enumerate(periods):
        window = _window("sent_at", period)
        sums[f"p{i}_sent"] = Count("id", filter=window)
        sums[f"p{i}_answered"] = Count("id", filter=window & Q(response__isnull=False))
    start, _end = period_bounds(min(p.since for p in periods), None)
    return list(invitations.filter(sent_at__gte=start).values(*by).annotate(**sums).order_by())


def _trend(responses, since: date, until: date, trunc, by=()) -> list[dict]:
    start, end = period_bounds(since, until)
    zone = timezone.get_current_timezone()
    return list(
        responses.filter(created_at__gte=start, created_at__lt=end)
        .values(*by, period=trunc("created_at", tzinfo=zone))
        .annotate(**HISTOGRAM)
        .order_by()
    )


def overview(today: date):
    periods = []
    for days in (30, 90):
        period = Period.last(days, today)
        periods += [period, period.previous()]
    return (
        _scores(Response.objects.all(), periods, by=("team_id",)),
        _rates(Invitation.objects.all(), periods, by=("team_id",)),
        _trend(Response.objects.all(), months_before(today, 11), today, TruncMonth, ("team_id",)),
    )


def team_page(team, today: date, days: int = 90):
    period = Period.last(days, today)
    responses = Response.objects.filter(team=team)
    start, end = period_bounds(period.since, period.until)
    return (
        _trend(responses, period.since, period.until, TruncWeek),  # also gives the histogram
        _scores(responses, [period, period.previous()]),
        _rates(Invitation.objects.filter(team=team), [period, period.previous()]),
        list(
            responses.filter(created_at__gte=start, created_at__lt=end, agent__isnull=False)
            .values("agent_id")
            .annotate(**HISTOGRAM)
            .order_by()
        ),
    )


def trend(team, today: date):
    since = Period.last(731, today).since
    return _trend(Response.objects.filter(team=team), since, today, TruncWeek)


def same_numbers(team, today: date) -> bool:
    """The rollups and the raw rows agree on the team page's period and on the trend."""
    period = Period.last(90, today)
    weeks = _trend(Response.objects.filter(team=team), period.since, period.until, TruncWeek)
    raw_histogram = tuple(sum(row[f"s{s}"] for row in weeks) for s in range(11))
    raw_weeks = {row["period"].date(): tuple(row[f"s{s}"] for s in range(11)) for row in weeks}
    rolled_weeks = {
        start: tally.histogram
        for start, tally in rolled(team, period.since, period.until, "week")
        if tally.score.responses
    }
    return raw_histogram == team_tally(team, period.since, period.until).histogram and (
        raw_weeks == rolled_weeks
    )
