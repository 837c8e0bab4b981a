"""How many distinct people stand behind an anonymous team's results (issue 13, point 2).

An anonymous answer points to no invitation (surveys/unlinked.py), so its people are counted
where the link still is: the team's answered invitations, by the day they were sent. That is
the group the surveys went to in the period; an answer usually follows within days. Once
retention or an erasure has unlinked invitations from their person, the random mark they share
(Invitation.person_tag) still counts that person once.

The rule that decides from these counts is surveys.privacy.group_shown.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, TruncMonth, TruncWeek
from django.utils import timezone

from surveys.models import Invitation, Response

TRUNC = {"week": TruncWeek, "month": TruncMonth}


class Days(Protocol):
    # Read-only, so that a frozen dataclass (selectors.Period) fits.
    @property
    def since(self) -> date: ...
    @property
    def until(self) -> date: ...


# Who an invitation went to: its requester, or once unlinked the random mark its person's
# invitations share (Invitation.person_tag), or failing both the invitation itself.
PERSON = Coalesce(
    Cast("requester_id", CharField()),
    NullIf("person_tag", Value("")),
    Concat(Value("invitation "), Cast("id", CharField())),
)


def held_team_ids(teams, since: date | None, until: date | None) -> set[int]:
    """Of these teams, the ids of those whose results in since..until must stand on enough
    people (surveys.privacy): anonymous teams, and teams made named again whose answers in
    that time include some given while they were anonymous. Those were promised the rule, and
    keep it: they are known by their link key (surveys/unlinked.py), which only an answer
    given through an anonymous team's link has, until retention."""
    held = {team.id for team in teams if team.anonymous}
    named = [team.id for team in teams if not team.anonymous]
    if named:
        answers = Response.objects.filter(team_id__in=named, link_key__isnull=False)
        if since is not None:
            answers = answers.filter(created_at__gte=_instant(since))
        if until is not None:
            answers = answers.filter(created_at__lt=_instant(until + timedelta(days=1)))
        held |= set(answers.values_list("team_id", flat=True).distinct())
    return held


def _people(when: Q | None = None) -> Count:
    return Count(PERSON, distinct=True, filter=when)


def _instant(day: date) -> datetime:
    # Rollup days are the organisation's days: so are these.
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _answered(team_ids, since: date | None, until: date | None) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(
        team_id__in=team_ids, status=Invitation.Status.ANSWERED, sent_at__isnull=False
    )
    if since is not None:
        invitations = invitations.filter(sent_at__gte=_instant(since))
    if until is not None:
        invitations = invitations.filter(sent_at__lt=_instant(until + timedelta(days=1)))
    return invitations


def people(team_id: int, since: date | None = None, until: date | None = None) -> int:
    return _answered([team_id], since, until).aggregate(n=_people())["n"]


def people_in_periods(team_ids: list[int], periods: list[Days]) -> dict[int, list[int]]:
    """team id → distinct people per period, in one query."""
    if not team_ids:
        return {}
    counts = {
        f"p{i}": _people(
            Q(sent_at__gte=_instant(p.since), sent_at__lt=_instant(p.until + timedelta(days=1)))
        )
        for i, p in enumerate(periods)
    }
    since, until = min(p.since for p in periods), max(p.until for p in periods)
    # (The stubs type a values() row by its named fields; the counts' names are made here.)
    rows: Iterable[Mapping[str, Any]] = (
        _answered(team_ids, since, until).values("team_id").annotate(**counts).order_by()
    )
    found = {row["team_id"]: [row[f"p{i}"] for i in range(len(periods))] for row in rows}
    return {team_id: found.get(team_id, [0] * len(periods)) for team_id in team_ids}


def people_by_interval(
    team_ids: list[int], since: date, until: date, interval: str
) -> dict[int, dict[date, int]]:
    """team id → {first day of the week or month: distinct people}."""
    zone = timezone.get_default_timezone()
    rows = (
        _answered(team_ids, since, until)
        .values("team_id", start=TRUNC[interval]("sent_at", tzinfo=zone))
        .annotate(n=_people())
        .order_by()
    )
    found: dict[int, dict[date, int]] = {team_id: {} for team_id in team_ids}
    for row in rows:
        start = row["start"]
        start = start.date() if isinstance(start, datetime) else start
        found[row["team_id"]][start] = row["n"]
    return found


def people_by_agent(team_id: int, period: Days) -> dict[int, int]:
    """agent id → distinct people among the agent's answered invitations in the period."""
    rows = (
        _answered([team_id], period.since, period.until)
        .filter(agent__isnull=False)
        .values("agent_id")
        .annotate(n=_people())
        .order_by()
    )
    return {row["agent_id"]: row["n"] for row in rows}


def people_for_agent(team_id: int, agent_id: int, since: date | None, until: date | None) -> int:
    """Distinct people among one agent's answered invitations of a team, sent since..until."""
    invitations = _answered([team_id], since, until).filter(agent_id=agent_id)
    return invitations.aggregate(n=_people())["n"]
