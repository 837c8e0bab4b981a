"""Writes for webhooks: subscribe, enable again, delete, and disable after repeated failure
(with an e-mail to the administrators)."""

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from accounts.access import administrators
from audit.models import AuditEvent
from audit.services import audit_record
from delivery import outbound
from surveys.emails import build_email

from .models import Event, Webhook

logger = logging.getLogger(__name__)

# Deliveries in a row that failed for good (each after its retries) before the webhook is
# disabled: a receiver that is gone stops costing every worker a timeout per answer.
DISABLE_AFTER = 5


class WebhookRefused(ValueError):
    """The URL or the events cannot be subscribed; the message says why."""


def events_clean(events: Iterable[str]) -> list[str]:
    wanted = set(events)
    unknown = wanted - set(Event.values)
    if unknown:
        raise WebhookRefused(
            translation.gettext("Unknown events: %(events)s. Known: %(known)s.")
            % {"events": ", ".join(sorted(unknown)), "known": ", ".join(Event.values)}
        )
    if not wanted:
        raise WebhookRefused(translation.gettext("Choose at least one event."))
    return [event for event in Event.values if event in wanted]


def webhook_create(
    *, url: str, events: Iterable[str], by: User | None = None, ip: str | None = None
) -> Webhook:
    """Subscribe `url`; refuses an address ITPulse would not call (delivery.outbound). Answers
    will leave the building: the audit log says who sent them where."""
    chosen = events_clean(events)
    try:
        outbound.check_url(url)
    except outbound.RefusedAddress as refused:
        raise WebhookRefused(str(refused)) from refused
    hook = Webhook.objects.create(url=url, events=chosen, created_by=by)
    audit_record(
        action=AuditEvent.Action.WEBHOOK_CREATED,
        actor=by,
        actor_label="" if by else "manage.py add_webhook",
        target=f"webhook {hook.pk}",
        ip=ip,
        details={"url": url, "events": chosen},
    )
    return hook


def webhook_delete(*, webhook: Webhook, by: User, ip: str | None = None) -> None:
    audit_record(
        action=AuditEvent.Action.WEBHOOK_DELETED,
        actor=by,
        target=f"webhook {webhook.pk}",
        ip=ip,
        details={"url": webhook.url},
    )
    webhook.delete()


def webhook_enable(*, webhook: Webhook) -> bool:
    return bool(
        Webhook.objects.filter(pk=webhook.pk)
        .exclude(disabled_at=None)
        .update(disabled_at=None, disabled_reason="", failures=0)
    )


def webhook_failed(*, webhook_id: int, reason: str, now: datetime) -> bool:
    """Count a delivery that failed for good; at DISABLE_AFTER in a row the webhook is
    disabled, once (the conditional UPDATE is the claim), and the administrators are told."""
    Webhook.objects.filter(pk=webhook_id).update(failures=F("failures") + 1)
    disabled = Webhook.objects.filter(
        pk=webhook_id, disabled_at=None, failures__gte=DISABLE_AFTER
    ).update(disabled_at=now, disabled_reason=reason[:255])
    if disabled:
        hook = Webhook.objects.get(pk=webhook_id)
        audit_record(
            action=AuditEvent.Action.WEBHOOK_DISABLED,
            actor_label="delivery engine",
            target=f"webhook {webhook_id}",
            details={"url": hook.url, "reason": hook.disabled_reason},
        )
        administrators_tell(hook)
    return bool(disabled)


def administrators_tell(webhook: Webhook) -> None:
    url = settings.ITPULSE_BASE_URL + reverse("webhook-detail", args=[webhook.pk])
    for admin in administrators().exclude(email=""):
        preference = getattr(admin, "preference", None)
        language = preference.language if preference else settings.LANGUAGE_CODE
        with translation.override(language):
            message = build_email(
                "webhook-disabled",
                admin.email,
                {"webhook": webhook, "page_url": url, "failures": DISABLE_AFTER},
            )
        try:
            message.send()
        except (OSError, smtplib.SMTPException) as error:
            # The page shows the webhook disabled all the same.
            logger.warning(
                "could not tell an administrator webhook %s is disabled: %s", webhook.pk, error
            )
