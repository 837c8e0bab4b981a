"""The weekly digest's content: a dashboard read, by mail (delivery/digests.py sends it).

A team lead gets, per team led, the week's score with its margin, the change against the week
before, the response rate and the newest comments; an agent gets their own week. The period is
the seven calendar days that ended yesterday, in the organisation's zone (the days the dashboard
counts in). The lead digest's follow-up line comes from followups' template tags, so that scoring
imports nothing above it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Preference
from surveys.emails import build_email
from surveys.models import Agent, Response, Team

from .agent_answers import agent_answers, agent_rate
from .categories import scores_by_type
from .nps import Change, change
from .scores import AnyScore
from .selectors import Period, team_tally
from .targets import target_for, target_text

DIGEST_DAYS = 7
COMMENTS_SHOWN = 10


class DigestKind(models.TextChoices):
    LEAD = "lead", _("team lead digest")
    AGENT = "agent", _("personal digest")


def digest_period(now: datetime) -> Period:
    yesterday = timezone.localdate(now) - timedelta(days=1)
    return Period.last(DIGEST_DAYS, yesterday)


def period_ending(until: date) -> Period:
    return Period.last(DIGEST_DAYS, until)


def preference_of(user) -> Preference:
    """The user's preference, or the organisation's defaults for someone who never set one."""
    return getattr(user, "preference", None) or Preference(
        user=user, time_zone=settings.TIME_ZONE, language=settings.LANGUAGE_CODE
    )


@dataclass(frozen=True)
class TeamDigest:
    team: Team
    score: AnyScore
    previous: AnyScore
    change: Change | None
    answered: int
    sent: int
    comments: list[Response]
    comment_count: int
    # The team's own target for its current series, as written ("40", "85%"); "" for none.
    target: str = ""

    @property
    def response_rate(self) -> float | None:
        return None if not self.sent else self.answered / self.sent

    @property
    def empty(self) -> bool:
        return self.score.responses == 0 and self.sent == 0


def _comments(responses: QuerySet[Response]) -> tuple[list[Response], int]:
    with_comment = responses.exclude(comment="").select_related("team", "invitation__ticket")
    return list(with_comment.order_by("-created_at")[:COMMENTS_SHOWN]), with_comment.count()


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.combine(period.since, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(period.until + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start, end


def team_digest(team: Team, period: Period) -> TeamDigest:
    current = team_tally(team, period.since, period.until)
    previous_period = period.previous()
    previous = team_tally(team, previous_period.since, previous_period.until)
    start, end = _bounds(period)
    comments: list[Response] = []
    count = 0
    if not current.withheld:  # an anonymous team's small group: no comment could stay anonymous
        comments, count = _comments(
            Response.objects.filter(team=team, created_at__gte=start, created_at__lt=end)
        )
    return TeamDigest(
        team=team,
        score=current.score,
        previous=previous.score,
        change=change(current.score, previous.score),
        answered=current.answered,
        sent=current.sent,
        comments=comments,
        comment_count=count,
        target=target_text(target_for(team), team.question_type),
    )


def digest_email(user, kind: str, period: Period, now: datetime) -> EmailMessage | None:
    """The digest as the user reads it (their language, their zone), or None when there is
    nothing to tell: a lead of no team any more, an agent without feedback this week."""
    preference = preference_of(user)
    with translation.override(preference.language), timezone.override(preference.zone):
        return _email(user, kind, period, now)


def _email(user, kind: str, period: Period, now: datetime) -> EmailMessage | None:
    context = {
        "user": user,
        "period": period,
        "now": now,
        "organisation": settings.ITPULSE_ORGANISATION,
        "base_url": settings.ITPULSE_BASE_URL,
    }
    if kind == DigestKind.LEAD:
        teams = list(user.led_teams.order_by("name"))
        if not teams:
            return None
        context["teams"] = [team_digest(team, period) for team in teams]
        return build_email("digest-lead", user.email, context)
    agent = Agent.objects.filter(user=user).first()
    if agent is None:
        return None
    start, end = _bounds(period)
    # An anonymous team's answers only if enough people stand behind them this week.
    responses = agent_answers(agent, start=start, end=end)
    if not responses.exists():
        # An agent with no feedback this week gets no mail: an empty personal digest is noise.
        return None
    comments, count = _comments(responses)
    context.update(
        agent=agent,
        # One score per scale the week's answers were given on, never one mixed figure.
        scores=scores_by_type(responses),
        rate=agent_rate(agent, start=start, end=end),
        comments=comments,
        comment_count=count,
    )
    return build_email("digest-agent", user.email, context)
