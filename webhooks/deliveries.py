"""Webhook deliveries are a kind of the delivery engine (delivery/engine.py): claimed, signed
and posted through delivery.outbound (which refuses loopback and private addresses unless
ITPULSE_OUTGOING_ALLOW_PRIVATE), retried with backoff when the receiver fails or answers
anything but 2xx, and recorded with their status. A webhook whose deliveries keep failing is
disabled (services.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from delivery import engine, outbound
from delivery.engine import Prepared
from scoring.responses import withheld_answer_ids

from . import services
from .models import Webhook, WebhookDelivery
from .payloads import delivery_body
from .signing import signed_headers

# The webhook was disabled after the delivery was planned.
DISABLED = "the webhook is disabled"
# An anonymous team's answer of a day on which too few people answered (ITPULSE_MIN_GROUP).
TOO_FEW = "too few people answered that day to send it on its own"


@dataclass(frozen=True)
class Message:
    url: str
    secret: str
    message_id: str
    body: bytes


def message_post(message: Message) -> None:
    """Sign for this try (a fresh timestamp, the same id) and POST. A reply other than 2xx is
    an OSError, which the engine retries; a refused address fails for good."""
    timestamp = int(timezone.now().timestamp())
    headers = signed_headers(message.secret, message.message_id, timestamp, message.body)
    status = outbound.post_json(message.url, message.body, headers=headers)
    if not 200 <= status < 300:
        raise OSError(f"the receiver answered {status}")


def _builder(delivery: WebhookDelivery) -> Callable[[], Message]:
    hook = delivery.webhook
    return lambda: Message(hook.url, hook.secret, delivery.message_id, delivery_body(delivery))


def _prepare(deliveries: list[WebhookDelivery], now: datetime) -> list[Prepared]:
    withheld = withheld_answer_ids(row.response for row in deliveries if row.response)
    prepared = []
    for delivery in deliveries:
        if delivery.webhook.disabled_at is not None:
            prepared.append(Prepared(delivery, suppress=DISABLED))
        elif delivery.response_id in withheld:
            prepared.append(Prepared(delivery, suppress=TOO_FEW))
        else:
            prepared.append(Prepared(delivery, build=_builder(delivery)))
    return prepared


def _record_sent(kind: engine.Kind, row: Any, claim: str, now: datetime) -> None:
    engine.record_sent(kind, row, claim, now)
    Webhook.objects.filter(pk=row.webhook_id).exclude(failures=0).update(failures=0)


def _on_failed(row: Any, reason: str) -> None:
    services.webhook_failed(webhook_id=row.webhook_id, reason=reason, now=timezone.now())


KIND = engine.register(
    engine.Kind(
        name="webhook deliveries",
        model=WebhookDelivery,
        related=(
            "webhook",
            "response__team",
            "response__agent",
            "response__invitation__ticket",
            "response__invitation__requester",
            "case__team",
            "case__response__team",
            "case__response__agent",
            "case__response__invitation__ticket",
            "case__response__invitation__requester",
        ),
        prepare=_prepare,
        record_sent=_record_sent,
        message="webhook delivery",
        on_failed=_on_failed,
        post=message_post,
    )
)
