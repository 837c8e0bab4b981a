"""Periodic-survey invitations as a kind of the delivery engine (delivery/engine.py).

The engine claims due invitations in batches, sends each batch on one SMTP connection, retries
temporary failures with backoff and takes back the rows of a worker that died; a campaign of
20,000 people is therefore a hundred claimed batches, not one long task. What is particular to a
periodic survey is here: who no longer gets it, the link token stored before sending, the e-mail.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from delivery import engine
from delivery.engine import Prepared
from delivery.rules import OPTED_OUT
from surveys.emails import build_email
from surveys.scales import NPS

from .models import CampaignInvitation


def campaign_link(token: str, score: int | None = None) -> str:
    url = settings.ITPULSE_BASE_URL + reverse("campaign-survey", args=[token])
    return url if score is None else f"{url}?score={score}"


def campaign_unsubscribe_link(token: str) -> str:
    return settings.ITPULSE_BASE_URL + reverse("campaign-unsubscribe", args=[token])


def campaign_email(
    invitation: CampaignInvitation, token: str, *, reminder: bool = False
) -> EmailMessage:
    """The periodic survey's e-mail (or its one reminder), in the requester's language, with the
    same one-click opt-out as a ticket survey's: the link in the text and the List-Unsubscribe
    headers that mail clients turn into their own button (RFC 2369 / RFC 8058)."""
    requester = invitation.requester
    assert requester is not None  # an unlinked invitation is never prepared (below)
    with translation.override(requester.language):
        unsubscribe_url = campaign_unsubscribe_link(token)
        context = {
            "campaign": invitation.campaign,
            "question": invitation.campaign.question,
            "requester": requester,
            "organisation": settings.ITPULSE_ORGANISATION,
            "survey_url": campaign_link(token),
            "unsubscribe_url": unsubscribe_url,
            "score_links": [(score, campaign_link(token, score)) for score in NPS.scores],
            "expires_at": invitation.expires_at,
            "reminder": reminder,
        }
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        message = build_email("campaign", requester.email, context, headers=headers)
        if reminder:
            message.subject = _("Reminder: %(subject)s") % {"subject": message.subject}
        return message


def _build(invitation: CampaignInvitation, token: str) -> Callable[[], EmailMessage]:
    return lambda: campaign_email(invitation, token)


# An erasure or retention removed who was asked while the invitation waited.
UNLINKED = "requester removed"


def _prepare(invitations: list[CampaignInvitation], now: datetime) -> list[Prepared]:
    prepared = []
    tokened = []
    for invitation in invitations:
        if invitation.requester is None:
            prepared.append(Prepared(invitation, suppress=UNLINKED))
        elif invitation.requester.is_opted_out:  # opted out after the launch
            prepared.append(Prepared(invitation, suppress=OPTED_OUT))
        else:
            prepared.append(
                Prepared(invitation, build=_build(invitation, invitation.new_token(now)))
            )
            tokened.append(invitation)
    # The link must work the moment the e-mail is read: store every token hash before sending.
    CampaignInvitation.objects.bulk_update(tokened, ["token_hash", "expires_at"])
    return prepared


KIND = engine.Kind(
    name="periodic survey invitations",
    model=CampaignInvitation,
    related=("campaign", "requester"),
    prepare=_prepare,
)
