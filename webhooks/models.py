"""Subscriptions of a URL to events, and the deliveries of each event to each subscription.

A delivery is an outgoing message of the delivery engine (delivery/engine.py): claimed,
retried with backoff, reclaimed after a dead worker. What it carries is written when it is
sent, from the answer or case it points to, so that the anonymity rule and an erasure made
meanwhile apply (surveys/feed.py).
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delivery.engine import Outgoing
from followups.models import FollowUpCase
from surveys.models import Response

SECRET_PREFIX = "whsec_"  # noqa: S105 (the specification's prefix, not a secret)


def new_secret() -> str:
    """A Standard Webhooks signing secret: whsec_ and 24 random bytes in base64 (the
    specification asks for 24 to 64 bytes)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


class Event(models.TextChoices):
    RESPONSE_CREATED = "response.created", _("an answer is given")
    RESPONSE_CHANGED = "response.changed", _("an answer is changed")
    FOLLOWUP_OPENED = "followup.opened", _("a follow-up case is opened")


class Webhook(models.Model):
    url = models.URLField(_("URL"), max_length=2000)
    events = models.JSONField(_("events"), default=list)
    # Kept readable, like a connector's: signing needs the secret itself.
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Deliveries in a row that failed for good; a sent one sets it back to 0.
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None

    def event_labels(self) -> list[str]:
        return [str(Event(event).label) for event in self.events if event in Event.values]


class WebhookDelivery(Outgoing):
    """One event for one webhook: its message id (webhook-id) stays the same on every try."""

    webhook = models.ForeignKey(
        Webhook, models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    message_id = models.CharField(
        _("message id"), max_length=40, unique=True, default=new_message_id
    )
    response = models.ForeignKey(
        Response,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("response"),
    )
    case = models.ForeignKey(
        FollowUpCase,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    # When the event happened (an anonymous answer's: its day, see webhooks/anonymous.py).
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            # The engine's claim: planned deliveries by send time.
            models.Index(
                fields=["send_after"],
                condition=Q(status="planned"),
                name="webhook_delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"


class AnonymousDay(models.Model):
    """A day whose anonymous answers were planned for the webhooks (once, after the day)."""

    day = models.DateField(_("day"), unique=True)
    planned_at = models.DateTimeField(_("planned at"))

    class Meta:
        verbose_name = _("anonymous answers' day")
        verbose_name_plural = _("anonymous answers' days")

    def __str__(self) -> str:
        return self.day.isoformat()
