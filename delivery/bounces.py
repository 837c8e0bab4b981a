"""Bounces from any relay: delivery reports read from ITPULSE_BOUNCE_MAILBOX.

A provider's webhook (webhooks.py) reports bounces only for mail sent through that provider; a
plain SMTP relay (Exchange, Postfix) mails them back instead. The beat's `bounces_collect` reads
that mailbox, finds each report's invitation by the Message-ID the survey e-mail carried
(surveys/messageids.py), records the bounce, and for a hard one (5.x.x) suppresses the address
with the webhook's own service (services.address_suppress). A soft one (4.x.x: mailbox full,
host unreachable for now) is recorded and counted, nothing more.

Each report is recorded (in one transaction) before its message is marked seen; a crash in
between reads it again next time, and the report's key (its own Message-ID) makes that a no-op.
The task lives here, beside its service, as the digests' does: tasks.py cannot import this
module (services imports tasks for its nudge).
"""

import logging
from collections import Counter
from datetime import datetime
from email.errors import MessageError

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from surveys.logsafe import error_text
from surveys.messageids import invitation_id_from
from surveys.models import Invitation

from .dsn import Report, report_read
from .mailboxes import Mailbox, MailboxError, mailbox_open
from .models import Bounce, SuppressedAddress
from .services import address_suppress

logger = logging.getLogger(__name__)

# What became of one message in the mailbox.
HARD, SOFT, DUPLICATE, UNMATCHED, NOT_A_REPORT = (
    "hard",
    "soft",
    "duplicate",
    "unmatched",
    "not a report",
)


def _invitation(report: Report) -> Invitation | None:
    for message_id in report.message_ids:
        invitation_id = invitation_id_from(message_id)
        if invitation_id is not None:
            return Invitation.objects.select_related("requester").filter(pk=invitation_id).first()
    return None


def bounce_record(*, raw: bytes, now: datetime) -> str:
    """Record one message of the bounce mailbox; returns what it was (HARD, SOFT, …)."""
    try:
        report = report_read(raw)
    except (ValueError, TypeError, LookupError, MessageError) as exc:
        # Anyone can mail this mailbox: a message the email package chokes on (an unknown
        # charset, a broken structure) must not stop every report behind it, run after run.
        logger.warning("bounce mailbox: a message that does not parse: %s", error_text(exc))
        return NOT_A_REPORT
    if report is None:
        return NOT_A_REPORT
    invitation = _invitation(report)
    if invitation is None or invitation.requester is None:  # not ours, or erased since
        return UNMATCHED
    with transaction.atomic():
        _bounce, created = Bounce.objects.get_or_create(
            report_key=report.key,
            defaults={
                "invitation": invitation,
                "action": report.action,
                "status": report.status,
                "is_hard": report.is_hard,
                "diagnostic": report.diagnostic[:255],
                "received_at": now,
            },
        )
        if not created:
            return DUPLICATE
        if not report.is_hard:
            return SOFT
        detail = f"relay: {report.status} {report.diagnostic}".strip()
        address_suppress(
            email=invitation.requester.email,
            reason=SuppressedAddress.Reason.BOUNCED,
            detail=detail,
            now=now,
        )
    return HARD


def bounces_read(*, mailbox: Mailbox, now: datetime) -> Counter[str]:
    """Every unseen message of `mailbox`, recorded and then marked seen."""
    outcomes: Counter[str] = Counter()
    for key, raw in mailbox.unseen():
        outcomes[bounce_record(raw=raw, now=now)] += 1
        # Every message is marked seen, reports that matched nothing of ours too: the mailbox
        # is ITPulse's own, and a message read again every few minutes would never go away.
        mailbox.mark_seen(key)
    return outcomes


@shared_task(ignore_result=True)
def bounces_collect() -> None:
    """Every few minutes (beat), with ITPULSE_BOUNCE_MAILBOX set: read the relay's reports."""
    config = settings.ITPULSE_BOUNCE_MAILBOX
    if not config:
        return
    try:
        with mailbox_open(config) as mailbox:
            outcomes = bounces_read(mailbox=mailbox, now=timezone.now())
    except MailboxError as exc:
        # The next run tries again; an unreadable mailbox loses nothing.
        logger.warning("bounce mailbox not read: %s", exc)
        return
    if outcomes:
        logger.info(
            "bounce mailbox: %s",
            ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())),
        )
