"""Periodic-survey reminders as a kind of the delivery engine (delivery/engine.py).

Each invitation of a survey with a reminder has one CampaignReminder row, planned at the launch
for launch + reminder_after_days. When the engine claims it, this decides whether it still goes:
not to someone who answered, whose link expired, whose invitation never went out, or who opted
out (meanwhile, through any survey's link). One row per invitation and the engine's claim make
it at most one reminder.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.mail import EmailMessage

from delivery import engine
from delivery.engine import Prepared
from delivery.rules import OPTED_OUT

from .models import CampaignInvitation, CampaignReminder
from .sending import UNLINKED, campaign_email

ANSWERED = "answered"
NOT_SENT = "invitation not sent"
EXPIRED = "link expired"


def _build(invitation: CampaignInvitation, token: str) -> Callable[[], EmailMessage]:
    return lambda: campaign_email(invitation, token, reminder=True)


def _why_not(invitation: CampaignInvitation, now: datetime) -> str:
    if invitation.requester is None:
        return UNLINKED
    if invitation.requester.is_opted_out:
        return OPTED_OUT
    if invitation.answered:
        return ANSWERED
    if invitation.status != CampaignInvitation.Status.SENT:
        return NOT_SENT
    if invitation.expires_at is None or invitation.expires_at <= now:
        return EXPIRED
    return ""


def _prepare(reminders: list[CampaignReminder], now: datetime) -> list[Prepared]:
    prepared = []
    tokened = []
    for reminder in reminders:
        invitation = reminder.invitation
        reason = _why_not(invitation, now)
        if reason:
            prepared.append(Prepared(reminder, suppress=reason))
            continue
        token = invitation.new_reminder_token()
        prepared.append(Prepared(reminder, build=_build(invitation, token)))
        tokened.append(invitation)
    # The link must work the moment the e-mail is read: store every hash before sending.
    CampaignInvitation.objects.bulk_update(tokened, ["reminder_token_hash"])
    return prepared


KIND = engine.Kind(
    name="periodic survey reminders",
    model=CampaignReminder,
    related=("invitation", "invitation__campaign", "invitation__requester"),
    prepare=_prepare,
)
