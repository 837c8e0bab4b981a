"""Thin tasks: take ids, call a service (which claims each invitation before sending)."""

from celery import shared_task


@shared_task(ignore_result=True)
def send_invitations(invitation_ids: list[int]) -> None:
    """One message on the broker for a whole batch instead of one per ticket."""
    from surveys.services import invitation_send

    for invitation_id in invitation_ids:
        invitation_send(invitation_id=invitation_id)
