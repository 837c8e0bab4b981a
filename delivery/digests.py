"""Weekly digests as a kind of the delivery engine (delivery/engine.py).

The beat runs `digests_tick` every few minutes: it plans one `Digest` row for each user whose
chosen weekday and hour (in their zone) have come and who has none for this period yet, then
sends what is due. From there a digest is claimed, sent, retried after a refused or lost SMTP
connection and reclaimed after a dead worker like every other outgoing message; the unique row
per user, kind and period means nobody gets a period's digest twice. What it says is
scoring's (scoring/digests.py).
"""

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone

from accounts.models import Preference
from scoring.digests import digest_email, digest_period, period_ending, preference_of
from surveys.models import Agent

from . import engine
from .engine import Outcome, Prepared
from .models import Digest

# A digest with nothing in it (a lead of no team any more, an agent without feedback this week)
# is not sent, and not tried again for the period.
NOTHING_TO_TELL = "nothing to tell"


def is_due(preference: Preference, now: datetime) -> bool:
    local = timezone.localtime(now, preference.zone)
    return (
        preference.digest_enabled
        and local.weekday() == preference.digest_weekday
        and local.hour >= preference.digest_hour
    )


def recipients() -> Iterator[tuple[Any, str]]:
    """(user, kind) for every active team lead and every agent with an account."""
    User = get_user_model()
    users = (
        User.objects.filter(Q(led_teams__isnull=False) | Q(agent__isnull=False), is_active=True)
        .exclude(email="")
        .select_related("preference")
        .distinct()
    )
    led = set(User.objects.filter(led_teams__isnull=False).values_list("id", flat=True))
    agents = set(Agent.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    for user in users:
        if user.id in led:
            yield user, Digest.Kind.LEAD
        if user.id in agents:
            yield user, Digest.Kind.AGENT


def digests_due(*, now: datetime | None = None) -> list[tuple[int, str, str]]:
    """Plan the digests due now that have no row for their period yet; returns what it planned
    as (user id, kind, period's last day)."""
    now = now or timezone.now()
    period = digest_period(now)
    planned = set(Digest.objects.filter(period_until=period.until).values_list("user_id", "kind"))
    rows = [
        Digest(user=user, kind=kind, period_until=period.until, send_after=now)
        for user, kind in recipients()
        if (user.id, kind) not in planned and is_due(preference_of(user), now)
    ]
    # A second beat planning at the same moment meets the unique constraint and adds nothing.
    Digest.objects.bulk_create(rows, ignore_conflicts=True)
    return [(row.user_id, row.kind, period.until.isoformat()) for row in rows]


def _built(message: EmailMessage) -> Callable[[], EmailMessage]:
    # Written in prepare, under the reader's language and zone; the engine only sends it.
    return lambda: message


def _prepare(digests: list[Digest], now: datetime) -> list[Prepared]:
    prepared = []
    for digest in digests:
        message = digest_email(digest.user, digest.kind, period_ending(digest.period_until), now)
        if message is None:
            prepared.append(Prepared(digest, suppress=NOTHING_TO_TELL))
        else:
            prepared.append(Prepared(digest, build=_built(message)))
    return prepared


KIND = engine.register(
    engine.Kind(name="digests", model=Digest, related=("user__preference",), prepare=_prepare)
)


def digests_send_due(*, now: datetime | None = None) -> Outcome:
    """Plan what is due, then send it (retries and reclaims are the engine's tick's)."""
    now = now or timezone.now()
    digests_due(now=now)
    return engine.dispatch_due(KIND, now=now)


def digest_send(
    *, user_id: int, kind: str, period_until: date, now: datetime | None = None
) -> bool:
    """Send one user's digest for the period now, unless it was sent (or is being sent): for
    a command or a test. Returns whether this call sent it."""
    now = now or timezone.now()
    digest, _created = Digest.objects.get_or_create(
        user_id=user_id, kind=kind, period_until=period_until, defaults={"send_after": now}
    )
    return engine.send_one(KIND, row_id=digest.id, now=now).sent == 1


@shared_task(ignore_result=True)
def digests_tick() -> None:
    digests_send_due()
