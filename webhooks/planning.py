"""Planning deliveries: one row per enabled webhook subscribed to the event, in the transaction
of what happened (an answer, a case), and a nudge of the delivery engine once it commits."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from delivery.tasks import nudge_coalesced
from followups.models import FollowUpCase
from surveys.models import Response

from .models import Webhook, WebhookDelivery


def subscribers(event: str) -> list[Webhook]:
    # Few rows; filtered here because SQLite has no JSON "contains".
    return [hook for hook in Webhook.objects.filter(disabled_at=None) if event in hook.events]


def deliveries_plan(
    events: Iterable[tuple[str, Response | None, FollowUpCase | None]],
    *,
    occurred_at: datetime,
    send_after: datetime,
) -> int:
    """Plan each (event, response, case) for its subscribers; returns how many rows."""
    hooks: dict[str, list[Webhook]] = {}
    rows = [
        WebhookDelivery(
            webhook=hook,
            event=event,
            response=response,
            case=case,
            occurred_at=occurred_at,
            send_after=send_after,
        )
        for event, response, case in events
        for hook in hooks.setdefault(event, subscribers(event))
    ]
    if rows:
        WebhookDelivery.objects.bulk_create(rows)
        transaction.on_commit(nudge_coalesced)
    return len(rows)
