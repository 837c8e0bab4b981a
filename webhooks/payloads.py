"""What a delivery says, written when it is sent (so that the anonymity rule and an erasure
made meanwhile apply): {"type", "timestamp", "data"}, the shape the Standard Webhooks
specification recommends."""

import json
from typing import Any

from django.conf import settings
from django.urls import reverse

from followups.models import FollowUpCase
from surveys.feed import response_data

from .models import Event, WebhookDelivery


def case_data(case: FollowUpCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "team": case.team.slug,
        "status": case.status,
        "opened_at": case.opened_at.isoformat(),
        "due_at": case.due_at.isoformat(),
        "url": settings.ITPULSE_BASE_URL + reverse("followup-detail", args=[case.id]),
        "response": response_data(case.response),
    }


def delivery_body(delivery: WebhookDelivery) -> bytes:
    if delivery.event == Event.FOLLOWUP_OPENED:
        assert delivery.case is not None  # planned with its case (webhooks/planning.py)
        data = case_data(delivery.case)
    else:
        assert delivery.response is not None
        data = response_data(delivery.response)
    message = {"type": delivery.event, "timestamp": delivery.occurred_at.isoformat(), "data": data}
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
