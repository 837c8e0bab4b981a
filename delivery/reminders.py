"""One reminder per unanswered invitation, after the rule's number of days.

At most once: the reminder is claimed by stamping `reminded_at` before it is sent, and a failed
reminder is not retried (a missing reminder costs less than a doubled one).
"""

import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.core import mail
from django.db import transaction

from surveys.emails import build_survey_email
from surveys.logsafe import error_text
from surveys.models import Invitation, hash_token

logger = logging.getLogger(__name__)


def reminders_send(*, now: datetime, limit: int | None = None) -> int:
    claim = secrets.token_hex(16)
    with transaction.atomic():
        ids = list(
            Invitation.objects.filter(
                status=Invitation.Status.SENT,
                reminded_at__isnull=True,
                remind_at__lte=now,
                expires_at__gt=now,
                requester__opted_out_at__isnull=True,
            )
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("id", flat=True)[: limit or settings.ITPULSE_DISPATCH_BATCH]
        )
        Invitation.objects.filter(id__in=ids, reminded_at__isnull=True).update(
            reminded_at=now, claimed_by=claim
        )
    invitations = list(
        Invitation.objects.select_related("ticket", "requester", "team", "agent").filter(
            id__in=ids, claimed_by=claim
        )
    )
    tokens = {}
    for invitation in invitations:
        tokens[invitation.id] = secrets.token_urlsafe(32)
        invitation.reminder_token_hash = hash_token(tokens[invitation.id])
        invitation.claimed_by = ""
    Invitation.objects.bulk_update(invitations, ["reminder_token_hash", "claimed_by"])
    sent = 0
    connection = mail.mailers.default
    try:
        for invitation in invitations:
            message = build_survey_email(invitation, tokens[invitation.id], reminder=True)
            try:
                connection.open()
                connection.send_messages([message])
                sent += 1
            except Exception as exc:
                logger.warning(
                    "reminder for invitation %s failed: %s", invitation.id, error_text(exc)
                )
                connection.close()
    finally:
        connection.close()
    return sent
