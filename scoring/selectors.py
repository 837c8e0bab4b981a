"""Reads that feed the dashboard and the API. Each returns plain values, never querysets.

Every count comes from the per-day rollups (scoring/models.py), so a read costs the number of
days and teams asked for, not the number of responses given. Days are the organisation's
calendar days.
"""

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from django.db.models import Case, Max, Min, Q, Sum, Value, When
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from surveys.models import Agent, Team
from surveys.privacy import answers_shown, group_shown
from surveys.questions import QuestionType

from . import people
from .models import ALL_COLUMNS, PREFIXES, SCORES, DailyScore, TeamDailyScore, columns
from .nps import Change, change, response_rate
from .scores import AnyScore, empty_histogram, score_of

# Every scale's columns are summed; a Tally keeps those of the series it shows.
HISTOGRAM_FIELDS = ALL_COLUMNS
EMPTY_HISTOGRAM = (0,) * len(SCORES)


def period_bounds(
    since: date | None, until: date | None
) -> tuple[datetime | None, datetime | None]:
    """Inclusive calendar dates in the current zone → [start, end) instants."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=zone) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone) if until else None
    return start, end


@dataclass(frozen=True)
class Period:
    """Calendar days from `since` to `until`, both included."""

    since: date
    until: date

    @classmethod
    def last(cls, days: int, today: date) -> "Period":
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.since - timedelta(days=self.days), self.since - timedelta(days=1))


@dataclass(frozen=True)
class Tally:
    """Counts of one group: responses per score of one scale (the series of `question_type`:
    0–10, 1–5 or 1–7) and invitations sent / answered."""

    histogram: tuple[int, ...] = EMPTY_HISTOGRAM
    sent: int = 0
    answered: int = 0
    # An anonymous team's group too small to show (see withheld_unless): no histogram.
    withheld: bool = False
    question_type: str = QuestionType.NPS

    @classmethod
    def empty(cls, question_type: str) -> "Tally":
        return cls(empty_histogram(question_type), question_type=question_type)

    @cached_property
    def score(self) -> AnyScore:
        return score_of(self.question_type, self.histogram, withheld=self.withheld)

    @property
    def response_rate(self) -> float | None:
        return response_rate(self.answered, self.sent)


def _days(since: date | None, until: date | None) -> Q:
    q = Q()
    if since is not None:
        q &= Q(day__gte=since)
    if until is not None:
        q &= Q(day__lte=until)
    return q


def _sums(prefix: str = "", when: Q | None = None, rates: bool = True) -> dict:
    fields = HISTOGRAM_FIELDS + (("sent", "answered") if rates else ())
    return {f"{prefix}{name}": Sum(name, filter=when, default=0) for name in fields}


def _tally(row: Mapping[str, Any], question_type: str = QuestionType.NPS) -> Tally:
    """The row's counts of one scale: answers on other scales are another series."""
    return Tally(
        tuple(row[name] for name in columns(question_type)),
        row.get("sent", 0),
        row.get("answered", 0),
        question_type=question_type,
    )


def withheld_unless(tally: Tally, people: int) -> Tally:
    """The tally as shown for a group of `people` distinct persons of an anonymous team: as it
    is when the group is large enough (surveys.privacy), else without its scores. Sent and
    answered stay: a response rate does not tell anybody's answer."""
    answers = sum(tally.histogram)
    if answers == 0 and (tally.answered == 0 or group_shown(people)):
        return tally
    if answers and answers_shown(people=people, answers=answers):
        return tally
    kind = tally.question_type
    return Tally(empty_histogram(kind), tally.sent, tally.answered, True, kind)


def team_tally(
    team: Team,
    since: date | None = None,
    until: date | None = None,
    question_type: str | None = None,
) -> Tally:
    """The team's counts in the period, of its current question type's series unless
    `question_type` names an earlier one."""
    row = TeamDailyScore.objects.filter(_days(since, until), team=team).aggregate(**_sums())
    tally = _tally(row, question_type or team.question_type)
    if people.held_team_ids([team], since, until):
        return withheld_unless(tally, people.people(team.id, since, until))
    return tally


def team_score(team: Team, since: date | None = None, until: date | None = None) -> AnyScore:
    return team_tally(team, since, until).score


@dataclass(frozen=True)
class Series:
    """A team's answers on one scale: which, from and until which day, how many."""

    question_type: str
    first_day: date
    last_day: date
    responses: int

    @property
    def label(self) -> str:
        return str(QuestionType(self.question_type).label)


def team_series(team: Team) -> list[Series]:
    """Every scale the team's answers were given on, oldest series first: one aggregate over
    its rollup rows. A team that changed its question type has two (or more); the current type
    has none until its first answer."""
    aggregates: dict[str, Any] = {}
    for kind in PREFIXES:
        names = columns(kind)
        given = Q()
        for name in names:
            given |= Q(**{f"{name}__gt": 0})
        aggregates[f"{kind}_first"] = Min("day", filter=given)
        aggregates[f"{kind}_last"] = Max("day", filter=given)
        for name in names:
            aggregates[f"{kind}_{name}"] = Sum(name, default=0)
    row = TeamDailyScore.objects.filter(team=team).aggregate(**aggregates)
    found = [
        Series(
            kind,
            row[f"{kind}_first"],
            row[f"{kind}_last"],
            sum(row[f"{kind}_{name}"] for name in columns(kind)),
        )
        for kind in PREFIXES
        if row[f"{kind}_first"] is not None
    ]
    return sorted(found, key=lambda series: (series.first_day, series.last_day))


def _segments(periods: list[Period]) -> list[Period]:
    """The pieces that the periods' boundaries cut their union into (each period is a whole
    number of pieces), e.g. last 30 days, the 30 before, and the rest of the last 90."""
    cuts = sorted({p.since for p in periods} | {p.until + timedelta(days=1) for p in periods})
    pieces = [Period(a, b - timedelta(days=1)) for a, b in itertools.pairwise(cuts)]
    return [
        piece
        for piece in pieces
        if any(p.since <= piece.since and piece.until <= p.until for p in periods)
    ]


def _add(a: Tally, b: Tally) -> Tally:
    """Two tallies of one series (strict: a histogram of another scale's length fails)."""
    return Tally(
        tuple(x + y for x, y in zip(a.histogram, b.histogram, strict=True)),
        a.sent + b.sent,
        a.answered + b.answered,
        question_type=a.question_type,
    )


def tallies_by_team(
    periods: list[Period], kinds: Mapping[int, str] | None = None
) -> dict[int, list[Tally]]:
    """team id → one Tally per period, in one query over the days they span; each team's of
    the series `kinds` names for it (its question type; NPS when not named).

    The rows are summed per team and piece of time (see _segments) and the pieces added up per
    period here: a quarter of the work of one filtered sum per period and column in SQL.
    """
    pieces = _segments(periods)
    piece_of_day = Case(
        *[
            When(day__gte=piece.since, day__lte=piece.until, then=Value(i))
            for i, piece in enumerate(pieces)
        ],
        default=Value(-1),
    )
    rows = (
        TeamDailyScore.objects.filter(
            day__gte=min(p.since for p in periods), day__lte=max(p.until for p in periods)
        )
        .values("team_id", piece=piece_of_day)
        .annotate(**_sums())
        .order_by()
    )
    kinds = kinds or {}
    by_team: dict[int, dict[int, Tally]] = {}
    for row in rows:
        kind = kinds.get(row["team_id"], QuestionType.NPS)
        by_team.setdefault(row["team_id"], {})[row["piece"]] = _tally(row, kind)
    result: dict[int, list[Tally]] = {}
    for team_id, found in by_team.items():
        result[team_id] = []
        for period in periods:
            total = Tally.empty(kinds.get(team_id, QuestionType.NPS))
            for i, piece in enumerate(pieces):
                if period.since <= piece.since and piece.until <= period.until and i in found:
                    total = _add(total, found[i])
            result[team_id].append(total)
    return result


INTERVALS = {"week": TruncWeek, "month": TruncMonth}


def period_starts(since: date, until: date, interval: str) -> list[date]:
    """The first day of every week (Monday) or month that overlaps since..until."""
    if interval == "week":
        start = since - timedelta(days=since.weekday())
        return [start + timedelta(weeks=i) for i in range((until - start).days // 7 + 1)]
    starts, month = [], since.replace(day=1)
    while month <= until:
        starts.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return starts


def months_before(today: date, months: int) -> date:
    """The first day of the month `months` months before today's month."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1)


def _trend_rows(queryset, since: date, until: date, interval: str, by=()):
    return (
        queryset.filter(day__gte=since, day__lte=until)
        .annotate(period_start=INTERVALS[interval]("day"))
        .values(*by, "period_start")
        .annotate(**_sums())
        .order_by()
    )


def trend(
    team: Team, since: date, until: date, interval: str, question_type: str | None = None
) -> list[tuple[date, Tally]]:
    """One Tally per week or month from since to until, empty ones included (counts only
    cover since..until, also in a first or last period that sticks out of the range); of the
    team's current question type's series unless `question_type` names another."""
    kind = question_type or team.question_type
    rows = _trend_rows(TeamDailyScore.objects.filter(team=team), since, until, interval)
    found = {_as_date(row["period_start"]): _tally(row, kind) for row in rows}
    points = [
        (start, found.get(start, Tally.empty(kind)))
        for start in period_starts(since, until, interval)
    ]
    if people.held_team_ids([team], since, until):
        counted = people.people_by_interval([team.id], since, until, interval)[team.id]
        points = [(start, withheld_unless(t, counted.get(start, 0))) for start, t in points]
    return points


def trends_by_team(
    since: date, until: date, interval: str, kinds: Mapping[int, str] | None = None
) -> dict[int, list[tuple[date, Tally]]]:
    """As trend, for every team at once; each team's of the series `kinds` names for it."""
    kinds = kinds or {}
    rows = _trend_rows(TeamDailyScore.objects.all(), since, until, interval, by=("team_id",))
    found: dict[int, dict[date, Tally]] = {}
    for row in rows:
        kind = kinds.get(row["team_id"], QuestionType.NPS)
        found.setdefault(row["team_id"], {})[_as_date(row["period_start"])] = _tally(row, kind)
    starts = period_starts(since, until, interval)
    return {
        team_id: [
            (start, points.get(start, Tally.empty(kinds.get(team_id, QuestionType.NPS))))
            for start in starts
        ]
        for team_id, points in found.items()
    }


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class AgentRow:
    agent: Agent
    score: AnyScore


def _agent_tallies(team: Team, period: Period) -> dict[int, Tally]:
    rows = (
        DailyScore.objects.filter(team=team, day__gte=period.since, day__lte=period.until)
        .values("agent_id")
        .annotate(**_sums(rates=False))
        .order_by()
    )
    tallies = {row["agent_id"]: _tally(row, team.question_type) for row in rows}
    if people.held_team_ids([team], period.since, period.until):
        counted = people.people_by_agent(team.id, period)
        tallies = {a: withheld_unless(t, counted.get(a, 0)) for a, t in tallies.items()}
    return tallies


def agent_scores(team: Team, period: Period) -> list[AgentRow]:
    """Every agent who answered for this team in the period, by name; the template hides the
    score of those below the minimum n."""
    tallies = _agent_tallies(team, period)
    agents = Agent.objects.filter(id__in=tallies).order_by("name", "email")
    return [AgentRow(agent, tallies[agent.id].score) for agent in agents]


def withheld_agent_ids(team: Team, period: Period) -> set[int]:
    """The team's agents whose answers in the period stand on too few people to be shown
    (an anonymous team's): the comments and the export name no agent beside such an answer,
    or they would show that agent's results one by one."""
    return {agent_id for agent_id, tally in _agent_tallies(team, period).items() if tally.withheld}


@dataclass(frozen=True)
class TeamPeriod:
    tally: Tally
    previous: Tally = field(default_factory=Tally)

    @property
    def score(self) -> AnyScore:
        return self.tally.score

    @property
    def answered(self) -> int:
        return self.tally.answered

    @property
    def sent(self) -> int:
        return self.tally.sent

    @property
    def response_rate(self) -> float | None:
        return self.tally.response_rate

    @property
    def change(self) -> Change | None:
        return change(self.tally.score, self.previous.score)


@dataclass
class TeamRow:
    team: Team
    periods: list[TeamPeriod]
    trend: list[tuple[date, Tally]]
    # Filled by the view: presentation.
    spark: list[str] = field(default_factory=list)
    spark_cells: list[tuple[str, str, str]] = field(default_factory=list)
    measure: str = ""  # the headline figure's name for the team's question type


SPARK_MONTHS = 12


def overview(teams, periods_days: tuple[int, ...], today: date) -> list[TeamRow]:
    """Every given team in alphabetical order (never a ranking), one TeamPeriod per period
    (with the period before it, for the team's own change) and a monthly trend of a year."""
    periods = []
    for days in periods_days:
        period = Period.last(days, today)
        periods += [period, period.previous()]
    teams = list(teams)
    kinds = {team.id: team.question_type for team in teams}
    tallies = tallies_by_team(periods, kinds)
    spark_since = months_before(today, SPARK_MONTHS - 1)
    trends = trends_by_team(spark_since, today, "month", kinds)
    _withhold_small_groups(teams, periods, spark_since, today, tallies, trends)
    starts = period_starts(spark_since, today, "month")
    rows = []
    for team in sorted(teams, key=lambda t: t.name.casefold()):
        empty = Tally.empty(team.question_type)
        empty_trend = [(start, empty) for start in starts]
        found = tallies.get(team.id) or [empty] * len(periods)
        team_periods = [TeamPeriod(found[i], found[i + 1]) for i in range(0, len(periods), 2)]
        rows.append(TeamRow(team, team_periods, trends.get(team.id, empty_trend)))
    return rows


def _withhold_small_groups(teams, periods, spark_since, today, tallies, trends) -> None:
    """Anonymous teams' periods and months with too few people lose their scores, in place:
    a few queries for all of them together. A team made named again is held to the rule when
    the time shown holds answers given while it was anonymous (people.held_team_ids)."""
    since = min(spark_since, *(p.since for p in periods))
    anonymous = sorted(people.held_team_ids(teams, since, today))
    if not anonymous:
        return
    in_periods = people.people_in_periods(anonymous, periods)
    by_month = people.people_by_interval(anonymous, spark_since, today, "month")
    for team_id in anonymous:
        if team_id in tallies:
            tallies[team_id] = [
                withheld_unless(t, n)
                for t, n in zip(tallies[team_id], in_periods[team_id], strict=True)
            ]
        if team_id in trends:
            trends[team_id] = [
                (start, withheld_unless(t, by_month[team_id].get(start, 0)))
                for start, t in trends[team_id]
            ]
