"""Anonymous answers go out after their day, never at their time.

An answer given while its team is anonymous keeps its day only (surveys/unlinked.py); a
webhook sent the moment it arrives would tell the receiver its time to the second, and a
delivery row written in its transaction would pair it with its invitation. So a beat task
plans the anonymous answers of each day that has ended, once, in random order, in a
transaction of its own: created when given that day, changed when given before.
"""

import secrets
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from surveys.models import Response

from .models import AnonymousDay, Event
from .planning import deliveries_plan

# A beat down for a while is caught up this many days back.
CATCH_UP_DAYS = 3


def anonymous_days_plan(*, now: datetime) -> int:
    """Plan the anonymous answers of each ended day not planned yet; returns how many rows."""
    zone = timezone.get_default_timezone()
    today = timezone.localtime(now, zone).date()
    planned = 0
    for back in range(CATCH_UP_DAYS, 0, -1):
        day = today - timedelta(days=back)
        with transaction.atomic():
            _marker, new = AnonymousDay.objects.get_or_create(day=day, defaults={"planned_at": now})
            if not new:
                continue
            midnight = datetime.combine(day, time.min, tzinfo=zone)
            answers = list(Response.objects.filter(invitation=None, updated_at=midnight))
            secrets.SystemRandom().shuffle(answers)  # not the order they came in
            events = [
                (
                    Event.RESPONSE_CREATED
                    if answer.created_at == answer.updated_at
                    else Event.RESPONSE_CHANGED,
                    answer,
                    None,
                )
                for answer in answers
            ]
            planned += deliveries_plan(events, occurred_at=midnight, send_after=now)
    return planned
