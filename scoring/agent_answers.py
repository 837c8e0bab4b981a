"""One agent's answers as their feedback pages, export and digest may show them.

An agent knows whom they helped: an anonymous team's answers listed one by one on the agent's
own page would name their writers whenever few people stand behind them. So, as on the team
page, an anonymous team's answers for this agent (or a named team's, in a time that holds
answers given while it was anonymous) are shown only when enough distinct people stand behind
them in the period shown (surveys.privacy.answers_shown); otherwise none of that team's
answers are, not even as counts.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from surveys.models import Agent, Invitation, Response, Team
from surveys.privacy import answers_shown

from .nps import response_rate
from .people import held_team_ids, people_for_agent


def _answers(agent: Agent, start: datetime | None, end: datetime | None) -> QuerySet[Response]:
    responses = Response.objects.filter(agent=agent)
    if start is not None:
        responses = responses.filter(created_at__gte=start)
    if end is not None:
        responses = responses.filter(created_at__lt=end)
    return responses


def withheld_team_ids(
    agent: Agent, *, start: datetime | None = None, end: datetime | None = None
) -> set[int]:
    """Anonymous teams whose answers for the agent in [start, end) stand on too few people."""
    zone = timezone.get_default_timezone()
    since = timezone.localtime(start, zone).date() if start is not None else None
    until = timezone.localtime(end - timedelta(microseconds=1), zone).date() if end else None
    per_team = dict(
        _answers(agent, start, end).values_list("team_id").annotate(n=Count("id")).order_by()
    )
    held = held_team_ids(Team.objects.filter(id__in=per_team), since, until)
    return {
        team_id
        for team_id in held
        if not answers_shown(
            people=people_for_agent(team_id, agent.id, since, until), answers=per_team[team_id]
        )
    }


def agent_answers(
    agent: Agent, *, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[Response]:
    """The agent's answers in [start, end) that may be shown (all time without bounds)."""
    withheld = withheld_team_ids(agent, start=start, end=end)
    return _answers(agent, start, end).exclude(team_id__in=withheld)


@dataclass(frozen=True)
class Rate:
    """The agent's surveys sent in a period and how many of those were answered."""

    sent: int
    answered: int

    @property
    def response_rate(self) -> float | None:
        return response_rate(self.answered, self.sent)

    @property
    def percent(self) -> int | None:
        rate = self.response_rate
        return None if rate is None else round(rate * 100)


def agent_rate(agent: Agent, *, start: datetime, end: datetime | None = None) -> Rate:
    """Answered of sent, of the agent's invitations sent in [start, end): counted by the day
    they were sent, as the team's rate is, so it never exceeds 100%. It tells nobody's answer,
    so an anonymous team's surveys count too (as selectors.withheld_unless keeps a rate)."""
    invitations = Invitation.objects.filter(agent=agent, sent_at__gte=start)
    if end is not None:
        invitations = invitations.filter(sent_at__lt=end)
    counts = invitations.aggregate(
        sent=Count("id"), answered=Count("id", filter=Q(status=Invitation.Status.ANSWERED))
    )
    return Rate(counts["sent"], counts["answered"])
