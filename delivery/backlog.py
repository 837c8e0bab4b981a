"""How far behind the engine is, per kind of message: what monitoring asks (`/health/`).

A message is *due* once it is planned and its send time has passed; the beat's tick claims due
rows every minute, so a due row that has waited much longer means no worker or no beat is
running. Rows waiting for a retry are planned with a later send time (their backoff): they are
counted apart, as *retrying*, because a mail server that refuses shows there first. Rows left in
"sending" longer than ITPULSE_SENDING_TIMEOUT belong to a worker that died and are reclaimed on
the next tick: *stuck* should stay 0 between ticks.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q

from . import engine
from .engine import PLANNED, SENDING


@dataclass(frozen=True)
class Backlog:
    kind: str
    due: int
    oldest_due_seconds: float
    retrying: int
    stuck: int


def backlog(*, now: datetime) -> list[Backlog]:
    """One aggregate query per kind (each on its status index); no row is locked or read."""
    stuck_before = now - timedelta(seconds=settings.ITPULSE_SENDING_TIMEOUT)
    out = []
    for kind in engine.kinds():
        rows = kind.model._default_manager
        due_rows = kind.due(rows.filter(status=PLANNED, send_after__lte=now), now)
        due = due_rows.aggregate(count=Count("pk"), oldest=Min("send_after"))
        other = rows.filter(status__in=[PLANNED, SENDING]).aggregate(
            retrying=Count("pk", filter=Q(status=PLANNED, send_after__gt=now, attempts__gt=0)),
            stuck=Count("pk", filter=Q(status=SENDING, claimed_at__lt=stuck_before)),
        )
        oldest = due["oldest"]
        out.append(
            Backlog(
                kind=kind.name,
                due=due["count"],
                oldest_due_seconds=round((now - oldest).total_seconds(), 1) if oldest else 0.0,
                retrying=other["retrying"],
                stuck=other["stuck"],
            )
        )
    return out
