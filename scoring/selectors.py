"""Reads that feed the dashboard and the API. Each returns plain values, never querysets."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from surveys.models import Invitation, Response, Team

from .nps import Score, response_rate


def period_bounds(
    since: date | None, until: date | None
) -> tuple[datetime | None, datetime | None]:
    """Inclusive calendar dates in the organisation's zone → [start, end) instants."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=zone) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone) if until else None
    return start, end


def _in_period(field: str, start: datetime | None, end: datetime | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lt": end})
    return q


_COUNTS = {
    "promoters": Count("id", filter=Q(score__gte=9)),
    "passives": Count("id", filter=Q(score__gte=7, score__lte=8)),
    "detractors": Count("id", filter=Q(score__lte=6)),
}


def team_score(team: Team, start: datetime | None = None, end: datetime | None = None) -> Score:
    counts = Response.objects.filter(_in_period("created_at", start, end), team=team).aggregate(
        **_COUNTS
    )
    return Score(**counts)


def scores_by_team(start: datetime, end: datetime) -> dict[int, Score]:
    rows = (
        Response.objects.filter(_in_period("created_at", start, end))
        .values("team_id")
        .annotate(**_COUNTS)
        .order_by()
    )
    return {
        row["team_id"]: Score(row["promoters"], row["passives"], row["detractors"]) for row in rows
    }


def rates_by_team(start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """(answered, sent) per team for invitations sent in the period."""
    rows = (
        Invitation.objects.filter(_in_period("sent_at", start, end))
        .values("team_id")
        .annotate(sent=Count("id"), answered=Count("id", filter=Q(response__isnull=False)))
        .order_by()
    )
    return {row["team_id"]: (row["answered"], row["sent"]) for row in rows}


@dataclass(frozen=True)
class TeamPeriod:
    score: Score
    answered: int
    sent: int

    @property
    def response_rate(self) -> float | None:
        return response_rate(self.answered, self.sent)


@dataclass(frozen=True)
class TeamRow:
    team: Team
    periods: list[TeamPeriod]


def overview(teams, periods_days: tuple[int, ...], now: datetime) -> list[TeamRow]:
    """Every given team in alphabetical order (never a ranking), one TeamPeriod per period."""
    per_period = []
    for days in periods_days:
        start = now - timedelta(days=days)
        per_period.append((scores_by_team(start, now), rates_by_team(start, now)))
    rows = []
    for team in sorted(teams, key=lambda t: t.name.casefold()):
        periods = []
        for scores, rates in per_period:
            answered, sent = rates.get(team.id, (0, 0))
            periods.append(TeamPeriod(scores.get(team.id, Score()), answered, sent))
        rows.append(TeamRow(team, periods))
    return rows
