"""Webhooks hear of answers and cases through the signals of surveys and followups (which import
nothing above them): of an answer once it has committed (response_settled, from a retried task),
of a case inside the transaction that opened it; the delivery rows commit with that."""

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from followups import signals as followup_signals
from followups.models import FollowUpCase
from surveys import signals
from surveys.models import Response

from .models import Event, WebhookDelivery
from .planning import deliveries_plan


@receiver(signals.response_settled, dispatch_uid="webhooks.response_settled")
def response_settled(
    sender: object, *, response: Response, now: datetime, new: bool, **kwargs: Any
) -> None:
    if response.is_unlinked:
        # Given anonymously: sent after its day, among the day's others (webhooks/anonymous.py).
        # A row written here would carry this transaction's time and id, which pair it with
        # the invitation (privacy/resealing.py).
        return
    event = Event.RESPONSE_CREATED if new else Event.RESPONSE_CHANGED
    if WebhookDelivery.objects.filter(response=response, event=event, occurred_at=now).exists():
        return  # planned by an earlier run of the same task
    deliveries_plan([(event, response, None)], occurred_at=now, send_after=now)


@receiver(followup_signals.case_opened, dispatch_uid="webhooks.case_opened")
def case_opened(sender: object, *, case: FollowUpCase, now: datetime, **kwargs: Any) -> None:
    deliveries_plan([(Event.FOLLOWUP_OPENED, None, case)], occurred_at=now, send_after=now)
