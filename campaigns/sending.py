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

from delivery import engine
from delivery.engine import Prepared
from delivery.rules import OPTED_OUT
from surveys.emails import build_email
from surveys.scales import NPS

from .models import CampaignInvitation


def campaign_link(token: str, score: int | None = None) -> str:
    url = settings.ITPULSE_BASE_URL + reverse("campaign-survey", args=[token])
    return url if score is None else f"{url}?score={score}"


def campaign_email(invitation: CampaignInvitation, token: str) -> EmailMessage:
    requester = invitation.requester
    assert requester is not None  # an unlinked invitation is never prepared (below)
    with translation.override(requester.language):
        context = {
            "campaign": invitation.campaign,
            "question": invitation.campaign.question,
            "requester": requester,
            "organisation": settings.ITPULSE_ORGANISATION,
            "survey_url": campaign_link(token),
            "score_links": [(score, campaign_link(token, score)) for score in NPS.scores],
            "expires_at": invitation.expires_at,
        }
        return build_email("campaign", requester.email, context)


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
