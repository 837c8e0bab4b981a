"""Weekly digests for team leads and agents, in their language, at the hour they chose.

The beat runs `digests_due` every few minutes; a user is due on their chosen weekday from their
chosen hour on (in their time zone), once per period. The period is the seven calendar days that
ended yesterday, in the organisation's zone (the days the dashboard counts in).
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from accounts.models import Preference
from scoring.agent_answers import agent_answers
from scoring.nps import Score, change, histogram
from scoring.selectors import Period, team_tally
from surveys.emails import build_email
from surveys.logsafe import scrubbed_mail_errors
from surveys.models import Agent, Response

from .alerts import user_language
from .models import DigestSent
from .selectors import team_summary

logger = logging.getLogger(__name__)
DIGEST_DAYS = 7
COMMENTS_SHOWN = 10


def digest_period(now: datetime) -> Period:
    yesterday = timezone.localdate(now) - timedelta(days=1)
    return Period.last(DIGEST_DAYS, yesterday)


def _preference(user) -> Preference:
    return getattr(user, "preference", None) or Preference(
        user=user, time_zone=settings.TIME_ZONE, language=settings.LANGUAGE_CODE
    )


def is_due(preference: Preference, now: datetime) -> bool:
    local = timezone.localtime(now, preference.zone)
    return (
        preference.digest_enabled
        and local.weekday() == preference.digest_weekday
        and local.hour >= preference.digest_hour
    )


def recipients():
    """(user, kind) for every active team lead and every agent with an account."""
    users = (
        get_user_model()
        .objects.filter(Q(led_teams__isnull=False) | Q(agent__isnull=False), is_active=True)
        .exclude(email="")
        .select_related("preference")
        .distinct()
    )
    led = set(get_user_model().objects.filter(led_teams__isnull=False).values_list("id", flat=True))
    agents = set(Agent.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    for user in users:
        if user.id in led:
            yield user, DigestSent.Kind.LEAD
        if user.id in agents:
            yield user, DigestSent.Kind.AGENT


def digests_due(*, now: datetime | None = None) -> list[tuple[int, str, str]]:
    """Queue the digests due now and not yet sent for their period; returns what was queued."""
    from . import tasks

    now = now or timezone.now()
    period = digest_period(now)
    sent = set(DigestSent.objects.filter(period_until=period.until).values_list("user_id", "kind"))
    queued = []
    for user, kind in recipients():
        if (user.id, kind) in sent or not is_due(_preference(user), now):
            continue
        queued.append((user.id, kind, period.until.isoformat()))
    for args in queued:
        tasks.send_digest.delay(*args)
    return queued


@dataclass(frozen=True)
class TeamDigest:
    team: object
    score: Score
    previous: Score
    change: object
    answered: int
    sent: int
    comments: list
    comment_count: int
    followups: object

    @property
    def response_rate(self):
        return None if not self.sent else self.answered / self.sent

    @property
    def empty(self) -> bool:
        return self.score.responses == 0 and self.sent == 0


def _comments(responses):
    with_comment = responses.exclude(comment="").select_related("team", "invitation__ticket")
    return list(with_comment.order_by("-created_at")[:COMMENTS_SHOWN]), with_comment.count()


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.combine(period.since, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(period.until + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start, end


def team_digest(team, period: Period, now: datetime) -> TeamDigest:
    current = team_tally(team, period.since, period.until)
    previous_period = period.previous()
    previous = team_tally(team, previous_period.since, previous_period.until)
    start, end = _bounds(period)
    comments, count = [], 0
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
        followups=team_summary(team, now),
    )


def _claim(user, kind: str, period_until: date, now: datetime) -> DigestSent | None:
    try:
        with transaction.atomic():
            return DigestSent.objects.create(
                user=user, kind=kind, period_until=period_until, claimed_at=now
            )
    except IntegrityError:
        return None  # someone else claimed this period's digest


def digest_send(*, user_id: int, kind: str, period_until: date, now: datetime | None = None):
    """Build and send one digest if this caller wins the claim. Returns whether it sent."""
    now = now or timezone.now()
    user = get_user_model().objects.select_related("preference").get(id=user_id)
    period = Period.last(DIGEST_DAYS, period_until)
    claim = _claim(user, kind, period_until, now)
    if claim is None:
        return False
    preference = _preference(user)
    try:
        with translation.override(user_language(user)), timezone.override(preference.zone):
            message = _build(user, kind, period, now)
            if message is not None:
                with scrubbed_mail_errors():  # Celery logs what escapes: no address in it
                    message.send()
    except Exception:
        claim.delete()  # give the period back so a retry can send it
        raise
    if message is None:
        return False  # nothing to tell: the claim stays, so the period is not tried again
    DigestSent.objects.filter(pk=claim.pk).update(sent_at=now)
    return True


def _build(user, kind: str, period: Period, now: datetime):
    context = {
        "user": user,
        "period": period,
        "organisation": settings.ITPULSE_ORGANISATION,
        "base_url": settings.ITPULSE_BASE_URL,
    }
    if kind == DigestSent.Kind.LEAD:
        teams = list(user.led_teams.order_by("name"))
        if not teams:
            return None
        context["teams"] = [team_digest(team, period, now) for team in teams]
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
        score=Score.from_histogram(histogram(responses.values_list("score", flat=True))),
        comments=comments,
        comment_count=count,
    )
    return build_email("digest-agent", user.email, context)
