"""Thin tasks: ids in, a service call. Safe to run twice."""

from celery import shared_task

from .models import CampaignInvitation
from .services import campaign_invitation_send


@shared_task(ignore_result=True)
def send_campaign(campaign_id: int) -> None:
    """Send every planned invitation of a campaign; each send claims its own row first."""
    planned = CampaignInvitation.objects.filter(
        campaign_id=campaign_id, status=CampaignInvitation.Status.PLANNED
    ).values_list("id", flat=True)
    for invitation_id in list(planned):
        campaign_invitation_send(invitation_id=invitation_id)
