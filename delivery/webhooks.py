"""Bounce and complaint events from the e-mail provider, normalised by django-anymail."""

import logging
from typing import Any

from anymail.signals import EventType, tracking
from django.dispatch import receiver

from surveys.logsafe import address_hash

from .models import SuppressedAddress
from .services import address_suppress

logger = logging.getLogger(__name__)

SUPPRESSING = {
    EventType.BOUNCED: SuppressedAddress.Reason.BOUNCED,
    EventType.COMPLAINED: SuppressedAddress.Reason.COMPLAINED,
}


@receiver(tracking, dispatch_uid="itpulse-delivery-tracking")
def on_tracking_event(sender: object, event: Any, esp_name: str, **kwargs: object) -> None:
    reason = SUPPRESSING.get(event.event_type)
    if reason is None or not event.recipient:
        return
    detail = event.description or event.mta_response or event.reject_reason or ""
    address_suppress(email=event.recipient, reason=reason, detail=f"{esp_name}: {detail}")
    logger.info(
        "suppressed address %s after a %s event from %s",
        address_hash(event.recipient),
        event.event_type,
        esp_name,
    )
